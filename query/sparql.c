/* sparql.c - SPARQL through librdf and Rasqal over the same store: the
 * second opinion of `query --engine redland` (the default engine is
 * newsgraph's own, sparql-*.c).  The text side (tokens, prelude, probing) is
 * in probe.c, the result table and its writers in results.c.
 *
 * Queries run through librdf_new_query(..., "sparql", ...) on the live
 * generation, with the project's prefixes predeclared on one line before
 * the user's text (so line numbers shift by exactly one).  Rasqal 0.9.33
 * reports syntax errors with a line but no column (-1), so the column is
 * found by re-parsing shorter prefixes of the query (ng_probe_error_offset).
 *
 * Known Rasqal behaviour kept as it is: an aggregate over no match, e.g.
 * SELECT (COUNT(*) AS ?n) WHERE { ?s ng:none ?o }, gives no row instead of
 * a row with 0; the default graph is the union of the article graphs as
 * Redland stores it, so a triple held by several graphs matches once per
 * graph (use DISTINCT). */
#include "query.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ========================================================= running */

typedef struct {
  NgStore *store;
  const char *origin;
  NgResultsFormat format;
  FILE *out;
  NgBuf text;           /* prelude line + the user's query */
  size_t prelude;       /* bytes before the user's text */
  const char *user;     /* the user's text */
  rasqal_query *parsed; /* the syntax check's parse: names the variables */
} Query;

/* The project's prefixes on one line, then the user's text. */
static NgStatus build_text(Query *q, const char *user) {
  NgStatus st = ng_sparql_prelude(&q->text, user, false, &q->prelude);
  if (!st) q->user = q->text.data + q->prelude;
  return st;
}

