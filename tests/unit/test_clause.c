/* test_clause.c - parts of speech in context, phrases, verb groups,
 * subjects and objects, passive, negation, governors, attribution. */
#include "extract_fixture.h"

static NgDocument *doc;
static void teardown(void) {
  ng_document_free(doc);
  doc = NULL;
  fx_teardown();
}

static const char *phrase_text(int32_t p) { return p < 0 ? "-" : ng_doc_span_text(doc, doc->phrases[p].first, doc->phrases[p].last); }

/* "lemma(subject|object)" for each verb group, joined by " ". */
static const char *groups(const char *text) {
  static char buf[2048];
  ng_document_free(doc);
  doc = fx_extract(text, "2020-11-25");
  size_t o = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < doc->ngroups && o < sizeof buf - 256; ++k) {
    const NgVerbGroup *g = &doc->groups[k];
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s(%s|%s)", k ? " " : "", g->lemma, phrase_text(g->subject),
                          phrase_text(g->object));
  }
  return buf;
}

static NgPos pos_of(const char *word) {
  for (size_t i = 0; i < doc->ntokens; ++i)
    if (!strcmp(doc->tokens[i].norm, word)) return (NgPos)doc->tokens[i].pos;
  return NG_POS_X;
}

START_TEST(noun_or_verb_by_context) {
  groups("The attacks on Kiev continued. Russia attacks Ukraine.");
  ck_assert_int_eq(doc->tokens[1].pos, NG_POS_NOUN);
  ck_assert_int_eq(doc->tokens[7].pos, NG_POS_VERB);
  groups("Its plans to visit Iran were dropped.");
  ck_assert_int_eq(pos_of("plans"), NG_POS_NOUN);
  ck_assert_int_eq(pos_of("visit"), NG_POS_VERB);
}
END_TEST

START_TEST(subjects_and_objects) {
  ck_assert_str_eq(groups("The EU on Friday imposed sanctions on Belarus."), "impose(The EU|sanctions)");
  ck_assert_str_eq(groups("Russia's ambassador to Belarus, Dmitry Mezentsev, visited Minsk."),
                   "visit(Russia's ambassador to Belarus, Dmitry Mezentsev|Minsk)");
  ck_assert_str_eq(groups("Members of the opposition attacked the army."),
                   "attack(Members|the army)");
}
END_TEST

START_TEST(voice_negation_and_tense) {
  groups("The bill was passed by the US House.");
  ck_assert_uint_eq(doc->ngroups, 1);
  ck_assert(doc->groups[0].flags & NG_VG_PASSIVE);
  ck_assert_str_eq(phrase_text(ng_passive_agent(doc, 0, doc->groups[0].head)), "the US House");
  groups("Russia did not attack Ukraine.");
  ck_assert(doc->groups[0].flags & NG_VG_NEG);
  groups("Russia will never attack Ukraine.");
  ck_assert(doc->groups[0].flags & NG_VG_NEG);
  ck_assert(doc->groups[0].flags & NG_VG_FUTURE);
}
END_TEST

START_TEST(governed_verbs_and_coordination) {
  ck_assert_str_eq(groups("Russia threatened to attack Ukraine."), "threaten(Russia|-) attack(Russia|Ukraine)");
  ck_assert_int_eq(doc->groups[1].governor, 0);
  ck_assert_str_eq(groups("The US urged Russia to visit Iran."), "urge(The US|Russia) visit(Russia|Iran)");
  ck_assert_int_eq(doc->groups[1].ctrl_object, doc->groups[0].object);
  ck_assert_str_eq(groups("The EU refused to visit Minsk and imposed sanctions on Belarus."),
                   "refuse(The EU|-) visit(The EU|Minsk) impose(The EU|sanctions)");
}
END_TEST

START_TEST(reduced_relatives) {
  /* the participle's noun is the subject of the main verb after it; "for"
   * before a gerund is the preposition, not the conjunction */
  ck_assert_str_eq(groups("The civilians imprisoned for acting against Moscow were released by Putin."),
                   "imprison(The civilians|-) release(The civilians|-)");
  ck_assert_int_eq(pos_of("for"), NG_POS_PREP);
  ck_assert(doc->groups[0].flags & NG_VG_PARTICIPLE);
  /* with no later verb the past tense stays the main verb */
  groups("Jobs resigned in a letter.");
  ck_assert(!(doc->groups[0].flags & NG_VG_PARTICIPLE));
  groups("Some fled, for they feared the army.");
  ck_assert_int_eq(pos_of("for"), NG_POS_CONJ);
}
END_TEST

START_TEST(attribution) {
  groups("Russia attacked Ukraine, officials said.");
  ck_assert_int_eq(doc->groups[0].attribution, 1);
  groups("Officials said Russia attacked Ukraine.");
  ck_assert_int_eq(doc->groups[1].attribution, 0);
  ck_assert_str_eq(groups("Iran will visit Russia, said Foreign Minister Sergei Lavrov."),
                   "visit(Iran|Russia) say(Foreign Minister Sergei Lavrov|-)");
}
END_TEST

START_TEST(conjoined_actors) {
  groups("Brazil and the United States met.");
  ck_assert_uint_ge(doc->nphrases, 2);
  ck_assert_int_eq(doc->phrases[0].coord_next, 1);
  groups("The US, Russia, and Switzerland met yesterday.");
  ck_assert_int_eq(doc->phrases[0].coord_next, 1);
  ck_assert_int_eq(doc->phrases[1].coord_next, 2);
  groups("Lukashenko, the president, spoke.");
  ck_assert_int_eq(doc->phrases[0].coord_next, -1);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("clause");
  TCase *tc = tcase_create("clause");
  tcase_add_checked_fixture(tc, fx_setup, teardown);
  tcase_add_test(tc, noun_or_verb_by_context);
  tcase_add_test(tc, subjects_and_objects);
  tcase_add_test(tc, voice_negation_and_tense);
  tcase_add_test(tc, governed_verbs_and_coordination);
  tcase_add_test(tc, reduced_relatives);
  tcase_add_test(tc, attribution);
  tcase_add_test(tc, conjoined_actors);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
