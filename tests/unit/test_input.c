/* test_input.c - the article readers: JSON Lines, text, HTML. */
#include "extract.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NG_INPUT_DATA
#error "NG_INPUT_DATA (the folder of tests/data/input) must be defined"
#endif

/* ------------------------------------------------------------- fixture */

typedef struct {
  NgStatus status;
  NgLevel level;
  char file[256];
  unsigned long line, col;
  char message[256];
} Diag;

typedef struct {
  Diag diags[32];
  size_t n;
} Sink;

static void capture(void *handle, const NgError *e) {
  Sink *sink = handle;
  if (sink->n == NG_COUNTOF(sink->diags)) return;
  Diag *d = &sink->diags[sink->n++];
  d->status = e->status;
  d->level = e->level;
  snprintf(d->file, sizeof d->file, "%s", e->file ? e->file : "");
  d->line = e->line;
  d->col = e->col;
  snprintf(d->message, sizeof d->message, "%s", e->message);
}

static NgWorld *world;
static Sink sink;
static char dir[64];

static void setup(void) {
  world = ng_world_new();
  memset(&sink, 0, sizeof sink);
  ng_world_set_error_sink(world, capture, &sink);
  snprintf(dir, sizeof dir, "/tmp/ng-test-input.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
  ng_world_free(world);
}

/* Write len bytes into dir/name; returns the path (static buffer). */
static const char *write_file(const char *name, const char *data, size_t len) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
  return path;
}

static const char *write_str(const char *name, const char *data) {
  return write_file(name, data, strlen(data));
}

static NgReader *open_ok(const char *path, NgInputFormat format) {
  NgStatus st = NG_FAILURE;
  NgReader *r = ng_reader_new(world, path, format, &st);
  ck_assert_msg(r != NULL, "cannot open %s: %s", path, ng_strerror(st));
  ck_assert_int_eq(st, NG_SUCCESS);
  return r;
}

static void assert_diag(size_t i, NgStatus status, NgLevel level, unsigned long line,
                        unsigned long col, const char *needle) {
  ck_assert_uint_gt(sink.n, i);
  const Diag *d = &sink.diags[i];
  ck_assert_int_eq(d->status, status);
  ck_assert_int_eq(d->level, level);
  ck_assert_uint_eq(d->line, line);
  ck_assert_uint_eq(d->col, col);
  ck_assert_msg(strstr(d->message, needle), "'%s' not in '%s'", needle, d->message);
}

/* ------------------------------------------------------------- formats */

START_TEST(format_names) {
  bool ok = false;
  ck_assert_int_eq(ng_input_format_from_name("text", &ok), NG_INPUT_TEXT);
  ck_assert(ok);
  ck_assert_int_eq(ng_input_format_from_name("txt", &ok), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_input_format_from_name("jsonl", &ok), NG_INPUT_JSONL);
  ck_assert_int_eq(ng_input_format_from_name("JSON", &ok), NG_INPUT_JSONL);
  ck_assert_int_eq(ng_input_format_from_name("ndjson", &ok), NG_INPUT_JSONL);
  ck_assert_int_eq(ng_input_format_from_name("html", &ok), NG_INPUT_HTML);
  ck_assert_int_eq(ng_input_format_from_name("htm", &ok), NG_INPUT_HTML);
  ck_assert(ok);
  ck_assert_int_eq(ng_input_format_from_name("xml", &ok), NG_INPUT_GUESS);
  ck_assert(!ok);
  ck_assert_int_eq(ng_input_format_from_name("", &ok), NG_INPUT_GUESS);
  ck_assert(!ok);
}
END_TEST

/* The format guessed from the name shows in how a JSON line is read; a
 * name that says nothing leaves it to the content. */
