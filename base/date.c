/* date.c - proleptic Gregorian calendar arithmetic. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int ng_days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool ng_date_is_valid(NgDate d) {
  if (d.year < 1 || d.year > 9999) return false;
  if (d.month == 0) return d.day == 0;
  if (d.month < 1 || d.month > 12) return false;
  return d.day == 0 || (d.day >= 1 && d.day <= ng_days_in_month(d.year, d.month));
}

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool ng_date_parse(const char *s, NgDate *date) {
  NgDate d = {0, 0, 0};
  if (!s || strlen(s) < 4 || (d.year = digits(s, 4)) < 0) return false;
  if (s[4] == '-') {
    if ((d.month = digits(s + 5, 2)) < 0) return false;
    if (s[7] == '-' && (d.day = digits(s + 8, 2)) < 0) return false;
  }
  if (!ng_date_is_valid(d)) return false;
  *date = d;
  return true;
}

/* Days from civil, after H. Hinnant's well-known algorithm. */
long ng_date_to_days(NgDate d) {
  int y = d.year, m = d.month ? d.month : 1, day = d.day ? d.day : 1;
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

NgDate ng_date_from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  NgDate r = {(int)(y + (m <= 2)), m, d};
  return r;
}

int ng_date_weekday(NgDate d) {
  long days = ng_date_to_days(d); /* 1970-01-01 was a Thursday (3) */
  long w = (days + 3) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

NgDate ng_date_add_days(NgDate d, long n) { return ng_date_from_days(ng_date_to_days(d) + n); }

void ng_date_iso_week(NgDate d, int *iso_year, int *week) {
  /* The Thursday of d's week decides the ISO year. */
  NgDate thu = ng_date_add_days(d, 3 - ng_date_weekday(d));
  NgDate jan1 = {thu.year, 1, 1};
  *iso_year = thu.year;
  *week = (int)((ng_date_to_days(thu) - ng_date_to_days(jan1)) / 7 + 1);
}

void ng_date_format(NgDate d, char out[11]) {
  /* Clamp so the output always fits: valid dates are never changed. */
  unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u, day = (unsigned)d.day % 100u;
  /* by hand: this runs for every time expression and actor period, and
   * snprintf's format parsing cost more than the rest of the work */
  out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '\0';
  if (!m) return;
  out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '\0';
  if (!day) return;
  out[7] = '-', out[8] = (char)('0' + day / 10), out[9] = (char)('0' + day % 10), out[10] = '\0';
}
