/* test_writer.c - N-Triples, N-Quads and Turtle output: exact escaping,
 * grouping and prefixes, and round trips through real parsers (Raptor
 * here; rdflib too when /usr/bin/python3 has it). */
#include "internal.h"
#include "iri.h"
#include "unit.h"

#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static NgTerm iri(const char *v) { return (NgTerm){NG_TERM_IRI, v, NULL, NULL}; }
static NgTerm blank(const char *v) { return (NgTerm){NG_TERM_BLANK, v, NULL, NULL}; }
static NgTerm lit(const char *v, const char *dt, const char *lang) {
  return (NgTerm){NG_TERM_LITERAL, v, dt, lang};
}

static void add(NgGraph *g, NgTerm s, NgTerm p, NgTerm o) {
  ck_assert_int_eq(ng_graph_add(g, &s, &p, &o), NG_SUCCESS);
}

/* The writer's output for one graph, as a string (caller frees). */
static char *render(NgSyntax syntax, const NgGraph *g) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  NgWriter *w = ng_writer_new(f, syntax);
  ck_assert_ptr_nonnull(w);
  if (g) ck_assert_int_eq(ng_writer_write_graph(w, g), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_finish(w), NG_SUCCESS);
  ng_writer_free(w);
  fclose(f);
  return text;
}

static char *prefix_header(void) {
  NgBuf b = NG_BUF_INIT;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p)
    ng_buf_printf(&b, "@prefix %s: <%s> .\n", p->prefix, p->ns);
  return ng_buf_take(&b);
}

/* ---------------------------------------------------------------- names */

START_TEST(syntax_names) {
  static const struct {
    const char *name;
    NgSyntax syntax;
  } cases[] = {
      {"ntriples", NG_SYNTAX_NTRIPLES}, {"NT", NG_SYNTAX_NTRIPLES},   {"nquads", NG_SYNTAX_NQUADS},
      {"nq", NG_SYNTAX_NQUADS},         {"Turtle", NG_SYNTAX_TURTLE}, {"ttl", NG_SYNTAX_TURTLE},
      {"rdfxml", NG_SYNTAX_RDFXML},     {"rdf", NG_SYNTAX_RDFXML},    {"XML", NG_SYNTAX_RDFXML}};
  for (size_t i = 0; i < NG_COUNTOF(cases); ++i) {
    bool ok = false;
    ck_assert_int_eq(ng_syntax_from_name(cases[i].name, &ok), cases[i].syntax);
    ck_assert(ok);
  }
  bool ok = true;
  ng_syntax_from_name("json-ld", &ok);
  ck_assert(!ok);
  ok = true;
  ng_syntax_from_name(NULL, &ok);
  ck_assert(!ok);
}
END_TEST

START_TEST(prefixes_cover_the_namespaces) {
  static const char *const want[][2] = {
      {"ng", NG_NS_ONTO},         {"cameo", NG_NS_CAMEO},   {"rel", NG_NS_REL},
      {"article", NG_NS_ARTICLE}, {"event", NG_NS_EVENT},   {"mention", NG_NS_MENTION},
      {"actor", NG_NS_ACTOR},     {"action", NG_NS_ACTION}, {"graph", NG_NS_GRAPH},
      {"rdf", NG_NS_RDF},         {"rdfs", NG_NS_RDFS},     {"xsd", NG_NS_XSD},
      {"skos", NG_NS_SKOS},       {"owl", NG_NS_OWL},       {"sem", NG_NS_SEM},
      {"prov", NG_NS_PROV},       {"dct", NG_NS_DCT},       {"schema", NG_NS_SCHEMA}};
  size_t n = 0;
  for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p)
    n++;
  ck_assert_uint_eq(n, NG_COUNTOF(want));
  for (size_t i = 0; i < NG_COUNTOF(want); ++i) {
    bool found = false;
    for (const NgPrefix *p = ng_prefixes(); p->prefix; ++p)
      if (!strcmp(p->prefix, want[i][0])) {
        ck_assert_str_eq(p->ns, want[i][1]);
        found = true;
      }
    ck_assert_msg(found, "prefix %s missing", want[i][0]);
  }
}
END_TEST

/* ------------------------------------------------------------- escaping */