START_TEST(format_guessed_from_extension) {
  static const char *const jsonl[] = {"a.jsonl", "b.JSON", "c.ndjson"};
  static const char *const text[] = {"d.txt", "e.text", "f.jsonl.txt"};
  const char *record = "{\"id\":\"x\",\"text\":\"Hello.\"}\n";
  NgArticle a;
  for (size_t i = 0; i < 3; ++i) {
    NgReader *r = open_ok(write_str(jsonl[i], record), NG_INPUT_GUESS);
    ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
    ck_assert_str_eq(a.text, "Hello.");
    ng_reader_free(r);
    r = open_ok(write_str(text[i], record), NG_INPUT_GUESS);
    ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
    ck_assert_str_eq(a.text, record);
    ng_reader_free(r);
  }
  NgReader *r = open_ok(write_str("e", record), NG_INPUT_GUESS);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "x");
  ng_reader_free(r);
  r = open_ok(write_str("e.out", "\n <p>Para</p>"), NG_INPUT_GUESS);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.text, "Para");
  ng_reader_free(r);
  /* --input-format wins over the name */
  r = open_ok(write_str("g.txt", record), NG_INPUT_JSONL);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "x");
  ng_reader_free(r);
  r = open_ok(write_str("h.xhtml", "<p>Para</p>"), NG_INPUT_GUESS);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.text, "Para");
  ng_reader_free(r);
}
END_TEST

/* ---------------------------------------------------------- JSON Lines */

START_TEST(jsonl_records) {
  const char *path = write_str(
      "news.jsonl",
      "{\"id\":\"a1\",\"date\":\"2020-11-25T10:00:00Z\",\"title\":\"T1\",\"text\":\"First.\","
      "\"url\":\"http://x/1\",\"extra\":{\"nested\":[1,2,{\"text\":\"no\"}]}}\n"
      "\n"
      "   \r\n"
      "{\"id\":42,\"text\":\"Second \\u00e9\\ud83d\\ude00.\",\"date\":\"\"}\r\n"
      "{\"text\":\"Third.\",\"date\":\"2021-02-03\",\"id\":null}\n"
      "{\"id\":\"\",\"text\":\"Fourth.\",\"text\":\"Last wins.\"}");
  NgReader *r = open_ok(path, NG_INPUT_GUESS);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "a1");
  ck_assert(a.has_own_id);
  ck_assert_str_eq(a.date, "2020-11-25");
  ck_assert_str_eq(a.title, "T1");
  ck_assert_str_eq(a.text, "First.");
  ck_assert_uint_eq(a.text_len, 6);
  ck_assert_str_eq(a.url, "http://x/1");
  ck_assert_str_eq(a.origin, path);
  ck_assert_uint_eq(a.line, 1);

  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "42");
  ck_assert(a.has_own_id);
  ck_assert_str_eq(a.text, "Second \xC3\xA9\xF0\x9F\x98\x80.");
  ck_assert_str_eq(a.date, "");
  ck_assert_ptr_null(a.title);
  ck_assert_ptr_null(a.url);
  ck_assert_uint_eq(a.line, 4);

  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "news.jsonl:5");
  ck_assert(!a.has_own_id);
  ck_assert_str_eq(a.date, "2021-02-03");

  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "news.jsonl:6");
  ck_assert(!a.has_own_id);
  ck_assert_str_eq(a.text, "Last wins.");
  ck_assert_uint_eq(a.line, 6);

  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ck_assert_uint_eq(sink.n, 0);
  ng_reader_free(r);
}
END_TEST

/* Every bad line is reported at its line and column and skipped. */
START_TEST(jsonl_bad_lines_are_skipped) {
  const char *path =
      write_str("bad.jsonl", "{\"id\":\"ok1\",\"text\":\"One.\"}\n"
                             "{\"id\":\"x\",\"text\":\"a\" \"b\"}\n"         /* line 2 */
                             "{\"id\":\"y\",\"title\":\"no text\"}\n"        /* line 3 */
                             "{\"id\":\"z\",\"text\":5}\n"                   /* line 4 */
                             "{\"id\":\"\xC3\xA9\",\"text\":\"bad \xFF\"}\n" /* line 5 */
                             "[1,2]\n"                                       /* line 6 */
                             "{\"id\":\"n\",\"text\":\"nul \\u0000\"}\n"     /* line 7 */
                             "{\"id\":true,\"text\":\"t\"}\n"                /* line 8 */
                             "{\"id\":\"ok2\",\"text\":\"Two.\",}\n"         /* line 9 */
                             "{\"id\":\"ok3\",\"text\":\"Three.\"}\n");
  NgReader *r = open_ok(path, NG_INPUT_JSONL);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "ok1");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(0, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 2, 22, "expected ',' or '}'");
  ck_assert_str_eq(sink.diags[0].file, path);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(1, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 3, 1, "no \"text\"");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(2, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 4, 18, "\"text\" must be a string");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_ENCODING);
  /* column in characters: the é before counts once */
  assert_diag(3, NG_ERR_ENCODING, NG_LEVEL_ERROR, 5, 23, "invalid UTF-8");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(4, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 6, 1, "expected an object");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_ENCODING);
  assert_diag(5, NG_ERR_ENCODING, NG_LEVEL_ERROR, 7, 23, "NUL");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(6, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 8, 7, "\"id\" must be a string or a number");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(7, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 9, 27, "member name");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "ok3");
  ck_assert_uint_eq(a.line, 10);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ck_assert_uint_eq(sink.n, 8);
  ng_reader_free(r);
}
END_TEST

