// app.js - the page of `newsgraph serve`, written for newsgraph: a query
// editor, an actor's events on a timeline and its neighbourhood as a
// network.  Plain browser JavaScript, no library: every piece of data comes
// from the server's SPARQL endpoint, and every view's query is shown beside
// it.  Heavy lifting (filters, grouping, LIMIT) stays on the server, so the
// page stays quick on a store of 64k events.
'use strict';

const PAGE_SIZE = 50;
const TIMELINE_LIMIT = 500;
const NETWORK_LIMIT = 60;

// CAMEO's twenty roots (the event codes' first two digits).
const CAMEO_ROOTS = [
  ['01', 'Make public statement'], ['02', 'Appeal'], ['03', 'Express intent to cooperate'],
  ['04', 'Consult'], ['05', 'Engage in diplomatic cooperation'],
  ['06', 'Engage in material cooperation'], ['07', 'Provide aid'], ['08', 'Yield'],
  ['09', 'Investigate'], ['10', 'Demand'], ['11', 'Disapprove'], ['12', 'Reject'],
  ['13', 'Threaten'], ['14', 'Protest'], ['15', 'Exhibit force posture'],
  ['16', 'Reduce relations'], ['17', 'Coerce'], ['18', 'Assault'], ['19', 'Fight'],
  ['20', 'Use unconventional mass violence']];

const state = {
  prefixes: {},
  rows: [], vars: [], page: 0,
  lastQuery: null,
  actor: null, // {iri, label}
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  return e;
}

// ------------------------------------------------------------- SPARQL

// Runs a query; resolves to the parsed JSON results (or text for format).
async function sparql(query, format) {
  const body = new URLSearchParams({query});
  if (format) body.set('format', format);
  const resp = await fetch('sparql', {
    method: 'POST',
    headers: {'Accept': format ? '*/*' : 'application/sparql-results+json'},
    body,
  });
  const text = await resp.text();
  if (!resp.ok) throw new Error(`HTTP ${resp.status}: ${text.trim()}`);
  if (format) return text;
  return JSON.parse(text);
}

// A SPARQL string literal of any text.
function literal(s) {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r') + '"';
}

