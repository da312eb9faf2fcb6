/* input.c - article readers: plain text, JSON Lines and HTML files.
 *
 * A reader owns one input buffer.  JSON Lines are cut out of it line by
 * line (memchr) and parsed in place, so memory stays bounded by the longest
 * accepted line whatever the size of the file; a line longer than the
 * world's maximum article size is read through without being kept.  Text
 * and HTML files are one article each, read whole (up to that maximum).
 *
 * Decisions worth knowing:
 *  - A file with a NUL byte in its first 8 KiB is a binary file, whatever
 *    its format: ng_reader_new() reports it and returns NULL with
 *    NG_ERR_ENCODING.  A missing, unreadable or directory path also gives
 *    NULL (NG_ERR_IO).  Everything else is found by ng_reader_next().
 *  - An empty (or all-whitespace) file is reported "FILE: empty file" by
 *    the first ng_reader_next(), which returns NG_ERR_SYNTAX; NG_END follows.
 *  - Diagnostics name standard input "<stdin>"; article->origin stays "-".
 *  - A JSON record without an id gets "BASENAME:LINE" (has_own_id false).
 *  - A UTF-8 byte order mark at the start of a text or JSONL file is dropped.
 *  - No format given: ng_input_format_sniff() on the name and the first
 *    8 KiB (the binary probe's), so a JSON Lines or HTML stream on standard
 *    input is read as what it is.
 */
#include "extract.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK ((size_t)64 << 10)
#define BINARY_PROBE ((size_t)8 << 10)

struct NgReaderImpl {
  NgWorld *world;
  NgInputFormat format;
  char *origin; /* the path as given ("-" for stdin) */
  char *name;   /* the path in diagnostics ("<stdin>" for stdin) */
  char *base;   /* the base name: id of text and HTML articles */
  FILE *file;
  bool close_file;
  long long file_size; /* of a regular file, else -1 */
  unsigned long long bytes_read; /* from the file so far (progress) */
  /* bytes data[begin, end) are read and not consumed; data[end] is NUL */
  char *data;
  size_t cap, begin, end;
  bool eof;
  unsigned long line; /* JSONL: the line last taken */
  bool seen_record;   /* JSONL: a non-blank line was seen */
  bool done;          /* the reader has nothing more to give */
  /* the strings of the article last returned */
  NgBuf id, date, title, text, url, key;
};

/* -------------------------------------------------------------- formats */

NgInputFormat ng_input_format_from_name(const char *name, bool *ok) {
  static const struct {
    const char *name;
    NgInputFormat format;
  } names[] = {{"text", NG_INPUT_TEXT},  {"txt", NG_INPUT_TEXT},     {"jsonl", NG_INPUT_JSONL},
               {"json", NG_INPUT_JSONL}, {"ndjson", NG_INPUT_JSONL}, {"html", NG_INPUT_HTML},
               {"htm", NG_INPUT_HTML}};
  for (size_t i = 0; name && i < NG_COUNTOF(names); ++i) {
    if (ng_streq_nocase(name, names[i].name)) {
      if (ok) *ok = true;
      return names[i].format;
    }
  }
  if (ok) *ok = false;
  return NG_INPUT_GUESS;
}

/* --------------------------------------------------------------- dates */

static bool two_digits(const char *s, int *v) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
  *v = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

/* "hh:mm[:ss[.fff]]" then "Z", "+hh[:mm]" or "-hh[:mm]" or nothing, up to end. */
static bool iso_time_tail(const char *s, const char *end) {
  int v;
  if (end - s < 5 || !two_digits(s, &v) || v > 24 || s[2] != ':' || !two_digits(s + 3, &v) ||
      v > 59)
    return false;
  s += 5;
  if (end - s >= 3 && s[0] == ':' && two_digits(s + 1, &v) && v <= 60) {
    s += 3;
    if (s < end && (*s == '.' || *s == ',')) {
      const char *f = ++s;
      while (s < end && *s >= '0' && *s <= '9')
        s++;
      if (s == f) return false;
    }
  }
  if (s < end && (*s == 'Z' || *s == 'z')) return s + 1 == end;
  if (s < end && (*s == '+' || *s == '-')) {
    if (end - s < 3 || !two_digits(s + 1, &v) || v > 14) return false;
    s += 3;
    if (s < end && *s == ':') s++;
    if (s < end && (end - s != 2 || !two_digits(s, &v) || v > 59)) return false;
    return true;
  }
  return s == end;
}

