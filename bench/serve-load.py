#!/usr/bin/env python3
"""serve-load.py - `newsgraph serve` under load and under attack, measured.

    serve-load.py --newsgraph PATH --src DIR --work DIR [--events N] [--clients C]
                  [--requests R] [--flat N] [--out FILE]

Builds a store of N generated events (bench/gen.py, as `make bench` does),
starts `newsgraph serve` over it on a free loopback port, keeps an
`extract` writing a generated corpus into the same store the whole time,
and measures with our own small load generator (C threads of Python's
http.client, keep-alive, each a loop of requests):

  - requests/s, median and p99 latency of the three questions of
    `make bench` (one actor's events, events per CAMEO root, one month),
    C clients at once, R requests each question; every answer must be 200;
  - the server's resident memory (VmRSS) before and after every 1,000 of
    N requests (--flat), to see that it stays flat;
  - hostile requests: a 1 MB query string, malformed percent-escapes and
    text that is not UTF-8, 200 slowloris connections trickling a header,
    a query that would run for hours; each must be refused or cut off while
    a plain query keeps being answered, timed.

The load average is printed beside every timing: the machine is shared.
Writes a Markdown report to --out (and standard output).
"""
import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def query_path(query, fmt="json"):
    return "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})


def run_clients(port, path, clients, per_client):
    """C clients, each per_client GETs of path: (latencies, failures, seconds)."""
    latencies, failures = [], []
    lock = threading.Lock()

    def work():
        c = Client(port)
        mine, bad = [], []
        for _ in range(per_client):
            t0 = time.perf_counter()
            try:
                status, data = c.request("GET", path)
            except Exception as e:  # a failed request is counted, not hidden
                status, data = 0, str(e).encode()
            mine.append(time.perf_counter() - t0)
            if status != 200:
                bad.append((status, data[:200]))
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.perf_counter() - t0


def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def start_server(newsgraph, store, extra=()):
    log = open(os.path.join(os.path.dirname(store), "serve.log"), "w+")
    proc = subprocess.Popen([newsgraph, "serve", "--store", store, "--bind", "127.0.0.1:0",
                             *extra], stderr=log)
    for _ in range(300):
        log.seek(0)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.1)
    raise SystemExit("serve did not start")


