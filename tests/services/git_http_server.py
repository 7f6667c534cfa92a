#!/usr/bin/python3
"""Git's smart HTTP protocol on 127.0.0.1 for git_sync_test.cpp: git http-backend behind
http.server's CGI handler. Usage: git_http_server.py PROJECT_ROOT. Prints the port on its first
stdout line, then serves until killed. Repositories are at http://127.0.0.1:PORT/git/<name>."""
import http.server
import os
import sys


class Handler(http.server.CGIHTTPRequestHandler):
    cgi_directories = ["/git"]

    def log_message(self, *args):
        pass

    def is_cgi(self):
        # Every /git/<repo>/... request runs git-http-backend with PATH_INFO=/<repo>/...
        if self.path.startswith("/git/"):
            self.cgi_info = ("/git", "backend" + self.path[len("/git"):])
            return True
        return False


def main():
    root = os.path.abspath(sys.argv[1])
    cgi = os.path.join(root, "git")
    os.makedirs(cgi, exist_ok=True)
    backend = os.path.join(cgi, "backend")
    with open(backend, "w") as f:
        # As root, http.server runs CGI as nobody: let git serve repositories owned by someone else.
        f.write("#!/bin/sh\nexport GIT_PROJECT_ROOT=%s GIT_HTTP_EXPORT_ALL=1 GIT_CONFIG_COUNT=1 "
                "GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'\n"
                "exec /usr/lib/git-core/git-http-backend\n" % root)
    os.chmod(backend, 0o755)
    os.chdir(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
