/* utf8.c - validation and decoding of UTF-8, offsets in code points. */
#include "internal.h"

#include <string.h>

size_t ng_utf8_seq_len(const unsigned char *s, size_t avail) {
  uint32_t cp;
  return ng_utf8_decode(s, avail, &cp);
}

/* Strict decoding (RFC 3629): no overlongs, no surrogates, <= U+10FFFF. */
size_t ng_utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp) {
  if (!avail) return 0;
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = c & 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (avail < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

size_t ng_utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

bool ng_utf8_check(const char *s, size_t len, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    /* ASCII runs dominate news text: skip them eight bytes at a time. */
    while (i + 8 <= len) {
      uint64_t v;
      __builtin_memcpy(&v, p + i, 8);
      if (v & 0x8080808080808080ull) break;
      /* a zero byte inside the word */
      if ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= len) break;
    if (p[i] == 0) {
      if (bad) *bad = i;
      return false;
    }
    size_t n = ng_utf8_seq_len(p + i, len - i);
    if (!n) {
      if (bad) *bad = i;
      return false;
    }
    i += n;
  }
  return true;
}

/* Eight bytes at a time: a continuation byte is 10xxxxxx, its top bit set
 * and the next one clear. */
size_t ng_utf8_count(const char *s, size_t len) {
  const uint64_t high = 0x8080808080808080ull;
  size_t cont = 0, i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    uint64_t c = x & ~(x << 1) & high;
    if (c) cont += (size_t)__builtin_popcountll(c);
  }
  for (; i < len; ++i)
    cont += ((unsigned char)s[i] & 0xC0) == 0x80;
  return len - cont;
}

bool ng_is_ascii(const char *s, size_t len) {
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    any |= x;
  }
  for (; i < len; ++i) any |= (unsigned char)s[i];
  return !(any & 0x8080808080808080ull);
}

void ng_utf8_line_col(const char *s, size_t len, size_t off, unsigned long *line,
                      unsigned long *col) {
  unsigned long l = 1, c = 1;
  if (off > len) off = len;
  for (size_t i = 0; i < off; ++i) {
    if (s[i] == '\n') {
      l++;
      c = 1;
    } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}
