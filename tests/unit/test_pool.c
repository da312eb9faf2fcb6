/* test_pool.c - the library's parallel extraction (extract/pool.c): results
 * in input order whatever the number of workers, the same renderings as
 * one thread, ownership taken by the callback, a callback error stops the
 * pool, options it cannot serve are refused. */
#include "extract_fixture.h"

#include <stdlib.h>

#define NARTICLES 70

typedef struct {
  size_t delivered;
  char ids[NARTICLES][24];
  char *tsv;         /* the renderings, concatenated */
  size_t tsv_len;
  size_t fail_at;    /* return an error at this article (0: never) */
  bool take_docs;    /* keep the documents (freed by the test) */
  NgDocument *kept[NARTICLES];
  bool graphs_seen;
} Sink;

static char texts[NARTICLES][160];
static char ids[NARTICLES][24];

static NgArticle article_at(size_t i) {
  static const char *templates[] = {
      "The EU imposed sanctions on Belarus on %zu March.",
      "Russia criticised the United States in talks number %zu.",
      "China signed %zu agreements with Japan.",
      "Nothing happened in district %zu.",
  };
  snprintf(ids[i], sizeof ids[i], "a%zu", i);
  snprintf(texts[i], sizeof texts[i], templates[i % 4], i % 28 + 1);
  NgArticle a;
  memset(&a, 0, sizeof a);
  a.id = ids[i];
  a.date = "2020-05-01";
  a.text = texts[i];
  a.text_len = strlen(texts[i]);
  a.origin = "test";
  a.line = i + 1;
  a.has_own_id = true;
  return a;
}

static NgStatus collect(void *data, NgExtractResult *r) {
  Sink *sink = data;
  ck_assert_ptr_nonnull(r->doc);
  ck_assert_uint_lt(sink->delivered, NARTICLES);
  snprintf(sink->ids[sink->delivered], sizeof sink->ids[0], "%s", r->article->id);
  if (r->graph && r->shared) sink->graphs_seen = true;
  if (r->text) {
    char *grown = realloc(sink->tsv, sink->tsv_len + r->text_len + 1);
    ck_assert_ptr_nonnull(grown);
    memcpy(grown + sink->tsv_len, r->text, r->text_len + 1);
    sink->tsv = grown;
    sink->tsv_len += r->text_len;
  }
  if (sink->take_docs) {
    sink->kept[sink->delivered] = r->doc;
    r->doc = NULL;
  }
  sink->delivered++;
  return sink->fail_at && sink->delivered == sink->fail_at ? NG_ERR_IO : NG_SUCCESS;
}

static NgStatus run_pool(unsigned threads, NgExtractRender render, Sink *sink) {
  NgExtractPoolOptions opt = {0};
  opt.threads = threads;
  opt.render = render;
  opt.syntax = NG_SYNTAX_NQUADS;
  opt.on_result = collect;
  opt.data = sink;
  NgStatus st = NG_SUCCESS;
  NgExtractPool *pool = ng_extract_pool_new(&fx_ex, &opt, &st);
  ck_assert_msg(pool != NULL, "pool: %s", ng_strerror(st));
  for (size_t i = 0; i < NARTICLES && !st; ++i) {
    NgArticle a = article_at(i);
    st = ng_extract_pool_add(pool, &a);
  }
  if (!st) st = ng_extract_pool_finish(pool);
  ck_assert_uint_eq(st ? 0 : ng_extract_pool_pending(pool), 0);
  ng_extract_pool_free(pool);
  return st;
}

static void sink_clear(Sink *sink) {
  for (size_t i = 0; i < NARTICLES; ++i) ng_document_free(sink->kept[i]);
  free(sink->tsv);
  memset(sink, 0, sizeof *sink);
}

START_TEST(results_come_in_input_order) {
  unsigned threads[] = {0, 1, 2, 5};
  for (size_t t = 0; t < sizeof threads / sizeof *threads; ++t) {
    Sink sink = {0};
    ck_assert_int_eq(run_pool(threads[t], NG_RENDER_NONE, &sink), NG_SUCCESS);
    ck_assert_uint_eq(sink.delivered, NARTICLES);
    for (size_t i = 0; i < NARTICLES; ++i) {
      char want[24];
      snprintf(want, sizeof want, "a%zu", i);
      ck_assert_msg(!strcmp(sink.ids[i], want), "%u threads: result %zu is %s", threads[t], i,
                    sink.ids[i]);
    }
    sink_clear(&sink);
  }
}
END_TEST

