/* json.c - a small, strict JSON pull parser (see json.h).
 *
 * Speed matters: JSON Lines input is read at hundreds of MB/s, and nearly
 * all of its bytes are inside the "text" string.  Strings are therefore
 * scanned eight bytes at a time for the few bytes that need attention
 * (quote, backslash, control characters, non-ASCII), and plain runs are
 * copied with one memcpy each.
 */
#include "json.h"

#include <string.h>

/* ------------------------------------------------------------- helpers */

static NgStatus fail(NgJson *json, NgStatus status, const char *at, const char *message) {
  if (!json->error) {
    json->status = status;
    json->error = message;
    json->error_offset = (size_t)(at - json->begin);
  }
  json->p = json->end; /* spent: later calls see the end of input */
  return status;
}

/* fail() for the functions that return a position: always NULL. */
static const char *fail_null(NgJson *json, NgStatus status, const char *at, const char *message) {
  fail(json, status, at, message);
  return NULL;
}

static inline const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when some byte of v is zero (may flag extra bytes above a real
 * zero byte, which only sends us to the exact byte-wise path). */
static inline uint64_t has_zero_byte(uint64_t v) { return (v - ONES) & ~v & HIGHS; }

/* True when none of the eight bytes needs a closer look inside a string. */
static inline bool plain_word(uint64_t v) {
  uint64_t special = v & HIGHS;              /* non-ASCII */
  special |= (v - ONES * 0x20) & ~v & HIGHS; /* a control character */
  special |= has_zero_byte(v ^ (ONES * '"'));
  special |= has_zero_byte(v ^ (ONES * '\\'));
  return !special;
}

/* Length of the valid UTF-8 sequence at a non-ASCII lead byte, 0 if
 * invalid (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
 * Inline because Cyrillic or CJK text has one per character. */
static inline size_t utf8_multibyte_len(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
  if (c >= 0xC2 && c <= 0xDF) return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
    if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
    if (c == 0xF4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
    return 4;
  }
  return 0;
}

/* Pass over string characters that stand for themselves, validating
 * UTF-8.  Stops at a quote, a backslash, a control character, an invalid
 * UTF-8 sequence (*bad_utf8 set) or the end. */