START_TEST(ntriples_escapes_literals_exactly) {
  NgGraph *g = ng_graph_new(NULL);
  add(g, iri("http://ex/s"), iri("http://ex/p"),
      lit("q\" b\\ n\n r\r t\t c\x01\x1f d\x7f \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80 '", NULL,
          NULL));
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("chat", NULL, "FR"));
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("1", NG_NS_XSD "integer", NULL));
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("", NULL, NULL));
  char *text = render(NG_SYNTAX_NTRIPLES, g);
  ck_assert_str_eq(
      text, "<http://ex/s> <http://ex/p> \"q\\\" b\\\\ n\\n r\\r t\\t c\\u0001\\u001F "
            "d\\u007F \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80 '\" .\n"
            "<http://ex/s> <http://ex/p> \"chat\"@fr .\n"
            "<http://ex/s> <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "<http://ex/s> <http://ex/p> \"\" .\n");
  free(text);
  ng_graph_free(g);
}
END_TEST

START_TEST(iris_and_blank_labels_are_escaped) {
  NgGraph *g = ng_graph_new(NULL);
  add(g, iri("http://ex/a b<c>\"{}|^`\\d\te"), iri("http://ex/p"),
      iri("http://ex/\xc3\xa9t\xc3\xa9#x"));
  add(g, blank("node-1.x"), iri("http://ex/p"), blank("_a\xc3\xa9"));
  add(g, blank("b1"), iri("http://ex/p"), blank("B2"));
  char *text = render(NG_SYNTAX_NTRIPLES, g);
  ck_assert_str_eq(text,
                   "<http://ex/a\\u0020b\\u003Cc\\u003E\\u0022\\u007B\\u007D\\u007C\\u005E\\u0060"
                   "\\u005Cd\\u0009e> <http://ex/p> <http://ex/\xc3\xa9t\xc3\xa9#x> .\n"
                   "_:node_2D1_2Ex <http://ex/p> _:_5Fa_C3_A9 .\n"
                   "_:b1 <http://ex/p> _:B2 .\n");
  free(text);
  ng_graph_free(g);
}
END_TEST

START_TEST(nquads_name_the_graph) {
  NgGraph *g = ng_graph_new("http://ex/g");
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("o", NULL, NULL));
  char *text = render(NG_SYNTAX_NQUADS, g);
  ck_assert_str_eq(text, "<http://ex/s> <http://ex/p> \"o\" <http://ex/g> .\n");
  free(text);
  /* N-Triples ignore the name */
  text = render(NG_SYNTAX_NTRIPLES, g);
  ck_assert_str_eq(text, "<http://ex/s> <http://ex/p> \"o\" .\n");
  free(text);
  /* write_triple: the graph argument, or none */
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  NgWriter *w = ng_writer_new(f, NG_SYNTAX_NQUADS);
  ck_assert_int_eq(ng_writer_write_triple(w, ng_graph_get(g, 0), "http://ex/other g"), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_write_triple(w, ng_graph_get(g, 0), NULL), NG_SUCCESS);
  ng_writer_free(w); /* finishes */
  fclose(f);
  ck_assert_str_eq(out, "<http://ex/s> <http://ex/p> \"o\" <http://ex/other\\u0020g> .\n"
                        "<http://ex/s> <http://ex/p> \"o\" .\n");
  free(out);
  ng_graph_free(g);
}
END_TEST

/* ---------------------------------------------------------------- Turtle */

