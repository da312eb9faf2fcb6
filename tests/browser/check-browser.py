#!/usr/bin/env python3
"""check-browser.py - the page of `newsgraph serve` in a real browser.

Starts `newsgraph serve` on a free loopback port over a store, drives
Debian's headless Chromium through the DevTools protocol over a pipe
(--remote-debugging-pipe: no WebSocket, no npm package), and checks what a
user would see:

  - the query editor: an example query run from the page fills the table
    with exactly the rows `newsgraph query -r csv` gives; a longer answer
    is paged (50 rows a page) and its pages hold all the rows;
  - the events view: searching an actor and opening it shows a timeline
    whose table rows equal the same SPARQL (the view's own query, shown on
    the page) run by `newsgraph query`, and one dot per event;
  - the network view draws the actor's neighbourhood;
  - no error in the browser's console.

Screenshots go to OUTDIR.  Exit 0 when all holds, 1 on a failure, 77 when
Chromium is not there or cannot start.

    check-browser.py NEWSGRAPH STORE WEBDIR OUTDIR
"""
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Skip(Exception):
    pass


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


# ------------------------------------------------------------- DevTools

class Browser:
    """Chromium spoken to over its DevTools pipe: fd 3 for commands, fd 4
    for answers and events, each message JSON ended by a NUL byte."""

    def __init__(self, binary, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():
            # out of the way first: either pipe end may be 3 or 4 already
            high_r, high_w = 100, 101
            os.dup2(to_browser_r, high_r)
            os.dup2(from_browser_w, high_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + profile, "--window-size=1280,900", "about:blank"]
        self.proc = subprocess.Popen(args, pass_fds=(3, 4),
                                     preexec_fn=child_fds, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise Failure("the browser did not answer in time")
            import select
            ready, _, _ = select.select([self.from_browser], [], [], 0.5)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise Skip("the browser closed its pipe (did it start?)")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise Failure("%s: %s" % (method, answer["error"]))
                return answer.get("result", {})
            self.events.append(answer)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Log.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def evaluate(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                           "returnByValue": True})
        if "exceptionDetails" in r:
            raise Failure("page script failed: %s" % json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def wait_for(self, expression, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise Failure("timed out waiting for %s" % what)

    def screenshot(self, path):
        shot = self.send("Page.captureScreenshot", {"format": "png"})
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def console_errors(self):
        errors = []
        for e in self.events:
            if e.get("method") == "Runtime.exceptionThrown":
                errors.append(json.dumps(e["params"]["exceptionDetails"])[:300])
            elif e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error":
                errors.append(json.dumps(e["params"]["args"])[:300])
            elif e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
                errors.append(e["params"]["entry"].get("text", "")[:300])
        return errors

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)


# --------------------------------------------------------------- server

def start_server(newsgraph, store, web):
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([newsgraph, "serve", "--store", store, "--bind", "127.0.0.1:0",
                             "--web", web], stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        log.seek(0)
        m = re.search(rb"http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            log.seek(0)
            raise Failure("serve did not start: %s" % log.read().decode(errors="replace"))
        time.sleep(0.1)
    raise Failure("serve did not say its port")


def cli_csv(newsgraph, store, query):
    out = subprocess.run([newsgraph, "query", "--store", store, "-r", "csv", query],
                         check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], rows[1:]


# ---------------------------------------------------------------- checks

TABLE_ROWS = """(() => [...document.querySelectorAll('#results-table tbody tr')]
  .map(tr => [...tr.cells].map(td => td.textContent)))()"""


def check_query_editor(b, newsgraph, store, outdir):
    b.wait_for("document.querySelectorAll('#examples option').length > 1", "the examples")
    b.evaluate("""(async () => {
      const sel = document.getElementById('examples');
      sel.value = 'sanctions-since-october.rq';
      sel.dispatchEvent(new Event('change'));
    })()""")
    b.wait_for("document.getElementById('query-text').value.includes('cameoRoot')",
               "the example in the editor")
    query = b.evaluate("document.getElementById('query-text').value")
    b.evaluate("document.getElementById('run').click()")
    b.wait_for("/rows? in/.test(document.getElementById('status').textContent)", "the answer")
    head = b.evaluate("[...document.querySelectorAll('#results-table th')].map(th => th.textContent)")
    rows = b.evaluate(TABLE_ROWS)
    want_head, want_rows = cli_csv(newsgraph, store, query)
    check(head == want_head, "table head %r, query -r csv %r" % (head, want_head))
    check(rows == want_rows, "table rows differ from query -r csv:\n%r\n%r" % (rows, want_rows))
    check(len(rows) >= 3, "only %d rows for the sanctions example" % len(rows))
    print("query editor: %d rows of sanctions-since-october.rq equal query -r csv" % len(rows))

    # paging: every page, one after the other, holds every row once
    long_query = ("SELECT ?s (STR(?l) AS ?label) WHERE { ?s rdfs:label ?l } "
                  "ORDER BY ?s ?label")
    b.evaluate("document.getElementById('query-text').value = %s" % json.dumps(long_query))
    b.evaluate("document.getElementById('run').click()")
    b.wait_for("/rows? in/.test(document.getElementById('status').textContent) && "
               "document.getElementById('results-table').tBodies[0].rows.length > 0 && "
               "document.querySelector('#results-table th').textContent === 's'", "the long answer")
    _, want = cli_csv(newsgraph, store, long_query)
    pages = int(b.evaluate("document.getElementById('page-info').textContent.split(' of ')[1]"))
    check(pages == (len(want) + 49) // 50, "%d pages for %d rows" % (pages, len(want)))
    seen = []
    for page in range(pages):
        rows = b.evaluate(TABLE_ROWS)
        check(len(rows) == min(50, len(want) - 50 * page), "page %d holds %d rows" % (page + 1, len(rows)))
        seen += [r[1] for r in rows]
        if page + 1 < pages:
            b.evaluate("document.getElementById('next').click()")
    check(seen == [r[1] for r in want], "the pages do not hold the answer's rows in order")
    print("paging: %d rows on %d pages of 50" % (len(want), pages))
    b.evaluate("document.getElementById('download-csv').disabled === false") or \
        check(False, "CSV download is not offered")
    csv_text = b.evaluate("""(async () => {
      const body = new URLSearchParams({query: %s, format: 'csv'});
      const r = await fetch('sparql', {method: 'POST', body});
      return await r.text();
    })()""" % json.dumps(long_query))
    got = list(csv.reader(io.StringIO(csv_text)))[1:]
    check(got == want, "the CSV the page downloads differs from query -r csv")


def check_events(b, newsgraph, store, outdir):
    b.evaluate("document.querySelector('.tab[data-tab=events]').click()")
    b.evaluate("""(() => {
      document.getElementById('actor-search').value = 'European Union';
      document.getElementById('actor-form').requestSubmit();
    })()""")
    iri = "https://w3id.org/newsgraph/id/actor/european-union"
    b.wait_for("!!document.querySelector('#actor-results button[data-iri=\"%s\"]')" % iri,
               "the actor in the search results")
    b.evaluate("document.querySelector('#actor-results button[data-iri=\"%s\"]').click()" % iri)
    b.wait_for("/^\\d+ events?/.test(document.getElementById('events-status').textContent) && "
               "document.getElementById('timeline-table').tBodies[0].rows.length > 0",
               "the timeline")
    rows = b.evaluate("""[...document.querySelectorAll('#timeline-table tbody tr')]
      .map(tr => [...tr.cells].slice(0, 6).map(td => td.textContent))""")
    query = b.evaluate("document.getElementById('timeline-query').textContent")
    head, want = cli_csv(newsgraph, store, query)
    cols = [head.index(c) for c in ("date", "action", "code", "role", "counterpart", "sentence")]
    want = [[r[i] for i in cols] for r in want]
    check(rows == want, "timeline rows differ from the same SPARQL over newsgraph query:\n%r\n%r"
          % (rows, want))
    check(len(rows) >= 5, "only %d events of the European Union" % len(rows))
    dots = b.evaluate("document.querySelectorAll('#timeline circle').length")
    dated = sum(1 for r in rows if r[0])
    check(dots == dated, "%d dots on the timeline for %d dated events" % (dots, dated))
    print("events: %d events of the European Union equal newsgraph query, %d dots" % (len(rows), dots))

    # a CAMEO root filter narrows the rows to that root
    b.evaluate("""(() => { const s = document.getElementById('root-filter'); s.value = '16';
      s.dispatchEvent(new Event('change')); })()""")
    b.wait_for("document.getElementById('timeline-query').textContent.includes('cameoRoot \"16\"') && "
               "[...document.querySelectorAll('#timeline-table tbody tr')].every(tr => "
               "tr.cells[2].textContent.startsWith('16'))", "the CAMEO filter")
    filtered = b.evaluate("document.querySelectorAll('#timeline-table tbody tr').length")
    check(0 < filtered < len(rows), "root 16 kept %d of %d events" % (filtered, len(rows)))
    b.evaluate("""(() => { const s = document.getElementById('root-filter'); s.value = '';
      s.dispatchEvent(new Event('change')); })()""")
    b.wait_for("document.querySelectorAll('#timeline-table tbody tr').length === %d" % len(rows),
               "the unfiltered timeline")
    time.sleep(0.3)
    b.screenshot(os.path.join(outdir, "serve-events.png"))


def check_network(b, outdir):
    b.evaluate("document.querySelector('.tab[data-tab=network]').click()")
    b.wait_for("/actors/.test(document.getElementById('network-status').textContent)", "the network")
    nodes = b.evaluate("document.querySelectorAll('#network g[data-iri]').length")
    edges = b.evaluate("document.querySelectorAll('#network line').length")
    check(nodes >= 3 and edges >= 2, "network of %d nodes and %d edges" % (nodes, edges))
    inside = b.evaluate("""(() => { const svg = document.getElementById('network').getBoundingClientRect();
      return [...document.querySelectorAll('#network circle')].every(c => {
        const r = c.getBoundingClientRect();
        return r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom; }); })()""")
    check(inside, "a node of the network is drawn outside its frame")
    b.screenshot(os.path.join(outdir, "serve-network.png"))
    print("network: %d actors, %d links" % (nodes, edges))


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    newsgraph, store, web, outdir = sys.argv[1:]
    binary = os.environ.get("CHROMIUM") or find_chromium()
    if not binary:
        print("SKIP: no chromium (apt-get install chromium)")
        return 77
    os.makedirs(outdir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="ng-chromium.")
    server = browser = None
    try:
        server, port = start_server(newsgraph, store, web)
        browser = Browser(binary, profile)
        try:
            version = browser.send("Browser.getVersion", session=False, timeout=60)
        except Skip:
            raise
        except Failure as e:
            raise Skip("chromium does not answer: %s" % e)
        print("browser: %s" % version.get("product"))
        browser.open_page()
        browser.send("Page.navigate", {"url": "http://127.0.0.1:%d/" % port})
        browser.wait_event("Page.loadEventFired")
        check_query_editor(browser, newsgraph, store, outdir)
        browser.screenshot(os.path.join(outdir, "serve-query.png"))
        check_events(browser, newsgraph, store, outdir)
        check_network(browser, outdir)
        errors = browser.console_errors()
        check(not errors, "errors in the browser's console: %s" % errors)
        print("screenshots in %s" % outdir)
        return 0
    except Skip as e:
        print("SKIP: %s" % e)
        return 77
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        if browser:
            browser.close()
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