static bool iso_date(const char *s, const char *end, NgDate *d) {
  char head[11];
  if (end - s < 10) return false;
  memcpy(head, s, 10);
  head[10] = '\0';
  if (head[4] != '-' || head[7] != '-' || !ng_date_parse(head, d) || !d->day) return false;
  s += 10;
  if (s == end) return true;
  return (*s == 'T' || *s == 't' || *s == ' ') && iso_time_tail(s + 1, end);
}

/* RFC 2822: "[Wed, ]25 Nov 2020[ 10:00:00 GMT]". */
static bool rfc2822_date(const char *s, const char *end, NgDate *d) {
  static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
  const char *comma = memchr(s, ',', (size_t)(end - s));
  if (comma && comma - s <= 9) s = comma + 1;
  while (s < end && *s == ' ')
    s++;
  int day = 0, year = 0, n = 0;
  while (s < end && *s >= '0' && *s <= '9' && n < 2)
    day = day * 10 + (*s++ - '0'), n++;
  if (!n || end - s < 9 || *s != ' ') return false;
  char mon[4];
  ng_ascii_lower(s + 1, 3, mon);
  const char *m = strstr(months, mon);
  if (!m || (m - months) % 3 || s[4] != ' ') return false;
  s += 5;
  for (n = 0; n < 4; ++n, ++s) {
    if (*s < '0' || *s > '9') return false;
    year = year * 10 + (*s - '0');
  }
  if (s < end && *s != ' ') return false;
  NgDate r = {year, (int)(m - months) / 3 + 1, day};
  /* day 0 would pass as a month-only date: "00 Nov 2020" is no date */
  if (!day || !ng_date_is_valid(r)) return false;
  *d = r;
  return true;
}

bool ng_input_date_normalize(const char *s, size_t len, char out[11]) {
  const char *end = s + len;
  while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
    end--;
  NgDate d;
  if (!iso_date(s, end, &d) && !rfc2822_date(s, end, &d)) return false;
  ng_date_format(d, out);
  return true;
}

/* -------------------------------------------------------------- buffer */

/* Read more of the file: moves the unconsumed bytes to the front, makes
 * room for a chunk and reads what is there.  Sets eof at the end. */
static NgStatus fill(NgReader *r) {
  if (r->begin) {
    memmove(r->data, r->data + r->begin, r->end - r->begin);
    r->end -= r->begin;
    r->begin = 0;
  }
  if (r->cap - r->end < READ_CHUNK + 1) {
    size_t cap = r->cap * 2 > r->end + READ_CHUNK + 1 ? r->cap * 2 : r->end + READ_CHUNK + 1;
    char *data = realloc(r->data, cap);
    if (!data) return NG_ERR_NOMEM;
    r->data = data;
    r->cap = cap;
  }
  size_t want = r->cap - r->end - 1;
  size_t n = fread(r->data + r->end, 1, want, r->file);
  r->end += n;
  r->bytes_read += n;
  r->data[r->end] = '\0';
  if (n < want) {                            /* fread stops short only at the end or on an error */
    if (ferror(r->file) && errno == EINTR) { /* a signal: read on, unless it asks to stop */
      clearerr(r->file);
      if (!ng_world_stop_requested(r->world)) return NG_SUCCESS;
      r->done = true;
      return NG_ERR_INTERRUPTED;
    }
    if (ferror(r->file)) {
      ng_report(r->world, NG_ERR_IO, NG_LEVEL_ERROR, r->name, 0, 0, "read error: %s",
                strerror(errno));
      r->done = true;
      return NG_ERR_IO;
    }
    r->eof = true;
  }
  return NG_SUCCESS;
}