START_TEST(turtle_groups_by_subject_with_prefixes) {
  NgGraph *g = ng_graph_new(NULL);
  NgTerm a1 = iri(NG_NS_ARTICLE "a1"), ev = iri(NG_NS_EVENT "k/1-0"), type = iri(NG_NS_RDF "type");
  add(g, a1, type, iri(NG_NS_ONTO "Article"));
  add(g, ev, type, iri(NG_NS_ONTO "Event"));
  add(g, a1, iri(NG_NS_ONTO "title"), lit("Title", NULL, "en"));
  add(g, ev, iri(NG_NS_ONTO "actor"), iri(NG_NS_ACTOR "eu"));
  add(g, a1, iri(NG_NS_ONTO "date"), lit("2024-01-02", NG_NS_XSD "date", NULL));
  add(g, ev, iri(NG_NS_ONTO "actor"), iri(NG_NS_ACTOR "by"));
  add(g, iri("http://ex/weird iri"), iri(NG_NS_CAMEO "0231"), blank("b-1"));
  add(g, iri(NG_NS_ACTOR "x."), iri(NG_NS_RDFS "label"), lit("x", "http://ex/dt", NULL));
  add(g, iri(NG_NS_ACTOR "-x"), iri(NG_NS_RDFS "label"), lit("y", NULL, NULL));
  char *text = render(NG_SYNTAX_TURTLE, g);
  char *header = prefix_header();
  NgBuf want = NG_BUF_INIT;
  ng_buf_printf(&want,
                "%s\n"
                "article:a1 a ng:Article ;\n"
                "    ng:title \"Title\"@en ;\n"
                "    ng:date \"2024-01-02\"^^xsd:date .\n"
                "\n"
                "<https://w3id.org/newsgraph/id/event/k/1-0> a ng:Event ;\n"
                "    ng:actor actor:eu ,\n"
                "        actor:by .\n"
                "\n"
                "<http://ex/weird\\u0020iri> cameo:0231 _:b_2D1 .\n"
                "\n"
                "<https://w3id.org/newsgraph/id/actor/x.> rdfs:label \"x\"^^<http://ex/dt> .\n"
                "\n"
                "<https://w3id.org/newsgraph/id/actor/-x> rdfs:label \"y\" .\n",
                header);
  ck_assert_str_eq(text, want.data);
  free(text);
  ng_buf_free(&want);
  /* an empty document is the header alone, still valid Turtle */
  text = render(NG_SYNTAX_TURTLE, NULL);
  ck_assert_str_eq(text, header);
  free(text);
  free(header);
  ng_graph_free(g);
}
END_TEST

START_TEST(turtle_names_graphs_in_comments_and_continues_triples) {
  NgGraph *g = ng_graph_new(NG_NS_ARTICLE "a1");
  add(g, iri(NG_NS_ARTICLE "a1"), iri(NG_NS_RDF "type"), iri(NG_NS_ONTO "Article"));
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  NgWriter *w = ng_writer_new(f, NG_SYNTAX_TURTLE);
  ck_assert_int_eq(ng_writer_write_graph(w, g), NG_SUCCESS);
  /* write_triple keeps the statement open for the same subject */
  NgTriple t1 = {iri("http://ex/s"), iri("http://ex/p"), lit("1", NULL, NULL)};
  NgTriple t2 = {iri("http://ex/s"), iri("http://ex/p"), lit("2", NULL, NULL)};
  NgTriple t3 = {iri("http://ex/s"), iri("http://ex/q"), lit("3", NULL, NULL)};
  ck_assert_int_eq(ng_writer_write_triple(w, &t1, "http://ignored"), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_write_triple(w, &t2, NULL), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_write_triple(w, &t3, NULL), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_finish(w), NG_SUCCESS);
  ck_assert_int_eq(ng_writer_finish(w), NG_SUCCESS); /* twice is harmless */
  ck_assert_int_eq(ng_writer_write_triple(w, &t1, NULL), NG_ERR_BAD_ARG);
  ng_writer_free(w);
  fclose(f);
  char *header = prefix_header();
  NgBuf want = NG_BUF_INIT;
  ng_buf_printf(
      &want,
      "%s\n# graph <https://w3id.org/newsgraph/id/article/a1>\n"
      "article:a1 a ng:Article .\n"
      "\n<http://ex/s> <http://ex/p> \"1\" ,\n        \"2\" ;\n    <http://ex/q> \"3\" .\n",
      header);
  ck_assert_str_eq(out, want.data);
  ng_buf_free(&want);
  free(header);
  free(out);
  ng_graph_free(g);
}
END_TEST

