/* test_core.c - buffers, arena, hash map, UTF-8, calendar, slugs, world. */
#include "internal.h"
#include "unit.h"

#include <string.h>

START_TEST(buf_grows_and_stays_terminated) {
  NgBuf b = NG_BUF_INIT;
  ck_assert_str_eq(ng_buf_str(&b), "");
  for (int i = 0; i < 1000; ++i) ck_assert_int_eq(ng_buf_putc(&b, 'x'), NG_SUCCESS);
  ck_assert_uint_eq(b.len, 1000);
  ck_assert_int_eq(b.data[1000], '\0');
  ng_buf_clear(&b);
  ng_buf_printf(&b, "%s-%d", "a", 42);
  ck_assert_str_eq(b.data, "a-42");
  char *owned = ng_buf_take(&b);
  ck_assert_str_eq(owned, "a-42");
  ck_assert_ptr_null(b.data);
  free(owned);
  ng_buf_free(&b);
}
END_TEST

START_TEST(arena_strings_survive_growth) {
  NgArena a = NG_ARENA_INIT;
  char *first = ng_arena_strdup(&a, "first");
  for (int i = 0; i < 10000; ++i) ck_assert_ptr_nonnull(ng_arena_printf(&a, "s%d", i));
  char *big = ng_arena_alloc(&a, 1 << 20);
  ck_assert_ptr_nonnull(big);
  memset(big, 1, 1 << 20);
  ck_assert_str_eq(first, "first");
  ck_assert_uint_eq((uintptr_t)ng_arena_alloc(&a, 3) % 8, 0);
  ng_arena_free(&a);
  ng_arena_free(&a); /* twice is harmless */
}
END_TEST

START_TEST(map_put_get_iterate) {
  NgMap *m = ng_map_new();
  char key[32];
  for (int i = 0; i < 5000; ++i) {
    int n = snprintf(key, sizeof key, "k%d", i);
    ck_assert_int_eq(ng_map_put(m, key, (size_t)n, (uintptr_t)i), NG_SUCCESS);
  }
  ck_assert_uint_eq(ng_map_size(m), 5000);
  uintptr_t v = 0;
  ck_assert(ng_map_get(m, "k4321", 5, &v));
  ck_assert_uint_eq(v, 4321);
  ck_assert(!ng_map_get(m, "k5000", 5, &v));
  ck_assert(ng_map_get(m, "k4321", 3, &v)); /* a prefix is its own key */
  ck_assert_uint_eq(v, 43);
  bool inserted = true;
  uintptr_t *slot = ng_map_slot(m, "k7", 2, &inserted);
  ck_assert(!inserted);
  ck_assert_uint_eq(*slot, 7);
  size_t it = 0, seen = 0;
  while (ng_map_next(m, &it, NULL, NULL, NULL)) seen++;
  ck_assert_uint_eq(seen, 5000);
  ng_map_free(m);
  ng_map_free(NULL);
}
END_TEST

START_TEST(utf8_rejects_bad_sequences) {
  size_t bad = 99;
  ck_assert(ng_utf8_check("caf\xc3\xa9", 5, &bad));
  ck_assert(!ng_utf8_check("ab\xc3", 3, &bad));
  ck_assert_uint_eq(bad, 2);
  ck_assert(!ng_utf8_check("abcdefghij\xc0\xaf", 12, &bad)); /* overlong '/' */
  ck_assert_uint_eq(bad, 10);
  ck_assert(!ng_utf8_check("\xed\xa0\x80", 3, &bad)); /* surrogate */
  ck_assert(!ng_utf8_check("abcdefgh\0ij", 11, &bad)); /* NUL */
  ck_assert_uint_eq(bad, 8);
  ck_assert_uint_eq(ng_utf8_count("\xe2\x80\x9chi\xe2\x80\x9d", 8), 4);
  char out[4];
  ck_assert_uint_eq(ng_utf8_encode(0x201C, out), 3);
  ck_assert(memcmp(out, "\xe2\x80\x9c", 3) == 0);
  unsigned long line, col;
  ng_utf8_line_col("ab\n\xc3\xa9x", 6, 5, &line, &col);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_eq(col, 2);
}
END_TEST

START_TEST(dates_round_trip_and_weekdays) {
  NgDate d;
  ck_assert(ng_date_parse("2020-11-25", &d));
  ck_assert_int_eq(ng_date_weekday(d), 2); /* a Wednesday */
  ck_assert(!ng_date_parse("2021-02-29", &d));
  ck_assert(ng_date_parse("2020-02-29", &d));
  NgDate next = ng_date_add_days(d, 1);
  ck_assert_int_eq(next.month, 3);
  ck_assert_int_eq(next.day, 1);
  char s[11];
  ng_date_format(ng_date_add_days(d, -365 * 30), s);
  ck_assert_str_eq(s, "1990-03-08");
  NgDate ym;
  ck_assert(ng_date_parse("2008-06", &ym));
  ng_date_format(ym, s);
  ck_assert_str_eq(s, "2008-06");
  int y, w;
  NgDate jan1 = {2021, 1, 1};
  ng_date_iso_week(jan1, &y, &w);
  ck_assert_int_eq(y, 2020);
  ck_assert_int_eq(w, 53);
  for (long n = -800000; n < 800000; n += 997)
    ck_assert_int_eq(ng_date_to_days(ng_date_from_days(n)), n);
}
END_TEST

START_TEST(slugs_are_iri_safe) {
  char *s = ng_slug_new("European Union", 14);
  ck_assert_str_eq(s, "european-union");
  free(s);
  s = ng_slug_new("  Côte d'Ivoire!", 16);
  ck_assert_str_eq(s, "c%C3%B4te-d-ivoire");
  free(s);
  s = ng_slug_new("...", 3);
  ck_assert_str_eq(s, "_");
  free(s);
}
END_TEST

static int sink_calls;
static void count_sink(void *handle, const NgError *e) {
  (void)handle;
  sink_calls++;
  ck_assert_str_eq(e->message, "bad thing at x y");
  ck_assert_uint_eq(e->line, 3);
}

START_TEST(world_reports_through_sink) {
  NgWorld *w = ng_world_new();
  ng_world_set_error_sink(w, count_sink, NULL);
  ng_report(w, NG_ERR_SYNTAX, NG_LEVEL_ERROR, "f", 3, 4, "bad thing at %s\n%s", "x", "y");
  ck_assert_int_eq(sink_calls, 1);
  ck_assert_uint_eq(ng_world_error_count(w), 1);
  ck_assert_str_eq(ng_strerror(NG_ERR_SYNTAX), "malformed input");
  ck_assert(!ng_world_stop_requested(w));
  ng_world_request_stop(w);
  ck_assert(ng_world_stop_requested(w));
  ng_world_free(w);
  ng_world_free(NULL);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("core");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, buf_grows_and_stays_terminated);
  tcase_add_test(tc, arena_strings_survive_growth);
  tcase_add_test(tc, map_put_get_iterate);
  tcase_add_test(tc, utf8_rejects_bad_sequences);
  tcase_add_test(tc, dates_round_trip_and_weekdays);
  tcase_add_test(tc, slugs_are_iri_safe);
  tcase_add_test(tc, world_reports_through_sink);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
