/* fuzz_input.c - the article readers (plain text, JSON Lines, HTML) on
 * arbitrary files.
 *
 * Input: byte 0 picks the format, byte 1 the article size limit (0: the
 * default 16 MiB, else a small limit so that the too-large paths run);
 * the rest is the file, written to a scratch file and read with NgReader
 * as `newsgraph extract` reads it. */
#include "fuzz.h"

#include <unistd.h>

static const NgInputFormat formats[] = {NG_INPUT_TEXT, NG_INPUT_JSONL, NG_INPUT_HTML};

/* What the reader promises of every article it returns (newsgraph.h).
 * limit bounds the text: the size limit, or for HTML three times it (the
 * limit is on the page; a one-byte charset decodes to up to three bytes of
 * UTF-8 a character). */
static void check_article(const NgArticle *a, size_t limit) {
  NG_FUZZ_CHECK(a->id && a->origin && a->text, "article with a NULL id, origin or text");
  NG_FUZZ_CHECK(a->text_len == strlen(a->text), "text_len %zu, strlen %zu", a->text_len,
                strlen(a->text));
  size_t bad = 0;
  NG_FUZZ_CHECK(ng_utf8_check(a->text, a->text_len, &bad), "invalid UTF-8 at byte %zu", bad);
  NG_FUZZ_CHECK(a->text_len <= limit, "article of %zu bytes over the limit %zu", a->text_len,
                limit);
  NgDate d;
  if (a->date && a->date[0])
    NG_FUZZ_CHECK(strlen(a->date) == 10 && ng_date_parse(a->date, &d) && d.day,
                  "date '%s' is not YYYY-MM-DD", a->date);
  NG_FUZZ_CHECK(a->line >= 1, "line %lu", a->line);
}

/* Read every article; each failure must have been reported. */
static void read_all(NgWorld *world, NgFuzzSink *sink, const char *path, NgInputFormat format,
                     size_t file_size) {
  NgStatus st = NG_SUCCESS;
  unsigned long errors = sink->errors;
  NgReader *reader = ng_reader_new(world, path, format, &st);
  if (!reader) {
    NG_FUZZ_CHECK(st != NG_SUCCESS && sink->errors > errors, "unreported open failure %d", st);
    return;
  }
  size_t limit = ng_world_get_max_article_size(world), calls = 0;
  if (format == NG_INPUT_HTML) limit *= 3;
  NgArticle article;
  for (;;) {
    errors = sink->errors;
    st = ng_reader_next(reader, &article);
    /* every call consumes at least a line: it cannot go on forever */
    NG_FUZZ_CHECK(++calls <= file_size + 2, "%zu calls on a file of %zu bytes", calls, file_size);
    if (st == NG_END) break;
    if (st == NG_SUCCESS)
      check_article(&article, limit);
    else
      NG_FUZZ_CHECK(sink->errors > errors, "status %d without an error reported", st);
  }
  NG_FUZZ_CHECK(ng_reader_next(reader, &article) == NG_END, "a reader restarts after its end");
  ng_reader_free(reader);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NgFuzzInput in = {data, size};
  NgInputFormat format = formats[ng_fuzz_byte(&in) % NG_COUNTOF(formats)];
  unsigned limit = ng_fuzz_byte(&in);
  char path[4200];
  snprintf(path, sizeof path, "%s/input", ng_fuzz_scratch());
  ng_fuzz_write_file(path, in.data, in.size);
  NgFuzzSink sink;
  NgWorld *world = ng_fuzz_world_new(&sink);
  if (limit) ng_world_set_max_article_size(world, (size_t)limit * 16);
  read_all(world, &sink, path, format, in.size);
  ng_world_free(world);
  remove(path);
  return 0;
}
