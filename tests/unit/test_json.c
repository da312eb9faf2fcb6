/* test_json.c - the strict JSON pull parser. */
#include "json.h"
#include "unit.h"

#include <string.h>

/* Skip one whole document; the status of that and of the end check. */
static NgStatus skip_document(const char *text, size_t len, NgJson *json) {
  ng_json_init(json, text, len);
  NgStatus st = ng_json_skip(json);
  return st ? st : ng_json_finish(json);
}

static const char *const valid[] = {"0",
                                    "-0",
                                    "1",
                                    "-12.5e+3",
                                    "1E9",
                                    "0.000",
                                    "12345678901234567890123",
                                    "true",
                                    "false",
                                    "null",
                                    "\"\"",
                                    "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
                                    "\"\\u00e9\\uD83D\\uDE00\"",
                                    "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
                                    "[]",
                                    "{}",
                                    " [ ] ",
                                    "[1,[2,[3,[]]],{}]",
                                    "{\"a\":{\"b\":[true,false,null]},\"c\":\"d\"}",
                                    "{\"\":0}",
                                    "\t\r\n[1]\n",
                                    "{\"a\":1,\"a\":2}",
                                    "\"\\u0000\"" /* fine when only skipped */};

START_TEST(valid_documents_are_skipped) {
  const char *text = valid[_i];
  NgJson json;
  ck_assert_msg(skip_document(text, strlen(text), &json) == NG_SUCCESS, "%s: %s at %zu", text,
                json.error, json.error_offset);
  ck_assert_ptr_null(json.error);
}
END_TEST

/* An invalid document, what is wrong and where (byte offset). */
static const struct {
  const char *text;
  NgStatus status;
  size_t offset;
  const char *message;
} invalid[] = {
    {"", NG_ERR_SYNTAX, 0, "expected a value"},
    {"01", NG_ERR_SYNTAX, 1, "invalid number"},
    {"-", NG_ERR_SYNTAX, 0, "expected a value"},
    {"1.", NG_ERR_SYNTAX, 2, "invalid number"},
    {"1.e5", NG_ERR_SYNTAX, 2, "invalid number"},
    {"1e", NG_ERR_SYNTAX, 2, "invalid number"},
    {"+1", NG_ERR_SYNTAX, 0, "expected a value"},
    {".5", NG_ERR_SYNTAX, 0, "expected a value"},
    {"tru", NG_ERR_SYNTAX, 0, "expected a value"},
    {"nul", NG_ERR_SYNTAX, 0, "expected a value"},
    {"True", NG_ERR_SYNTAX, 0, "expected a value"},
    {"[1,]", NG_ERR_SYNTAX, 3, "expected a value"},
    {"[1 2]", NG_ERR_SYNTAX, 3, "expected ',' or ']'"},
    {"[1", NG_ERR_SYNTAX, 2, "expected ',' or ']'"},
    {"{\"a\":1,}", NG_ERR_SYNTAX, 7, "member name"},
    {"{\"a\" 1}", NG_ERR_SYNTAX, 5, "expected ':'"},
    {"{a:1}", NG_ERR_SYNTAX, 1, "member name"},
    {"{\"a\":1", NG_ERR_SYNTAX, 6, "expected ',' or '}'"},
    {"{\"a\":1]", NG_ERR_SYNTAX, 6, "expected ',' or '}'"},
    {"[}", NG_ERR_SYNTAX, 1, "expected a value"},
    {"\"abc", NG_ERR_SYNTAX, 0, "unterminated string"},
    {"\"a\tb\"", NG_ERR_SYNTAX, 2, "control character"},
    {"\"\\x\"", NG_ERR_SYNTAX, 1, "invalid escape"},
    {"\"\\u12G4\"", NG_ERR_SYNTAX, 1, "invalid \\u escape"},
    {"\"\\uD83D\"", NG_ERR_SYNTAX, 1, "lone high surrogate"},
    {"\"\\uD83Dx\"", NG_ERR_SYNTAX, 1, "lone high surrogate"},
    {"\"\\uD83D\\u0041\"", NG_ERR_SYNTAX, 1, "lone high surrogate"},
    {"\"\\uDE00\"", NG_ERR_SYNTAX, 1, "lone low surrogate"},
    {"\"ab\xFF\"", NG_ERR_ENCODING, 3, "invalid UTF-8"},
    {"\"\xC0\xAF\"", NG_ERR_ENCODING, 1, "invalid UTF-8"},         /* overlong '/' */
    {"\"\xED\xA0\x80\"", NG_ERR_ENCODING, 1, "invalid UTF-8"},     /* UTF-8 surrogate */
    {"\"\xF4\x90\x80\x80\"", NG_ERR_ENCODING, 1, "invalid UTF-8"}, /* above U+10FFFF */
    {"\"\xE2\x82\"", NG_ERR_ENCODING, 1, "invalid UTF-8"},         /* truncated */
    {"1 2", NG_ERR_SYNTAX, 2, "unexpected text"},
    {"{} x", NG_ERR_SYNTAX, 3, "unexpected text"},
    {"[1,2,3]]", NG_ERR_SYNTAX, 7, "unexpected text"},
    {"/* c */ 1", NG_ERR_SYNTAX, 0, "expected a value"},
};

