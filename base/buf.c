/* buf.c - a growable NUL-terminated byte string. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

NgStatus ng_buf_reserve(NgBuf *buf, size_t extra) {
  if (extra > SIZE_MAX - buf->len - 1) return NG_ERR_NOMEM;
  size_t need = buf->len + extra + 1;
  if (need <= buf->cap) return NG_SUCCESS;
  size_t cap = buf->cap ? buf->cap : 64;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *data = realloc(buf->data, cap);
  if (!data) return NG_ERR_NOMEM;
  buf->data = data;
  buf->cap = cap;
  return NG_SUCCESS;
}

NgStatus ng_buf_append(NgBuf *buf, const char *data, size_t len) {
  NgStatus st = ng_buf_reserve(buf, len);
  if (st) return st;
  if (len) memcpy(buf->data + buf->len, data, len);
  buf->len += len;
  buf->data[buf->len] = '\0';
  return NG_SUCCESS;
}

NgStatus ng_buf_puts(NgBuf *buf, const char *s) { return ng_buf_append(buf, s, strlen(s)); }

NgStatus ng_buf_putc(NgBuf *buf, char c) {
  if (buf->len + 1 < buf->cap) {
    buf->data[buf->len++] = c;
    buf->data[buf->len] = '\0';
    return NG_SUCCESS;
  }
  return ng_buf_append(buf, &c, 1);
}

NgStatus ng_buf_printf(NgBuf *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NG_FAILURE;
  NgStatus st = ng_buf_reserve(buf, (size_t)n);
  if (st) return st;
  va_start(ap, fmt);
  vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->len += (size_t)n;
  return NG_SUCCESS;
}

void ng_buf_clear(NgBuf *buf) {
  buf->len = 0;
  if (buf->data) buf->data[0] = '\0';
}

void ng_buf_free(NgBuf *buf) {
  free(buf->data);
  buf->data = NULL;
  buf->len = buf->cap = 0;
}

char *ng_buf_take(NgBuf *buf) {
  char *data = buf->data;
  if (!data) data = calloc(1, 1);
  buf->data = NULL;
  buf->len = buf->cap = 0;
  return data;
}

const char *ng_buf_str(const NgBuf *buf) { return buf->data ? buf->data : ""; }
