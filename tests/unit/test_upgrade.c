/* test_upgrade.c - carrying a store of the older format over: a
 * generation written with Redland's hashes storage (as that format did),
 * then journal records past it (one already in the generation, a replace,
 * an add with every kind of term, a torn tail), upgraded and compared; a
 * record damaged in the middle of the journal refuses the upgrade. */
#include "internal.h"
#include "iri.h"
#include "query.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The world's diagnostics, kept for the test to read. */
typedef struct {
  char text[4096];
  size_t len;
} Captured;

static void capture(void *handle, const NgError *e) {
  Captured *c = handle;
  int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s\n", e->message);
  if (n > 0 && (size_t)n < sizeof c->text - c->len) c->len += (size_t)n;
}

static NgWorld *quiet_world(Captured *c) {
  NgWorld *w = ng_world_new();
  memset(c, 0, sizeof *c);
  ng_world_set_error_sink(w, capture, c);
  return w;
}

static char *temp_store(void) {
  char *dir = strdup("/tmp/ng-upgrade-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char *path = malloc(strlen(dir) + 4);
  sprintf(path, "%s/db", dir);
  free(dir);
  return path;
}

static void remove_store(char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.old' '%s.upgrading' && rmdir \"$(dirname '%s')\"",
           path, path, path, path);
  ck_assert_int_eq(system(cmd), 0);
  free(path);
}

static void write_text(const char *dir, const char *name, const char *text, size_t len) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* ---------------------------------------------- the old generation */

static void add_quad(librdf_world *w, librdf_model *m, const char *g, const char *s, const char *p,
                     librdf_node *o) {
  librdf_node *c = librdf_new_node_from_uri_string(w, (const unsigned char *)g);
  librdf_statement *t = librdf_new_statement_from_nodes(
      w, librdf_new_node_from_uri_string(w, (const unsigned char *)s),
      librdf_new_node_from_uri_string(w, (const unsigned char *)p), o);
  ck_assert_int_eq(librdf_model_context_add_statement(m, c, t), 0);
  librdf_free_statement(t);
  librdf_free_node(c);
}

/* gen-000001: g1 = {s p o1, s p o2}, g2 = {s p o1} (3 quads, seq 1 applied) */
static void write_generation(const char *dir) {
  char gen[600];
  snprintf(gen, sizeof gen, "%s/gen-000001", dir);
  ck_assert_int_eq(mkdir(dir, 0755), 0);
  ck_assert_int_eq(mkdir(gen, 0755), 0);
  librdf_world *w = librdf_new_world();
  librdf_world_open(w);
  librdf_hash *options = librdf_new_hash(w, NULL);
  librdf_hash_put_strings(options, "hash-type", "bdb");
  librdf_hash_put_strings(options, "dir", gen);
  librdf_hash_put_strings(options, "contexts", "yes");
  librdf_hash_put_strings(options, "index-predicates", "yes");
  librdf_hash_put_strings(options, "write", "yes");
  librdf_hash_put_strings(options, "new", "yes");
  librdf_storage *s = librdf_new_storage_with_options(w, "hashes", "ng", options);
  librdf_free_hash(options);
  ck_assert_ptr_nonnull(s);
  librdf_model *m = librdf_new_model(w, s, NULL);
  const char *o[] = {"http://e.org/o1", "http://e.org/o2"};
  for (int i = 0; i < 2; ++i)
    add_quad(w, m, "http://e.org/g1", "http://e.org/s", "http://e.org/p",
             librdf_new_node_from_uri_string(w, (const unsigned char *)o[i]));
  add_quad(w, m, "http://e.org/g2", "http://e.org/s", "http://e.org/p",
           librdf_new_node_from_uri_string(w, (const unsigned char *)o[0]));
  librdf_free_model(m);
  librdf_free_storage(s);
  librdf_free_world(w);
  const char *meta =
      "newsgraph-meta 1\nseq 1\nquads 3\ntriples 2\nevents 0\narticles 0\ngraphs 2\n";
  write_text(gen, "meta", meta, strlen(meta));
  write_text(dir, "CURRENT", "gen-000001\n", 11);
  write_text(dir, "LOCK", "", 0);
}

/* ------------------------------------------------------- the journal */