/* Parses text[0..len) as SPARQL; true if it fails before its end. */
static bool prefix_fails(void *ctx, const char *text, size_t len) {
  Query *q = ctx;
  char *copy = strndup(text, len);
  if (!copy) return false;
  NgRdfLog log = {.quiet = true, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  rasqal_query *rq =
      rasqal_new_query(librdf_world_get_rasqal(ng_rdf_world(q->store->rdf)), "sparql", NULL);
  int rc = rq ? rasqal_query_prepare(rq, (const unsigned char *)copy, NULL) : 1;
  if (rq) rasqal_free_query(rq);
  ng_rdf_set_log(q->store->rdf, old);
  free(copy);
  return rc && log.errors && !strstr(log.message, "unexpected $end");
}

/* Where the syntax error is, in the user's own lines and columns: the
 * culprit token, or for an unexpected end the end of the text. */
static void report_syntax_error(Query *q, const NgRdfLog *log) {
  size_t offset = q->text.len;
  bool found = true;
  if (strstr(log->message, "unexpected $end")) {
    while (offset > q->prelude && strchr(" \t\r\n", q->text.data[offset - 1]))
      offset--;
  } else {
    found = ng_probe_error_offset(q->text.data, q->text.len, 0, prefix_fails, q, &offset);
  }
  unsigned long line = 0, col = 0;
  if (found) {
    size_t at = offset > q->prelude ? offset - q->prelude : 0;
    ng_utf8_line_col(q->user, q->text.len - q->prelude, at, &line, &col);
  } else if (log->line > 1) {
    line = (unsigned long)log->line - 1; /* rasqal's line, without the prelude */
  }
  ng_report(q->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, q->origin, line, col, "%s",
            log->message[0] ? log->message : "SPARQL syntax error");
}

/* Refuses what would crash Rasqal (see ng_sparql_stray_backslash). */
static NgStatus check_escapes(Query *q) {
  size_t offset;
  if (!ng_sparql_stray_backslash(q->text.data, q->text.len, &offset)) return NG_SUCCESS;
  unsigned long line = 0, col = 0;
  size_t at = offset > q->prelude ? offset - q->prelude : 0;
  ng_utf8_line_col(q->user, q->text.len - q->prelude, at, &line, &col);
  ng_report(q->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, q->origin, line, col,
            "syntax error: a backslash outside a string or IRI may only escape one of %s",
            LOCAL_ESCAPE_CHARS);
  return NG_ERR_SYNTAX;
}

static NgStatus check_syntax(Query *q) {
  NgStatus st = check_escapes(q);
  if (st) return st;
  NgRdfLog log = {.collect = true, .origin = q->origin, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  rasqal_world *rw = librdf_world_get_rasqal(ng_rdf_world(q->store->rdf));
  q->parsed = rasqal_new_query(rw, "sparql", NULL);
  int rc =
      q->parsed ? rasqal_query_prepare(q->parsed, (const unsigned char *)q->text.data, NULL) : 1;
  ng_rdf_set_log(q->store->rdf, old);
  if (!rc && !log.errors) return NG_SUCCESS;
  report_syntax_error(q, &log);
  return NG_ERR_SYNTAX;
}

static NgStatus read_row(librdf_query_results *r, NgResultTable *t) {
  size_t row;
  NgStatus st = ng_result_table_add_row(t, &row);
  for (size_t c = 0; c < t->nvars && !st; ++c) {
    librdf_node *node = librdf_query_results_get_binding_value(r, (int)c);
    if (!node) continue; /* unbound */
    NgTerm term;
    st = ng_node_to_term(node, &term);
    if (!st) st = ng_result_table_set(t, row, c, &term);
    librdf_free_node(node);
  }
  return st;
}

/* The variables of the result.  Redland knows none when there is no row;
 * the parse of the query still does. */
static NgStatus add_vars(Query *q, librdf_query_results *r, NgResultTable *t) {
  NgStatus st = NG_SUCCESS;
  int nvars = librdf_query_results_get_bindings_count(r);
  for (int i = 0; i < nvars && !st; ++i)
    st = ng_result_table_add_var(t, librdf_query_results_get_binding_name(r, i));
  if (nvars > 0 || !librdf_query_results_finished(r)) return st;
  raptor_sequence *vars = rasqal_query_get_bound_variable_sequence(q->parsed);
  for (int i = 0; vars && i < raptor_sequence_size(vars) && !st; ++i) {
    rasqal_variable *v = raptor_sequence_get_at(vars, i);
    if (v && v->name) st = ng_result_table_add_var(t, (const char *)v->name);
  }
  return st;
}

static NgStatus write_bindings(Query *q, librdf_query_results *r) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BINDINGS);
  if (!t) return NG_ERR_NOMEM;
  t->width = q->store->world->table_width;
  bool streaming = q->format != NG_RESULTS_TABLE;
  NgStatus st = add_vars(q, r, t);
  if (!st && streaming) st = ng_results_write(t, q->format, NG_RESULTS_HEAD, q->out);
  size_t skipped = 0; /* rows past what a table holds */
  for (; !st && !librdf_query_results_finished(r); librdf_query_results_next(r)) {
    if (ng_world_stop_requested(q->store->world)) st = NG_ERR_INTERRUPTED;
    if (!st && !streaming && t->nrows >= NG_RESULTS_TABLE_MAX) {
      skipped++;
      continue;
    }
    if (!st) st = read_row(r, t);
    if (!st && streaming && t->nrows >= NG_RESULTS_BATCH) {
      st = ng_results_write(t, q->format, NG_RESULTS_ROWS, q->out);
      ng_result_table_drop_rows(t);
    }
  }
  if (!st)
    st = ng_results_write(t, q->format,
                          streaming ? NG_RESULTS_ROWS | NG_RESULTS_TAIL : NG_RESULTS_ALL, q->out);
  if (!st && skipped) ng_results_report_cut(q->store->world, q->origin, t->nrows, skipped);
  ng_result_table_free(t);
  return st;
}

static NgStatus write_boolean_result(Query *q, librdf_query_results *r) {
  NgResultTable *t = ng_result_table_new(NG_RESULT_BOOLEAN);
  if (!t) return NG_ERR_NOMEM;
  int value = librdf_query_results_get_boolean(r);
  NgStatus st = value < 0 ? NG_ERR_QUERY : NG_SUCCESS;
  t->boolean = value > 0;
  if (!st) st = ng_results_write(t, q->format, NG_RESULTS_ALL, q->out);
  ng_result_table_free(t);
  return st;
}

