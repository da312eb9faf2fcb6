/* service.c - SPARQL SERVICE, done here and never by Rasqal.
 *
 * Rasqal 0.9.33 runs SERVICE through a raptor_www handle it makes itself
 * (rasqal_service_execute_as_rowsource calls raptor_new_www), which no API
 * of Rasqal, Raptor or Redland lets a caller reach or configure: libcurl
 * with every protocol it was built with (file, gopher, dict, ftp, ...),
 * redirects followed, a 10 s connect timeout and no total one, and
 * file:// IRIs read straight from disk.  So no query that holds SERVICE
 * reaches Rasqal:
 *   - by default it is refused where the keyword stands, before anything
 *     runs;
 *   - with the world's allow_service, each SERVICE clause is sent from
 *     here through an NgEndpoint (libcurl limited to http and https, also
 *     after redirects; the world's connect and total timeouts; a stop
 *     request honoured) as "SELECT * WHERE { ... }", and the clause is
 *     replaced in the query text by a VALUES block of the answer: that is
 *     what a SERVICE clause adds to the evaluation, a join with its
 *     solutions.
 *
 * What is refused even when allowed: a service named by a variable or a
 * prefixed name (only an IRI written in full can be checked before the
 * query runs), any scheme but http and https, answers holding blank nodes
 * (VALUES cannot hold them) or more than SERVICE_MAX_ROWS rows.  SERVICE
 * SILENT turns a failure of the service into one empty solution, as
 * SPARQL 1.1 Federated Query says. */
#include "query.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SERVICE_MAX_ROWS 100000

/* One SERVICE clause in the user's text. */
typedef struct {
  size_t keyword; /* offset of SERVICE */
  bool silent;
  size_t iri, iri_end;     /* the IRI token, <...> */
  size_t group, group_end; /* its group, { ... } */
} Clause;

static bool is_word(const char *t, size_t begin, size_t end, const char *word) {
  size_t n = strlen(word);
  return end - begin == n && !strncasecmp(t + begin, word, n);
}

static NgStatus report_at(NgWorld *world, NgStatus st, const char *origin, const char *user,
                          size_t len, size_t at, const char *message) {
  unsigned long line = 0, col = 0;
  ng_utf8_line_col(user, len, at, &line, &col);
  ng_report(world, st, NG_LEVEL_ERROR, origin, line, col, "%s", message);
  return st;
}

/* The end of the group that opens at `open` ('{'): just after its '}'. */
static bool group_end(const char *t, size_t len, size_t open, size_t *end) {
  size_t pos = open, begin;
  int depth = 0;
  NgTokKind kind;
  while ((kind = ng_sparql_token(t, len, &pos, &begin)) != NG_TOK_END) {
    if (kind != NG_TOK_PUNCT) continue;
    if (t[begin] == '{') depth++;
    if (t[begin] == '}' && --depth == 0) {
      *end = pos;
      return true;
    }
  }
  return false;
}

static bool http_iri(const char *t, size_t begin, size_t end) {
  size_t n = end - begin;
  return (n > 9 && !strncasecmp(t + begin, "<http://", 8)) ||
         (n > 10 && !strncasecmp(t + begin, "<https://", 9));
}

/* The clause whose SERVICE keyword is at `at`; reports what it cannot run. */
static NgStatus parse_clause(NgWorld *world, const char *user, size_t len, const char *origin,
                             size_t at, size_t pos, Clause *c) {
  size_t begin;
  NgTokKind kind = ng_sparql_token(user, len, &pos, &begin);
  *c = (Clause){.keyword = at};
  if (kind == NG_TOK_WORD && is_word(user, begin, pos, "SILENT")) {
    c->silent = true;
    kind = ng_sparql_token(user, len, &pos, &begin);
  }
  if (kind != NG_TOK_IRI)
    return report_at(world, NG_ERR_BAD_ARG, origin, user, len, begin,
                     "SERVICE needs an IRI written in full, <http://...> or <https://...>");
  if (!http_iri(user, begin, pos))
    return report_at(world, NG_ERR_BAD_ARG, origin, user, len, begin,
                     "SERVICE reaches http:// and https:// services only");
  c->iri = begin;
  c->iri_end = pos;
  kind = ng_sparql_token(user, len, &pos, &begin);
  if (kind != NG_TOK_PUNCT || user[begin] != '{' || !group_end(user, len, begin, &c->group_end))
    return report_at(world, NG_ERR_SYNTAX, origin, user, len, begin,
                     "SERVICE <IRI> wants a group { ... } after it");
  c->group = begin;
  return NG_SUCCESS;
}

/* The prologue (BASE and PREFIX declarations) the service needs too. */
static size_t prologue_end(const char *user, size_t len) {
  size_t pos = 0, begin, end = 0;
  NgTokKind kind;
  while ((kind = ng_sparql_token(user, len, &pos, &begin)) != NG_TOK_END) {
    bool prefix = kind == NG_TOK_WORD && is_word(user, begin, pos, "PREFIX");
    if (!prefix && !(kind == NG_TOK_WORD && is_word(user, begin, pos, "BASE"))) break;
    if (prefix) ng_sparql_token(user, len, &pos, &begin); /* the name */
    if (ng_sparql_token(user, len, &pos, &begin) != NG_TOK_IRI) break;
    end = pos;
  }
  return end;
}

/* ------------------------------------------------------ the answer */