static NgStatus report_too_large(NgReader *r, unsigned long line) {
  ng_report(r->world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, r->name, line, 0,
            "article of more than %zu bytes; raise --max-article-size",
            ng_world_get_max_article_size(r->world));
  return NG_ERR_TOO_LARGE;
}

static bool all_space(const char *s, size_t len) {
  for (size_t i = 0; i < len; ++i)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
      return false;
  return true;
}

static size_t bom_len(const char *s, size_t len) {
  return len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

static NgStatus report_empty(NgReader *r) {
  ng_report(r->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, r->name, 0, 0, "empty file");
  return NG_ERR_SYNTAX;
}

/* Bad UTF-8 (or a NUL) at byte off of s: reported at line_base + the line
 * within s, and the column in characters. */
static NgStatus report_bad_utf8(NgReader *r, const char *s, size_t len, size_t off,
                                unsigned long line_base) {
  unsigned long line, col;
  ng_utf8_line_col(s, len, off, &line, &col);
  ng_report(r->world, NG_ERR_ENCODING, NG_LEVEL_ERROR, r->name, line_base + line - 1, col,
            s[off] ? "invalid UTF-8" : "invalid UTF-8 (NUL byte)");
  return NG_ERR_ENCODING;
}

/* --------------------------------------------------------- whole files */

/* Read the rest of the file into the buffer, up to the article limit. */
static NgStatus read_whole(NgReader *r) {
  size_t limit = ng_world_get_max_article_size(r->world);
  if (r->file_size >= 0 && (unsigned long long)r->file_size > limit) return report_too_large(r, 0);
  NgStatus st;
  while (!r->eof && r->end - r->begin <= limit)
    NG_TRY(st, fill(r));
  if (r->end - r->begin > limit) return report_too_large(r, 0);
  return NG_SUCCESS;
}

static void article_init(NgReader *r, NgArticle *a) {
  memset(a, 0, sizeof *a);
  a->origin = r->origin;
  a->line = 1;
  a->id = r->base;
  a->date = "";
}

static NgStatus read_text(NgReader *r, NgArticle *a) {
  NgStatus st;
  r->done = true;
  NG_TRY(st, read_whole(r));
  const char *file = r->data + r->begin;
  size_t len = r->end - r->begin, skip = bom_len(file, len), bad;
  if (all_space(file + skip, len - skip)) return report_empty(r);
  if (!ng_utf8_check(file, len, &bad)) return report_bad_utf8(r, file, len, bad, 1);
  article_init(r, a);
  a->text = file + skip;
  a->text_len = len - skip;
  return NG_SUCCESS;
}

static NgStatus read_html(NgReader *r, NgArticle *a) {
  NgStatus st;
  r->done = true;
  NG_TRY(st, read_whole(r));
  const char *file = r->data + r->begin;
  size_t len = r->end - r->begin;
  if (all_space(file, len)) return report_empty(r);
  NgHtmlFields fields = {&r->title, &r->date, &r->url, &r->text};
  NG_TRY(st, ng_html_extract(r->world, r->name, file, len, &fields));
  article_init(r, a);
  a->title = r->title.len ? r->title.data : NULL;
  a->url = r->url.len ? r->url.data : NULL;
  a->date = ng_buf_str(&r->date);
  a->text = ng_buf_str(&r->text);
  a->text_len = r->text.len;
  return NG_SUCCESS;
}

/* --------------------------------------------------------- JSON Lines */

/* Pass over the rest of an overlong line without keeping it. */
static NgStatus skip_rest_of_line(NgReader *r) {
  NgStatus st;
  for (;;) {
    char *nl = memchr(r->data + r->begin, '\n', r->end - r->begin);
    if (nl) {
      r->begin = (size_t)(nl + 1 - r->data);
      return NG_SUCCESS;
    }
    r->begin = r->end = 0;
    if (r->eof) return NG_SUCCESS;
    NG_TRY(st, fill(r));
  }
}

/* The next line (without its "\n"), borrowed from the buffer until the
 * next call.  An overlong line is reported, skipped: NG_ERR_TOO_LARGE. */
static NgStatus next_line(NgReader *r, const char **line, size_t *len) {
  size_t limit = ng_world_get_max_article_size(r->world), scanned = 0;
  NgStatus st;
  for (;;) {
    size_t avail = r->end - r->begin;
    char *start = r->data + r->begin;
    char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
    if (nl || (r->eof && avail)) {
      size_t n = nl ? (size_t)(nl - start) : avail;
      r->begin += nl ? n + 1 : n;
      r->line++;
      if (n && start[n - 1] == '\r') n--;
      if (n > limit) return report_too_large(r, r->line);
      *line = start;
      *len = n;
      return NG_SUCCESS;
    }
    if (r->eof) return NG_END;
    if (avail > limit) {
      r->line++;
      report_too_large(r, r->line);
      NG_TRY(st, skip_rest_of_line(r));
      return NG_ERR_TOO_LARGE;
    }
    scanned = avail;
    NG_TRY(st, fill(r));
  }
}

/* Where a field of a record stands after its last occurrence (last wins). */
typedef enum { FIELD_ABSENT, FIELD_OK, FIELD_BAD } FieldState;

typedef struct {
  FieldState id, date, title, text, url;
  size_t id_at, date_at, title_at, text_at, url_at; /* byte offsets of the values */
} Record;

/* A string-valued member: decoded into buf, null means absent, anything
 * else is recorded as bad (and skipped). */
static NgStatus string_member(NgJson *json, NgBuf *buf, FieldState *state, size_t *at) {
  NgJsonType type = ng_json_peek(json);
  *at = (size_t)(json->p - json->begin);
  ng_buf_clear(buf);
  *state = type == NG_JSON_STRING ? FIELD_OK : type == NG_JSON_NULL ? FIELD_ABSENT : FIELD_BAD;
  return type == NG_JSON_STRING ? ng_json_string(json, buf) : ng_json_skip(json);
}

static NgStatus id_member(NgJson *json, NgBuf *buf, Record *rec) {
  if (ng_json_peek(json) != NG_JSON_NUMBER) return string_member(json, buf, &rec->id, &rec->id_at);
  const char *text;
  size_t len;
  NgStatus st;
  rec->id_at = (size_t)(json->p - json->begin);
  ng_buf_clear(buf);
  NG_TRY(st, ng_json_number(json, &text, &len));
  rec->id = FIELD_OK;
  return ng_buf_append(buf, text, len);
}

static NgStatus record_member(NgReader *r, NgJson *json, Record *rec) {
  const char *key = ng_buf_str(&r->key);
  if (!strcmp(key, "text")) return string_member(json, &r->text, &rec->text, &rec->text_at);
  if (!strcmp(key, "id")) return id_member(json, &r->id, rec);
  if (!strcmp(key, "date")) return string_member(json, &r->date, &rec->date, &rec->date_at);
  if (!strcmp(key, "title")) return string_member(json, &r->title, &rec->title, &rec->title_at);
  if (!strcmp(key, "url")) return string_member(json, &r->url, &rec->url, &rec->url_at);
  return ng_json_skip(json);
}

static unsigned long column(const char *line, size_t off) { return ng_utf8_count(line, off) + 1; }

static NgStatus parse_record(NgReader *r, NgJson *json, Record *rec) {
  NgStatus st;
  NG_TRY(st, ng_json_object_begin(json));
  size_t count = 0;
  while ((st = ng_json_object_next(json, &count, &r->key)) == NG_SUCCESS)
    NG_TRY(st, record_member(r, json, rec));
  if (st != NG_END) return st;
  return ng_json_finish(json);
}

/* A field of the wrong type: an error for text and id, else a warning. */
static void report_field(NgReader *r, const char *line, const char *field, size_t at, bool error) {
  const char *what = !strcmp(field, "id") ? "a string or a number" : "a string";
  ng_report(r->world, NG_ERR_SYNTAX, error ? NG_LEVEL_ERROR : NG_LEVEL_WARNING, r->name, r->line,
            column(line, at), "\"%s\" must be %s%s", field, what, error ? "" : "; ignored");
}

/* The date of a record: YYYY-MM-DD, "" when absent or not understood. */
static NgStatus record_date(NgReader *r, const char *line, const Record *rec, NgArticle *a) {
  char date[11];
  a->date = "";
  if (rec->date != FIELD_OK || !r->date.len) return NG_SUCCESS;
  if (ng_input_date_normalize(r->date.data, r->date.len, date)) {
    ng_buf_clear(&r->date);
    NgStatus st = ng_buf_puts(&r->date, date);
    a->date = ng_buf_str(&r->date);
    return st;
  }
  ng_report(r->world, NG_ERR_SYNTAX, NG_LEVEL_WARNING, r->name, r->line, column(line, rec->date_at),
            "date '%.40s' is not ISO 8601 (YYYY-MM-DD); the date is unknown", r->date.data);
  return NG_SUCCESS;
}

/* Turn a parsed record into the article. */
static NgStatus record_article(NgReader *r, const char *line, const Record *rec, NgArticle *a) {
  if (rec->text != FIELD_OK) {
    if (rec->text == FIELD_BAD)
      report_field(r, line, "text", rec->text_at, true);
    else
      ng_report(r->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, r->name, r->line, 1,
                "record has no \"text\"");
    return NG_ERR_SYNTAX;
  }
  if (rec->id == FIELD_BAD) {
    report_field(r, line, "id", rec->id_at, true);
    return NG_ERR_SYNTAX;
  }
  if (rec->title == FIELD_BAD) report_field(r, line, "title", rec->title_at, false);
  if (rec->url == FIELD_BAD) report_field(r, line, "url", rec->url_at, false);
  if (rec->date == FIELD_BAD) report_field(r, line, "date", rec->date_at, false);
  article_init(r, a);
  a->line = r->line;
  a->has_own_id = rec->id == FIELD_OK && r->id.len;
  if (!a->has_own_id) {
    ng_buf_clear(&r->id);
    if (ng_buf_printf(&r->id, "%s:%lu", r->base, r->line)) return NG_ERR_NOMEM;
  }
  a->id = r->id.data;
  a->title = rec->title == FIELD_OK ? ng_buf_str(&r->title) : NULL;
  a->url = rec->url == FIELD_OK ? ng_buf_str(&r->url) : NULL;
  a->text = ng_buf_str(&r->text);
  a->text_len = r->text.len;
  return record_date(r, line, rec, a);
}

/* One JSON line into the article, or the error reported at its column. */
static NgStatus read_record(NgReader *r, const char *line, size_t len, NgArticle *a) {
  NgJson json;
  Record rec;
  memset(&rec, 0, sizeof rec);
  ng_json_init(&json, line, len);
  NgStatus st = parse_record(r, &json, &rec);
  if (st == NG_ERR_NOMEM) return st;
  if (st) {
    ng_report(r->world, st, NG_LEVEL_ERROR, r->name, r->line, column(line, json.error_offset), "%s",
              json.error ? json.error : ng_strerror(st));
    return st;
  }
  return record_article(r, line, &rec, a);
}

static NgStatus read_jsonl(NgReader *r, NgArticle *a) {
  const char *line;
  size_t len;
  for (;;) {
    NgStatus st = next_line(r, &line, &len);
    if (st == NG_END) {
      r->done = true;
      return r->seen_record ? NG_END : report_empty(r);
    }
    if (st == NG_ERR_TOO_LARGE) r->seen_record = true;
    if (st) return st;
    if (r->line == 1) {
      size_t skip = bom_len(line, len);
      line += skip;
      len -= skip;
    }
    if (all_space(line, len)) continue;
    r->seen_record = true;
    return read_record(r, line, len, a);
  }
}

/* --------------------------------------------------------------- reader */

static char *base_name(const char *path) {
  if (!strcmp(path, "-")) return strdup("stdin");
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/')
    len--;
  size_t start = len;
  while (start > 0 && path[start - 1] != '/')
    start--;
  return strndup(path + start, len - start);
}

static NgStatus report_io(NgReader *r, int err) {
  ng_report(r->world, NG_ERR_IO, NG_LEVEL_ERROR, r->name, 0, 0, "%s", strerror(err));
  return NG_ERR_IO;
}

/* Open the file; reports and returns NG_ERR_IO when it cannot be read. */
static NgStatus open_file(NgReader *r) {
  if (!strcmp(r->origin, "-")) {
    r->file = stdin;
    return NG_SUCCESS;
  }
  if (!(r->file = fopen(r->origin, "rb"))) return report_io(r, errno);
  r->close_file = true;
  struct stat sb;
  if (fstat(fileno(r->file), &sb) != 0) return report_io(r, errno);
  /* a directory opens fine; only reading it fails */
  if (S_ISDIR(sb.st_mode)) return report_io(r, EISDIR);
  if (S_ISREG(sb.st_mode)) r->file_size = (long long)sb.st_size;
  return NG_SUCCESS;
}

/* A NUL byte among the first bytes means a binary file: not an article. */
static NgStatus probe_binary(NgReader *r) {
  NgStatus st;
  while (!r->eof && r->end < BINARY_PROBE)
    NG_TRY(st, fill(r));
  size_t n = r->end < BINARY_PROBE ? r->end : BINARY_PROBE;
  if (n && memchr(r->data, '\0', n)) {
    ng_report(r->world, NG_ERR_ENCODING, NG_LEVEL_ERROR, r->name, 0, 0,
              "binary file (NUL bytes), not a text, JSON Lines or HTML article");
    return NG_ERR_ENCODING;
  }
  return NG_SUCCESS;
}

NgReader *ng_reader_new(NgWorld *world, const char *path, NgInputFormat format, NgStatus *status) {
  NgStatus st = NG_ERR_NOMEM;
  NgReader *r = calloc(1, sizeof *r);
  if (!r) goto fail;
  r->world = world;
  r->file_size = -1;
  r->format = format;
  r->origin = strdup(path);
  r->name = strdup(strcmp(path, "-") ? path : "<stdin>");
  r->base = base_name(path);
  if (!r->origin || !r->name || !r->base) goto fail;
  if ((st = open_file(r)) || (st = probe_binary(r))) goto fail;
  /* the probe holds the first 8 KiB (or all of a smaller input) */
  if (r->format == NG_INPUT_GUESS)
    r->format = ng_input_format_sniff(r->data, r->end, strcmp(path, "-") ? path : NULL);
  *status = NG_SUCCESS;
  return r;
fail:
  ng_reader_free(r);
  *status = st;
  return NULL;
}

void ng_reader_free(NgReader *r) {
  if (!r) return;
  if (r->close_file) fclose(r->file);
  free(r->origin);
  free(r->name);
  free(r->base);
  free(r->data);
  ng_buf_free(&r->id);
  ng_buf_free(&r->date);
  ng_buf_free(&r->title);
  ng_buf_free(&r->text);
  ng_buf_free(&r->url);
  ng_buf_free(&r->key);
  free(r);
}

unsigned long long ng_reader_bytes_read(const NgReader *r) { return r->bytes_read; }

NgStatus ng_reader_next(NgReader *r, NgArticle *article) {
  if (r->done) return NG_END;
  switch (r->format) {
  case NG_INPUT_JSONL: return read_jsonl(r, article);
  case NG_INPUT_HTML: return read_html(r, article);
  default: return read_text(r, article);
  }
}