static uint32_t crc32_of(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--) {
    c ^= *p++;
    for (int k = 0; k < 8; ++k)
      c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

static void put_varint(NgBuf *b, uint64_t v) {
  do {
    ng_buf_putc(b, (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
    v >>= 7;
  } while (v);
}

static void put_string(NgBuf *b, const char *s) {
  put_varint(b, strlen(s));
  ng_buf_append(b, s, strlen(s) + 1);
}

typedef struct {
  int tag;                   /* 1 IRI, 2 blank, 3 literal, 4 language, 5 typed */
  const char *value, *extra; /* language; for 5 the datatype's index as text */
} Term;

/* One record: kind, seq, graph, terms, triples of term indexes. */
static void put_record(NgBuf *out, int kind, uint64_t seq, const char *graph, const Term *terms,
                       size_t nterms, const int *triples, size_t ntriples) {
  NgBuf p = NG_BUF_INIT;
  ng_buf_putc(&p, (char)kind);
  for (int i = 0; i < 8; ++i)
    ng_buf_putc(&p, (char)(seq >> (8 * i)));
  put_string(&p, graph);
  put_varint(&p, nterms);
  for (size_t i = 0; i < nterms; ++i) {
    ng_buf_putc(&p, (char)terms[i].tag);
    put_string(&p, terms[i].value);
    if (terms[i].tag == 4) put_string(&p, terms[i].extra);
    if (terms[i].tag == 5) put_varint(&p, (uint64_t)atoi(terms[i].extra));
  }
  put_varint(&p, ntriples);
  for (size_t i = 0; i < 3 * ntriples; ++i)
    put_varint(&p, (uint64_t)triples[i]);
  unsigned char head[12] = {'N', 'G', 'J', '1'};
  uint32_t len = (uint32_t)p.len, crc = crc32_of((const unsigned char *)p.data, p.len);
  for (int i = 0; i < 4; ++i) {
    head[4 + i] = (unsigned char)(len >> (8 * i));
    head[8 + i] = (unsigned char)(crc >> (8 * i));
  }
  ng_buf_append(out, (const char *)head, 12);
  ng_buf_append(out, p.data, p.len);
  ng_buf_free(&p);
}

static void write_journal(const char *dir) {
  NgBuf j = NG_BUF_INIT;
  Term t1[] = {
      {1, "http://e.org/s", NULL}, {1, "http://e.org/p", NULL}, {1, "http://e.org/o9", NULL}};
  int tr1[] = {0, 1, 2};
  /* seq 1 is in the generation already: must not replace g1 again */
  put_record(&j, 1, 1, "http://e.org/g1", t1, 3, tr1, 1);
  /* seq 2 replaces g2 with s p o9 */
  put_record(&j, 1, 2, "http://e.org/g2", t1, 3, tr1, 1);
  /* seq 3 adds to g3 every kind of term */
  Term t3[] = {{1, "http://e.org/s", NULL},
               {1, "http://e.org/p", NULL},
               {2, "b1", NULL},
               {3, "plain text", NULL},
               {4, "chat", "fr"},
               {1, NG_NS_XSD "integer", NULL},
               {5, "42", "5"},
               {5, "0042", "5"}};
  int tr3[] = {0, 1, 2, 2, 1, 3, 0, 1, 4, 0, 1, 6, 0, 1, 7};
  put_record(&j, 2, 3, "http://e.org/g3", t3, 8, tr3, 5);
  size_t whole = j.len;
  /* a torn record at the end: never committed, ignored */
  put_record(&j, 2, 4, "http://e.org/g4", t1, 3, tr1, 1);
  write_text(dir, "journal", j.data, whole + (j.len - whole) / 2);
  ng_buf_free(&j);
}

/* ------------------------------------------------------------ tests */

static char *export_nquads(NgStore *s) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ck_assert_int_eq(ng_store_export(s, NG_SYNTAX_NQUADS, NULL, f), NG_SUCCESS);
  fclose(f);
  return text;
}

START_TEST(an_old_store_comes_over_whole) {
  char *path = temp_store();
  write_generation(path);
  write_journal(path);
  NgWorld *w = ng_world_new();
  unsigned long quads = 0;
  ck_assert_int_eq(ng_store_upgrade(w, path, &quads), NG_SUCCESS);
  /* g1: o1 o2 (seq 1 skipped); g2: o9 (replaced); g3: 5 */
  ck_assert_uint_eq(quads, 8);
  NgStore *s = ng_store_open(w, path, NG_STORE_READ, NULL);
  ck_assert_ptr_nonnull(s);
  NgStoreStats st;
  ck_assert_int_eq(ng_store_stats(s, &st), NG_SUCCESS);
  ck_assert_uint_eq(st.quads, 8);
  ck_assert_uint_eq(st.graphs, 3);
  char *text = export_nquads(s);
  const char *want[] = {
      "<http://e.org/s> <http://e.org/p> <http://e.org/o1> <http://e.org/g1> .",
      "<http://e.org/s> <http://e.org/p> <http://e.org/o2> <http://e.org/g1> .",
      "<http://e.org/s> <http://e.org/p> <http://e.org/o9> <http://e.org/g2> .",
      "_:b1 <http://e.org/p> \"plain text\" <http://e.org/g3> .",
      "<http://e.org/s> <http://e.org/p> \"chat\"@fr <http://e.org/g3> .",
      "<http://e.org/s> <http://e.org/p> \"42\"^^<" NG_NS_XSD "integer> <http://e.org/g3> .",
      "<http://e.org/s> <http://e.org/p> \"0042\"^^<" NG_NS_XSD "integer> <http://e.org/g3> .",
      "<http://e.org/s> <http://e.org/p> _:b1 <http://e.org/g3> ."};
  for (size_t i = 0; i < NG_COUNTOF(want); ++i)
    ck_assert_msg(strstr(text, want[i]), "missing %s in\n%s", want[i], text);
  ck_assert_ptr_null(strstr(text, "o9> <http://e.org/g1>"));
  ck_assert_ptr_null(strstr(text, "g4"));
  free(text);
  ng_store_free(s);
  /* the old store is kept beside it, untouched */
  char old[600];
  snprintf(old, sizeof old, "%s.old/CURRENT", path);
  struct stat sb;
  ck_assert_int_eq(stat(old, &sb), 0);
  /* a second run finds nothing to do, and says so */
  ck_assert_int_ne(ng_store_upgrade(w, path, NULL), NG_SUCCESS);
  ng_world_free(w);
  remove_store(path);
}
END_TEST

/* A record damaged in the middle of the journal, with committed records
 * after it, is refused (cutting it off would lose them); the old store
 * stays as it was, and nothing is put in its place. */
START_TEST(a_damaged_journal_record_is_refused) {
  char *path = temp_store();
  write_generation(path);
  write_journal(path);
  char journal[600];
  snprintf(journal, sizeof journal, "%s/journal", path);
  FILE *f = fopen(journal, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, 20, SEEK_SET), 0); /* inside the first record's payload */
  fputc('#', f);
  fclose(f);
  Captured c;
  NgWorld *w = quiet_world(&c);
  ck_assert_int_eq(ng_store_upgrade(w, path, NULL), NG_ERR_STORE);
  ck_assert_ptr_nonnull(
      strstr(c.text, "damaged record at byte 0, with committed records after it"));
  char other[600];
  struct stat sb;
  snprintf(other, sizeof other, "%s/CURRENT", path);
  ck_assert_int_eq(stat(other, &sb), 0); /* still the old store */
  snprintf(other, sizeof other, "%s.old", path);
  ck_assert_int_ne(stat(other, &sb), 0);
  ng_world_free(w);
  remove_store(path);
}
END_TEST

/* A run that died between its two renames is finished by the next. */
START_TEST(an_interrupted_switch_is_finished) {
  char *path = temp_store();
  write_generation(path);
  NgWorld *w = ng_world_new();
  ck_assert_int_eq(ng_store_upgrade(w, path, NULL), NG_SUCCESS);
  char moved[600];
  snprintf(moved, sizeof moved, "%s.upgrading", path);
  ck_assert_int_eq(rename(path, moved), 0); /* as if the last rename had not happened */
  ck_assert_int_eq(ng_store_upgrade(w, path, NULL), NG_SUCCESS);
  NgStore *s = ng_store_open(w, path, NG_STORE_READ, NULL);
  NgStoreStats st;
  ck_assert_int_eq(ng_store_stats(s, &st), NG_SUCCESS);
  ck_assert_uint_eq(st.quads, 3);
  ng_store_free(s);
  ng_world_free(w);
  remove_store(path);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("upgrade");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, an_old_store_comes_over_whole);
  tcase_add_test(tc, an_interrupted_switch_is_finished);
  tcase_add_test(tc, a_damaged_journal_record_is_refused);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
