#!/usr/bin/python3
"""A misbehaving feed server on 127.0.0.1 for feed_service_test.cpp.

Prints "PORT" on its first stdout line, then serves until killed. Every path serves the calendar
given by the current mode of that path; GET /mode?path=/x&mode=M sets it; GET /stats?path=/x returns
"<200s> <304s> <gzip>" counts. Modes:
  ok         200 with ETag and Last-Modified; 304 when If-None-Match matches
  gzip       like ok, body gzip-encoded (only if the client accepts gzip)
  500, 404   that status
  hang       never answers (until the client gives up)
  slowloris  headers, then one byte every 0.5 s forever
  huge       Content-Length: 1 GB, streamed until the client hangs up
  huge-nolen 1 GB streamed without Content-Length (connection close)
  loop       302 to itself
  redirect   302 to /target (which is ok)
"""
import gzip
import http.server
import sys
import threading
import time
import urllib.parse

CALENDAR = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            b"BEGIN:VEVENT\r\nUID:talk@test\r\nDTSTART:20260305T190000Z\r\nDTEND:20260305T200000Z\r\n"
            b"SUMMARY:Author talk\r\nCATEGORIES:author\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
ETAG = '"v1"'
LOCK = threading.Lock()
MODES = {"/target": "ok"}
STATS = {}


def count(path, what):
    with LOCK:
        s = STATS.setdefault(path, [0, 0, 0])
        s[what] += 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, length_header):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if length_header:
            self.send_header("Content-Length", str(1 << 30))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"X" * 65536
        try:
            for _ in range((1 << 30) // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/mode":
            with LOCK:
                MODES[query["path"]] = query["mode"]
            return self.send_body(200, b"ok")
        if url.path == "/stats":
            with LOCK:
                s = STATS.get(query["path"], [0, 0, 0])
            return self.send_body(200, ("%d %d %d" % tuple(s)).encode())
        with LOCK:
            mode = MODES.get(url.path, "ok")
        if mode in ("ok", "gzip"):
            if self.headers.get("If-None-Match") == ETAG:
                count(url.path, 1)
                return self.send_body(304, b"", [("ETag", ETAG)])
            count(url.path, 0)
            headers = [("ETag", ETAG), ("Last-Modified", "Mon, 02 Mar 2026 09:00:00 GMT"),
                       ("Content-Type", "text/calendar; charset=utf-8")]
            body = CALENDAR
            if mode == "gzip" and "gzip" in self.headers.get("Accept-Encoding", ""):
                count(url.path, 2)
                body = gzip.compress(CALENDAR)
                headers.append(("Content-Encoding", "gzip"))
            return self.send_body(200, body, headers)
        if mode == "429":
            return self.send_body(429, b"slow down", [("Retry-After", "600")])
        if mode in ("500", "404"):
            return self.send_body(int(mode), b"nope")
        if mode == "hang":
            time.sleep(60)
            return
        if mode == "slowloris":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"B")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                return
        if mode == "huge":
            return self.stream(True)
        if mode == "huge-nolen":
            return self.stream(False)
        if mode == "loop":
            return self.send_body(302, b"", [("Location", url.path)])
        if mode == "redirect":
            return self.send_body(302, b"", [("Location", "/target")])
        self.send_body(400, b"unknown mode")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
