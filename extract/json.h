/* json.h - a small, strict JSON pull parser that allocates nothing itself.
 *
 * Made for JSON Lines input: the caller walks one object member by member,
 * decodes the values it wants (strings into an NgBuf, numbers as their
 * lexeme) and skips the rest.  The grammar is RFC 8259, strictly: no
 * comments, no trailing commas, no leading zeros, no raw control characters
 * in strings, \u escapes with paired surrogates only, and UTF-8 text.
 * Skipping is iterative and nesting deeper than NG_JSON_MAX_DEPTH is an
 * error, so hostile input cannot blow the stack.
 *
 * On failure a function returns NG_ERR_SYNTAX (or NG_ERR_ENCODING for
 * invalid UTF-8 and for \u0000, which no C string can hold) and records the
 * message and the byte offset of the offending character in the parser;
 * the parser is then spent.
 */
#ifndef NG_JSON_H
#define NG_JSON_H

#include "internal.h"

#define NG_JSON_MAX_DEPTH 64

typedef enum {
  NG_JSON_NONE, /* end of input or a character no value starts with */
  NG_JSON_NULL,
  NG_JSON_FALSE,
  NG_JSON_TRUE,
  NG_JSON_NUMBER,
  NG_JSON_STRING,
  NG_JSON_ARRAY,
  NG_JSON_OBJECT
} NgJsonType;

typedef struct {
  const char *begin; /* the whole input */
  const char *end;
  const char *p;       /* the next character to read */
  int depth;           /* open containers entered with ng_json_object_begin */
  NgStatus status;     /* of the first error; NG_SUCCESS while there is none */
  const char *error;   /* its message (a static string), NULL if none */
  size_t error_offset; /* byte offset of the character it is about */
} NgJson;

/* Start parsing data[0..len). */
void ng_json_init(NgJson *json, const char *data, size_t len);

/* Skip whitespace; the type of the value that starts there (by its first
 * character, nothing is validated yet). */
NgJsonType ng_json_peek(NgJson *json);

/* Enter an object: consumes '{'. */
NgStatus ng_json_object_begin(NgJson *json);

/* The next member of the object entered last: decodes its key into key
 * (cleared first) and consumes the ':' after it, leaving the value to be
 * read or skipped.  *count is the number of members read so far (start at
 * 0).  Returns NG_END after consuming the closing '}'. */
NgStatus ng_json_object_next(NgJson *json, size_t *count, NgBuf *key);

/* Decode a string value and append it to out (UTF-8). */
NgStatus ng_json_string(NgJson *json, NgBuf *out);

/* Check a number value; *text and *len give its lexeme, e.g. "-1.5e3". */
NgStatus ng_json_number(NgJson *json, const char **text, size_t *len);

/* Check and pass over any value, however nested (within the depth limit). */
NgStatus ng_json_skip(NgJson *json);

/* Only whitespace may follow the value read: checks that. */
NgStatus ng_json_finish(NgJson *json);

#endif /* NG_JSON_H */