START_TEST(renderings_match_one_thread) {
  NgExtractRender renders[] = {NG_RENDER_TSV, NG_RENDER_TIMEX, NG_RENDER_RDF};
  for (size_t r = 0; r < 3; ++r) {
    Sink one = {0}, three = {0};
    ck_assert_int_eq(run_pool(0, renders[r], &one), NG_SUCCESS);
    ck_assert_int_eq(run_pool(3, renders[r], &three), NG_SUCCESS);
    ck_assert_uint_gt(one.tsv_len, 0);
    ck_assert_uint_eq(one.tsv_len, three.tsv_len);
    ck_assert_msg(!memcmp(one.tsv, three.tsv, one.tsv_len), "render %zu differs", r);
    if (renders[r] == NG_RENDER_TSV) /* sanctions of the first article, in order */
      ck_assert_ptr_nonnull(strstr(one.tsv, "Belarus"));
    if (renders[r] == NG_RENDER_RDF) ck_assert(one.graphs_seen && three.graphs_seen);
    sink_clear(&one);
    sink_clear(&three);
  }
}
END_TEST

START_TEST(callback_takes_documents) {
  Sink sink = {0};
  sink.take_docs = true;
  ck_assert_int_eq(run_pool(2, NG_RENDER_NONE, &sink), NG_SUCCESS);
  size_t events = 0;
  for (size_t i = 0; i < NARTICLES; ++i) {
    ck_assert_ptr_nonnull(sink.kept[i]);
    events += ng_document_event_count(sink.kept[i]);
  }
  ck_assert_uint_gt(events, NARTICLES / 2); /* three of four templates report an act */
  sink_clear(&sink);                       /* the documents outlived the pool */
}
END_TEST

START_TEST(callback_error_stops_the_pool) {
  unsigned threads[] = {0, 3};
  for (size_t t = 0; t < 2; ++t) {
    Sink sink = {0};
    sink.fail_at = 7;
    ck_assert_int_eq(run_pool(threads[t], NG_RENDER_NONE, &sink), NG_ERR_IO);
    ck_assert_uint_eq(sink.delivered, 7); /* nothing after the error is delivered */
    sink_clear(&sink);
  }
}
END_TEST

START_TEST(cancel_keeps_a_prefix) {
  Sink sink = {0};
  NgExtractPoolOptions opt = {0};
  opt.threads = 2;
  opt.on_result = collect;
  opt.data = &sink;
  NgStatus st = NG_SUCCESS;
  NgExtractPool *pool = ng_extract_pool_new(&fx_ex, &opt, &st);
  ck_assert_ptr_nonnull(pool);
  for (size_t i = 0; i < 30; ++i) {
    NgArticle a = article_at(i);
    ck_assert_int_eq(ng_extract_pool_add(pool, &a), NG_SUCCESS);
  }
  ng_extract_pool_cancel(pool);
  ck_assert_int_eq(ng_extract_pool_finish(pool), NG_SUCCESS);
  ck_assert_uint_eq(ng_extract_pool_pending(pool), 0);
  ng_extract_pool_free(pool);
  for (size_t i = 0; i < sink.delivered; ++i) {
    char want[24];
    snprintf(want, sizeof want, "a%zu", i);
    ck_assert_str_eq(sink.ids[i], want);
  }
  sink_clear(&sink);
}
END_TEST

START_TEST(options_it_cannot_serve) {
  NgStatus st = NG_SUCCESS;
  NgExtractPoolOptions opt = {0};
  ck_assert_ptr_null(ng_extract_pool_new(NULL, &opt, &st));
  ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  ck_assert_ptr_null(ng_extract_pool_new(&fx_ex, NULL, &st));
  opt.render = NG_RENDER_RDF;
  opt.syntax = NG_SYNTAX_RDFXML;
  st = NG_SUCCESS;
  ck_assert_ptr_null(ng_extract_pool_new(&fx_ex, &opt, &st));
  ck_assert_int_eq(st, NG_ERR_BAD_ARG);
  ng_extract_pool_free(NULL);
  ck_assert_int_eq(ng_extract_pool_add(NULL, NULL), NG_ERR_BAD_ARG);
  ck_assert_uint_eq(ng_extract_pool_pending(NULL), 0);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("pool");
  TCase *tc = tcase_create("pool");
  tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, results_come_in_input_order);
  tcase_add_test(tc, renderings_match_one_thread);
  tcase_add_test(tc, callback_takes_documents);
  tcase_add_test(tc, callback_error_stops_the_pool);
  tcase_add_test(tc, cancel_keeps_a_prefix);
  tcase_add_test(tc, options_it_cannot_serve);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