typedef struct {
  NgWorld *world;
  const char *url;
  NgBuf *out; /* the replacement of the clause */
} Values;

/* The answer as a group: { VALUES (?a ?b) { (x y) (UNDEF z) } }.  Rasqal
 * crashes on VALUES without variables: no variable is one empty solution
 * per row ({}), or none (FILTER(false)). */
static NgStatus write_values(void *ctx, const NgResultTable *t) {
  Values *v = ctx;
  NgBuf *b = v->out;
  if (t->kind == NG_RESULT_BOOLEAN || t->nvars == 0)
    return ng_buf_puts(b, t->nrows || t->kind == NG_RESULT_BOOLEAN ? "{ }" : "{ FILTER(false) }");
  NgStatus st = ng_buf_puts(b, "{ VALUES (");
  for (size_t c = 0; c < t->nvars && !st; ++c)
    st = ng_buf_printf(b, "%s?%s", c ? " " : "", t->vars[c]);
  if (!st) st = ng_buf_puts(b, ") {");
  for (size_t r = 0; r < t->nrows && !st; ++r) {
    st = ng_buf_puts(b, " (");
    for (size_t c = 0; c < t->nvars && !st; ++c) {
      const NgTerm *term = &t->cells[r * t->nvars + c];
      if (c) st = ng_buf_putc(b, ' ');
      if (st) break;
      if (!term->value) {
        st = ng_buf_puts(b, "UNDEF");
      } else if (term->kind == NG_TERM_BLANK) {
        ng_report(v->world, NG_ERR_QUERY, NG_LEVEL_ERROR, NULL, 0, 0,
                  "SERVICE %s: blank nodes in an answer are not supported", v->url);
        st = NG_ERR_QUERY;
      } else {
        st = ng_term_append_nt(b, term);
      }
    }
    if (!st) st = ng_buf_putc(b, ')');
  }
  return st ? st : ng_buf_puts(b, " } }");
}

/* SERVICE SILENT: what goes wrong with the service is told as warnings
 * (the query goes on without it), not as errors of the query. */
typedef struct {
  NgErrorSink sink;
  void *handle;
} Demote;

static void demote(void *handle, const NgError *e) {
  Demote *d = handle;
  NgError w = *e;
  if (w.level == NG_LEVEL_ERROR) w.level = NG_LEVEL_WARNING;
  d->sink(d->handle, &w);
}

static NgStatus run_clause(NgWorld *world, const char *user, size_t len, const char *origin,
                           const Clause *c, NgBuf *out) {
  char *url = strndup(user + c->iri + 1, c->iri_end - c->iri - 2);
  NgBuf query = NG_BUF_INIT;
  size_t prologue = prologue_end(user, len);
  NgStatus st = url ? ng_buf_append(&query, user, prologue) : NG_ERR_NOMEM;
  if (!st) st = ng_buf_puts(&query, "\nSELECT * WHERE ");
  if (!st) st = ng_buf_append(&query, user + c->group, c->group_end - c->group);
  NgEndpoint *ep = st ? NULL : ng_endpoint_new(world, url, &st);
  if (ep) {
    if (world->net_timeout > 0) ng_endpoint_set_timeout(ep, world->net_timeout);
    ng_endpoint_set_retries(ep, 0);
    size_t mark = out->len;
    Values v = {world, url, out};
    Demote saved = {world->sink, world->sink_handle};
    unsigned long errors = world->errors;
    if (c->silent) ng_world_set_error_sink(world, demote, &saved);
    st = ng_endpoint_select(ep, query.data, origin, SERVICE_MAX_ROWS, write_values, &v);
    if (c->silent) {
      world->sink = saved.sink;
      world->sink_handle = saved.handle;
      world->warnings += world->errors - errors;
      world->errors = errors;
    }
    if (st && c->silent && st != NG_ERR_INTERRUPTED && st != NG_ERR_NOMEM) {
      out->len = mark; /* SILENT: the failure is one empty solution */
      st = ng_buf_puts(out, "{ }");
    }
  }
  ng_endpoint_free(ep);
  ng_buf_free(&query);
  free(url);
  return st;
}

/* ------------------------------------------------------------ entry */

NgStatus ng_sparql_services(NgWorld *world, const char *user, size_t len, const char *origin,
                            NgBuf *rewritten) {
  size_t pos = 0, begin, copied = 0;
  NgTokKind kind;
  NgStatus st = NG_SUCCESS;
  while (!st && (kind = ng_sparql_token(user, len, &pos, &begin)) != NG_TOK_END) {
    if (kind != NG_TOK_WORD || !is_word(user, begin, pos, "SERVICE")) continue;
    if (!world->allow_service)
      return report_at(world, NG_ERR_BAD_ARG, origin, user, len, begin,
                       "SERVICE is refused: a query reads this store only "
                       "(query --allow-service lets it reach http:// and https:// services)");
    Clause c;
    st = parse_clause(world, user, len, origin, begin, pos, &c);
    if (!st) st = ng_buf_append(rewritten, user + copied, c.keyword - copied);
    if (!st) st = run_clause(world, user, len, origin, &c, rewritten);
    copied = pos = c.group_end; /* a SERVICE inside is the service's to run */
  }
  if (!st && copied) st = ng_buf_append(rewritten, user + copied, len - copied);
  if (st) ng_buf_clear(rewritten);
  return st;
}
