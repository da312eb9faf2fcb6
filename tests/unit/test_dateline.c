/* test_dateline.c - datelines at the head of articles, and what is not one. */
#include "extract.h"
#include "unit.h"

#include <string.h>

typedef struct {
  const char *text;
  const char *ref;     /* reference date, "" if none */
  const char *dropped; /* text[begin..end), NULL when no dateline */
  const char *place;
  const char *date; /* "" when has_date is false */
} Case;

static const Case cases[] = {
    /* wire datelines */
    {"MINSK, Nov 25 (Reuters) - Belarus said.", "2020-11-25", "MINSK, Nov 25 (Reuters) - ", "MINSK",
     "2020-11-25"},
    {"MOSCOW, March 3 (AP) \xE2\x80\x94 Russia said.", "2021-06-01",
     "MOSCOW, March 3 (AP) \xE2\x80\x94 ", "MOSCOW", "2021-03-03"},
    {"WASHINGTON (Reuters) - The United States said.", "2020-11-25", "WASHINGTON (Reuters) - ",
     "WASHINGTON", ""},
    {"LYON: Police arrested two men.", "", "LYON: ", "LYON", ""},
    {"GAZA CITY, Palestinian Territories: Israeli jets struck.", "",
     "GAZA CITY, Palestinian Territories: ", "GAZA CITY", ""},
    {"KABUL, Afghanistan, Dec. 5 \xE2\x80\x94 A bomb exploded.", "2019-12-06",
     "KABUL, Afghanistan, Dec. 5 \xE2\x80\x94 ", "KABUL", "2019-12-05"},
    {"BEIJING, 25 November 2020 (Xinhua) -- China and Russia", "",
     "BEIJING, 25 November 2020 (Xinhua) -- ", "BEIJING", "2020-11-25"},
    {"(Sputnik - 25th November, 2020) Moscow has said", "", "(Sputnik - 25th November, 2020) ", "",
     "2020-11-25"},
    {"London, 12 May 2004 - Tony Blair said.", "", "London, 12 May 2004 - ", "London",
     "2004-05-12"},
    /* the year from the reference date: the latest such date on or before it */
    {"PARIS, Dec 30 (AFP) - France said.", "2021-01-02", "PARIS, Dec 30 (AFP) - ", "PARIS",
     "2020-12-30"},
    {"PARIS, Jan 2 (AFP) - France said.", "2021-01-02", "PARIS, Jan 2 (AFP) - ", "PARIS",
     "2021-01-02"},
    {"ROME, Feb. 29 (AP) - Italy said.", "2021-03-01", "ROME, Feb. 29 (AP) - ", "ROME",
     "2020-02-29"},
    {"PARIS, Dec 30 (AFP) - no reference date.", "", "PARIS, Dec 30 (AFP) - ", "PARIS", ""},
    {"PARIS, Tuesday (AFP) - Macron said.", "2020-11-26", "PARIS, Tuesday (AFP) - ", "PARIS",
     "2020-11-24"},
    /* more shapes */
    {"NEW YORK, Nov. 25, 2020 (Reuters) - Stocks fell.", "", "NEW YORK, Nov. 25, 2020 (Reuters) - ",
     "NEW YORK", "2020-11-25"},
    {"WASHINGTON\xE2\x80\x94The Senate voted.", "", "WASHINGTON\xE2\x80\x94", "WASHINGTON", ""},
    {"RIO DE JANEIRO (Reuters) - Brazil said.", "", "RIO DE JANEIRO (Reuters) - ", "RIO DE JANEIRO",
     ""},
    {"Rio de Janeiro, 5 May 2010 - Brazil said.", "", "Rio de Janeiro, 5 May 2010 - ",
     "Rio de Janeiro", "2010-05-05"},
    {"PORT-AU-PRINCE, Haiti (AP) \xE2\x80\x94 Haiti said.", "",
     "PORT-AU-PRINCE, Haiti (AP) \xE2\x80\x94 ", "PORT-AU-PRINCE", ""},
    {"S\xC3\x83O PAULO, Nov 3 (Reuters) - Brazil said.", "2020-11-10",
     "S\xC3\x83O PAULO, Nov 3 (Reuters) - ", "S\xC3\x83O PAULO", "2020-11-03"},
    {"ST. LOUIS, Mo. (AP) - A man", "", "ST. LOUIS, Mo. (AP) - ", "ST. LOUIS", ""},
    {"BERLIN, Nov 25 (dpa) - Germany said.", "2020-12-01", "BERLIN, Nov 25 (dpa) - ", "BERLIN",
     "2020-11-25"},
    {"(Reuters) - Shares rose.", "", "(Reuters) - ", "", ""},
    {"(CNN)The president said.", "", "(CNN)", "", ""},
    {"BRUSSELS/MOSCOW (Reuters) - The EU said.", "", "BRUSSELS/MOSCOW (Reuters) - ",
     "BRUSSELS/MOSCOW", ""},
    {"DUBAI, Nov 25 (Reuters)-Iran said.", "2020-11-30", "DUBAI, Nov 25 (Reuters)-", "DUBAI",
     "2020-11-25"},
    {"LONDON, England, Tuesday, Nov. 24, 2020 (AP) -- Britain", "",
     "LONDON, England, Tuesday, Nov. 24, 2020 (AP) -- ", "LONDON", "2020-11-24"},
    {"Nov 25 (Reuters) - Belarus said.", "2020-11-25", "Nov 25 (Reuters) - ", "", "2020-11-25"},
    {"Washington (CNN) - The president said.", "", "Washington (CNN) - ", "Washington", ""},
    /* agencies sharing a story; a dated agency group needs no separator */
    {"MINSK (Local News / Sputnik - 25th November, 2020) Talks resumed.", "",
     "MINSK (Local News / Sputnik - 25th November, 2020) ", "MINSK", "2020-11-25"},
    {"(Agency One / Agency Two) - Talks resumed.", "", "(Agency One / Agency Two) - ", "", ""},
    /* a dateline after the headline and the byline */
    {"Talks resume in Minsk\nBy Jane Doe\nMINSK (Reuters) - Talks resumed.", "",
     "MINSK (Reuters) - ", "MINSK", ""},
    /* lines holding only a date */
    {"March 06, 2008\nThe government said.", "", "March 06, 2008\n", "", "2008-03-06"},
    {"Tuesday, 25 November 2020\nThe government said.", "", "Tuesday, 25 November 2020\n", "",
     "2020-11-25"},
    {"2020-11-25\nThe government said.", "", "2020-11-25\n", "", "2020-11-25"},
    {"Headline here\n  Nov 25, 2020 10:30 GMT\r\nText.", "", "Nov 25, 2020 10:30 GMT\r\n", "",
     "2020-11-25"},
    {"March 3\nText.", "2021-01-10", "March 3\n", "", "2020-03-03"},
    {"Published: 25 November 2020\nText.", "", "Published: 25 November 2020\n", "", "2020-11-25"},
    {"Wed 25 Nov 2020 10.01 GMT\nText.", "", "Wed 25 Nov 2020 10.01 GMT\n", "", "2020-11-25"},
    /* not datelines */
    {"EU: sanctions will follow.", "", NULL, NULL, NULL},
    {"Joe Biden (D) - the president-elect - said.", "", NULL, NULL, NULL},
    {"APPLE INC (AAPL.O) - Shares rose.", "", NULL, NULL, NULL},
    {"Tuesday, Nov 25 - The government said.", "", NULL, NULL, NULL},
    {"AMSTERDAM-based Philips said on Tuesday.", "", NULL, NULL, NULL},
    {"WASHINGTON has imposed new sanctions.", "", NULL, NULL, NULL},
    {"The EU said: sanctions will follow.", "", NULL, NULL, NULL},
    {"25/11/2020\nThe government said.", "", NULL, NULL, NULL},
    {"EU SANCTIONS RUSSIA: WHAT WE KNOW\nBrussels has agreed.", "", NULL, NULL, NULL},
    {"RUSSIA, CHINA SIGN DEAL: Report says", "", NULL, NULL, NULL},
    {"BREAKING: Talks collapse in Minsk.", "", NULL, NULL, NULL},
    {"UPDATE 2: Talks collapse.", "", NULL, NULL, NULL},
    {"Moscow: the Kremlin said.", "", NULL, NULL, NULL},
    {"Paris, France - The mayor said.", "", NULL, NULL, NULL},
    {"President Putin (left) - shakes hands.", "", NULL, NULL, NULL},
    {"Mr Smith, 45, said: we are leaving.", "", NULL, NULL, NULL},
    {"March 06, 2008 was a cold day.", "", NULL, NULL, NULL},
    {"On Monday, Russia said - and repeated.", "", NULL, NULL, NULL},
    {"SUMMARY:\nTalks collapse.", "", NULL, NULL, NULL},
    {"Tuesday\nText.", "2020-11-26", NULL, NULL, NULL},
    {"\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90 said nothing", "", NULL, NULL, NULL},
    {"One.\nTwo.\nThree.\nMINSK (Reuters) - Too far down.", "", NULL, NULL, NULL},
    {"MINSK (Reuters) Russia said.", "", NULL, NULL, NULL},
    {"Joe Biden (Democrat / Delaware) said.", "", NULL, NULL, NULL},
    {"", "", NULL, NULL, NULL},
};

