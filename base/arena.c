/* arena.c - a bump allocator for the many small strings of one document. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct NgArenaBlock {
  NgArenaBlock *next;
  size_t size;
  max_align_t data[]; /* aligned storage follows */
};

#define ARENA_MIN_BLOCK ((size_t)16 << 10)

void *ng_arena_alloc_block(NgArena *arena, size_t size) {
  /* Blocks grow with the arena so that big documents need few of them. */
  size_t want = arena->total / 2 > ARENA_MIN_BLOCK ? arena->total / 2 : ARENA_MIN_BLOCK;
  if (want < size) want = size;
  NgArenaBlock *b = malloc(sizeof *b + want);
  if (!b) return NULL;
  b->next = arena->head;
  b->size = want;
  arena->head = b;
  arena->total += want;
  arena->next = (char *)b->data + size;
  arena->end = (char *)b->data + want;
  return b->data;
}

void *ng_arena_calloc(NgArena *arena, size_t size) {
  void *p = ng_arena_alloc(arena, size);
  if (p) memset(p, 0, size);
  return p;
}

char *ng_arena_strndup(NgArena *arena, const char *s, size_t len) {
  char *p = ng_arena_alloc(arena, len + 1);
  if (!p) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *ng_arena_strdup(NgArena *arena, const char *s) {
  return ng_arena_strndup(arena, s, strlen(s));
}

char *ng_arena_join(NgArena *arena, const char *head, size_t head_len, const char *tail) {
  size_t tail_len = strlen(tail);
  char *p = ng_arena_alloc(arena, head_len + tail_len + 1);
  if (!p) return NULL;
  if (head_len) memcpy(p, head, head_len);
  memcpy(p + head_len, tail, tail_len + 1);
  return p;
}

char *ng_arena_printf(NgArena *arena, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = ng_arena_alloc(arena, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void ng_arena_free(NgArena *arena) {
  NgArenaBlock *b = arena->head;
  while (b) {
    NgArenaBlock *next = b->next;
    free(b);
    b = next;
  }
  arena->head = NULL;
  arena->total = 0;
  arena->next = arena->end = NULL;
}
