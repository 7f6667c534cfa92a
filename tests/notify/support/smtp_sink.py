"""A local SMTP sink for the email provider tests (python3-aiosmtpd).

usage: smtp_sink.py PORT OUT_DIR [CERT KEY]
Each message is written to OUT_DIR/NNNN.eml as envelope lines, a blank line and the raw data.
AUTH LOGIN/PLAIN accepts lib / s3cret-pass. With CERT and KEY, STARTTLS is offered and required.
Writes OUT_DIR/ready once listening; runs until SIGTERM.
"""
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.out, "%04d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(("MAIL FROM: %s\n" % envelope.mail_from).encode())
            for r in envelope.rcpt_tos:
                f.write(("RCPT TO: %s\n" % r).encode())
            f.write(("AUTH: %s\n" % bool(session.authenticated)).encode())
            f.write(("TLS: %s\n" % (session.ssl is not None)).encode())
            f.write(b"\n")
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login == b"lib" and auth_data.password == b"s3cret-pass":
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    kwargs = dict(authenticator=authenticate, auth_require_tls=False)
    if len(sys.argv) > 4:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
    controller = Controller(Handler(out), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    open(os.path.join(out, "ready"), "w").close()
    signal.signal(signal.SIGTERM, lambda *a: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