START_TEST(jsonl_dates) {
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"2020-11-25", "2020-11-25"},
      {"2020-11-25T10:00:00Z", "2020-11-25"},
      {"2020-11-25T23:59:59.123-05:00", "2020-11-25"},
      {"2020-11-25 10:00", "2020-11-25"},
      {"2020-11-25T10:00:00+0100", "2020-11-25"},
      {" 2020-11-25 ", "2020-11-25"},
      {"Wed, 25 Nov 2020 10:00:00 GMT", "2020-11-25"},
      {"5 Dec 2019", "2019-12-05"},
      {"2020-02-30", ""},
      {"2020-11", ""},
      {"25/11/2020", ""},
      {"2020-11-25Tnoon", ""},
      {"yesterday", ""},
  };
  NgBuf lines = NG_BUF_INIT;
  for (size_t i = 0; i < NG_COUNTOF(cases); ++i)
    ng_buf_printf(&lines, "{\"text\":\"x\",\"date\":\"%s\"}\n", cases[i].in);
  NgReader *r = open_ok(write_str("dates.jsonl", lines.data), NG_INPUT_JSONL);
  ng_buf_free(&lines);
  size_t warnings = 0;
  for (size_t i = 0; i < NG_COUNTOF(cases); ++i) {
    NgArticle a;
    ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
    ck_assert_msg(!strcmp(a.date, cases[i].out), "'%s' gave '%s'", cases[i].in, a.date);
    if (!*cases[i].out) {
      assert_diag(warnings++, NG_ERR_SYNTAX, NG_LEVEL_WARNING, i + 1, 20, "is not ISO 8601");
    }
  }
  ck_assert_uint_eq(sink.n, warnings);
  ck_assert_uint_eq(ng_world_error_count(world), 0);
  ng_reader_free(r);
}
END_TEST

/* A JSON line of exactly len bytes (without its newline). */
static void put_record(NgBuf *data, const char *id, size_t len) {
  size_t start = data->len;
  ng_buf_printf(data, "{\"id\":\"%s\",\"text\":\"", id);
  while (data->len - start < len - 2)
    ng_buf_putc(data, 'x');
  ng_buf_puts(data, "\"}\n");
  ck_assert_uint_eq(data->len - start, len + 1);
}

/* Lines longer than the limit are skipped without being kept, even when
 * they span many reads; a line at the limit is fine. */
START_TEST(jsonl_too_large_lines) {
  ng_world_set_max_article_size(world, 1000);
  NgBuf data = NG_BUF_INIT;
  ng_buf_puts(&data, "{\"id\":\"small\",\"text\":\"ok\"}\n");
  put_record(&data, "big", 300000);
  put_record(&data, "limit", 1000);
  put_record(&data, "over", 1001);
  ng_buf_puts(&data, "{\"id\":\"tail\",\"text\":\"end\"}");
  NgReader *r = open_ok(write_file("big.jsonl", data.data, data.len), NG_INPUT_JSONL);
  ng_buf_free(&data);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "small");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_TOO_LARGE);
  assert_diag(0, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, 2, 0, "more than 1000 bytes");
  ck_assert(strstr(sink.diags[0].message, "--max-article-size"));
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "limit");
  ck_assert_uint_eq(a.line, 3);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_TOO_LARGE);
  assert_diag(1, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, 4, 0, "more than 1000 bytes");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "tail");
  ck_assert_uint_eq(a.line, 5);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);
}
END_TEST

