/* fuzz_html.c - pages nested deep: the HTML reader gives the text at any
 * depth, or says where it stopped reading, never drops text without a word
 * (libxml2 gave up at 256 levels, silently).
 *
 * Input: bytes 0-1: the depth (0-4095); then one byte per level picks its
 * element (cycling when the input is shorter than the depth); the text
 * inside the deepest element and after the nest is fixed, so that it can
 * be looked for. */
#include "fuzz.h"

#include <unistd.h>

#define INSIDE "Deepest words stay."
#define AFTER "Closing words stay."

/* elements that nest in HTML without closing each other (not article or
 * main: the reader takes the largest <article> as the text, and leaves
 * what is outside it by design) */
static const char *const tags[] = {"div", "span", "section", "blockquote", "b",
                                   "i",   "em",   "strong",  "font",       "u"};

static void build_page(NgBuf *page, unsigned depth, const uint8_t *picks, size_t npicks) {
  NG_FUZZ_CHECK(!ng_buf_puts(page, "<html><body>"), "out of memory");
  for (unsigned i = 0; i < depth; ++i) {
    const char *tag = tags[(npicks ? picks[i % npicks] : i) % NG_COUNTOF(tags)];
    NG_FUZZ_CHECK(!ng_buf_printf(page, "<%s>", tag), "out of memory");
  }
  NG_FUZZ_CHECK(!ng_buf_puts(page, INSIDE), "out of memory");
  for (unsigned i = depth; i-- > 0;) {
    const char *tag = tags[(npicks ? picks[i % npicks] : i) % NG_COUNTOF(tags)];
    NG_FUZZ_CHECK(!ng_buf_printf(page, "</%s>", tag), "out of memory");
  }
  NG_FUZZ_CHECK(!ng_buf_puts(page, "<p>" AFTER "</p></body></html>"), "out of memory");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NgFuzzInput in = {data, size};
  unsigned depth = (ng_fuzz_byte(&in) << 8 | ng_fuzz_byte(&in)) % 4096;
  NgBuf page = NG_BUF_INIT;
  build_page(&page, depth, in.data, in.size);
  char path[4200];
  snprintf(path, sizeof path, "%s/page.html", ng_fuzz_scratch());
  ng_fuzz_write_file(path, page.data, page.len);
  ng_buf_free(&page);

  NgFuzzSink sink;
  NgWorld *world = ng_fuzz_world_new(&sink);
  NgStatus st = NG_SUCCESS;
  NgReader *reader = ng_reader_new(world, path, NG_INPUT_HTML, &st);
  NG_FUZZ_CHECK(reader != NULL, "cannot read the page: %d", st);
  NgArticle a;
  st = ng_reader_next(reader, &a);
  NG_FUZZ_CHECK(st == NG_SUCCESS, "no article from the page: %d", st);
  bool inside = strstr(a.text, INSIDE) != NULL, after = strstr(a.text, AFTER) != NULL;
  if (!inside || !after)
    NG_FUZZ_CHECK(sink.warnings > 0, "text lost at depth %u without a warning", depth);
  ng_reader_free(reader);
  ng_world_free(world);
  unlink(path);
  return 0;
}
