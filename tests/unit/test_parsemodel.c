/* test_parsemodel.c - loading the parser model: the built-in one, files,
 * and bad files (missing, empty, truncated, corrupt, of another version,
 * with offsets or classes out of range): each a clear error naming the
 * file, never a crash (this suite runs under ASan in CI). */
#include "parser.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const unsigned char ng_parse_model_data[];
extern const unsigned char ng_parse_model_end[];

static char last_error[1024];
static unsigned errors;

static void sink(void *handle, const NgError *e) {
  (void)handle;
  errors++;
  snprintf(last_error, sizeof last_error, "%s: %s", e->file ? e->file : "(none)", e->message);
}

static NgWorld *world;
static char path[64];

static void setup(void) {
  world = ng_world_new();
  ng_world_set_error_sink(world, sink, NULL);
  errors = 0;
  last_error[0] = '\0';
  snprintf(path, sizeof path, "/tmp/ng-model-test-%ld.ngp", (long)getpid());
}

static void teardown(void) {
  unlink(path);
  ng_world_free(world);
}

static size_t builtin_len(void) { return (size_t)(ng_parse_model_end - ng_parse_model_data); }

/* A copy of the built-in model (8-byte aligned), to damage. */
static unsigned char *model_copy(size_t *len) {
  *len = builtin_len();
  unsigned char *m = malloc(*len + 8);
  memcpy(m, ng_parse_model_data, *len);
  return m;
}