/* CONSTRUCT and DESCRIBE: the triples, grouped by subject, as Turtle. */
static NgStatus write_graph_result(Query *q, librdf_query_results *r) {
  librdf_stream *stream = librdf_query_results_as_stream(r);
  NgGraph *g = ng_graph_new(NULL);
  NgStatus st = g ? NG_SUCCESS : NG_ERR_NOMEM;
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    st = s ? ng_graph_add_statement(g, s) : NG_ERR_QUERY;
  }
  if (stream) librdf_free_stream(stream);
  if (!st && ng_world_stop_requested(q->store->world)) st = NG_ERR_INTERRUPTED; /* cut short */
  NgWriter *w = st ? NULL : ng_writer_new(q->out, NG_SYNTAX_TURTLE);
  if (!st && !w) st = NG_ERR_NOMEM;
  if (!st) st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  ng_graph_free(g);
  return st;
}

/* ---------------------------------------------------------- DESCRIBE */

/* Rasqal 0.9.33 parses DESCRIBE but answers nothing (or fails), so it is
 * done here: the resources named, or bound by the WHERE clause run as a
 * SELECT, are described by their outgoing triples.  The hashes store has no
 * subject index, so that is one pass over the store for all of them. */

/* The "DESCRIBE list" span of the user's text: the keyword and the
 * variables, names and IRIs after it. */
static bool describe_head(const char *text, size_t len, size_t *begin, size_t *end) {
  size_t pos = 0, b;
  NgTokKind kind;
  bool found = false;
  while ((kind = ng_sparql_token(text, len, &pos, &b)) != NG_TOK_END) {
    size_t n = pos - b;
    if (!found) {
      found = kind == NG_TOK_WORD && n == 8 && !strncasecmp(text + b, "DESCRIBE", 8);
      *begin = b;
      *end = pos;
      continue;
    }
    bool keyword = kind == NG_TOK_WORD && ((n == 5 && !strncasecmp(text + b, "WHERE", 5)) ||
                                        (n == 4 && !strncasecmp(text + b, "FROM", 4)));
    bool star = kind == NG_TOK_PUNCT && text[b] == '*';
    if (keyword || (kind != NG_TOK_WORD && kind != NG_TOK_IRI && !star))
      break;
    *end = pos;
  }
  return found;
}

static NgStatus add_target(NgFpSet *targets, librdf_node *node) {
  if (!node || librdf_node_is_literal(node)) return NG_SUCCESS;
  return ng_fpset_add(targets, ng_node_fingerprint(node), NULL);
}

/* Runs the WHERE clause as a SELECT of the described variables (not
 * DISTINCT: the set removes repeats, and Rasqal leaks DISTINCT's rows). */
static NgStatus bound_targets(Query *q, librdf_model *model, const char *vars, NgFpSet *targets) {
  size_t begin, end, user_len = q->text.len - q->prelude;
  if (!describe_head(q->user, user_len, &begin, &end)) return NG_ERR_QUERY;
  NgBuf text = NG_BUF_INIT;
  NgStatus st = ng_buf_append(&text, q->text.data, q->prelude + begin);
  if (!st) st = ng_buf_printf(&text, "SELECT %s ", vars);
  if (!st) st = ng_buf_append(&text, q->user + end, user_len - end);
  librdf_world *world = ng_rdf_world(q->store->rdf);
  librdf_query *query =
      st ? NULL : librdf_new_query(world, "sparql", NULL, (const unsigned char *)text.data, NULL);
  librdf_query_results *r = query ? librdf_model_query_execute(model, query) : NULL;
  if (!st && !r) st = NG_ERR_QUERY;
  int n = r ? librdf_query_results_get_bindings_count(r) : 0;
  for (; !st && r && !librdf_query_results_finished(r); librdf_query_results_next(r)) {
    for (int i = 0; i < n && !st; ++i) {
      librdf_node *node = librdf_query_results_get_binding_value(r, i);
      st = add_target(targets, node);
      if (node) librdf_free_node(node);
    }
  }
  if (r) librdf_free_query_results(r);
  if (query) librdf_free_query(query);
  ng_buf_free(&text);
  return st;
}