/* A long accepted line crosses many reads of the buffer. */
START_TEST(jsonl_long_lines) {
  NgBuf data = NG_BUF_INIT, expect = NG_BUF_INIT;
  for (int line = 0; line < 3; ++line) {
    ng_buf_clear(&expect);
    for (int i = 0; i < 100000 + line * 77777; ++i)
      ng_buf_putc(&expect, (char)('a' + i % 26));
    ng_buf_printf(&data, "{\"text\":\"%s\",\"id\":\"L%d\"}\n", expect.data, line);
  }
  NgReader *r = open_ok(write_file("long.jsonl", data.data, data.len), NG_INPUT_JSONL);
  NgArticle a;
  for (int line = 0; line < 3; ++line) {
    ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
    ck_assert_uint_eq(a.text_len, 100000 + line * 77777);
    ck_assert_int_eq(a.text[a.text_len - 1], 'a' + (a.text_len - 1) % 26);
  }
  ck_assert_str_eq(a.id, "L2");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);
  ng_buf_free(&data);
  ng_buf_free(&expect);
}
END_TEST

START_TEST(jsonl_deep_nesting_is_an_error) {
  NgBuf data = NG_BUF_INIT;
  ng_buf_puts(&data, "{\"text\":\"t\",\"deep\":");
  for (int i = 0; i < 100000; ++i)
    ng_buf_putc(&data, '[');
  ng_buf_puts(&data, "\n{\"text\":\"after\",\"ok\":[[[[{\"a\":[{}]}]]]]}\n");
  NgReader *r = open_ok(write_file("deep.jsonl", data.data, data.len), NG_INPUT_JSONL);
  ng_buf_free(&data);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  /* the top object is level 1, so the 64th '[' is one too many */
  assert_diag(0, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 1, 20 + 63, "nesting");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.text, "after");
  ng_reader_free(r);
}
END_TEST

START_TEST(jsonl_empty_files) {
  static const char *const contents[] = {"", "\n\n  \n\t\r\n"};
  for (size_t i = 0; i < NG_COUNTOF(contents); ++i) {
    sink.n = 0;
    const char *path = write_str("empty.jsonl", contents[i]);
    NgReader *r = open_ok(path, NG_INPUT_GUESS);
    NgArticle a;
    ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
    assert_diag(0, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 0, 0, "empty file");
    ck_assert_str_eq(sink.diags[0].file, path);
    ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
    ng_reader_free(r);
  }
}
END_TEST

START_TEST(jsonl_byte_order_mark) {
  NgReader *r = open_ok(write_str("bom.jsonl", "\xEF\xBB\xBF{\"text\":\"bom\"}\n"), NG_INPUT_JSONL);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.text, "bom");
  ng_reader_free(r);
}
END_TEST

/* ------------------------------------------------------------- opening */

START_TEST(missing_file) {
  char path[128];
  snprintf(path, sizeof path, "%s/none.txt", dir);
  NgStatus st = NG_SUCCESS;
  ck_assert_ptr_null(ng_reader_new(world, path, NG_INPUT_GUESS, &st));
  ck_assert_int_eq(st, NG_ERR_IO);
  assert_diag(0, NG_ERR_IO, NG_LEVEL_ERROR, 0, 0, "No such file or directory");
  ck_assert_str_eq(sink.diags[0].file, path);
  ck_assert_ptr_null(ng_reader_new(world, dir, NG_INPUT_GUESS, &st));
  ck_assert_int_eq(st, NG_ERR_IO);
  assert_diag(1, NG_ERR_IO, NG_LEVEL_ERROR, 0, 0, "Is a directory");
  ng_reader_free(NULL);
}
END_TEST

START_TEST(binary_file) {
  static const NgInputFormat formats[] = {NG_INPUT_TEXT, NG_INPUT_HTML, NG_INPUT_JSONL};
  char data[9000];
  memset(data, 'a', sizeof data);
  data[100] = '\0';
  for (size_t i = 0; i < NG_COUNTOF(formats); ++i) {
    NgStatus st = NG_SUCCESS;
    ck_assert_ptr_null(ng_reader_new(world, write_file("bin", data, sizeof data), formats[i], &st));
    ck_assert_int_eq(st, NG_ERR_ENCODING);
    assert_diag(i, NG_ERR_ENCODING, NG_LEVEL_ERROR, 0, 0, "binary file");
  }
  /* a NUL after the first 8 KiB is an encoding error of the article */
  memset(data, 'a', sizeof data);
  data[8500] = '\0';
  NgReader *r = open_ok(write_file("late.txt", data, sizeof data), NG_INPUT_GUESS);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_ENCODING);
  assert_diag(3, NG_ERR_ENCODING, NG_LEVEL_ERROR, 1, 8501, "invalid UTF-8 (NUL byte)");
  ng_reader_free(r);
}
END_TEST

