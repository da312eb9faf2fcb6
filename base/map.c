/* map.c - an open-addressing hash map from byte strings to uintptr_t. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Keys of up to 8 bytes (most words, every trie edge) are kept in the
 * slot itself: comparing them costs no second cache miss. */
#define INLINE_KEY 8

typedef struct {
  uint64_t hash; /* 0 marks an empty slot */
  union {
    const char *ptr;         /* len > INLINE_KEY: in map->keys */
    char bytes[INLINE_KEY];  /* len <= INLINE_KEY, zero-padded */
    uint64_t word;           /* ... the same bytes, compared at once */
  } key;
  size_t len;
  uintptr_t value;
} Slot;

static const char *slot_key(const Slot *s) {
  return s->len <= INLINE_KEY ? s->key.bytes : s->key.ptr;
}

struct NgMapImpl {
  Slot *slots;
  size_t cap; /* power of two */
  size_t size;
  NgArena keys;
};

/* wyhash-style mixing: fast on short keys, good enough spread. */
static uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t ng_hash_bytes(const void *data, size_t len) {
  const unsigned char *p = data;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xA0761D6478BD642Full);
  while (len >= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    h = mix(h ^ v, 0xE7037ED1A0B428DBull);
    p += 8;
    len -= 8;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < len; ++i) v |= (uint64_t)p[i] << (8 * i);
  h = mix(h ^ v, 0x8EBC6AF09C88C6E3ull);
  return mix(h, 0x589965CC75374CC3ull);
}

uint64_t ng_hash_combine(uint64_t h, uint64_t v) { return mix(h ^ v, 0xE7037ED1A0B428DBull); }

/* Up to 8 bytes as the word they make in memory, zero-padded: two
 * overlapping loads instead of a loop over the bytes. */
static inline uint64_t short_word(const char *key, size_t len) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const unsigned char *p = (const unsigned char *)key;
  if (len >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + len - 4, 4);
    return (uint64_t)lo | (uint64_t)hi << (8 * (len - 4));
  }
  if (!len) return 0;
  return (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) | (uint64_t)p[len - 1] << (8 * (len - 1));
#else
  uint64_t w = 0;
  memcpy(&w, key, len);
  return w;
#endif
}

/* The map's own hash (ng_hash_bytes must keep its values: article keys are
 * made from it).  Keys of up to 8 bytes hash as their word, which the
 * lookup then compares in one instruction; longer ones read the last 8
 * bytes overlapping instead of byte by byte. */
static inline uint64_t key_hash(const char *key, size_t len, uint64_t *word) {
  uint64_t h;
  if (len <= INLINE_KEY) {
    *word = short_word(key, len);
    h = mix(*word ^ 0x9E3779B97F4A7C15ull, 0xA0761D6478BD642Full ^ len);
  } else {
    const unsigned char *p = (const unsigned char *)key, *last = p + len - 8;
    h = 0x9E3779B97F4A7C15ull ^ (len * 0xA0761D6478BD642Full);
    uint64_t v;
    for (; p < last; p += 8) {
      memcpy(&v, p, 8);
      h = mix(h ^ v, 0xE7037ED1A0B428DBull);
    }
    memcpy(&v, last, 8);
    h = mix(h ^ v, 0x8EBC6AF09C88C6E3ull);
    *word = 0;
  }
  h = mix(h, 0x589965CC75374CC3ull);
  return h ? h : 1;
}

NgMap *ng_map_new(void) {
  NgMap *map = calloc(1, sizeof *map);
  if (!map) return NULL;
  map->cap = 16;
  map->slots = calloc(map->cap, sizeof *map->slots);
  if (!map->slots) {
    free(map);
    return NULL;
  }
  return map;
}

void ng_map_free(NgMap *map) {
  if (!map) return;
  free(map->slots);
  ng_arena_free(&map->keys);
  free(map);
}

static inline Slot *find(const NgMap *map, uint64_t h, const char *key, size_t len, uint64_t word) {
  size_t mask = map->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot *s = &map->slots[i];
    if (!s->hash) return s;
    if (s->hash != h || s->len != len) continue;
    if (len <= INLINE_KEY ? s->key.word == word : memcmp(s->key.ptr, key, len) == 0) return s;
  }
}