START_TEST(bad_terms_and_failed_output_are_reported) {
  ck_assert_ptr_null(ng_writer_new(stdout, NG_SYNTAX_RDFXML)); /* raptor's job */
  ng_writer_free(NULL);
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  NgWriter *w = ng_writer_new(f, NG_SYNTAX_NTRIPLES);
  NgTriple literal_subject = {lit("s", NULL, NULL), iri("http://ex/p"), iri("http://ex/o")};
  NgTriple latin1 = {iri("http://ex/s"), iri("http://ex/p"), lit("caf\xe9", NULL, NULL)};
  ck_assert_int_eq(ng_writer_write_triple(w, &literal_subject, NULL), NG_ERR_BAD_ARG);
  ck_assert_int_eq(ng_writer_write_triple(w, &latin1, NULL), NG_ERR_ENCODING);
  ck_assert_int_eq(ng_writer_finish(w), NG_SUCCESS);
  ng_writer_free(w);
  fclose(f);
  ck_assert_str_eq(out, ""); /* nothing half-written */
  free(out);
  /* a full disk shows at the latest in finish */
  FILE *full = fopen("/dev/full", "w");
  if (!full) return;
  NgGraph *g = ng_graph_new(NULL);
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("o", NULL, NULL));
  w = ng_writer_new(full, NG_SYNTAX_TURTLE);
  NgStatus st = ng_writer_write_graph(w, g);
  if (!st) st = ng_writer_finish(w);
  ck_assert_int_eq(st, NG_ERR_IO);
  ng_writer_free(w);
  fclose(full);
  ng_graph_free(g);
}
END_TEST

/* ------------------------------------------------------------ round trip */

typedef struct {
  NgGraph *graph;
  const char *graph_name; /* expected N-Quads graph, or NULL */
  bool bad_graph;
} Parsed;

static const char *term_value(raptor_term *t) {
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI: return (const char *)raptor_uri_as_string(t->value.uri);
  case RAPTOR_TERM_TYPE_BLANK: return (const char *)t->value.blank.string;
  case RAPTOR_TERM_TYPE_LITERAL: return (const char *)t->value.literal.string;
  default: return NULL;
  }
}

static NgTerm from_raptor(raptor_term *t) {
  NgTerm r = {t->type == RAPTOR_TERM_TYPE_URI     ? NG_TERM_IRI
              : t->type == RAPTOR_TERM_TYPE_BLANK ? NG_TERM_BLANK
                                                  : NG_TERM_LITERAL,
              term_value(t), NULL, NULL};
  if (t->type == RAPTOR_TERM_TYPE_LITERAL) {
    if (t->value.literal.datatype)
      r.datatype = (const char *)raptor_uri_as_string(t->value.literal.datatype);
    r.lang = (const char *)t->value.literal.language;
  }
  return r;
}

static void on_parsed(void *data, raptor_statement *s) {
  Parsed *p = data;
  NgTerm ts = from_raptor(s->subject), tp = from_raptor(s->predicate), to = from_raptor(s->object);
  ck_assert_int_eq(ng_graph_add(p->graph, &ts, &tp, &to), NG_SUCCESS);
  const char *g = s->graph ? term_value(s->graph) : NULL;
  if ((g == NULL) != (p->graph_name == NULL) || (g && strcmp(g, p->graph_name)))
    p->bad_graph = true;
}

static void on_parse_error(void *data, raptor_log_message *m) {
  if (m->level >= RAPTOR_LOG_LEVEL_ERROR) {
    ++*(int *)data;
    fprintf(stderr, "raptor: %d:%d: %s\n", m->locator ? m->locator->line : -1,
            m->locator ? m->locator->column : -1, m->text);
  }
}

/* Parses text with Raptor into a graph; fails the test on any error. */
static NgGraph *parse_back(const char *text, NgSyntax syntax, const char *graph_name) {
  static const char *const names[] = {"ntriples", "nquads", "turtle"};
  int errors = 0;
  raptor_world *rw = raptor_new_world();
  raptor_world_set_log_handler(rw, &errors, on_parse_error);
  raptor_world_open(rw);
  raptor_parser *parser = raptor_new_parser(rw, names[syntax]);
  Parsed p = {ng_graph_new(NULL), graph_name, false};
  raptor_parser_set_statement_handler(parser, &p, on_parsed);
  raptor_uri *base = raptor_new_uri(rw, (const unsigned char *)"http://base/");
  raptor_parser_parse_start(parser, base);
  raptor_parser_parse_chunk(parser, (const unsigned char *)text, strlen(text), 1);
  raptor_free_uri(base);
  raptor_free_parser(parser);
  raptor_free_world(rw);
  ck_assert_int_eq(errors, 0);
  ck_assert(!p.bad_graph);
  return p.graph;
}