START_TEST(invalid_documents_are_refused) {
  NgJson json;
  const char *text = invalid[_i].text;
  NgStatus st = skip_document(text, strlen(text), &json);
  ck_assert_msg(st == invalid[_i].status, "'%s': status %d", text, st);
  ck_assert_ptr_nonnull(json.error);
  ck_assert_msg(strstr(json.error, invalid[_i].message), "'%s': '%s'", text, json.error);
  ck_assert_msg(json.error_offset == invalid[_i].offset, "'%s': offset %zu", text,
                json.error_offset);
}
END_TEST

/* Decoding, with the special character at every position around the
 * eight-byte fast path. */
START_TEST(strings_decode_at_every_alignment) {
  static const struct {
    const char *json, *decoded;
  } pieces[] = {{"\\n", "\n"},
                {"\\\"", "\""},
                {"\\u20AC", "\xE2\x82\xAC"},
                {"\xC3\xA9", "\xC3\xA9"},
                {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"},
                {"\\/", "/"},
                {"\xE4\xB8\xAD", "\xE4\xB8\xAD"}};
  for (size_t p = 0; p < NG_COUNTOF(pieces); ++p) {
    for (size_t before = 0; before < 18; ++before) {
      char text[128], expect[128];
      size_t t = 0, e = 0;
      text[t++] = '"';
      for (size_t i = 0; i < before; ++i)
        text[t++] = expect[e++] = (char)('a' + i);
      t += (size_t)sprintf(text + t, "%s", pieces[p].json);
      e += (size_t)sprintf(expect + e, "%s", pieces[p].decoded);
      for (size_t i = 0; i < 9; ++i)
        text[t++] = expect[e++] = 'z';
      text[t++] = '"';
      NgJson json;
      NgBuf out = NG_BUF_INIT;
      ng_json_init(&json, text, t);
      ck_assert_int_eq(ng_json_peek(&json), NG_JSON_STRING);
      ck_assert_int_eq(ng_json_string(&json, &out), NG_SUCCESS);
      ck_assert_uint_eq(out.len, e);
      ck_assert_int_eq(memcmp(out.data, expect, e), 0);
      ck_assert_int_eq(ng_json_finish(&json), NG_SUCCESS);
      ng_buf_free(&out);
    }
  }
}
END_TEST

/* A quote or a control character is found wherever it falls in a word. */
START_TEST(string_end_found_at_every_alignment) {
  for (size_t len = 0; len < 20; ++len) {
    char text[64];
    memset(text, 'x', sizeof text);
    text[0] = '"';
    text[1 + len] = '"';
    NgJson json;
    NgBuf out = NG_BUF_INIT;
    ng_json_init(&json, text, len + 2);
    ck_assert_int_eq(ng_json_string(&json, &out), NG_SUCCESS);
    ck_assert_uint_eq(out.len, len);
    text[1 + len] = '\x01';
    ng_json_init(&json, text, len + 3);
    ck_assert_int_eq(ng_json_string(&json, &out), NG_ERR_SYNTAX);
    ck_assert_uint_eq(json.error_offset, 1 + len);
    ng_buf_free(&out);
  }
}
END_TEST

START_TEST(nul_escape_cannot_be_decoded) {
  NgJson json;
  NgBuf out = NG_BUF_INIT;
  const char *text = "\"ab\\u0000\"";
  ng_buf_puts(&out, "kept");
  ng_json_init(&json, text, strlen(text));
  ck_assert_int_eq(ng_json_string(&json, &out), NG_ERR_ENCODING);
  ck_assert_uint_eq(json.error_offset, 3);
  ck_assert_str_eq(out.data, "kept"); /* nothing half-decoded is left behind */
  ng_buf_free(&out);
}
END_TEST

START_TEST(object_members) {
  const char *text = " { \"id\" : 42 , \"t\\u0065xt\":\"hi\", \"skip\":{\"a\":[1,{\"b\":null}]},"
                     "\"n\":-1.5e3 } ";
  NgJson json;
  NgBuf key = NG_BUF_INIT, value = NG_BUF_INIT;
  const char *num;
  size_t len, count = 0;
  ng_json_init(&json, text, strlen(text));
  ck_assert_int_eq(ng_json_peek(&json), NG_JSON_OBJECT);
  ck_assert_int_eq(ng_json_object_begin(&json), NG_SUCCESS);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
  ck_assert_str_eq(key.data, "id");
  ck_assert_int_eq(ng_json_peek(&json), NG_JSON_NUMBER);
  ck_assert_int_eq(ng_json_number(&json, &num, &len), NG_SUCCESS);
  ck_assert_int_eq(len, 2);
  ck_assert_int_eq(memcmp(num, "42", 2), 0);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
  ck_assert_str_eq(key.data, "text");
  ck_assert_int_eq(ng_json_string(&json, &value), NG_SUCCESS);
  ck_assert_str_eq(value.data, "hi");
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
  ck_assert_str_eq(key.data, "skip");
  ck_assert_int_eq(ng_json_peek(&json), NG_JSON_OBJECT);
  ck_assert_int_eq(ng_json_skip(&json), NG_SUCCESS);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
  ck_assert_str_eq(key.data, "n");
  ck_assert_int_eq(ng_json_number(&json, &num, &len), NG_SUCCESS);
  ck_assert_int_eq(len, 6);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_END);
  ck_assert_uint_eq(count, 4);
  ck_assert_int_eq(ng_json_finish(&json), NG_SUCCESS);
  ng_buf_free(&key);
  ng_buf_free(&value);
}
END_TEST

