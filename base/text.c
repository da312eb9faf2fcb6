/* text.c - small string helpers. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void ng_ascii_lower(const char *s, size_t len, char *out) {
  for (size_t i = 0; i < len; ++i) {
    char c = s[i];
    out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  out[len] = '\0';
}

bool ng_streq_nocase(const char *a, const char *b) {
  for (;; ++a, ++b) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
    if (x != y) return false;
    if (!x) return true;
  }
}

/* The slug of label[0..len) into out (len * 3 + 2 bytes). */
static void slug_write(const char *label, size_t len, char *out) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  bool dash = false;
  for (size_t i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)label[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep || c >= 0x80) {
      if (dash && o) out[o++] = '-';
      dash = false;
      if (keep) {
        out[o++] = (char)c;
      } else { /* non-ASCII: percent-encode the byte, as IRIs allow */
        out[o++] = '%';
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 15];
      }
    } else if (c == '\'' && i + 1 < len && (label[i + 1] == 's' || label[i + 1] == 'S')) {
      /* "Reuters's" -> "reuterss" would be odd; drop the apostrophe only. */
    } else {
      dash = true;
    }
  }
  if (!o) out[o++] = '_';
  out[o] = '\0';
}

char *ng_slug_new(const char *label, size_t len) {
  char *out = malloc(len * 3 + 2);
  if (out) slug_write(label, len, out);
  return out;
}

char *ng_arena_slug(NgArena *arena, const char *label, size_t len) {
  char *out = ng_arena_alloc(arena, len * 3 + 2);
  if (out) slug_write(label, len, out);
  return out;
}