static void write_model(const unsigned char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* Loading path must fail with an error that names it and says why. */
static void refused(const char *why) {
  NgStatus st;
  NgParser *p = ng_parser_load(world, path, &st);
  ck_assert_ptr_null(p);
  ck_assert_int_ne(st, NG_SUCCESS);
  ck_assert_uint_ge(errors, 1);
  ck_assert_msg(strstr(last_error, path) != NULL, "error does not name the file: %s", last_error);
  ck_assert_msg(strstr(last_error, why) != NULL, "error '%s' does not say '%s'", last_error, why);
}

/* Fix the checksum of a damaged copy, so that the checks behind it run. */
static void reseal(unsigned char *m, size_t len) {
  NgModelHeader h;
  memcpy(&h, m, sizeof h);
  h.checksum = ng_parse_checksum(m + sizeof h, len - sizeof h);
  memcpy(m, &h, sizeof h);
}

START_TEST(builtin_model_loads) {
  NgStatus st;
  NgParser *p = ng_parser_builtin(world, &st);
  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(st, NG_SUCCESS);
  ck_assert_uint_gt(ng_parser_tag_count(p), 40);
  ck_assert_uint_gt(ng_parser_label_count(p), 30);
  ck_assert_int_ge(ng_parser_deprel_id(p, "nsubj:pass"), 0);
  ck_assert_int_ge(ng_parser_deprel_id(p, "obl:agent"), 0);
  ck_assert_int_ge(ng_parser_deprel_id(p, "acl:relcl"), 0);
  ck_assert_int_eq(ng_parser_deprel_id(p, "no-such-relation"), -1);
  ng_parser_free(p);
  ng_parser_free(NULL);
}
END_TEST

START_TEST(model_file_loads) {
  write_model(ng_parse_model_data, builtin_len());
  NgStatus st;
  NgParser *p = ng_parser_load(world, path, &st);
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(errors, 0);
  ng_parser_free(p);
}
END_TEST

START_TEST(missing_empty_and_directory) {
  refused("cannot read");
  write_model((const unsigned char *)"", 0);
  refused("too short");
  NgStatus st;
  ck_assert_ptr_null(ng_parser_load(world, "/tmp", &st));
  ck_assert_int_eq(st, NG_ERR_IO);
}
END_TEST

START_TEST(truncated_anywhere) {
  size_t len;
  unsigned char *m = model_copy(&len);
  size_t cuts[] = {1, 7, sizeof(NgModelHeader) - 1, sizeof(NgModelHeader), len / 3, len / 2, len - 1};
  for (size_t k = 0; k < NG_COUNTOF(cuts); ++k) {
    write_model(m, cuts[k]);
    refused(cuts[k] < sizeof(NgModelHeader) ? "too short" : "truncated");
  }
  free(m);
}
END_TEST

START_TEST(corrupt_bytes) {
  size_t len;
  unsigned char *m = model_copy(&len);
  m[len / 2] ^= 0x40;
  write_model(m, len);
  refused("checksum");
  memcpy(m, ng_parse_model_data, len);
  memcpy(m, "GIF89a\0\0", 8);
  write_model(m, len);
  refused("signature");
  free(m);
}
END_TEST

START_TEST(another_version) {
  size_t len;
  unsigned char *m = model_copy(&len);
  NgModelHeader h;
  memcpy(&h, m, sizeof h);
  h.version = NG_PARSE_MODEL_VERSION + 1;
  memcpy(m, &h, sizeof h);
  write_model(m, len);
  refused("version");
  free(m);
}
END_TEST

START_TEST(offsets_and_classes_out_of_range) {
  size_t len;
  unsigned char *m = model_copy(&len);
  NgModelHeader h, orig;
  memcpy(&orig, m, sizeof orig);
  /* a section beyond the end */
  h = orig;
  h.offset[NG_SEC_PARSE_ROWS] = len + 64;
  memcpy(m, &h, sizeof h);
  reseal(m, len);
  write_model(m, len);
  refused("outside the file");
  /* too many labels */
  h = orig;
  h.nlabels = 200;
  memcpy(m, &h, sizeof h);
  reseal(m, len);
  write_model(m, len);
  refused("out of range");
  /* a weight row's class beyond the tags */
  memcpy(m, &orig, sizeof orig);
  uint32_t *rows = (uint32_t *)(m + orig.offset[NG_SEC_TAG_ROWS]);
  size_t at = 1; /* the first sparse row: its count, then its entries */
  while (rows[at] & NG_ROW_DENSE) at += 1 + (rows[at] & ~NG_ROW_DENSE);
  ck_assert_uint_gt(rows[at], 0);
  rows[at + 1] |= 0xFF;
  reseal(m, len);
  write_model(m, len);
  refused("outside its table");
  /* a slot pointing past the rows */
  memcpy(m + orig.offset[NG_SEC_TAG_ROWS], ng_parse_model_data + orig.offset[NG_SEC_TAG_ROWS], 16);
  uint64_t *slots = (uint64_t *)(m + orig.offset[NG_SEC_TAG_SLOTS]);
  size_t i = 0;
  while (!slots[i]) i++;
  slots[i] = (slots[i] & ~0xFFFFFFFFull) | 0xFFFFFFF0u;
  reseal(m, len);
  write_model(m, len);
  refused("outside its table");
  /* a table with no empty slot would make lookups loop: refused */
  memcpy(m, ng_parse_model_data, len);
  slots = (uint64_t *)(m + orig.offset[NG_SEC_WORD_SLOTS]);
  for (size_t k = 0; k < orig.size[NG_SEC_WORD_SLOTS] / 8; ++k)
    if (!slots[k]) slots[k] = 0xFFFFFFFF00000001ull;
  reseal(m, len);
  write_model(m, len);
  refused("word table");
  free(m);
}
END_TEST

START_TEST(states_are_per_thread_and_free_null) {
  NgStatus st;
  NgParser *p = ng_parser_builtin(world, &st);
  NgParseState *a = ng_parse_state_new(p), *b = ng_parse_state_new(p);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  NgParseWord w[2] = {{"Hello", "hello", 5, 5, NULL}, {"!", "!", 1, 1, NULL}};
  NgParseResult ra[2], rb[2];
  ck_assert_int_eq(ng_parse(p, a, 2, w, ra), NG_SUCCESS);
  ck_assert_int_eq(ng_parse(p, b, 2, w, rb), NG_SUCCESS);
  ck_assert_int_eq(ra[0].head, rb[0].head);
  ck_assert_int_eq(ra[1].deprel, rb[1].deprel);
  ck_assert_int_eq(ng_parse(p, a, 0, w, ra), NG_SUCCESS);
  ng_parse_state_free(a);
  ng_parse_state_free(b);
  ng_parse_state_free(NULL);
  ng_parser_free(p);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("parsemodel");
  TCase *tc = tcase_create("parsemodel");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, builtin_model_loads);
  tcase_add_test(tc, model_file_loads);
  tcase_add_test(tc, missing_empty_and_directory);
  tcase_add_test(tc, truncated_anywhere);
  tcase_add_test(tc, corrupt_bytes);
  tcase_add_test(tc, another_version);
  tcase_add_test(tc, offsets_and_classes_out_of_range);
  tcase_add_test(tc, states_are_per_thread_and_free_null);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