static int compare_lines(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The graph as sorted N-Triples lines, one string. */
static char *canonical(const NgGraph *g) {
  char *text = render(NG_SYNTAX_NTRIPLES, g);
  size_t n = 0, cap = 64;
  char **lines = malloc(cap * sizeof *lines);
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
    lines[n++] = line;
  }
  qsort(lines, n, sizeof *lines, compare_lines);
  NgBuf b = NG_BUF_INIT;
  for (size_t i = 0; i < n; ++i)
    ng_buf_printf(&b, "%s\n", lines[i]);
  free(lines);
  free(text);
  return b.data ? ng_buf_take(&b) : strdup("");
}

/* Random strings over an alphabet of everything that needs care. */
static void random_text(unsigned *seed, char *out, size_t max, bool for_iri) {
  static const char *const lit_parts[] = {"a",
                                          "Z",
                                          "0",
                                          " ",
                                          "\"",
                                          "\\",
                                          "\n",
                                          "\r",
                                          "\t",
                                          "\x01",
                                          "\x1f",
                                          "\x7f",
                                          "'",
                                          "'''",
                                          "\"\"\"",
                                          "#",
                                          "@",
                                          ".",
                                          "\xc3\xa9",
                                          "\xe6\x97\xa5",
                                          "\xf0\x9f\x98\x80",
                                          "\\u0041",
                                          "^^",
                                          ";",
                                          ","};
  /* no lone "." part: Raptor's Turtle parser removes dot segments ("/./") */
  static const char *const iri_parts[] = {
      "a", "Z", "0", "-", "_", ".x", "/", "#", "%20", "~", "\xc3\xa9", "\xe6\x97\xa5", "(", ")",
      "!", "$", "&", "'", "*", "+",  ",", ";", "=",   ":", "@"};
  size_t n = (size_t)(rand_r(seed) % 12), len = 0;
  out[0] = '\0';
  for (size_t i = 0; i < n; ++i) {
    const char *part = for_iri ? iri_parts[rand_r(seed) % NG_COUNTOF(iri_parts)]
                               : lit_parts[rand_r(seed) % NG_COUNTOF(lit_parts)];
    size_t plen = strlen(part);
    if (len + plen + 1 >= max) break;
    memcpy(out + len, part, plen + 1);
    len += plen;
  }
}

static NgTerm random_term(unsigned *seed, char *buf, size_t max, bool subject) {
  static const char *const spaces[] = {NG_NS_ONTO,       NG_NS_ACTOR, NG_NS_EVENT,
                                       "http://ex.org/", "urn:x:",    NG_NS_XSD};
  static const char *const langs[] = {"en", "fr-be", "zh-Hant-TW"};
  static const char *const types[] = {NG_NS_XSD "date", NG_NS_XSD "integer", "http://ex/dt#t"};
  int kind = rand_r(seed) % (subject ? 2 : 5);
  char text[128];
  random_text(seed, text, sizeof text, kind < 2);
  if (kind == 0) {
    snprintf(buf, max, "%s%s", spaces[rand_r(seed) % NG_COUNTOF(spaces)], text);
    return iri(buf);
  }
  if (kind == 1) {
    snprintf(buf, max, "b%u", (unsigned)(rand_r(seed) % 50));
    return blank(buf);
  }
  snprintf(buf, max, "%s", text);
  if (kind == 3) return lit(buf, NULL, langs[rand_r(seed) % NG_COUNTOF(langs)]);
  if (kind == 4) return lit(buf, types[rand_r(seed) % NG_COUNTOF(types)], NULL);
  return lit(buf, NULL, NULL);
}

static NgGraph *random_graph(unsigned seed, const char *name) {
  NgGraph *g = ng_graph_new(name);
  static const char *const predicates[] = {NG_NS_RDF "type", NG_NS_ONTO "actor", NG_NS_RDFS "label",
                                           "http://ex.org/p#x.y"};
  for (int i = 0; i < 300; ++i) {
    char sb[256], ob[256];
    NgTerm s = random_term(&seed, sb, sizeof sb, true),
           o = random_term(&seed, ob, sizeof ob, false);
    NgTerm p = iri(predicates[rand_r(&seed) % NG_COUNTOF(predicates)]);
    ck_assert_int_eq(ng_graph_add(g, &s, &p, &o), NG_SUCCESS);
  }
  return g;
}

