#!/usr/bin/env python3
"""check-firefox.py - the page of `newsgraph serve` once in Firefox.

Not part of `make check-browser` (Chromium is the browser CI drives); run by
hand when the page changes:

    check-firefox.py NEWSGRAPH STORE WEBDIR OUTDIR

Starts `serve` over STORE, starts Debian's firefox-esr headless with its
WebDriver BiDi server, and speaks BiDi over a WebSocket written here (a
client of a few lines: Python's standard library has none): opens the
European Union's events (#events/IRI), waits for the timeline, checks that
its rows equal the view's own SPARQL run by `newsgraph query`, then the
network, and saves OUTDIR/firefox-events.png and firefox-network.png.
Exit 0, 1 on a failure, 77 without firefox-esr.
"""
import base64
import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time


class WebSocket:
    def __init__(self, host, port, path):
        self.sock = socket.create_connection((host, port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n" % (path, host, port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("no WebSocket: %r" % head[:200])

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        header = bytes([0x81])
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("the browser closed the WebSocket")
            buf += chunk
        return buf

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(n)
            if b0 & 0x0F == 0x9:  # ping: pong
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Bidi:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    def send(self, method, params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                if answer.get("type") == "error":
                    raise RuntimeError("%s: %s" % (method, answer))
                return answer["result"]


def main():
    newsgraph, store, web, outdir = sys.argv[1:5]
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if not firefox:
        print("SKIP: no firefox-esr")
        return 77
    os.makedirs(outdir, exist_ok=True)
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([newsgraph, "serve", "--store", store, "--bind", "127.0.0.1:0",
                               "--web", web], stderr=log)
    port = None
    for _ in range(100):
        log.seek(0)
        m = re.search(rb"127\.0\.0\.1:(\d+)/", log.read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.1)
    profile = tempfile.mkdtemp(prefix="ng-firefox.")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        bidi_port = s.getsockname()[1]
    fx = subprocess.Popen([firefox, "--headless", "--no-remote", "--profile", profile,
                           "--remote-debugging-port", str(bidi_port), "--window-size", "1280,900"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=dict(os.environ, HOME=profile))
    try:
        ws = None
        for _ in range(300):
            try:
                ws = WebSocket("127.0.0.1", bidi_port, "/session")
                break
            except (OSError, RuntimeError):
                time.sleep(0.2)
        if not ws:
            print("SKIP: firefox did not open its BiDi port")
            return 77
        b = Bidi(ws)
        caps = b.send("session.new", {"capabilities": {}})
        print("browser: %s %s" % (caps["capabilities"]["browserName"],
                                  caps["capabilities"]["browserVersion"]))
        context = b.send("browsingContext.getTree", {})["contexts"][0]["context"]
        b.send("browsingContext.setViewport", {"context": context,
                                               "viewport": {"width": 1280, "height": 900}})
        iri = "https://w3id.org/newsgraph/id/actor/european-union"
        url = "http://127.0.0.1:%d/#events/%s" % (port, iri.replace(":", "%3A").replace("/", "%2F"))
        b.send("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})

        def evaluate(expr):
            r = b.send("script.evaluate", {"expression": expr, "target": {"context": context},
                                           "awaitPromise": True, "resultOwnership": "none"})
            if r.get("type") == "exception":
                raise RuntimeError("page script: %s" % r)
            return r["result"].get("value")

        for _ in range(150):
            if evaluate("/\d+ events?(,| \(|$)/.test(document.getElementById('events-status').textContent)"):
                break
            time.sleep(0.2)
        rows = json.loads(evaluate("""JSON.stringify([...document.querySelectorAll(
            '#timeline-table tbody tr')].map(tr => [...tr.cells].slice(0, 6).map(td => td.textContent)))"""))
        query = evaluate("document.getElementById('timeline-query').textContent")
        out = subprocess.run([newsgraph, "query", "--store", store, "-r", "csv", query],
                             check=True, capture_output=True, text=True).stdout
        table = list(csv.reader(io.StringIO(out)))
        cols = [table[0].index(c) for c in ("date", "action", "code", "role", "counterpart", "sentence")]
        want = [[r[i] for i in cols] for r in table[1:]]
        if rows != want or not rows:
            print("FAIL: Firefox's timeline rows differ from newsgraph query:\n%r\n%r" % (rows, want))
            return 1
        dots = evaluate("document.querySelectorAll('#timeline circle').length")
        print("firefox events: %d rows equal newsgraph query, %d dots" % (len(rows), dots))
        shot = b.send("browsingContext.captureScreenshot", {"context": context})
        with open(os.path.join(outdir, "firefox-events.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        evaluate("document.querySelector('.tab[data-tab=network]').click()")
        for _ in range(150):
            if evaluate("/actors/.test(document.getElementById('network-status').textContent)"):
                break
            time.sleep(0.2)
        nodes = evaluate("document.querySelectorAll('#network g[data-iri]').length")
        print("firefox network: %d actors" % nodes)
        shot = b.send("browsingContext.captureScreenshot", {"context": context})
        with open(os.path.join(outdir, "firefox-network.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return 0 if nodes >= 3 else 1
    finally:
        fx.terminate()
        try:
            fx.wait(timeout=20)
        except subprocess.TimeoutExpired:
            fx.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