// An IRI as SPARQL writes it; refuses what cannot be one.
function iriRef(iri) {
  if (/[<>"{}|^`\\\s]/.test(iri)) throw new Error('not an IRI: ' + iri);
  return '<' + iri + '>';
}

function shortIri(iri) {
  let best = null;
  for (const [p, ns] of Object.entries(state.prefixes))
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [p, ns];
  if (best) {
    const local = iri.slice(best[1].length);
    if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(local) && !local.endsWith('.'))
      return best[0] + ':' + local;
  }
  return '<' + iri + '>';
}

// One cell of a results table.
function cell(term) {
  const td = el('td');
  if (!term) return td;
  if (term.type === 'uri') {
    td.append(el('span', {class: 'iri', title: term.value, text: shortIri(term.value)}));
  } else if (term.type === 'bnode') {
    td.textContent = '_:' + term.value;
  } else {
    td.textContent = term.value;
    if (term['xml:lang']) td.append(el('span', {class: 'dt', text: ' @' + term['xml:lang']}));
    else if (term.datatype && !/#(string|integer|date|decimal|double|boolean)$/.test(term.datatype))
      td.append(el('span', {class: 'dt', text: ' ' + shortIri(term.datatype)}));
  }
  return td;
}

const value = (b, v) => (b[v] ? b[v].value : '');

// -------------------------------------------------------------- tabs

function showTab(name) {
  if (state.actor && name !== 'query')
    history.replaceState(null, '', '#' + name + '/' + encodeURIComponent(state.actor.iri));
  for (const b of document.querySelectorAll('.tab'))
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== 'tab-' + name;
}

// ------------------------------------------------------ query editor

async function loadMeta() {
  const resp = await fetch('meta.json');
  const meta = await resp.json();
  state.prefixes = meta.prefixes;
  $('server-info').textContent =
    `newsgraph ${meta.version} · ${meta.update ? 'updates allowed' : 'read-only'}` +
    ` · queries stop after ${meta.timeout} s`;
  const dl = $('prefix-list');
  for (const [p, ns] of Object.entries(meta.prefixes))
    dl.append(el('dt', {text: p + ':'}), el('dd', {text: ns}));
  const sel = $('examples');
  for (const name of meta.examples) sel.append(el('option', {value: name, text: name}));
}

async function loadExample() {
  const name = $('examples').value;
  if (!name) return;
  const resp = await fetch('examples/' + encodeURIComponent(name));
  $('query-text').value = await resp.text();
}

function setStatus(id, text, error) {
  const s = $(id);
  s.textContent = text;
  s.className = error ? 'error' : '';
}

async function runQuery() {
  const query = $('query-text').value;
  setStatus('status', 'running…');
  $('run').disabled = true;
  const t0 = performance.now();
  try {
    const form = /^\s*(?:(?:PREFIX|BASE)[^\n]*\n|#[^\n]*\n|\s)*(CONSTRUCT|DESCRIBE)/i.exec(query);
    if (form) {
      const text = await sparql(query, 'turtle');
      state.rows = []; state.vars = [];
      $('results').replaceChildren(el('pre', {text}));
      $('pager').hidden = true;
      setStatus('status', `graph in ${Math.round(performance.now() - t0)} ms`);
    } else {
      const json = await sparql(query);
      if ('boolean' in json) {
        state.rows = [{answer: {type: 'literal', value: String(json.boolean)}}];
        state.vars = ['answer'];
      } else {
        state.vars = json.head.vars;
        state.rows = json.results.bindings;
      }
      state.page = 0;
      renderPage();
      setStatus('status', `${state.rows.length} row${state.rows.length === 1 ? '' : 's'} in ` +
        `${Math.round(performance.now() - t0)} ms`);
    }
    state.lastQuery = query;
    $('download-csv').disabled = !!form;
  } catch (e) {
    setStatus('status', e.message, true);
    $('results').replaceChildren();
    $('pager').hidden = true;
  } finally {
    $('run').disabled = false;
  }
}

function renderPage() {
  const pages = Math.max(1, Math.ceil(state.rows.length / PAGE_SIZE));
  state.page = Math.min(Math.max(0, state.page), pages - 1);
  const start = state.page * PAGE_SIZE;
  const head = el('tr', null, ...state.vars.map((v) => el('th', {text: v})));
  const body = el('tbody');
  for (const b of state.rows.slice(start, start + PAGE_SIZE))
    body.append(el('tr', null, ...state.vars.map((v) => cell(b[v]))));
  const table = el('table', {class: 'data', id: 'results-table'}, el('thead', null, head), body);
  $('results').replaceChildren(table);
  $('pager').hidden = pages < 2;
  $('page-info').textContent = `page ${state.page + 1} of ${pages}`;
  $('prev').disabled = state.page === 0;
  $('next').disabled = state.page >= pages - 1;
}

async function downloadCsv() {
  if (!state.lastQuery) return;
  try {
    const text = await sparql(state.lastQuery, 'csv');
    const url = URL.createObjectURL(new Blob([text], {type: 'text/csv'}));
    const a = el('a', {href: url, download: 'results.csv'});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    setStatus('status', e.message, true);
  }
}

// ------------------------------------------------------------ events

function filters() {
  const parts = [];
  const root = $('root-filter').value;
  if (root) parts.push(`?event ng:cameoRoot ${literal(root)} .`);
  const from = $('date-from').value, to = $('date-to').value;
  if (/^\d{4}-\d\d-\d\d$/.test(from)) parts.push(`FILTER (?date >= ${literal(from)}^^xsd:date)`);
  if (/^\d{4}-\d\d-\d\d$/.test(to)) parts.push(`FILTER (?date <= ${literal(to)}^^xsd:date)`);
  return parts.join('\n  ');
}

// Actors one of whose labels holds the text, most events first, shown by
// their preferred label (a store made before actors had one: the least label).
function actorSearchQuery(text) {
  return `SELECT ?actor (COALESCE(MIN(?pl), MIN(?l)) AS ?label) (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?actor rdfs:label ?l .
  FILTER (CONTAINS(LCASE(?l), ${literal(text.toLowerCase())}))
  OPTIONAL { ?actor skos:prefLabel ?pl }
  { ?event ng:actor ?actor } UNION { ?event ng:target ?actor }
}
GROUP BY ?actor
ORDER BY DESC(?events) ?label
LIMIT 24`;
}

async function searchActors(ev) {
  if (ev) ev.preventDefault();
  const text = $('actor-search').value.trim();
  if (!text) return;
  setStatus('events-status', 'searching…');
  try {
    const json = await sparql(actorSearchQuery(text));
    const list = $('actor-results');
    list.replaceChildren();
    for (const b of json.results.bindings) {
      const btn = el('button', {type: 'button', 'data-iri': value(b, 'actor')},
        value(b, 'label'), el('span', {class: 'count', text: value(b, 'events')}));
      btn.addEventListener('click', () => openActor(value(b, 'actor'), value(b, 'label')));
      list.append(el('li', null, btn));
    }
    setStatus('events-status', json.results.bindings.length ? 'choose an actor' : 'no actor found');
  } catch (e) {
    setStatus('events-status', e.message, true);
  }
}

// An actor's events, as actor or as target: one row an event.
function timelineQuery(iri) {
  const a = iriRef(iri);
  return `SELECT ?date ?action ?code ?role (COALESCE(MIN(?pl), MIN(?l)) AS ?counterpart) (MIN(?s) AS ?sentence) ?article ?url ?event
WHERE {
  { ?event ng:actor ${a} . BIND ("actor" AS ?role)
    OPTIONAL { ?event ng:target ?other . OPTIONAL { ?other rdfs:label ?l }
               OPTIONAL { ?other skos:prefLabel ?pl } } }
  UNION
  { ?event ng:target ${a} ; ng:actor ?other . BIND ("target" AS ?role)
    OPTIONAL { ?other rdfs:label ?l } OPTIONAL { ?other skos:prefLabel ?pl } }
  ?event ng:actionLabel ?action ;
         ng:article ?article .
  OPTIONAL { ?event sem:hasBeginTimeStamp ?date }
  ${filters()}
  OPTIONAL { ?event ng:cameoCode ?code }
  OPTIONAL { ?event ng:mention ?m . ?m ng:sentenceText ?s }
  OPTIONAL { ?article schema:url ?url }
}
GROUP BY ?date ?action ?code ?role ?article ?url ?event
ORDER BY (!BOUND(?date)) ?date ?event
LIMIT ${TIMELINE_LIMIT}`;
}

function rootClass(code) {
  const root = parseInt((code || '').slice(0, 2), 10);
  if (!root) return 'neutral';
  return root <= 8 ? 'coop' : 'conflict';
}

async function openActor(iri, label) {
  state.actor = {iri, label};
  const tab = document.querySelector('.tab[aria-selected=true]').dataset.tab;
  history.replaceState(null, '', '#' + (tab === 'network' ? 'network' : 'events') + '/' +
    encodeURIComponent(iri));
  $('timeline-title').textContent = label;
  const query = timelineQuery(iri);
  $('timeline-query').textContent = query;
  setStatus('events-status', 'loading events…');
  try {
    const rows = (await sparql(query)).results.bindings;
    renderTimelineTable(rows);
    renderTimeline(rows);
    // articles without a date give events without one: listed last, not on the axis
    const undated = rows.filter((b) => !b.date).length;
    setStatus('events-status', `${rows.length} event${rows.length === 1 ? '' : 's'}` +
      (rows.length === TIMELINE_LIMIT ? ` (the first ${TIMELINE_LIMIT})` : '') +
      (undated ? `, ${undated} without a date` : ''));
  } catch (e) {
    setStatus('events-status', e.message, true);
  }
  loadNetwork(iri, label);
}

function renderTimelineTable(rows) {
  const body = $('timeline-table').tBodies[0];
  body.replaceChildren();
  for (const b of rows) {
    const link = value(b, 'url')
      ? el('a', {href: value(b, 'url'), rel: 'noopener noreferrer', target: '_blank', text: 'article'})
      : el('a', {href: 'store?graph=' + encodeURIComponent(value(b, 'article')), text: 'graph'});
    body.append(el('tr', {'data-event': value(b, 'event')},
      el('td', {text: value(b, 'date')}),
      el('td', {text: value(b, 'action')}),
      el('td', {text: value(b, 'code')}),
      el('td', {text: value(b, 'role')}),
      el('td', {text: value(b, 'counterpart')}),
      el('td', {class: 'sentence', text: value(b, 'sentence')}),
      el('td', null, link)));
  }
  $('timeline-table').hidden = rows.length === 0;
}

const DAY = 86400000;

function renderTimeline(rows) {
  const svg = $('timeline');
  svg.replaceChildren();
  const dated = rows.map((b) => ({b, t: Date.parse(value(b, 'date'))})).filter((r) => !isNaN(r.t));
  if (!dated.length) return;
  const width = svg.clientWidth || 900, height = 120, pad = 40;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  let t0 = Math.min(...dated.map((r) => r.t)), t1 = Math.max(...dated.map((r) => r.t));
  if (t1 - t0 < DAY) { t0 -= 15 * DAY; t1 += 15 * DAY; }
  const x = (t) => pad + (width - 2 * pad) * (t - t0) / (t1 - t0);
  svg.append(svgEl('line', {x1: pad, x2: width - pad, y1: 90, y2: 90, class: 'axis'}));
  for (let i = 0; i <= 4; ++i) {
    const t = t0 + (t1 - t0) * i / 4;
    svg.append(svgEl('text', {x: x(t), y: 108, 'text-anchor': 'middle', class: 'tick',
      text: new Date(t).toISOString().slice(0, 10)}));
  }
  // events of one day stack upwards
  const stacks = new Map();
  for (const r of dated) {
    const key = Math.round(x(r.t));
    const n = stacks.get(key) || 0;
    stacks.set(key, n + 1);
    const dot = svgEl('circle', {cx: key, cy: 82 - Math.min(n, 12) * 6, r: 4,
      class: rootClass(value(r.b, 'code'))});
    dot.append(svgEl('title', {text: `${value(r.b, 'date')} ${value(r.b, 'action')} ` +
      `${value(r.b, 'counterpart')}\n${value(r.b, 'sentence')}`}));
    svg.append(dot);
  }
}

// ----------------------------------------------------------- network

// Who acts on whom around an actor: its edges both ways, then the edges
// among its neighbours, weighted by events.
function neighbourhoodQuery(iri) {
  const a = iriRef(iri);
  return `SELECT ?from ?to (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  { ?event ng:actor ${a} ; ng:target ?to . BIND (${a} AS ?from) }
  UNION
  { ?event ng:target ${a} ; ng:actor ?from . BIND (${a} AS ?to) }
  OPTIONAL { ?event sem:hasBeginTimeStamp ?date }
  ${filters()}
  FILTER (?from != ?to)
}
GROUP BY ?from ?to
ORDER BY DESC(?events)
LIMIT ${NETWORK_LIMIT}`;
}

function amongQuery(nodes) {
  const values = nodes.map(iriRef).join(' ');
  return `SELECT ?from ?to (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  VALUES ?from { ${values} }
  VALUES ?to { ${values} }
  ?event ng:actor ?from ; ng:target ?to .
  OPTIONAL { ?event sem:hasBeginTimeStamp ?date }
  ${filters()}
  FILTER (?from != ?to)
}
GROUP BY ?from ?to`;
}

function labelsQuery(nodes) {
  return `SELECT ?x (COALESCE(MIN(?pl), MIN(?l)) AS ?label)
WHERE { VALUES ?x { ${nodes.map(iriRef).join(' ')} } ?x rdfs:label ?l
        OPTIONAL { ?x skos:prefLabel ?pl } }
GROUP BY ?x`;
}

async function loadNetwork(iri, label) {
  $('network-title').textContent = label;
  const query = neighbourhoodQuery(iri);
  $('network-query').textContent = query;
  setStatus('network-status', 'loading…');
  try {
    const first = (await sparql(query)).results.bindings;
    const nodes = [...new Set([iri, ...first.flatMap((b) => [value(b, 'from'), value(b, 'to')])])];
    const edges = new Map();
    const addEdge = (b) => edges.set(value(b, 'from') + ' ' + value(b, 'to'),
      {from: value(b, 'from'), to: value(b, 'to'), n: parseInt(value(b, 'events'), 10)});
    first.forEach(addEdge);
    const labels = new Map([[iri, label]]);
    if (nodes.length > 1) {
      (await sparql(amongQuery(nodes))).results.bindings.forEach(addEdge);
      for (const b of (await sparql(labelsQuery(nodes))).results.bindings)
        if (!labels.has(value(b, 'x'))) labels.set(value(b, 'x'), value(b, 'label'));
    }
    renderNetwork(iri, nodes, [...edges.values()], labels);
    setStatus('network-status', `${nodes.length} actors, ${edges.size} links`);
  } catch (e) {
    setStatus('network-status', e.message, true);
  }
}

// A small force layout (Fruchterman and Reingold's scheme): nodes repel,
// edges pull, the temperature falls; the chosen actor stays in the middle.
// Seeded placement on a circle, so the same data gives the same drawing.
function layout(nodes, edges, centre, width, height) {
  const n = nodes.length, index = new Map(nodes.map((id, i) => [id, i]));
  const k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.55;
  const pos = nodes.map((id, i) => {
    const a = (2 * Math.PI * i) / n;
    return {x: width / 2 + Math.cos(a) * width / 3, y: height / 2 + Math.sin(a) * height / 3};
  });
  const c = index.get(centre);
  let temp = width / 8;
  for (let it = 0; it < 300; ++it) {
    const disp = pos.map(() => ({x: 0, y: 0}));
    for (let i = 0; i < n; ++i) {
      for (let j = i + 1; j < n; ++j) {
        let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d = Math.max(Math.hypot(dx, dy), 0.01), f = (k * k) / d;
        dx /= d; dy /= d;
        disp[i].x += dx * f; disp[i].y += dy * f;
        disp[j].x -= dx * f; disp[j].y -= dy * f;
      }
    }
    for (const e of edges) {
      const i = index.get(e.from), j = index.get(e.to);
      let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = ((d * d) / k) * (0.5 + Math.log1p(e.n) / 4);
      dx /= d; dy /= d;
      disp[i].x -= dx * f; disp[i].y -= dy * f;
      disp[j].x += dx * f; disp[j].y += dy * f;
    }
    for (let i = 0; i < n; ++i) {
      const d = Math.max(Math.hypot(disp[i].x, disp[i].y), 0.01), step = Math.min(d, temp);
      pos[i].x = Math.min(width - 60, Math.max(60, pos[i].x + (disp[i].x / d) * step));
      pos[i].y = Math.min(height - 30, Math.max(30, pos[i].y + (disp[i].y / d) * step));
    }
    pos[c] = {x: width / 2, y: height / 2};
    temp *= 0.985;
  }
  return pos;
}

function renderNetwork(centre, nodes, edges, labels) {
  const svg = $('network');
  svg.replaceChildren();
  const width = svg.clientWidth || 900, height = svg.clientHeight || 620;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const defs = svgEl('defs');
  // arrows of one size whatever the edge's width, their tips at the node's rim
  const marker = svgEl('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 19, refY: 5,
    markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto'});
  marker.append(svgEl('path', {d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow'}));
  defs.append(marker);
  svg.append(defs);
  const pos = layout(nodes, edges, centre, width, height);
  const index = new Map(nodes.map((id, i) => [id, i]));
  for (const e of edges) {
    const a = pos[index.get(e.from)], b = pos[index.get(e.to)];
    const line = svgEl('line', {x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'marker-end': 'url(#arrow)',
      class: 'edge' + (e.from === centre ? ' out' : ''), 'stroke-width': 1 + Math.log2(1 + e.n) * 1.5});
    line.append(svgEl('title', {text: `${labels.get(e.from) || e.from} → ` +
      `${labels.get(e.to) || e.to}: ${e.n} event${e.n === 1 ? '' : 's'}`}));
    svg.append(line);
  }
  nodes.forEach((id, i) => {
    const g = svgEl('g', {'data-iri': id});
    const circle = svgEl('circle', {cx: pos[i].x, cy: pos[i].y, r: id === centre ? 9 : 6,
      class: 'node' + (id === centre ? ' centre' : '')});
    const name = labels.get(id) || shortIri(id);
    g.append(circle, svgEl('text', {x: pos[i].x + 10, y: pos[i].y + 4, text: name}));
    g.addEventListener('click', () => {
      $('actor-search').value = name;
      openActor(id, name);
    });
    svg.append(g);
  });
}

// -------------------------------------------------------------- start

function start() {
  for (const b of document.querySelectorAll('.tab'))
    b.addEventListener('click', () => showTab(b.dataset.tab));
  $('run').addEventListener('click', runQuery);
  $('query-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runQuery(); }
  });
  $('examples').addEventListener('change', loadExample);
  $('download-csv').addEventListener('click', downloadCsv);
  $('prev').addEventListener('click', () => { state.page--; renderPage(); });
  $('next').addEventListener('click', () => { state.page++; renderPage(); });
  $('actor-form').addEventListener('submit', searchActors);
  const roots = $('root-filter');
  for (const [code, name] of CAMEO_ROOTS) roots.append(el('option', {value: code, text: `${code} ${name}`}));
  for (const id of ['root-filter', 'date-from', 'date-to'])
    $(id).addEventListener('change', () => { if (state.actor) openActor(state.actor.iri, state.actor.label); });
  loadMeta().then(openFromHash)
    .catch((e) => setStatus('status', 'cannot reach the server: ' + e.message, true));
}

// #events/IRI and #network/IRI open an actor's view: links to share.
async function openFromHash() {
  const m = /^#(events|network)\/(.+)$/.exec(location.hash);
  if (!m) return;
  const iri = decodeURIComponent(m[2]);
  showTab(m[1]);
  let label = iri;
  try {
    const rows = (await sparql(labelsQuery([iri]))).results.bindings;
    if (rows.length) label = value(rows[0], 'label');
  } catch (e) { /* the IRI alone names it */ }
  $('actor-search').value = label;
  openActor(iri, label);
}

document.addEventListener('DOMContentLoaded', start);
