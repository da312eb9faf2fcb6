// oxigraph.js - the Oxigraph side of `make bench`: load an N-Quads file into
// an in-memory Store (Store.load, streamed in chunks) and time queries on it.
//
//   node oxigraph.js FILE.nq REPEAT NAME=QUERYFILE...
//
// prints, tab-separated:
//   load SECONDS QUADS
//   query NAME BEST_SECONDS ROWS     (best of REPEAT runs)
// Each line is written as soon as it is known, so that a run stopped by the
// harness's timeout still leaves the figures it reached. A query whose first
// run takes longer than $BENCH_OX_REPEAT_MAX seconds (default 30) is not run
// again: REPEAT slow runs would not fit in one timeout.
// Query files may contain @ACTOR@, replaced by $BENCH_ACTOR.
// The default graph is the union of the named graphs, as in newsgraph.
"use strict";
const fs = require("fs");
const path = require("path");
const oxigraph = require(path.join(__dirname, "node_modules", "oxigraph"));

function* chunks(file) {
  const fd = fs.openSync(file, "r");
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 22);
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) return;
      yield new Uint8Array(buf.buffer, buf.byteOffset, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function seconds(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main() {
  const [file, repeatArg, ...queries] = process.argv.slice(2);
  const repeat = Math.max(1, parseInt(repeatArg || "1", 10));
  const repeatMax = parseFloat(process.env.BENCH_OX_REPEAT_MAX || "30");
  const store = new oxigraph.Store();
  let start = process.hrtime.bigint();
  store.load(chunks(file), { format: "application/n-quads" });
  console.log(`load\t${seconds(start).toFixed(3)}\t${store.size}`);
  for (const spec of queries) {
    const [name, qfile] = spec.split("=");
    const text = fs.readFileSync(qfile, "utf8").replace(/@ACTOR@/g, process.env.BENCH_ACTOR || "");
    let best = Infinity;
    let rows = 0;
    for (let i = 0; i < repeat; i++) {
      start = process.hrtime.bigint();
      const result = store.query(text, { use_default_graph_as_union: true });
      rows = Array.isArray(result) ? result.length : 1;
      best = Math.min(best, seconds(start));
      if (best > repeatMax) break;
    }
    console.log(`query\t${name}\t${best.toFixed(4)}\t${rows}`);
  }
}

main();