def raw_status(port, data, read_timeout=10):
    """Sends raw bytes, returns the status line's code (or what happened)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        line = s.recv(4096).split(b"\r\n")[0].split()
        return line[1].decode() if len(line) > 1 else "closed"
    except OSError as e:
        return "error: %s" % e
    finally:
        s.close()


def hostile(port, report, plain_path):
    out = []

    def plain():
        t0 = time.perf_counter()
        status, _ = Client(port).request("GET", plain_path)
        return status, time.perf_counter() - t0

    # a 1 MB query string
    t0 = time.perf_counter()
    code = raw_status(port, b"GET /sparql?query=" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    out.append(("1 MB query string", code, time.perf_counter() - t0, plain()))
    # malformed encodings
    codes = []
    for q in (b"%ZZ", b"%4", b"%C3%28", b"%00", b"%FF%FE"):
        codes.append(raw_status(port, b"GET /sparql?query=" + q + b" HTTP/1.1\r\nHost: x\r\n"
                                b"Connection: close\r\n\r\n"))
    out.append(("5 malformed escapes or non-UTF-8 query strings", "/".join(codes), 0, plain()))
    # slowloris: 200 connections trickling a header line, one byte every 2 s
    socks = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    during = []
    t0 = time.perf_counter()
    deadline = t0 + 14
    while time.perf_counter() < deadline:
        for s in socks:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        during.append(plain())
        time.sleep(2)
    open_left = 0
    for s in socks:
        try:
            s.settimeout(0.05)
            s.recv(1)  # b"": closed by the server; bytes: answered
        except socket.timeout:
            open_left += 1  # still waiting for its headers
        except OSError:
            pass
        s.close()
    worst = max(d[1] for d in during)
    ok = all(d[0] == 200 for d in during)
    out.append(("200 slowloris connections for 14 s (a byte every 2 s each)",
                "%d of 200 still open" % open_left, 0,
                (200 if ok else 0, worst)))
    # a query that would run for hours, cut by the server's timeout
    hours = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    result = {}

    def long_query():
        t0 = time.perf_counter()
        status, data = Client(port).request("GET", query_path(hours))
        result["v"] = (status, time.perf_counter() - t0, data[:120])

    t = threading.Thread(target=long_query)
    t.start()
    time.sleep(0.5)
    answers = [plain() for _ in range(5)]
    t.join()
    status, seconds, data = result["v"]
    out.append(("a query of hours (3-way cross product), --timeout 10", str(status), seconds,
                (200 if all(a[0] == 200 for a in answers) else 0, max(a[1] for a in answers))))
    report.append("")
    report.append("| hostile request | server's answer | time | a plain query meanwhile |")
    report.append("|---|---|---:|---|")
    for what, code, secs, (pstatus, psecs) in out:
        report.append("| %s | %s | %s | %s, %.3f s at worst |" % (
            what, code, "%.2f s" % secs if secs else "", "200" if pstatus == 200 else "FAILED",
            psecs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsgraph", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=25, help="requests per client and question")
    ap.add_argument("--flat", type=int, default=10000)
    ap.add_argument("--out")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    store = os.path.join(args.work, "store")
    nq = os.path.join(args.work, "events-%d.nq" % args.events)
    meta = nq + ".meta"
    py = sys.executable
    if not os.path.exists(meta):
        with open(nq, "w") as f:
            subprocess.run([py, os.path.join(args.src, "bench/gen.py"), "events", "--lexicon",
                            os.path.join(args.src, "lexicon"), "--events", str(args.events),
                            "--meta", meta], stdout=f, check=True)
    facts = dict(line.split(None, 1) for line in open(meta).read().splitlines())
    actor = facts["actor"].strip()
    subprocess.run(["rm", "-rf", store], check=True)
    t0 = time.perf_counter()
    subprocess.run([args.newsgraph, "import", "--store", store, nq], check=True)
    load_s = time.perf_counter() - t0
    corpus = os.path.join(args.work, "corpus.jsonl")
    if not os.path.exists(corpus):
        with open(corpus, "w") as f:
            subprocess.run([py, os.path.join(args.src, "bench/gen.py"), "corpus", "--lexicon",
                            os.path.join(args.src, "lexicon"), "--mb", "4"], stdout=f, check=True)

    report = ["## `newsgraph serve` under load (bench/serve-load.py)", ""]
    report.append("%s; %d events (%s quads) imported in %.1f s; %d clients; load average at "
                  "the start %s." % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                     args.events, facts.get("quads", "?"), load_s, args.clients,
                                     loadavg()))
    server, port = start_server(args.newsgraph, store, ["--timeout", "10"])
    # a writer the whole time: extract of a generated corpus, again and again
    stop_writer = threading.Event()
    written = {"runs": 0}

    def writer():
        while not stop_writer.is_set():
            p = subprocess.Popen([args.newsgraph, "extract", "--store", store, "-q", corpus],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while p.poll() is None:
                if stop_writer.is_set():
                    p.send_signal(signal.SIGINT)
                time.sleep(0.2)
            written["runs"] += 1

    wt = threading.Thread(target=writer)
    wt.start()
    time.sleep(1)
    questions = []
    for name in ("actor-events", "events-per-root", "events-in-month"):
        text = open(os.path.join(args.src, "bench/queries", name + ".rq")).read()
        questions.append((name, text.replace("@ACTOR@", actor)))
    report.append("")
    report.append("| question (while extract writes) | requests | failed | requests/s | median | p99 | "
                  "`newsgraph query` alone, median of 5 | load average |")
    report.append("|---|---:|---:|---:|---:|---:|---:|---|")
    total_failures = 0
    for name, text in questions:
        path = query_path(text)
        status, data = Client(port).request("GET", path)
        if status != 200:
            raise SystemExit("%s: HTTP %d %s" % (name, status, data[:300]))
        lat, fails, secs = run_clients(port, path, args.clients, args.requests)
        total_failures += len(fails)
        # the peer: the same question as a whole command, one at a time, same store and writer
        cli = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([args.newsgraph, "query", "--store", store, "-r", "json", text],
                           stdout=subprocess.DEVNULL, check=True)
            cli.append(time.perf_counter() - t0)
        report.append("| %s | %d | %d | %.1f | %.0f ms | %.0f ms | %.0f ms | %s |" % (
            name, len(lat), len(fails), len(lat) / secs, statistics.median(lat) * 1000,
            p99(lat) * 1000, statistics.median(cli) * 1000, loadavg()))
        for f in fails[:3]:
            report.append("|  failure: %s |" % (f,))
        print("\n".join(report[-1 - min(3, len(fails)):]), flush=True)

    # memory over many requests (the cheapest question, so that there are many)
    flat_path = query_path(questions[0][1])
    rss = [rss_kb(server.pid)]
    done = 0
    flat_failures = 0
    t0 = time.perf_counter()
    while done < args.flat:
        lat, fails, _ = run_clients(port, flat_path, args.clients, 1000 // args.clients)
        done += len(lat)
        flat_failures += len(fails)
        rss.append(rss_kb(server.pid))
    flat_s = time.perf_counter() - t0
    total_failures += flat_failures
    report.append("")
    report.append("Memory: %d requests of actor-events in %.0f s (%.0f/s, %d failed); the server's "
                  "RSS every 1,000 requests, in MB: %s (load average %s)." % (
                      done, flat_s, done / flat_s, flat_failures,
                      " ".join("%.0f" % (r / 1024) for r in rss), loadavg()))
    stop_writer.set()
    wt.join()
    report.append("The writer: %d `extract` runs of a 4 MB generated corpus into the same store "
                  "during the measurements (the last one stopped by SIGINT)." % written["runs"])
    hostile(port, report, query_path(questions[0][1]))
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    report.append("")
    report.append("Failed requests in all: %d. Load average at the end: %s." % (total_failures,
                                                                              loadavg()))
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
