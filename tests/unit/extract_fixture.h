/* extract_fixture.h - the extraction suites run on the small lexicon of
 * tests/data/lexicon (not the built-in one), so that what they check does
 * not move when the real lexicon grows. */
#ifndef NG_EXTRACT_FIXTURE_H
#define NG_EXTRACT_FIXTURE_H

#include "pipeline.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

static NgWorld *fx_world;
static NgExtractor fx_ex;

static void fx_setup(void) {
  const char *top = getenv("top_srcdir");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/data/lexicon", top ? top : ".");
  fx_world = ng_world_new();
  NgStatus st = NG_SUCCESS;
  fx_ex.world = fx_world;
  /* every event, whatever its factuality: the suites check how each is read */
  fx_ex.factualities = NG_FACT_ALL;
  fx_ex.lex = ng_lexicon_new_with(fx_world, path, false, &st);
  ck_assert_msg(fx_ex.lex != NULL, "test lexicon %s does not load: %s", path, ng_strerror(st));
}

static void fx_teardown(void) {
  ng_lexicon_free(fx_ex.lex);
  ng_world_free(fx_world);
}

NG_UNUSED static NgDocument *fx_extract(const char *text, const char *date) {
  NgArticle a;
  memset(&a, 0, sizeof a);
  a.id = "t";
  a.date = date;
  a.text = text;
  a.text_len = strlen(text);
  a.origin = "test";
  a.line = 1;
  a.has_own_id = true;
  NgStatus st = NG_SUCCESS;
  NgDocument *doc = ng_extract(&fx_ex, &a, NULL, &st);
  ck_assert_msg(doc != NULL, "extraction failed: %s", ng_strerror(st));
  return doc;
}

/* The first event with this action label, or NULL. */
NG_UNUSED static const NgEvent *fx_event(const NgDocument *doc, const char *action) {
  for (size_t i = 0; i < ng_document_event_count(doc); ++i) {
    const NgEvent *e = ng_document_get_event(doc, i);
    if (!strcmp(e->action, action)) return e;
  }
  return NULL;
}

/* The first event with this CAMEO code, or NULL. */
NG_UNUSED static const NgEvent *fx_coded(const NgDocument *doc, const char *code) {
  for (size_t i = 0; i < ng_document_event_count(doc); ++i) {
    const NgEvent *e = ng_document_get_event(doc, i);
    if (!strcmp(e->cameo, code)) return e;
  }
  return NULL;
}

#endif