static NgStatus describe_targets(Query *q, librdf_model *model, NgFpSet *targets) {
  raptor_sequence *seq = rasqal_query_get_describe_sequence(q->parsed);
  NgBuf vars = NG_BUF_INIT;
  NgStatus st = seq ? NG_SUCCESS : ng_buf_puts(&vars, "*"); /* DESCRIBE * */
  for (int i = 0; seq && !st && i < raptor_sequence_size(seq); ++i) {
    rasqal_literal *l = raptor_sequence_get_at(seq, i);
    if (l && l->type == RASQAL_LITERAL_URI) {
      const char *iri = (const char *)raptor_uri_as_string(l->value.uri);
      st = ng_fpset_add(targets, ng_term_fingerprint(NG_TERM_IRI, iri, strlen(iri), NULL, NULL),
                        NULL);
    } else if (l && l->type == RASQAL_LITERAL_VARIABLE) {
      st = ng_buf_printf(&vars, "?%s ", (const char *)l->value.variable->name);
    }
  }
  if (!st && vars.len) st = bound_targets(q, model, vars.data, targets);
  ng_buf_free(&vars);
  return st;
}

static NgStatus write_description(Query *q, librdf_model *model) {
  NgFpSet targets = {NULL, 0, 0};
  NgGraph *g = ng_graph_new(NULL);
  NgStatus st = g ? describe_targets(q, model, &targets) : NG_ERR_NOMEM;
  librdf_stream *stream = st || !targets.size ? NULL : librdf_model_as_stream(model);
  for (; stream && !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);
    if (!s || !ng_fpset_has(&targets, ng_node_fingerprint(librdf_statement_get_subject(s))))
      continue;
    st = ng_graph_add_statement(g, s);
  }
  if (stream) librdf_free_stream(stream);
  if (!st && ng_world_stop_requested(q->store->world)) st = NG_ERR_INTERRUPTED; /* cut short */
  NgWriter *w = st ? NULL : ng_writer_new(q->out, NG_SYNTAX_TURTLE);
  if (!st && !w) st = NG_ERR_NOMEM;
  if (!st) st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  ng_graph_free(g);
  ng_fpset_free(&targets);
  return st;
}

static NgStatus write_results(Query *q, librdf_query_results *r) {
  if (librdf_query_results_is_bindings(r)) return write_bindings(q, r);
  if (librdf_query_results_is_boolean(r)) return write_boolean_result(q, r);
  if (librdf_query_results_is_graph(r)) return write_graph_result(q, r);
  return NG_ERR_QUERY;
}

static NgStatus run_librdf(Query *q, librdf_model *model) {
  librdf_world *world = ng_rdf_world(q->store->rdf);
  librdf_query *query =
      librdf_new_query(world, "sparql", NULL, (const unsigned char *)q->text.data, NULL);
  librdf_query_results *r = query ? librdf_model_query_execute(model, query) : NULL;
  NgStatus st = r ? write_results(q, r) : NG_ERR_QUERY;
  if (r) librdf_free_query_results(r);
  if (query) librdf_free_query(query);
  return st;
}

static NgStatus execute(Query *q, librdf_model *model) {
  NgRdfLog log = {.collect = true, .origin = q->origin, .line = -1, .col = -1};
  NgRdfLog *old = ng_rdf_set_log(q->store->rdf, &log);
  bool describe = rasqal_query_get_verb(q->parsed) == RASQAL_QUERY_VERB_DESCRIBE;
  NgStatus st = describe ? write_description(q, model) : run_librdf(q, model);
  ng_rdf_set_log(q->store->rdf, old);
  if (!st && log.errors) st = NG_ERR_QUERY;
  /* the storage ended its scans early (guard.c): whatever failed or was
   * computed since is not an answer */
  if (ng_world_stop_requested(q->store->world)) st = NG_ERR_INTERRUPTED;
  if (st == NG_ERR_QUERY)
    ng_report(q->store->world, st, NG_LEVEL_ERROR, q->origin, 0, 0, "%s",
              log.errors ? log.message : "the query failed");
  return st;
}

/* Raptor 2.0.15 keeps a language tag's length in an unsigned char
 * (raptor_new_term_from_literal): a longer tag in a query overflows the
 * heap when Redland makes the literal a node (found by fuzzing; a segfault
 * before this check).  Such a tag is refused where it stands. */
static NgStatus check_lang_tags(Query *q) {
  size_t len = q->text.len - q->prelude, pos = 0, begin;
  NgTokKind kind;
  while ((kind = ng_sparql_token(q->user, len, &pos, &begin)) != NG_TOK_END) {
    if (kind != NG_TOK_WORD || q->user[begin] != '@' || pos - begin <= 256) continue;
    unsigned long line, col;
    ng_utf8_line_col(q->user, len, begin, &line, &col);
    ng_report(q->store->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, q->origin, line, col,
              "language tag of more than 255 characters");
    return NG_ERR_SYNTAX;
  }
  return NG_SUCCESS;
}