START_TEST(round_trip_through_raptor) {
  const NgSyntax syntaxes[] = {NG_SYNTAX_NTRIPLES, NG_SYNTAX_NQUADS, NG_SYNTAX_TURTLE};
  for (unsigned seed = 1; seed <= 20; ++seed) {
    NgGraph *g = random_graph(seed, "http://ex.org/graph/1");
    char *want = canonical(g);
    for (size_t k = 0; k < NG_COUNTOF(syntaxes); ++k) {
      char *text = render(syntaxes[k], g);
      NgGraph *back = parse_back(text, syntaxes[k],
                                 syntaxes[k] == NG_SYNTAX_NQUADS ? "http://ex.org/graph/1" : NULL);
      char *got = canonical(back);
      ck_assert_msg(!strcmp(got, want), "seed %u syntax %d differs", seed, (int)syntaxes[k]);
      ck_assert_uint_eq(ng_graph_size(back), ng_graph_size(g));
      free(got);
      free(text);
      ng_graph_free(back);
    }
    free(want);
    ng_graph_free(g);
  }
}
END_TEST

/* Labels that need sanitising stay distinct after the round trip. */
START_TEST(sanitised_blank_labels_stay_distinct) {
  static const char *const labels[] = {"a-b", "a_b", "a.b", "a b", "a\xc3\xa9", "a_2Db", "_"};
  NgGraph *g = ng_graph_new(NULL);
  for (size_t i = 0; i < NG_COUNTOF(labels); ++i)
    add(g, blank(labels[i]), iri("http://ex/p"), lit(labels[i], NULL, NULL));
  for (int syntax = NG_SYNTAX_NTRIPLES; syntax <= NG_SYNTAX_TURTLE; ++syntax) {
    char *text = render((NgSyntax)syntax, g);
    NgGraph *back = parse_back(text, (NgSyntax)syntax, NULL);
    ck_assert_uint_eq(ng_graph_size(back), NG_COUNTOF(labels));
    NgMap *subjects = ng_map_new();
    for (size_t i = 0; i < ng_graph_size(back); ++i) {
      const char *s = ng_graph_get(back, i)->s.value;
      ng_map_put(subjects, s, strlen(s), 1);
    }
    ck_assert_uint_eq(ng_map_size(subjects), NG_COUNTOF(labels));
    ng_map_free(subjects);
    ng_graph_free(back);
    free(text);
  }
  ng_graph_free(g);
}
END_TEST

/* ------------------------------------------------------ rdflib round trip */

#define PYTHON "/usr/bin/python3"

/* Triples as rdflib reads them: one line per triple, each part hex-encoded
 * with its kind, language and datatype, sorted. */
static const char rdflib_script[] =
    "import sys, rdflib\n"
    "g = rdflib.Graph()\n"
    "g.parse(sys.argv[1], format=sys.argv[2])\n"
    "def t(x):\n"
    "    if isinstance(x, rdflib.Literal):\n"
    "        return 'L' + str(x).encode().hex() + '@' + (x.language or '') + '^' + "
    "(str(x.datatype) if x.datatype else '')\n"
    "    if isinstance(x, rdflib.BNode):\n"
    "        return 'B'\n"
    "    return 'I' + str(x).encode().hex()\n"
    "for line in sorted(' '.join(t(x) for x in tr) for tr in g):\n"
    "    print(line)\n";

static void hex_term(NgBuf *b, const NgTerm *t) {
  if (t->kind == NG_TERM_BLANK) {
    ng_buf_putc(b, 'B');
    return;
  }
  ng_buf_putc(b, t->kind == NG_TERM_IRI ? 'I' : 'L');
  for (const unsigned char *p = (const unsigned char *)t->value; *p; ++p)
    ng_buf_printf(b, "%02x", *p);
  if (t->kind == NG_TERM_LITERAL)
    ng_buf_printf(b, "@%s^%s", t->lang ? t->lang : "", t->datatype ? t->datatype : "");
}

static char *expected_rdflib(const NgGraph *g) {
  size_t n = ng_graph_size(g);
  char **lines = calloc(n + 1, sizeof *lines);
  for (size_t i = 0; i < n; ++i) {
    const NgTriple *t = ng_graph_get(g, i);
    NgBuf b = NG_BUF_INIT;
    hex_term(&b, &t->s);
    ng_buf_putc(&b, ' ');
    hex_term(&b, &t->p);
    ng_buf_putc(&b, ' ');
    hex_term(&b, &t->o);
    lines[i] = ng_buf_take(&b);
  }
  qsort(lines, n, sizeof *lines, compare_lines);
  NgBuf all = NG_BUF_INIT;
  for (size_t i = 0; i < n; ++i) {
    ng_buf_printf(&all, "%s\n", lines[i]);
    free(lines[i]);
  }
  free(lines);
  return ng_buf_take(&all);
}