static const char *scan_plain(const char *p, const char *end, bool *bad_utf8) {
  for (;;) {
    while (end - p >= 8) {
      uint64_t v;
      memcpy(&v, p, 8);
      if (!plain_word(v)) break;
      p += 8;
    }
    if (p >= end) return p;
    unsigned char c = (unsigned char)*p;
    if (c >= 0x80) {
      size_t n = utf8_multibyte_len((const unsigned char *)p, (size_t)(end - p));
      if (!n) {
        *bad_utf8 = true;
        return p;
      }
      p += n;
    } else if (c == '"' || c == '\\' || c < 0x20) {
      return p;
    } else {
      p++;
    }
  }
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The four hex digits after "\u" at p (p points at the backslash). */
static long hex4(const char *p, const char *end) {
  if (end - p < 6 || p[1] != 'u') return -1;
  long v = 0;
  for (int i = 2; i < 6; ++i) {
    int h = hex_value(p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/* A \uXXXX escape (with its low surrogate when it is a high one) at p.
 * Returns the position after it, or NULL after recording the error. */
static const char *unicode_escape(NgJson *json, const char *p, NgBuf *out) {
  long cp = hex4(p, json->end);
  if (cp < 0)
    return fail_null(json, NG_ERR_SYNTAX, p, "invalid \\u escape (four hex digits wanted)");
  const char *next = p + 6;
  if (cp >= 0xDC00 && cp <= 0xDFFF)
    return fail_null(json, NG_ERR_SYNTAX, p, "lone low surrogate in \\u escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    long low = hex4(next, json->end);
    if (next >= json->end || *next != '\\' || low < 0xDC00 || low > 0xDFFF)
      return fail_null(json, NG_ERR_SYNTAX, p, "lone high surrogate in \\u escape");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    next += 6;
  }
  if (!out) return next;
  if (cp == 0) /* valid JSON, but no C string can carry it */
    return fail_null(json, NG_ERR_ENCODING, p, "\\u0000 (NUL character) in a string");
  char utf8[4];
  size_t n = ng_utf8_encode((uint32_t)cp, utf8);
  if (ng_buf_append(out, utf8, n)) return fail_null(json, NG_ERR_NOMEM, p, "out of memory");
  return next;
}

/* The escape at p (a backslash); appends what it stands for to out (if
 * not NULL).  Returns the position after it, or NULL on error. */
static const char *escape(NgJson *json, const char *p, NgBuf *out) {
  if (p + 1 >= json->end) return fail_null(json, NG_ERR_SYNTAX, p, "unterminated string");
  char c;
  switch (p[1]) {
  case '"': c = '"'; break;
  case '\\': c = '\\'; break;
  case '/': c = '/'; break;
  case 'b': c = '\b'; break;
  case 'f': c = '\f'; break;
  case 'n': c = '\n'; break;
  case 'r': c = '\r'; break;
  case 't': c = '\t'; break;
  case 'u': return unicode_escape(json, p, out);
  default: return fail_null(json, NG_ERR_SYNTAX, p, "invalid escape in string");
  }
  if (out && ng_buf_putc(out, c)) return fail_null(json, NG_ERR_NOMEM, p, "out of memory");
  return p + 2;
}

/* The string whose opening quote is at p: decoded onto out when out is not
 * NULL, else only checked.  Returns the position after the closing quote,
 * or NULL after recording the error. */
static const char *string_at(NgJson *json, const char *p, NgBuf *out) {
  const char *open = p++;
  for (;;) {
    const char *run = p;
    bool bad_utf8 = false;
    p = scan_plain(p, json->end, &bad_utf8);
    if (out && p > run && ng_buf_append(out, run, (size_t)(p - run)))
      return fail_null(json, NG_ERR_NOMEM, run, "out of memory");
    if (bad_utf8) return fail_null(json, NG_ERR_ENCODING, p, "invalid UTF-8");
    if (p >= json->end) return fail_null(json, NG_ERR_SYNTAX, open, "unterminated string");
    if (*p == '"') return p + 1;
    if (*p != '\\')
      return fail_null(json, NG_ERR_SYNTAX, p, "control character in string (must be escaped)");
    if (!(p = escape(json, p, out))) return NULL;
  }
}

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *digits(const char *p, const char *end) {
  while (p < end && is_digit(*p))
    p++;
  return p;
}

/* The number at p: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?  Returns
 * the position after it, or NULL after recording the error. */
static const char *number_at(NgJson *json, const char *p) {
  const char *start = p, *end = json->end;
  if (p < end && *p == '-') p++;
  if (p >= end || !is_digit(*p)) return fail_null(json, NG_ERR_SYNTAX, start, "expected a value");
  if (*p == '0')
    p++;
  else
    p = digits(p, end);
  if (p < end && *p == '.') {
    if (++p >= end || !is_digit(*p)) return fail_null(json, NG_ERR_SYNTAX, p, "invalid number");
    p = digits(p, end);
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    if (++p < end && (*p == '+' || *p == '-')) p++;
    if (p >= end || !is_digit(*p)) return fail_null(json, NG_ERR_SYNTAX, p, "invalid number");
    p = digits(p, end);
  }
  /* "01", "1x": a number glued to more characters */
  if (p < end &&
      (is_digit(*p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.'))
    return fail_null(json, NG_ERR_SYNTAX, p, "invalid number");
  return p;
}

static const char *literal_at(NgJson *json, const char *p, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(json->end - p) < n || memcmp(p, word, n))
    return fail_null(json, NG_ERR_SYNTAX, p, "expected a value");
  return p + n;
}

/* A scalar value at p (not an object or array). */
static const char *scalar_at(NgJson *json, const char *p) {
  if (p >= json->end) return fail_null(json, NG_ERR_SYNTAX, p, "expected a value");
  switch (*p) {
  case '"': return string_at(json, p, NULL);
  case 't': return literal_at(json, p, "true");
  case 'f': return literal_at(json, p, "false");
  case 'n': return literal_at(json, p, "null");
  default: return number_at(json, p);
  }
}

/* A member name and the ':' after it, at p (after whitespace). */
static const char *member_name_at(NgJson *json, const char *p, NgBuf *key) {
  p = skip_ws(p, json->end);
  if (p >= json->end || *p != '"')
    return fail_null(json, NG_ERR_SYNTAX, p, "expected a member name (a string)");
  if (!(p = string_at(json, p, key))) return NULL;
  p = skip_ws(p, json->end);
  if (p >= json->end || *p != ':') return fail_null(json, NG_ERR_SYNTAX, p, "expected ':'");
  return p + 1;
}

/* --------------------------------------------------------------- public */

void ng_json_init(NgJson *json, const char *data, size_t len) {
  json->begin = json->p = data;
  json->end = data + len;
  json->depth = 0;
  json->status = NG_SUCCESS;
  json->error = NULL;
  json->error_offset = 0;
}

NgJsonType ng_json_peek(NgJson *json) {
  json->p = skip_ws(json->p, json->end);
  if (json->p >= json->end) return NG_JSON_NONE;
  switch (*json->p) {
  case '{': return NG_JSON_OBJECT;
  case '[': return NG_JSON_ARRAY;
  case '"': return NG_JSON_STRING;
  case 't': return NG_JSON_TRUE;
  case 'f': return NG_JSON_FALSE;
  case 'n': return NG_JSON_NULL;
  default: return *json->p == '-' || is_digit(*json->p) ? NG_JSON_NUMBER : NG_JSON_NONE;
  }
}

NgStatus ng_json_object_begin(NgJson *json) {
  if (json->error) return json->status;
  const char *p = skip_ws(json->p, json->end);
  if (p >= json->end || *p != '{') return fail(json, NG_ERR_SYNTAX, p, "expected an object");
  if (json->depth >= NG_JSON_MAX_DEPTH)
    return fail(json, NG_ERR_SYNTAX, p, "nesting deeper than 64 levels");
  json->depth++;
  json->p = p + 1;
  return NG_SUCCESS;
}

NgStatus ng_json_object_next(NgJson *json, size_t *count, NgBuf *key) {
  if (json->error) return json->status;
  const char *p = skip_ws(json->p, json->end);
  if (p < json->end && *p == '}') {
    json->depth--;
    json->p = p + 1;
    return NG_END;
  }
  if (*count) {
    if (p >= json->end || *p != ',') return fail(json, NG_ERR_SYNTAX, p, "expected ',' or '}'");
    p++;
  }
  ng_buf_clear(key);
  const char *after = member_name_at(json, p, key);
  if (!after) return json->status;
  json->p = after;
  (*count)++;
  return NG_SUCCESS;
}

NgStatus ng_json_string(NgJson *json, NgBuf *out) {
  if (json->error) return json->status;
  const char *p = skip_ws(json->p, json->end);
  if (p >= json->end || *p != '"') return fail(json, NG_ERR_SYNTAX, p, "expected a string");
  size_t mark = out->len;
  const char *after = string_at(json, p, out);
  if (!after) {
    out->len = mark; /* leave no half-decoded string behind */
    if (out->data) out->data[mark] = '\0';
    return json->status;
  }
  json->p = after;
  return NG_SUCCESS;
}

NgStatus ng_json_number(NgJson *json, const char **text, size_t *len) {
  if (json->error) return json->status;
  const char *p = skip_ws(json->p, json->end);
  const char *after = number_at(json, p);
  if (!after) return json->status;
  *text = p;
  *len = (size_t)(after - p);
  json->p = after;
  return NG_SUCCESS;
}

/* After a value inside the containers of closers[0..*n): pops the
 * containers that close here.  Returns the position where the next value
 * starts (after a ',' and, in an object, the next member name), the
 * position after the outermost value when *n reaches 0, or NULL. */
static const char *after_value(NgJson *json, const char *p, const char *closers, int *n) {
  while (*n > 0) {
    p = skip_ws(p, json->end);
    char closer = closers[*n - 1];
    if (p < json->end && *p == ',')
      return closer == '}' ? member_name_at(json, p + 1, NULL) : p + 1;
    if (p >= json->end || *p != closer) {
      const char *message = closer == '}' ? "expected ',' or '}'" : "expected ',' or ']'";
      return fail_null(json, NG_ERR_SYNTAX, p, message);
    }
    p++;
    (*n)--;
  }
  return p;
}

/* The start of an object or array at p: an empty one is a whole value
 * (*complete set, the position after it returned); otherwise it is pushed
 * on closers and the position of its first value is returned. */
static const char *open_container(NgJson *json, const char *p, char *closers, int *n,
                                  bool *complete) {
  if (json->depth + *n >= NG_JSON_MAX_DEPTH)
    return fail_null(json, NG_ERR_SYNTAX, p, "nesting deeper than 64 levels");
  char closer = *p == '{' ? '}' : ']';
  p = skip_ws(p + 1, json->end);
  *complete = p < json->end && *p == closer;
  if (*complete) return p + 1;
  closers[(*n)++] = closer;
  return closer == '}' ? member_name_at(json, p, NULL) : p;
}

NgStatus ng_json_skip(NgJson *json) {
  if (json->error) return json->status;
  char closers[NG_JSON_MAX_DEPTH];
  int n = 0;
  const char *p = json->p;
  for (;;) {
    bool complete = true;
    p = skip_ws(p, json->end);
    if (p < json->end && (*p == '{' || *p == '['))
      p = open_container(json, p, closers, &n, &complete);
    else
      p = scalar_at(json, p);
    if (p && complete) p = after_value(json, p, closers, &n);
    if (!p) return json->status;
    if (complete && n == 0) break;
  }
  json->p = p;
  return NG_SUCCESS;
}

NgStatus ng_json_finish(NgJson *json) {
  if (json->error) return json->status;
  const char *p = skip_ws(json->p, json->end);
  if (p < json->end) return fail(json, NG_ERR_SYNTAX, p, "unexpected text after the value");
  json->p = p;
  return NG_SUCCESS;
}