/* A query reads this store and nothing else.  Rasqal 0.9.33 ignores FROM
 * and FROM NAMED without a word (the whole store answers), and takes LOAD
 * and the other update operations into its parse: all are refused where
 * they stand rather than answered wrongly or left to fail at run time (the
 * native engine reads FROM as the graphs of the store it names).  VALUES
 * too: Rasqal crashes on a VALUES block after a pattern or after the query
 * and binds the wrong variables with one before (found by
 * tests/e2e/sparql-random.sh; tests/diff/README.md).  (SERVICE answers
 * become VALUES after this check: service.c puts them where Rasqal takes
 * them.) */
static bool is_update_word(const char *word, size_t n) {
  static const char *const updates[] = {"LOAD",   "INSERT", "DELETE", "CLEAR", "DROP",
                                        "CREATE", "ADD",    "MOVE",   "COPY",  "WITH"};
  for (size_t i = 0; i < NG_COUNTOF(updates); ++i)
    if (n == strlen(updates[i]) && !strncasecmp(word, updates[i], n)) return true;
  return false;
}

static NgStatus check_reads_store(Query *q) {
  size_t len = q->text.len - q->prelude, pos = 0, begin;
  NgTokKind kind;
  const char *why = NULL;
  while (!why && (kind = ng_sparql_token(q->user, len, &pos, &begin)) != NG_TOK_END) {
    if (kind != NG_TOK_WORD) continue;
    size_t n = pos - begin;
    if (n == 4 && !strncasecmp(q->user + begin, "FROM", 4))
      why = "FROM and FROM NAMED are not supported by --engine redland: a query reads the "
            "graphs of this store (GRAPH <iri> { ... } reads one of them)";
    else if (n == 6 && !strncasecmp(q->user + begin, "VALUES", 6))
      why = "VALUES is not supported by --engine redland: Rasqal 0.9.33 crashes or answers "
            "wrongly on it";
    else if (is_update_word(q->user + begin, n))
      why = "an update (LOAD, INSERT, DELETE, ...): query only reads the store (import adds to it)";
  }
  if (!why) return NG_SUCCESS;
  unsigned long line, col;
  ng_utf8_line_col(q->user, len, begin, &line, &col);
  ng_report(q->store->world, NG_ERR_BAD_ARG, NG_LEVEL_ERROR, q->origin, line, col, "%s", why);
  return NG_ERR_BAD_ARG;
}

/* SERVICE clauses run by service.c, never by Rasqal: the text to run
 * becomes the prelude and the user's text with each clause replaced. */
static NgStatus apply_services(Query *q) {
  NgBuf rewritten = NG_BUF_INIT;
  NgStatus st =
      ng_sparql_services(q->store->world, q->user, q->text.len - q->prelude, q->origin, &rewritten);
  if (!st && rewritten.len) {
    q->text.len = q->prelude;
    st = ng_buf_append(&q->text, rewritten.data, rewritten.len);
    q->user = q->text.data + q->prelude;
  }
  ng_buf_free(&rewritten);
  return st;
}

/* The same query through librdf and Rasqal over the same store: a second
 * opinion on the native engine (query --engine redland). */
NgStatus ng_store_query_redland(NgStore *store, const char *query, const char *origin,
                                NgResultsFormat format, FILE *out) {
  librdf_model *model = ng_store_model(store);
  if (!model) return NG_ERR_STORE;
  Query q = {store, origin ? origin : "<query>", format, out, NG_BUF_INIT, 0, NULL, NULL};
  NgStatus st = build_text(&q, query);
  if (!st) st = check_lang_tags(&q);
  if (!st) st = check_reads_store(&q);
  if (!st) st = check_syntax(&q);
  if (!st) st = apply_services(&q);
  if (!st) st = execute(&q, model);
  if (!st && (fflush(out) == EOF || ferror(out))) st = NG_ERR_IO;
  if (q.parsed) rasqal_free_query(q.parsed);
  ng_buf_free(&q.text);
  return st;
}