static NgStatus grow(NgMap *map) {
  size_t cap = map->cap * 2;
  Slot *slots = calloc(cap, sizeof *slots);
  if (!slots) return NG_ERR_NOMEM;
  for (size_t i = 0; i < map->cap; ++i) {
    Slot *s = &map->slots[i];
    if (!s->hash) continue;
    size_t j = s->hash & (cap - 1);
    while (slots[j].hash) j = (j + 1) & (cap - 1);
    slots[j] = *s;
  }
  free(map->slots);
  map->slots = slots;
  map->cap = cap;
  return NG_SUCCESS;
}

NgStatus ng_map_reserve(NgMap *map, size_t n) {
  if (!map->size && n * 4 > map->cap * 3) {
    /* Empty: the final array at once.  Growing step by step would read
     * every intermediate array through, a page fault for each of its
     * pages (4 MB of them for the word forms). */
    size_t cap = map->cap;
    while (n * 4 > cap * 3) cap *= 2;
    Slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return NG_ERR_NOMEM;
    free(map->slots);
    map->slots = slots;
    map->cap = cap;
  }
  while (n * 4 > map->cap * 3)
    if (grow(map)) return NG_ERR_NOMEM;
  return NG_SUCCESS;
}

NgMapKey ng_map_prefetch_key(const NgMap *map, const char *key, size_t len) {
  NgMapKey k;
  k.hash = key_hash(key, len, &k.word);
  __builtin_prefetch(&map->slots[k.hash & (map->cap - 1)]);
  return k;
}

bool ng_map_get_key(const NgMap *map, NgMapKey k, const char *key, size_t len, uintptr_t *value) {
  const Slot *s = find(map, k.hash, key, len, k.word);
  if (!s->hash) return false;
  if (value) *value = s->value;
  return true;
}

bool ng_map_get(const NgMap *map, const char *key, size_t len, uintptr_t *value) {
  NgMapKey k;
  k.hash = key_hash(key, len, &k.word);
  return ng_map_get_key(map, k, key, len, value);
}

uintptr_t *ng_map_slot(NgMap *map, const char *key, size_t len, bool *inserted) {
  NgMapKey k;
  k.hash = key_hash(key, len, &k.word);
  return ng_map_slot_key(map, k, key, len, inserted);
}

uintptr_t *ng_map_slot_key(NgMap *map, NgMapKey k, const char *key, size_t len, bool *inserted) {
  uint64_t word = k.word, h = k.hash;
  Slot *s = find(map, h, key, len, word);
  if (s->hash) {
    if (inserted) *inserted = false;
    return &s->value;
  }
  if ((map->size + 1) * 4 > map->cap * 3) {
    if (grow(map)) return NULL;
    s = find(map, h, key, len, word);
  }
  if (len <= INLINE_KEY) {
    s->key.word = word;
  } else {
    char *copy = ng_arena_strndup(&map->keys, key, len);
    if (!copy) return NULL;
    s->key.ptr = copy;
  }
  s->hash = h;
  s->len = len;
  s->value = 0;
  map->size++;
  if (inserted) *inserted = true;
  return &s->value;
}

NgStatus ng_map_put(NgMap *map, const char *key, size_t len, uintptr_t value) {
  uintptr_t *slot = ng_map_slot(map, key, len, NULL);
  if (!slot) return NG_ERR_NOMEM;
  *slot = value;
  return NG_SUCCESS;
}

size_t ng_map_size(const NgMap *map) { return map->size; }

bool ng_map_next(const NgMap *map, size_t *i, const char **key, size_t *len,
                 uintptr_t *value) {
  while (*i < map->cap) {
    const Slot *s = &map->slots[(*i)++];
    if (!s->hash) continue;
    if (key) *key = slot_key(s); /* (valid until the map grows) */
    if (len) *len = s->len;
    if (value) *value = s->value;
    return true;
  }
  return false;
}