/* ---------------------------------------------------------------- text */

START_TEST(text_article) {
  const char *body = "MINSK, Nov 25 (Reuters) - Talks resumed.\n\nSecond paragraph \xC3\xA9.\n";
  char name[128];
  snprintf(name, sizeof name, "story.txt");
  NgReader *r = open_ok(write_str(name, body), NG_INPUT_GUESS);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "story.txt");
  ck_assert(!a.has_own_id);
  ck_assert_ptr_null(a.title);
  ck_assert_ptr_null(a.url);
  ck_assert(a.date == NULL || !*a.date);
  ck_assert_uint_eq(a.text_len, strlen(body));
  ck_assert_int_eq(memcmp(a.text, body, a.text_len), 0);
  ck_assert_int_eq(a.text[a.text_len], '\0');
  ck_assert_uint_eq(a.line, 1);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);

  r = open_ok(write_str("bom.txt", "\xEF\xBB\xBFWith a BOM."), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.text, "With a BOM.");
  ng_reader_free(r);
  ck_assert_uint_eq(sink.n, 0);
}
END_TEST

START_TEST(text_errors) {
  NgArticle a;
  const char *path = write_str("bad.txt", "line one\nab\xC3\xA9\xE2\x82x\n");
  NgReader *r = open_ok(path, NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_ENCODING);
  assert_diag(0, NG_ERR_ENCODING, NG_LEVEL_ERROR, 2, 4, "invalid UTF-8");
  ck_assert_str_eq(sink.diags[0].file, path);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);

  r = open_ok(write_str("blank.txt", " \n\t\n"), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(1, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 0, 0, "empty file");
  ng_reader_free(r);

  ng_world_set_max_article_size(world, 10);
  r = open_ok(write_str("long.txt", "0123456789A"), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_TOO_LARGE);
  assert_diag(2, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, 0, 0, "more than 10 bytes");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);
  r = open_ok(write_str("fits.txt", "0123456789"), NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_uint_eq(a.text_len, 10);
  ng_reader_free(r);
}
END_TEST

/* "-" reads standard input; the limit holds there too (no file size). */
START_TEST(text_from_stdin) {
  const char *path = write_str("in.txt", "From standard input.");
  ck_assert_ptr_nonnull(freopen(path, "rb", stdin));
  NgReader *r = open_ok("-", NG_INPUT_GUESS);
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "stdin");
  ck_assert_str_eq(a.origin, "-");
  ck_assert_str_eq(a.text, "From standard input.");
  ng_reader_free(r);

  ng_world_set_max_article_size(world, 5);
  ck_assert_ptr_nonnull(freopen(path, "rb", stdin));
  r = open_ok("-", NG_INPUT_TEXT);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_TOO_LARGE);
  ck_assert_str_eq(sink.diags[0].file, "<stdin>");
  ng_reader_free(r);
}
END_TEST

/* ---------------------------------------------------------------- HTML */

static NgReader *open_data(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", NG_INPUT_DATA, name);
  return open_ok(path, NG_INPUT_GUESS);
}

START_TEST(html_article) {
  NgReader *r = open_data("article.html");
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.id, "article.html");
  ck_assert(!a.has_own_id);
  ck_assert_str_eq(a.title, "Minsk talks resume");
  ck_assert_str_eq(a.date, "2020-11-25");
  ck_assert_str_eq(a.url, "https://news.example.org/2020/11/minsk-talks");
  ck_assert_str_eq(a.text,
                   "MINSK, Nov 25 (Reuters) - Belarus and the European Union resumed talks on "
                   "Wednesday, officials said.\n\n"
                   "The talks & the \xE2\x80\x9Croad map\xE2\x80\x9D were welcomed.\n\n"
                   "A second line.\n\n"
                   "Officials in Minsk.\n\n"
                   "First point\n\nSecond point");
  ck_assert_uint_eq(a.text_len, strlen(a.text));
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ck_assert_uint_eq(sink.n, 0);
  ng_reader_free(r);
}
END_TEST

