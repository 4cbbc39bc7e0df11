#!/usr/bin/env python3
"""tests/tsa/responder.py - a TEST-ONLY RFC 3161 time-stamp authority.

Serves HTTP on 127.0.0.1, on a port the kernel picks, and writes that port
to PORTFILE once it listens (written to PORTFILE.tmp, then renamed, so a
reader never sees a partial number).  Each POST of an
application/timestamp-query is answered by the stock tool:

    openssl ts -reply -config tests/tsa/tsa.cnf -queryfile Q \\
        -signer tests/pki/tsa.pem -inkey tests/pki/tsa.key \\
        -chain tests/pki/tsa-ca.pem -out R

and R, a complete TimeStampResp (not -token_out), goes back as
application/timestamp-reply.  Python 3 standard library only.

Options:
  --fail              answer every request with HTTP 500
  --reject            answer with a TimeStampResp of status rejection
                      (badAlg), made by `openssl ts -reply` from the
                      [tsa_reject] section of tsa.cnf
  --garbage           answer 200 application/timestamp-reply with bytes
                      that are not DER
  --serial-dir DIR    keep the serial number file (and queries) in DIR
                      (default: a temporary directory)
  --faketime TIME     run openssl under faketime(1), e.g. "2020-06-01
                      12:00:00", so genTime is in the past (exits 77 when
                      faketime is not installed)
  --log FILE          append one line per request: "<status> <path>"
  --openssl PATH      the openssl tool (default: $OPENSSL or "openssl")

Stops on SIGTERM or SIGINT.  TEST ONLY: the TSA key is public.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(os.path.dirname(HERE), "pki")
MAX_QUERY = 64 * 1024


class Handler(BaseHTTPRequestHandler):
    server_version = "dexf-test-tsa/1"

    def log_message(self, fmt, *args):  # quiet: tests read --log instead
        pass

    def _send(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        opts = self.server.opts
        if opts.log:
            with open(opts.log, "a", encoding="ascii") as f:
                f.write("%d %s\n" % (code, self.path))

    def do_GET(self):
        self._send(405, b"POST an application/timestamp-query\n",
                   "text/plain")

    def do_POST(self):
        opts = self.server.opts
        try:
            n = int(self.headers.get("Content-Length", "-1"))
        except ValueError:
            n = -1
        if n < 0 or n > MAX_QUERY:
            self._send(411 if n < 0 else 413, b"bad length\n", "text/plain")
            return
        query = self.rfile.read(n)
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype.lower() != "application/timestamp-query":
            self._send(415, b"expected application/timestamp-query\n",
                       "text/plain")
            return
        if opts.fail:
            self._send(500, b"test TSA told to fail\n", "text/plain")
            return
        if opts.garbage:
            self._send(200, b"this is not a TimeStampResp\n",
                       "application/timestamp-reply")
            return
        with self.server.lock:
            self.server.count += 1
            base = os.path.join(opts.serial_dir, "q%d" % self.server.count)
        qfile, rfile = base + ".tsq", base + ".tsr"
        with open(qfile, "wb") as f:
            f.write(query)
        cmd = [opts.openssl, "ts", "-reply",
               "-config", os.path.join(HERE, "tsa.cnf"),
               "-section", "tsa_reject" if opts.reject else "tsa_test",
               "-queryfile", qfile,
               "-signer", os.path.join(PKI, "tsa.pem"),
               "-inkey", os.path.join(PKI, "tsa.key"),
               "-chain", os.path.join(PKI, "tsa-ca.pem"),
               "-out", rfile]
        if opts.faketime:
            cmd = [opts.faketime_bin, opts.faketime] + cmd
        env = dict(os.environ)
        env["DEXF_TSA_SERIAL"] = os.path.join(opts.serial_dir, "serial")
        with self.server.lock:  # one serial file: one openssl at a time
            p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, check=False)
        if p.returncode != 0 or not os.path.exists(rfile):
            sys.stderr.write("responder.py: openssl ts -reply failed:\n")
            sys.stderr.write(p.stdout.decode("utf-8", "replace"))
            self._send(500, b"openssl ts -reply failed\n", "text/plain")
            return
        with open(rfile, "rb") as f:
            body = f.read()
        self._send(200, body, "application/timestamp-reply")


class Server(HTTPServer):
    """Stops by itself when the process that started it is gone, so a
    test killed before its cleanup leaves no responder behind."""

    parent = os.getppid()

    def service_actions(self):
        if os.getppid() != self.parent:
            threading.Thread(target=self.shutdown, daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description="TEST-ONLY RFC 3161 TSA")
    ap.add_argument("portfile")
    ap.add_argument("--fail", action="store_true")
    ap.add_argument("--reject", action="store_true")
    ap.add_argument("--garbage", action="store_true")
    ap.add_argument("--serial-dir")
    ap.add_argument("--faketime")
    ap.add_argument("--log")
    ap.add_argument("--openssl", default=os.environ.get("OPENSSL", "openssl"))
    opts = ap.parse_args()

    tmp = None
    if opts.serial_dir is None:
        tmp = tempfile.mkdtemp(prefix="dexf-tsa-")
        opts.serial_dir = tmp
    os.makedirs(opts.serial_dir, exist_ok=True)
    opts.serial_dir = os.path.abspath(opts.serial_dir)
    if opts.faketime:
        opts.faketime_bin = shutil.which("faketime")
        if opts.faketime_bin is None:
            sys.stderr.write("responder.py: --faketime needs faketime(1) "
                             "(Debian package faketime)\n")
            return 77

    srv = Server(("127.0.0.1", 0), Handler)
    srv.opts = opts
    srv.lock = threading.Lock()
    srv.count = 0

    def stop(signum, frame):
        # shutdown() waits for serve_forever(), which runs in this thread
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(opts.portfile + ".tmp", "w", encoding="ascii") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(opts.portfile + ".tmp", opts.portfile)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
