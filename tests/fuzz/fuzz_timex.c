/* fuzz_timex.c - ng_timex_scan() on arbitrary sentences.
 *
 * Input: bytes 0-3 give the reference date (year 1900-2155, or none when
 * byte 0 is 0) and byte 4 the tense; the rest is the sentence, made valid
 * UTF-8 as the pipeline's sentences are, in a buffer of exactly its length
 * (no terminating NUL) so that a read past its end is caught. */
#include "fuzz.h"
#include "timex.h"

#define MAX_MATCHES 16

static NgDate reference_date(NgFuzzInput *in) {
  unsigned y = ng_fuzz_byte(in), m = ng_fuzz_byte(in), d = ng_fuzz_byte(in);
  NgDate ref = {0, 0, 0};
  if (!y) return ref;
  ref.year = 1900 + (int)y;
  ref.month = 1 + (int)(m % 12);
  ref.day = 1 + (int)(d % (unsigned)ng_days_in_month(ref.year, ref.month));
  return ref;
}

/* An ISO value: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www. */
static bool iso_value(const char *v) {
  size_t n = strlen(v);
  NgDate d;
  if (n == 8 && v[4] == '-' && v[5] == 'W') {
    for (int i = 0; i < 8; ++i)
      if (i != 4 && i != 5 && (v[i] < '0' || v[i] > '9')) return false;
    int week = (v[6] - '0') * 10 + (v[7] - '0');
    return week >= 1 && week <= 53;
  }
  return (n == 4 || n == 7 || n == 10) && ng_date_parse(v, &d) && ng_date_is_valid(d);
}

static void check_matches(const NgTimexMatch *m, size_t n, size_t len, NgDate ref) {
  size_t last_end = 0;
  for (size_t i = 0; i < n; ++i) {
    NG_FUZZ_CHECK(m[i].begin < m[i].end && m[i].end <= len, "match %zu at [%zu,%zu) of %zu", i,
                  m[i].begin, m[i].end, len);
    NG_FUZZ_CHECK(m[i].begin >= last_end, "match %zu overlaps or is out of order", i);
    last_end = m[i].end;
    NG_FUZZ_CHECK(memchr(m[i].value, '\0', sizeof m[i].value) != NULL, "value not terminated");
    if (!m[i].value[0]) {
      NG_FUZZ_CHECK(m[i].gran == NG_GRAN_NONE, "granularity %d without a value", m[i].gran);
      continue;
    }
    NG_FUZZ_CHECK(iso_value(m[i].value), "value '%s'", m[i].value);
    NG_FUZZ_CHECK(m[i].gran != NG_GRAN_NONE, "value '%s' without a granularity", m[i].value);
    /* without a reference date only absolute expressions resolve */
    NG_FUZZ_CHECK(ref.year || !m[i].relative, "relative '%s' resolved without a date", m[i].value);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NgFuzzInput in = {data, size};
  NgDate ref = reference_date(&in);
  NgTense tense = (NgTense)(ng_fuzz_byte(&in) % 4);
  char *text = ng_fuzz_utf8_copy(in.data, in.size, false);
  NgTimexMatch matches[MAX_MATCHES + 1];
  memset(matches, 0, sizeof matches);
  size_t max = 1 + size % MAX_MATCHES;
  size_t n = ng_timex_scan(text, in.size, ref, tense, matches, max);
  NG_FUZZ_CHECK(n <= max, "%zu matches, room for %zu", n, max);
  check_matches(matches, n, in.size, ref);
  NG_FUZZ_CHECK(matches[max].end == 0 && matches[max].value[0] == '\0', "written past max");
  free(text);
  return 0;
}