static NgDate parse_ref(const char *s) {
  NgDate d = {0, 0, 0};
  if (*s) ck_assert(ng_date_parse(s, &d));
  return d;
}

START_TEST(dateline_cases) {
  const Case *c = &cases[_i];
  NgDateline dl;
  memset(&dl, 0x55, sizeof dl); /* the function must set every field */
  bool found = ng_dateline_find(c->text, strlen(c->text), parse_ref(c->ref), &dl);
  if (!c->dropped) {
    ck_assert_msg(!found, "'%s': dateline found: [%zu,%zu) place '%s'", c->text, dl.begin, dl.end,
                  found ? dl.place : "");
    return;
  }
  ck_assert_msg(found, "'%s': no dateline found", c->text);
  ck_assert_uint_le(dl.begin, dl.end);
  ck_assert_uint_le(dl.end, strlen(c->text));
  size_t n = dl.end - dl.begin;
  ck_assert_msg(n == strlen(c->dropped) && !memcmp(c->text + dl.begin, c->dropped, n),
                "'%s': dropped '%.*s', want '%s'", c->text, (int)n, c->text + dl.begin, c->dropped);
  ck_assert_str_eq(dl.place, c->place);
  if (!*c->date) {
    ck_assert_msg(!dl.has_date, "'%s': unexpected date", c->text);
  } else {
    char got[11];
    ck_assert_msg(dl.has_date, "'%s': no date", c->text);
    ng_date_format(dl.date, got);
    ck_assert_str_eq(got, c->date);
  }
}
END_TEST

/* The length given is respected: nothing past it is read. */
START_TEST(length_is_respected) {
  const char *text = "MINSK, Nov 25 (Reuters) - Text.";
  NgDateline dl;
  ck_assert(!ng_dateline_find(text, 10, parse_ref(""), &dl));
  ck_assert(ng_dateline_find(text, 26, parse_ref(""), &dl));
  ck_assert_uint_eq(dl.end, 26);
}
END_TEST

/* A place longer than the field is cut at a character boundary. */
START_TEST(long_place_is_cut) {
  const char *text = "\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89"
                     "\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89"
                     "\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89"
                     "\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89\xC3\x89 (AP) - Text.";
  NgDateline dl;
  ck_assert(ng_dateline_find(text, strlen(text), parse_ref(""), &dl));
  ck_assert_uint_eq(strlen(dl.place), 62);
  size_t bad;
  ck_assert(ng_utf8_check(dl.place, strlen(dl.place), &bad));
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("dateline");
  TCase *tc = tcase_create("dateline");
  tcase_add_loop_test(tc, dateline_cases, 0, (int)NG_COUNTOF(cases));
  tcase_add_test(tc, length_is_respected);
  tcase_add_test(tc, long_place_is_cut);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