START_TEST(empty_object_and_wrong_types) {
  NgJson json;
  NgBuf key = NG_BUF_INIT;
  size_t count = 0;
  ng_json_init(&json, "{}", 2);
  ck_assert_int_eq(ng_json_object_begin(&json), NG_SUCCESS);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_END);
  ck_assert_int_eq(ng_json_finish(&json), NG_SUCCESS);
  ng_json_init(&json, "[]", 2);
  ck_assert_int_eq(ng_json_object_begin(&json), NG_ERR_SYNTAX);
  ck_assert_str_eq(json.error, "expected an object");
  /* once failed, the parser stays failed */
  ck_assert_int_eq(ng_json_skip(&json), NG_ERR_SYNTAX);
  ng_json_init(&json, "{\"a\":1 \"b\":2}", 13);
  count = 0;
  ck_assert_int_eq(ng_json_object_begin(&json), NG_SUCCESS);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
  ck_assert_int_eq(ng_json_skip(&json), NG_SUCCESS);
  ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_ERR_SYNTAX);
  ck_assert_uint_eq(json.error_offset, 7);
  const char *num;
  size_t len;
  ng_json_init(&json, "\"s\"", 3);
  ck_assert_int_eq(ng_json_number(&json, &num, &len), NG_ERR_SYNTAX);
  ng_json_init(&json, "5", 1);
  ck_assert_int_eq(ng_json_string(&json, &key), NG_ERR_SYNTAX);
  ck_assert_str_eq(json.error, "expected a string");
  ng_buf_free(&key);
}
END_TEST

/* 64 levels are accepted, 65 are not, whether entered or skipped. */
START_TEST(depth_limit) {
  char text[200];
  for (int depth = 63; depth <= 65; ++depth) {
    size_t n = 0;
    for (int i = 0; i < depth; ++i)
      text[n++] = '[';
    for (int i = 0; i < depth; ++i)
      text[n++] = ']';
    NgJson json;
    NgStatus st = skip_document(text, n, &json);
    ck_assert_int_eq(st, depth <= NG_JSON_MAX_DEPTH ? NG_SUCCESS : NG_ERR_SYNTAX);
    if (st) ck_assert_uint_eq(json.error_offset, NG_JSON_MAX_DEPTH);
  }
}
END_TEST

START_TEST(depth_counts_the_entered_object) {
  NgBuf text = NG_BUF_INIT, key = NG_BUF_INIT;
  for (int inner = 63; inner <= 64; ++inner) {
    ng_buf_clear(&text);
    ng_buf_puts(&text, "{\"k\":");
    for (int i = 0; i < inner; ++i)
      ng_buf_puts(&text, "{\"k\":");
    ng_buf_puts(&text, "1");
    for (int i = 0; i <= inner; ++i)
      ng_buf_putc(&text, '}');
    NgJson json;
    size_t count = 0;
    ng_json_init(&json, text.data, text.len);
    ck_assert_int_eq(ng_json_object_begin(&json), NG_SUCCESS);
    ck_assert_int_eq(ng_json_object_next(&json, &count, &key), NG_SUCCESS);
    /* 1 entered + inner skipped: 64 is the limit */
    NgStatus want = inner + 1 <= NG_JSON_MAX_DEPTH ? NG_SUCCESS : NG_ERR_SYNTAX;
    ck_assert_int_eq(ng_json_skip(&json), want);
  }
  ng_buf_free(&text);
  ng_buf_free(&key);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("json");
  TCase *tc = tcase_create("json");
  tcase_add_loop_test(tc, valid_documents_are_skipped, 0, (int)NG_COUNTOF(valid));
  tcase_add_loop_test(tc, invalid_documents_are_refused, 0, (int)NG_COUNTOF(invalid));
  tcase_add_test(tc, strings_decode_at_every_alignment);
  tcase_add_test(tc, string_end_found_at_every_alignment);
  tcase_add_test(tc, nul_escape_cannot_be_decoded);
  tcase_add_test(tc, object_members);
  tcase_add_test(tc, empty_object_and_wrong_types);
  tcase_add_test(tc, depth_limit);
  tcase_add_test(tc, depth_counts_the_entered_object);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