static char *run_rdflib(const char *dir, const char *text, const char *format) {
  char data[512], script[512], cmd[1200];
  snprintf(data, sizeof data, "%s/data", dir);
  snprintf(script, sizeof script, "%s/read.py", dir);
  FILE *f = fopen(data, "w");
  fputs(text, f);
  fclose(f);
  f = fopen(script, "w");
  fputs(rdflib_script, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, PYTHON " %s %s %s 2>/dev/null", script, data, format);
  FILE *p = popen(cmd, "r");
  NgBuf out = NG_BUF_INIT;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    ng_buf_append(&out, buf, n);
  ck_assert_int_eq(pclose(p), 0);
  return out.data ? ng_buf_take(&out) : strdup("");
}

/* rdflib reads what Raptor rejects: IRIs with \u-escaped spaces and
 * brackets, as the N-Triples grammar allows. */
START_TEST(round_trip_through_rdflib) {
  if (access(PYTHON, X_OK) || system(PYTHON " -c 'import rdflib' 2>/dev/null")) return;
  char dir[] = "/tmp/ng-writer-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  NgGraph *g = random_graph(7, "http://ex.org/g");
  add(g, iri("http://ex/a b<c>{d}|e^`f\\g\"h"), iri("http://ex/p"),
      lit("edge \" \\ \n \r \t \x01 \x7f \xf0\x9f\x98\x80", NULL, NULL));
  add(g, iri("http://ex/s"), iri("http://ex/p"), lit("x", NULL, "en-us"));
  /* rdflib names blank nodes anew: drop them from the comparison; and
   * rdflib 6 decodes the escaped backslash of "\\u0041" and then the \u
   * escape it forms (Raptor reads it right): leave such literals out. */
  NgGraph *no_blanks = ng_graph_new(NULL);
  for (size_t i = 0; i < ng_graph_size(g); ++i) {
    const NgTriple *t = ng_graph_get(g, i);
    if (t->s.kind != NG_TERM_BLANK && t->o.kind != NG_TERM_BLANK && !strstr(t->o.value, "\\u"))
      ck_assert_int_eq(ng_graph_add(no_blanks, &t->s, &t->p, &t->o), NG_SUCCESS);
  }
  char *want = expected_rdflib(no_blanks);
  static const struct {
    NgSyntax syntax;
    const char *format;
  } forms[] = {
      {NG_SYNTAX_NTRIPLES, "nt"}, {NG_SYNTAX_NQUADS, "nquads"}, {NG_SYNTAX_TURTLE, "turtle"}};
  for (size_t k = 0; k < NG_COUNTOF(forms); ++k) {
    char *text = render(forms[k].syntax, no_blanks);
    char *got = run_rdflib(dir, text, forms[k].format);
    ck_assert_msg(!strcmp(got, want), "rdflib read %s differently", forms[k].format);
    free(got);
    free(text);
  }
  free(want);
  ng_graph_free(no_blanks);
  ng_graph_free(g);
  char cleanup[600];
  snprintf(cleanup, sizeof cleanup, "rm -rf %s", dir);
  ck_assert_int_eq(system(cleanup), 0);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("writer");
  TCase *tc = tcase_create("writer");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, syntax_names);
  tcase_add_test(tc, prefixes_cover_the_namespaces);
  tcase_add_test(tc, ntriples_escapes_literals_exactly);
  tcase_add_test(tc, iris_and_blank_labels_are_escaped);
  tcase_add_test(tc, nquads_name_the_graph);
  tcase_add_test(tc, turtle_groups_by_subject_with_prefixes);
  tcase_add_test(tc, turtle_names_graphs_in_comments_and_continues_triples);
  tcase_add_test(tc, bad_terms_and_failed_output_are_reported);
  tcase_add_test(tc, round_trip_through_raptor);
  tcase_add_test(tc, sanitised_blank_labels_stay_distinct);
  tcase_add_test(tc, round_trip_through_rdflib);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