/* <title> without its site suffix repeated as first heading, the largest
 * <article>, <time datetime>, hidden elements, table cells. */
START_TEST(html_fallbacks) {
  NgReader *r = open_data("fallback.html");
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.title, "Fallback title | Site");
  ck_assert_str_eq(a.date, "2021-03-04");
  ck_assert_ptr_null(a.url);
  ck_assert_str_eq(a.text,
                   "The main story is the longest article on the page, by far, so it wins.\n\n"
                   "cell one cell two\n\nrow two");
  ng_reader_free(r);
  ck_assert_uint_eq(sink.n, 0);
}
END_TEST

/* A small <article> (a teaser) does not hide the story around it. */
START_TEST(html_teaser_article) {
  NgReader *r = open_data("teaser.html");
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_ptr_null(a.title);
  ck_assert_str_eq(a.text, "Teaser.\n\nThe real story is in a div, not in the article element, and "
                           "it is much longer than the teaser.\n\nSecond paragraph of the story.");
  ng_reader_free(r);
}
END_TEST

START_TEST(html_charset) {
  NgReader *r = open_data("latin1.html");
  NgArticle a;
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  ck_assert_str_eq(a.title, "Caf\xC3\xA9 news");
  /* the first heading differs from the title: it stays */
  ck_assert_str_eq(a.text, "Other heading\n\nLe caf\xC3\xA9 de la gare a ferm\xC3\xA9.\n\n"
                           "Deuxi\xC3\xA8me paragraphe");
  ng_reader_free(r);
}
END_TEST

START_TEST(html_errors) {
  NgArticle a;
  NgReader *r = open_data("badutf8.html");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_ENCODING);
  assert_diag(0, NG_ERR_ENCODING, NG_LEVEL_ERROR, 3, 8, "invalid UTF-8");
  ck_assert(strstr(sink.diags[0].file, "badutf8.html"));
  ck_assert_int_eq(ng_reader_next(r, &a), NG_END);
  ng_reader_free(r);

  r = open_data("baddate.html");
  ck_assert_int_eq(ng_reader_next(r, &a), NG_SUCCESS);
  assert_diag(1, NG_ERR_SYNTAX, NG_LEVEL_WARNING, 0, 0, "last Tuesday");
  ck_assert_str_eq(a.date, "");
  ck_assert_str_eq(a.title, "Only heading");
  ck_assert_str_eq(a.text, "Text.");
  ng_reader_free(r);

  r = open_ok(write_str("empty.html", "  \n"), NG_INPUT_GUESS);
  ck_assert_int_eq(ng_reader_next(r, &a), NG_ERR_SYNTAX);
  assert_diag(2, NG_ERR_SYNTAX, NG_LEVEL_ERROR, 0, 0, "empty file");
  ng_reader_free(r);
  ck_assert_uint_eq(ng_world_error_count(world), 2);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("input");
  TCase *tc = tcase_create("input");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, format_names);
  tcase_add_test(tc, format_guessed_from_extension);
  tcase_add_test(tc, jsonl_records);
  tcase_add_test(tc, jsonl_bad_lines_are_skipped);
  tcase_add_test(tc, jsonl_dates);
  tcase_add_test(tc, jsonl_too_large_lines);
  tcase_add_test(tc, jsonl_long_lines);
  tcase_add_test(tc, jsonl_deep_nesting_is_an_error);
  tcase_add_test(tc, jsonl_empty_files);
  tcase_add_test(tc, jsonl_byte_order_mark);
  tcase_add_test(tc, missing_file);
  tcase_add_test(tc, binary_file);
  tcase_add_test(tc, text_article);
  tcase_add_test(tc, text_errors);
  tcase_add_test(tc, text_from_stdin);
  tcase_add_test(tc, html_article);
  tcase_add_test(tc, html_fallbacks);
  tcase_add_test(tc, html_teaser_article);
  tcase_add_test(tc, html_charset);
  tcase_add_test(tc, html_errors);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
