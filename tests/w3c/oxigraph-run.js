// oxigraph-run.js - Oxigraph (the npm package `make bench` installs in
// bench/node_modules) as the engine of tests/w3c/w3c.py, so that the
// conformance table of README.md measures Oxigraph with the same harness,
// the same tests and the same comparison of answers as newsgraph and Rasqal
// (w3c.py --oxigraph).  Each call is a process of its own, so a "store" is
// a folder that lists what was loaded into it; every query or update loads
// it all into an in-memory Store first.
//
//   node oxigraph-run.js load STORE GRAPH FILE SYNTAX   (graph IRI, or DEFAULT)
//   node oxigraph-run.js query STORE QUERYFILE BASE [-d IRI]... [-n IRI]...
//   node oxigraph-run.js update STORE REQUESTFILE BASE
//   node oxigraph-run.js export STORE                   (N-Quads after the update)
//   node oxigraph-run.js check [-u] FILE BASE           (parse only)
//
// Answers: SPARQL JSON results, or Turtle for CONSTRUCT and DESCRIBE.  The
// default graph is the union of the graphs unless -d gives one (as
// newsgraph's --default-graph).  Exit 0 done, 1 refused (message on stderr).
"use strict";
const fs = require("fs");
const path = require("path");
const oxigraph = require(path.join(__dirname, "..", "..", "bench", "node_modules", "oxigraph"));

// the harness's name for the default graph of update tests
const DEFAULT_GRAPH = "urn:x-newsgraph-test:default";
const FORMATS = {
  turtle: "text/turtle", ntriples: "application/n-triples", nquads: "application/n-quads",
  rdfxml: "application/rdf+xml", trig: "application/trig",
};

function graphTerm(iri) {
  return iri === DEFAULT_GRAPH ? oxigraph.defaultGraph() : oxigraph.namedNode(iri);
}

function loadInto(store, graph, file, syntax) {
  const format = FORMATS[syntax] || "text/turtle";
  const options = { format, base_iri: "file://" + file };
  // quads keep their graphs; triples go to the graph named
  if (syntax !== "nquads" && syntax !== "trig") options.to_graph_name = graphTerm(graph);
  store.load(fs.readFileSync(file), options);
}

function openStore(dir) {
  const store = new oxigraph.Store();
  const list = path.join(dir, "loads.tsv");
  if (!fs.existsSync(list)) return store;
  for (const line of fs.readFileSync(list, "utf8").split("\n")) {
    if (!line) continue;
    const [graph, file, syntax] = line.split("\t");
    loadInto(store, graph, file, syntax);
  }
  return store;
}

function load([dir, graph, file, syntax]) {
  loadInto(new oxigraph.Store(), graph, file, syntax); // refused now if it does not parse
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, "loads.tsv"), `${graph}\t${file}\t${syntax}\n`);
}

function query([dir, file, base, ...rest]) {
  const defaults = [];
  const named = [];
  for (let i = 0; i + 1 < rest.length; i += 2) (rest[i] === "-d" ? defaults : named).push(rest[i + 1]);
  const options = { base_iri: base };
  if (defaults.length || named.length) {
    options.default_graph = defaults.map(graphTerm);
    options.named_graphs = named.map((iri) => oxigraph.namedNode(iri));
  } else {
    options.use_default_graph_as_union = true;
  }
  const text = fs.readFileSync(file, "utf8");
  const store = openStore(dir);
  let out;
  try {
    out = store.query(text, { ...options, results_format: "application/sparql-results+json" });
  } catch (e) {
    // CONSTRUCT and DESCRIBE answer with a graph: asked again for Turtle
    if (!/format|graph|triples/i.test(String(e))) throw e;
    out = store.query(text, { ...options, results_format: "text/turtle" });
  }
  process.stdout.write(out);
}

function update([dir, file, base]) {
  const store = openStore(dir);
  store.update(fs.readFileSync(file, "utf8"), { base_iri: base });
  const lines = [];
  for (const q of store.match(null, null, null, null)) {
    const g = q.graph.termType === "DefaultGraph" ? oxigraph.namedNode(DEFAULT_GRAPH) : q.graph;
    lines.push(oxigraph.quad(q.subject, q.predicate, q.object, g).toString() + " .");
  }
  fs.writeFileSync(path.join(dir, "after.nq"), lines.join("\n") + "\n");
}

function exportStore([dir]) {
  process.stdout.write(fs.readFileSync(path.join(dir, "after.nq"), "utf8"));
}

// Parse only: Oxigraph's JavaScript API has no parser of its own, so the
// text runs on an empty store, and only an error from the parser counts
// (one from evaluation, e.g. SERVICE without a network, is no syntax error).
function check(args) {
  const isUpdate = args[0] === "-u";
  const [file, base] = isUpdate ? args.slice(1) : args;
  const text = fs.readFileSync(file, "utf8");
  try {
    const store = new oxigraph.Store();
    if (isUpdate) store.update(text, { base_iri: base });
    else store.query(text, { base_iri: base });
  } catch (e) {
    if (/error at|expected|parse|syntax|unexpected|invalid|not allowed|already|undefined prefix|variable/i
        .test(String(e))) throw e;
  }
}

const commands = { load, query, update, export: exportStore, check };
const [command, ...args] = process.argv.slice(2);
try {
  if (!commands[command]) throw new Error(`unknown command ${command}`);
  commands[command](args);
} catch (e) {
  process.stderr.write(`oxigraph: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
