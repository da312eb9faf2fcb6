/* lexicon.c - load the lexicon files into one immutable lexicon.
 *
 * The files (formats in lexicon/README.md) are compiled into the library
 * as text (lexicon-data.c) and parsed here at start-up; a --lexicon folder
 * is parsed the same way afterwards and overrides built-in surface forms.
 * Every normalised word gets one vocabulary entry carrying all the lexicon
 * knows about it, so the pipeline needs one hash lookup per token. */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Generated tables. */
typedef struct {
  const char *name;
  const char *text;
  size_t len;
} NgEmbeddedFile;
extern const NgEmbeddedFile ng_lexicon_files[];

/* The generated word-form table: offsets into one string pool. */
typedef struct {
  uint32_t form, lemma; /* in ng_wordform_text; lemma "" for other than verbs */
  uint8_t form_len;
  uint8_t vclass; /* NgVerbClass of the lemma's first sense | of its second << 4 */
  uint16_t tags, vfreq, nfreq, afreq;
  uint8_t nclass; /* WordNet lexicographer file of the noun's first sense (0: none) */
} NgWordForm;
extern const char ng_wordform_text[];
extern const NgWordForm ng_wordforms[];
extern const size_t ng_wordforms_count;

/* A verb pattern's regular expression waiting for pcre2_compile. */
typedef struct {
  NgPatternInfo *slot;  /* receives the compiled code */
  char *source;         /* malloc'd */
  size_t len;
  const char *file;     /* in the lexicon arena */
  unsigned long line;
  int error;            /* PCRE2 error code, 0 when compiled */
} PendingRegex;

struct NgLexiconImpl {
  NgArena arena;
  NgWorld *world;
  NgMap *vocab;        /* normalised word -> NgVocab* */
  uint32_t nvocab;
  NgVocab **vocab_list; /* in the order of creation (= of memory): ids - 1 */
  uint32_t cap_vocab_list;
  NgMap *edges;        /* (node, word id) -> child node */
  NgFormInfo **forms;  /* per trie node */
  uint8_t *user_node;  /* per node: overridden by a user file already */
  uint32_t nnodes, cap_nodes;
  NgActorEntry **actors;
  size_t nactors, cap_actors;
  NgMap *actor_by_code_label; /* "CODE|label" -> entry, to merge repeated lines */
  NgMap *countries;    /* ISO3 -> country entry */
  NgMap *offices;      /* the offices people.txt names ("prime minister"), or NULL */
  NgMap *cameo;        /* code -> NgCameo* */
  NgMap *verbs;        /* lemma -> NgVerb* */
  NgVerb **verb_list;
  size_t nverbs, cap_verbs;
  NgMap *transforms[NG_MOD_COUNT + 2]; /* then negation and converse */
  bool user_phase;     /* loading --lexicon files */
  /* Loading PETRARCH-2 dictionaries (--dictionaries): a surface form the
   * lexicon already has keeps its readings (user_node 2 marks the nodes
   * the dictionaries own); `shadowed` counts the forms left out so. */
  bool dict_phase;
  size_t shadowed;
  NgMap *discards;     /* first word of a discard phrase -> NgDiscard list */
  /* One-character ASCII words (punctuation above all: a sixth of the
   * tokens), looked up once here instead of in the 4 MB vocabulary map */
  const NgVocab *char_word[128];
  bool char_words_ready;
  /* Patterns are compiled by PCRE2 after their files are read, half of
   * them on a second thread while the actor files load (see
   * start_compiling): compiling is a third of the start-up time. */
  PendingRegex *pending;
  size_t npending, cap_pending;
  atomic_size_t next_pending;
  pthread_t compiler;
  bool compiler_running;
};

/* ------------------------------------------------------------- parsing */

typedef struct {
  NgLexicon *lex;
  const char *file;  /* name for diagnostics */
  unsigned long line;
  const char *line_start;
  size_t line_len;
  bool failed;
} Parser;

static void parse_error(Parser *p, const char *at, const char *fmt, const char *arg) {
  /* at may point into a copy of part of the line (the label of an actor):
   * no column then, rather than counting through memory that is not the
   * line (a heap overflow found by fuzzing) */
  size_t off = (size_t)((uintptr_t)at - (uintptr_t)p->line_start);
  bool in_line = at && p->line_start && off <= p->line_len;
  unsigned long col = in_line ? (unsigned long)ng_utf8_count(p->line_start, off) + 1 : 0;
  ng_report(p->lex->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, p->file, p->line, col, fmt, arg);
  p->failed = true;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* Split s at '|' into at most max trimmed fields; returns the count. */
static size_t split_fields(char *s, char **fields, size_t max) {
  size_t n = 0;
  while (n < max) {
    char *bar = strchr(s, '|');
    if (bar) *bar = '\0';
    fields[n++] = trim(s);
    if (!bar) break;
    s = bar + 1;
  }
  return n;
}

/* Call fn for each ';'-separated, trimmed, non-empty item of list. */
static void for_each_item(Parser *p, char *list, void (*fn)(Parser *, char *, void *), void *ctx) {
  char *s = list;
  for (;;) {
    char *semi = strchr(s, ';');
    if (semi) *semi = '\0';
    char *item = trim(s);
    if (*item) fn(p, item, ctx);
    if (!semi) break;
    s = semi + 1;
  }
}

/* Iterate the lines of a file's text, comments removed; fn gets a mutable
 * copy of each non-blank line. */
static void for_each_line(Parser *p, const char *text, size_t len,
                          void (*fn)(Parser *, char *line, void *ctx), void *ctx) {
  NgBuf buf = NG_BUF_INIT;
  size_t i = 0;
  p->line = 0;
  while (i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    p->line++;
    ng_buf_clear(&buf);
    if (ng_buf_append(&buf, text + i, end - i)) {
      p->failed = true;
      break;
    }
    char *line = buf.data;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    p->line_start = line;
    p->line_len = buf.len;
    char *t = line;
    while (*t == ' ' || *t == '\t' || *t == '\r') t++;
    if (*t) fn(p, line, ctx);
    i = end + 1;
  }
  ng_buf_free(&buf);
}

/* ---------------------------------------------------------- vocabulary */

static size_t plural_strip(const char *w, size_t n, char *out) {
  memcpy(out, w, n);
  out[n] = '\0';
  if (n <= 3 || w[n - 1] != 's' || !(w[0] >= 'a' && w[0] <= 'z')) return n;
  if (n > 4 && !strcmp(w + n - 3, "ies")) {
    memcpy(out + n - 3, "y", 2);
    return n - 2;
  }
  if (!strcmp(w + n - 4, "sses") || !strcmp(w + n - 4, "ches") || !strcmp(w + n - 4, "shes") ||
      !strcmp(w + n - 3, "xes") || !strcmp(w + n - 3, "zes")) {
    out[n - 2] = '\0';
    return n - 2;
  }
  char prev = w[n - 2];
  if (prev == 's' || prev == 'u' || prev == 'i' || prev == '\'') return n;
  out[n - 1] = '\0';
  return n - 1;
}

static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december",
                                     "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.",
                                     "sep.", "sept.", "oct.", "nov.", "dec."};
static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};

static NgVocab *intern(NgLexicon *lex, const char *word, size_t len);

/* Calendar words, for sentence splitting and name detection. */
static NgStatus mark_calendar_words(NgLexicon *lex) {
  for (size_t i = 0; i < NG_COUNTOF(months); ++i) {
    NgVocab *v = intern(lex, months[i], strlen(months[i]));
    if (!v) return NG_ERR_NOMEM;
    v->month = true;
  }
  for (size_t i = 0; i < NG_COUNTOF(weekdays); ++i) {
    NgVocab *v = intern(lex, weekdays[i], strlen(weekdays[i]));
    if (!v) return NG_ERR_NOMEM;
    v->weekday = true;
  }
  return NG_SUCCESS;
}

/* Room in the vocabulary list for `want` entries. */
static NgStatus reserve_vocab_list(NgLexicon *lex, size_t want) {
  if (lex->cap_vocab_list >= want) return NG_SUCCESS;
  NgVocab **list = realloc(lex->vocab_list, want * sizeof *list);
  if (!list) return NG_ERR_NOMEM;
  lex->vocab_list = list;
  lex->cap_vocab_list = (uint32_t)want;
  return NG_SUCCESS;
}

/* The vocabulary entry of word, created if new (NULL on OOM).  A word
 * that lives as long as the lexicon and is NUL-terminated (the generated
 * word-form table) is kept as it is rather than copied: `stored`. */
static NgVocab *intern_stored(NgLexicon *lex, const char *word, size_t len, bool stored) {
  bool inserted = false;
  uintptr_t *slot = ng_map_slot(lex->vocab, word, len, &inserted);
  if (!slot) return NULL;
  if (!inserted) return (NgVocab *)*slot;
  if (lex->nvocab == lex->cap_vocab_list &&
      reserve_vocab_list(lex, lex->cap_vocab_list ? (size_t)lex->cap_vocab_list * 2 : 1024))
    return NULL;
  NgVocab *v = ng_arena_calloc(&lex->arena, sizeof *v);
  const char *text = stored ? word : ng_arena_strndup(&lex->arena, word, len);
  if (!v || !text) return NULL;
  /* the singular of a plural; most words are their own */
  char small[64], *key = len + 2 <= sizeof small ? small : ng_arena_alloc(&lex->arena, len + 2);
  if (!key) return NULL;
  size_t key_len = plural_strip(text, len, key);
  if (key_len == len) v->noun_lemma = text;
  else if (key != small) v->noun_lemma = key;
  else if (!(v->noun_lemma = ng_arena_strndup(&lex->arena, key, key_len))) return NULL;
  lex->vocab_list[lex->nvocab] = v;
  v->id = ++lex->nvocab;
  v->text = text;
  *slot = (uintptr_t)v;
  return v;
}

static NgVocab *intern(NgLexicon *lex, const char *word, size_t len) {
  return intern_stored(lex, word, len, false);
}

/* A one-character ASCII word, answered from char_word (once it is filled). */
static bool in_char_table(const NgLexicon *lex, const char *norm, size_t len) {
  return len == 1 && (unsigned char)norm[0] < 128 && lex->char_words_ready;
}

NgMapKey ng_lexicon_prefetch_word(const NgLexicon *lex, const char *norm, size_t len) {
  NgMapKey k = {0, 0};
  return in_char_table(lex, norm, len) ? k : ng_map_prefetch_key(lex->vocab, norm, len);
}

const NgVocab *ng_lexicon_word_key(const NgLexicon *lex, const char *norm, size_t len, NgMapKey key) {
  if (in_char_table(lex, norm, len)) return lex->char_word[(unsigned char)norm[0]];
  uintptr_t v;
  return ng_map_get_key(lex->vocab, key, norm, len, &v) ? (const NgVocab *)v : NULL;
}

const NgVocab *ng_lexicon_word(const NgLexicon *lex, const char *norm, size_t len) {
  if (in_char_table(lex, norm, len)) return lex->char_word[(unsigned char)norm[0]];
  uintptr_t v;
  return ng_map_get(lex->vocab, norm, len, &v) ? (const NgVocab *)v : NULL;
}

/* The third person singular of a verb lemma: the label of open events. */
const char *ng_lexicon_open_label(NgArena *arena, const char *lemma) {
  size_t n = strlen(lemma);
  if (n > 1 && lemma[n - 1] == 'y' && !strchr("aeiou", lemma[n - 2]))
    return ng_arena_join(arena, lemma, n - 1, "ies");
  if ((n && strchr("sxzo", lemma[n - 1])) || (n > 1 && lemma[n - 1] == 'h' && strchr("cs", lemma[n - 2])))
    return ng_arena_join(arena, lemma, n, "es");
  return ng_arena_join(arena, lemma, n, "s");
}

const char *ng_lexicon_open_rule(NgArena *arena, const char *lemma) {
  return ng_arena_join(arena, lemma, strlen(lemma), "#open");
}

/* Every word's pattern key and its hash, computed once. */
static NgStatus finish_keys(NgLexicon *lex) {
  /* (in the order of creation, which is the order in memory: walking the
   * map's slots instead visits the entries at random, a cache miss each) */
  for (uint32_t i = 0; i < lex->nvocab; ++i) {
    NgVocab *v = lex->vocab_list[i];
    v->key = v->lemma ? v->lemma : v->noun_lemma;
    v->key_len = (uint32_t)strlen(v->key);
    v->key_hash = ng_hash_bytes(v->key, v->key_len);
    v->verb_lemma = v->lemma && !strcmp(v->lemma, v->text);
    /* (every token is tried as the start of an actor: no edge lookup then) */
    v->trie_root = v->trie_start ? ng_lexicon_trie_step(lex, 0, v->id) : 0;
  }
  return NG_SUCCESS;
}

size_t ng_lexicon_lemma_key(const NgLexicon *lex, const char *norm, size_t len, char *out) {
  const NgVocab *v = ng_lexicon_word(lex, norm, len);
  const char *key = NULL;
  if (v) key = v->lemma ? v->lemma : v->noun_lemma;
  if (key) {
    size_t n = strlen(key);
    memcpy(out, key, n + 1);
    return n;
  }
  return plural_strip(norm, len, out);
}

static NgStatus load_wordforms(NgLexicon *lex) {
  /* (the lexicon files add about a tenth to the word forms) */
  size_t expected = ng_wordforms_count + ng_wordforms_count / 8;
  if (ng_map_reserve(lex->vocab, expected) || reserve_vocab_list(lex, expected)) return NG_ERR_NOMEM;
  for (size_t i = 0; i < ng_wordforms_count; ++i) {
    const NgWordForm *wf = &ng_wordforms[i];
    /* the inserts miss the cache: ask for a later one's slot now */
    if (i + 16 < ng_wordforms_count)
      (void)ng_map_prefetch_key(lex->vocab, ng_wordform_text + ng_wordforms[i + 16].form, ng_wordforms[i + 16].form_len);
    NgVocab *v = intern_stored(lex, ng_wordform_text + wf->form, wf->form_len, true);
    if (!v) return NG_ERR_NOMEM;
    const char *lemma = ng_wordform_text + wf->lemma;
    v->wf |= wf->tags;
    if (wf->vclass) v->vclass = wf->vclass;
    if (wf->nclass) v->nclass = wf->nclass;
    if (wf->afreq > v->afreq) v->afreq = wf->afreq;
    if (wf->tags & NG_WF_VERB) {
      if (!v->lemma) v->lemma = lemma;
      else if (!v->lemma2 && strcmp(v->lemma, lemma)) {
        /* The more frequent verb reading comes first ("found": find). */
        if (wf->vfreq > v->vfreq) {
          v->lemma2 = v->lemma;
          v->lemma = lemma;
        } else {
          v->lemma2 = lemma;
        }
      }
      if (wf->vfreq > v->vfreq) v->vfreq = wf->vfreq;
    }
    if (wf->nfreq > v->nfreq) v->nfreq = wf->nfreq;
  }
  return NG_SUCCESS;
}

/* ---------------------------------------------------------------- trie */

static uint32_t new_node(NgLexicon *lex) {
  if (lex->nnodes == lex->cap_nodes) {
    uint32_t cap = lex->cap_nodes ? lex->cap_nodes * 2 : 1024;
    NgFormInfo **f = realloc(lex->forms, cap * sizeof *f);
    if (!f) return 0;
    lex->forms = f;
    uint8_t *u = realloc(lex->user_node, cap);
    if (!u) return 0;
    lex->user_node = u;
    lex->cap_nodes = cap;
  }
  lex->forms[lex->nnodes] = NULL;
  lex->user_node[lex->nnodes] = 0;
  return lex->nnodes++;
}

static void edge_key(uint32_t node, uint32_t word, char key[8]) {
  memcpy(key, &node, 4);
  memcpy(key + 4, &word, 4);
}

uint32_t ng_lexicon_trie_step(const NgLexicon *lex, uint32_t node, uint32_t word_id) {
  char key[8];
  edge_key(node, word_id, key);
  uintptr_t child;
  return ng_map_get(lex->edges, key, 8, &child) ? (uint32_t)child : 0;
}

const NgFormInfo *ng_lexicon_trie_forms(const NgLexicon *lex, uint32_t node) {
  return node < lex->nnodes ? lex->forms[node] : NULL;
}

/* Case rule of a surface form: short acronyms exact, names capitalised. */
static NgCaseRule case_rule_of(const char *surface) {
  size_t letters = 0, upper = 0;
  for (const char *s = surface; *s; ++s) {
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
      letters++;
      upper += (*s >= 'A' && *s <= 'Z');
    }
  }
  if (letters && letters == upper && letters <= 5) return NG_CASE_EXACT;
  return ng_is_upper_at(surface, strlen(surface)) ? NG_CASE_CAPITALIZED : NG_CASE_ANY;
}

/* Insert a surface form with its meaning into the trie. */
static NgStatus add_form(Parser *p, const char *surface, const NgFormInfo *info) {
  NgLexicon *lex = p->lex;
  NgToken *toks = NULL;
  size_t ntoks = 0, cap = 0;
  NgStatus st = ng_tokenize(lex, surface, strlen(surface), &lex->arena, &toks, &ntoks, &cap);
  size_t first = 0;
  if (!st && ntoks > 1 && !strcmp(toks[0].norm, "the")) first = 1; /* "the" is optional */
  if (!st && first == ntoks) st = NG_ERR_SYNTAX;
  uint32_t node = 0;
  for (size_t i = first; !st && i < ntoks; ++i) {
    NgVocab *v = intern(lex, toks[i].norm, toks[i].norm_len);
    if (!v) {
      st = NG_ERR_NOMEM;
      break;
    }
    if (i == first) v->trie_start = true;
    char key[8];
    edge_key(node, v->id, key);
    bool inserted = false;
    uintptr_t *slot = ng_map_slot(lex->edges, key, 8, &inserted);
    if (!slot) {
      st = NG_ERR_NOMEM;
      break;
    }
    if (inserted) {
      uint32_t child = new_node(lex);
      if (!child) {
        st = NG_ERR_NOMEM;
        break;
      }
      *slot = child;
    }
    node = (uint32_t)*slot;
  }
  const char *shown = surface;
  if (first && !st) shown = surface + (toks[first].begin);
  free(toks);
  if (st) {
    if (st == NG_ERR_SYNTAX) parse_error(p, NULL, "empty surface form '%s'", surface);
    return st;
  }
  if (lex->dict_phase) { /* a dictionary adds forms, never replaces one */
    if (lex->forms[node] && lex->user_node[node] != 2) {
      lex->shadowed++;
      return NG_SUCCESS;
    }
    lex->user_node[node] = 2;
  }
  if (lex->user_phase && !lex->user_node[node]) { /* a user file overrides built-ins */
    lex->user_node[node] = 1;
    lex->forms[node] = NULL;
  }
  for (NgFormInfo *f = lex->forms[node]; f; f = f->next)
    if (f->actor == info->actor && f->form == info->form && !strcmp(f->role, info->role)) {
      /* the same reading twice; a form written otherwise widens the case
       * it matches in ("OPEC" and "Opec", as BBC writes it) */
      NgCaseRule cr = case_rule_of(shown);
      if ((f->case_rule == NG_CASE_EXACT && cr != NG_CASE_EXACT) ||
          (f->case_rule == NG_CASE_CAPITALIZED && cr == NG_CASE_ANY))
        f->case_rule = cr;
      return NG_SUCCESS;
    }
  NgFormInfo *f = ng_arena_alloc(&lex->arena, sizeof *f);
  if (!f) return NG_ERR_NOMEM;
  *f = *info;
  f->surface = ng_arena_strdup(&lex->arena, shown);
  f->case_rule = case_rule_of(shown);
  f->next = lex->forms[node];
  lex->forms[node] = f;
  return NG_SUCCESS;
}

/* -------------------------------------------------------------- actors */

const char *ng_actor_kind_name(NgActorKind kind) {
  switch (kind) {
  case NG_KIND_COUNTRY: return "country";
  case NG_KIND_IGO: return "igo";
  case NG_KIND_NGO: return "ngo";
  case NG_KIND_GROUP: return "group";
  case NG_KIND_PARTY: return "party";
  case NG_KIND_PERSON: return "person";
  case NG_KIND_COMPANY: return "company";
  case NG_KIND_MEDIA: return "media";
  case NG_KIND_ROLE: return "role";
  case NG_KIND_OTHER: return "other";
  case NG_KIND_NONE: break;
  }
  return "";
}

static bool kind_from_name(const char *s, NgActorKind *kind) {
  for (int k = NG_KIND_COUNTRY; k <= NG_KIND_OTHER; ++k)
    if (!strcmp(s, ng_actor_kind_name((NgActorKind)k))) {
      *kind = (NgActorKind)k;
      return true;
    }
  return false;
}

static bool valid_code(const char *code) {
  size_t n = strlen(code);
  if (n < 3 || n > 15) return false;
  for (size_t i = 0; i < n; ++i)
    if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9'))) return false;
  return true;
}

/* One entry per code, label and period: a person who held an office twice
 * has two entries (the reading whose period holds wins at match time). */
static NgActorEntry *add_actor(Parser *p, const char *code, const char *label, NgActorKind kind,
                               const char *key, NgDate from, NgDate to) {
  NgLexicon *lex = p->lex;
  NgBuf k = NG_BUF_INIT;
  char fs[11] = "", ts[11] = "";
  if (from.year) ng_date_format(from, fs);
  if (to.year) ng_date_format(to, ts);
  const char *parts[] = {code, "|", label, "|", fs, "|", ts};
  bool built = true;
  for (size_t i = 0; i < NG_COUNTOF(parts) && built; ++i) built = ng_buf_puts(&k, parts[i]) == NG_SUCCESS;
  bool inserted = false;
  uintptr_t *slot = built ? ng_map_slot(lex->actor_by_code_label, k.data, k.len, &inserted) : NULL;
  ng_buf_free(&k);
  if (!slot) return NULL;
  if (!inserted) return (NgActorEntry *)*slot;
  if (lex->nactors == lex->cap_actors) {
    size_t cap = lex->cap_actors ? lex->cap_actors * 2 : 1024;
    NgActorEntry **a = realloc(lex->actors, cap * sizeof *a);
    if (!a) return NULL;
    lex->actors = a;
    lex->cap_actors = cap;
  }
  NgActorEntry *e = ng_arena_calloc(&lex->arena, sizeof *e);
  if (!e) return NULL;
  e->code = ng_arena_strdup(&lex->arena, code);
  e->label = ng_arena_strdup(&lex->arena, label);
  char *slug = key ? NULL : ng_slug_new(label, strlen(label));
  e->key = ng_arena_strdup(&lex->arena, key ? key : slug ? slug : "_");
  free(slug);
  e->kind = kind;
  lex->actors[lex->nactors++] = e;
  *slot = (uintptr_t)e;
  return e;
}

typedef struct {
  NgActorEntry *actor;
  NgFormKind form;
  const char *role;
} FormCtx;

static void add_form_item(Parser *p, char *item, void *vctx) {
  FormCtx *ctx = vctx;
  NgFormInfo info;
  memset(&info, 0, sizeof info);
  info.actor = ctx->actor;
  info.form = ctx->form;
  char *gt = strchr(item, '>');
  if (gt) { /* "the Kremlin>GOV" */
    *gt = '\0';
    char *role = trim(gt + 1);
    if (strlen(role) != 3 || !valid_code(role)) {
      parse_error(p, gt + 1, "bad role '%s' after '>' (want three capitals, e.g. GOV)", role);
      return;
    }
    memcpy(info.role, role, 4);
    info.form = NG_FORM_METONYM;
    item = trim(item);
  } else if (ctx->role) {
    snprintf(info.role, sizeof info.role, "%s", ctx->role);
  }
  size_t n = strlen(item);
  info.plural = ctx->form == NG_FORM_DEMONYM && n > 1 && item[n - 1] == 's';
  if (add_form(p, item, &info) == NG_ERR_NOMEM) p->failed = true;
}

/* countries: ISO3 | names | demonyms | capital and metonyms */
static void parse_country(Parser *p, char *line, void *ctx) {
  (void)ctx;
  char *f[5];
  size_t n = split_fields(line, f, 5);
  if (n < 2 || strlen(f[0]) != 3 || !valid_code(f[0])) {
    parse_error(p, f[0], "expected 'ISO3 | names | demonyms | capitals', not '%s'", f[0]);
    return;
  }
  char *names = f[1];
  char first[256];
  const char *semi = strchr(names, ';');
  size_t flen = semi ? (size_t)(semi - names) : strlen(names);
  if (flen >= sizeof first) flen = sizeof first - 1;
  memcpy(first, names, flen);
  first[flen] = '\0';
  char *label = trim(first);
  if (!*label) {
    parse_error(p, f[1], "country %s has no name", f[0]);
    return;
  }
  NgDate none = {0, 0, 0};
  NgActorEntry *e = add_actor(p, f[0], label, NG_KIND_COUNTRY, NULL, none, none);
  if (!e || ng_map_put(p->lex->countries, f[0], 3, (uintptr_t)e)) {
    p->failed = true;
    return;
  }
  FormCtx c = {e, NG_FORM_NAME, NULL};
  for_each_item(p, f[1], add_form_item, &c);
  if (n > 2) {
    c.form = NG_FORM_DEMONYM;
    for_each_item(p, f[2], add_form_item, &c);
  }
  if (n > 3) {
    c.form = NG_FORM_CAPITAL;
    for_each_item(p, f[3], add_form_item, &c);
  }
}

static bool parse_options(Parser *p, char *opts, NgActorKind *kind, NgDate *from, NgDate *to,
                          const char **key, const char **surname, const char **office) {
  char *save = NULL;
  for (char *tok = strtok_r(opts, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) {
      parse_error(p, tok, "option '%s' is not key=value", tok);
      return false;
    }
    *eq = '\0';
    const char *val = eq + 1;
    if (!strcmp(tok, "kind")) {
      if (!kind_from_name(val, kind)) {
        parse_error(p, val, "unknown kind '%s'", val);
        return false;
      }
    } else if (!strcmp(tok, "from") || !strcmp(tok, "to")) {
      NgDate d;
      if (!ng_date_parse(val, &d)) {
        parse_error(p, val, "bad date '%s' (YYYY-MM-DD)", val);
        return false;
      }
      *(!strcmp(tok, "from") ? from : to) = d;
    } else if (!strcmp(tok, "key")) {
      *key = val;
    } else if (!strcmp(tok, "surname")) {
      *surname = val;
    } else if (!strcmp(tok, "office")) {
      *office = val;
    } else {
      parse_error(p, tok, "unknown option '%s' (kind, from, to, key, surname, office)", tok);
      return false;
    }
  }
  return true;
}

static NgActorKind kind_from_code(const char *code, bool people) {
  if (people) return NG_KIND_PERSON;
  if (!strncmp(code, "IGO", 3)) return NG_KIND_IGO;
  if (!strncmp(code, "NGO", 3)) return NG_KIND_NGO;
  if (!strncmp(code, "MNC", 3)) return NG_KIND_COMPANY;
  if (strstr(code, "MED")) return NG_KIND_MEDIA;
  if (strstr(code, "PTY")) return NG_KIND_PARTY;
  if (strstr(code, "BUS")) return NG_KIND_COMPANY;
  return NG_KIND_GROUP;
}

/* The last word of a person's name, for "Lukashenko" after "Alexander
 * Lukashenko" - unless it is too short or a common word. */
static void add_surname(Parser *p, NgActorEntry *e, const char *given) {
  char name[128];
  if (given) { /* surname=bin_Salman, or surname=- for none */
    if (!strcmp(given, "-")) return;
    snprintf(name, sizeof name, "%s", given);
    for (char *c = name; *c; ++c)
      if (*c == '_') *c = ' ';
  } else {
    const char *sp = strrchr(e->label, ' ');
    if (!sp || strlen(sp + 1) < 3 || !ng_is_upper_at(sp + 1, strlen(sp + 1))) return;
    snprintf(name, sizeof name, "%s", sp + 1);
    char norm[300];
    size_t nl = ng_normalize_word(name, strlen(name), norm);
    const NgVocab *v = ng_lexicon_word(p->lex, norm, nl);
    if (v && (v->fw || v->month || v->weekday)) return;
  }
  NgFormInfo info;
  memset(&info, 0, sizeof info);
  info.actor = e;
  info.form = NG_FORM_SURNAME;
  if (add_form(p, name, &info) == NG_ERR_NOMEM) p->failed = true;
}

/* office=prime_minister,PM -> "prime minister,pm": the words as a definite
 * phrase gives them ("the prime minister", "the PM"), lower case. */
/* The next office of a list "prime minister,pm" at *o: its length, and *o
 * moved past it (0 at the end). */
static size_t next_office(const char **o) {
  const char *end = strchr(*o, ',');
  size_t len = end ? (size_t)(end - *o) : strlen(*o);
  *o = end ? end + 1 : *o + len;
  return len;
}

static const char *office_list(NgLexicon *lex, const char *val) {
  char *list = ng_arena_strdup(&lex->arena, val);
  if (!list) return NULL;
  for (char *c = list; *c; ++c) {
    if (*c == '_') *c = ' ';
    else if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
  }
  /* each office once in a set, so that a definite phrase that names none
   * ("the government") costs one lookup, not a scan of the article */
  if (!lex->offices && !(lex->offices = ng_map_new())) return NULL;
  for (const char *o = list, *item = o; *o; item = o) {
    bool inserted;
    if (!ng_map_slot(lex->offices, item, next_office(&o), &inserted)) return NULL;
  }
  return list;
}

bool ng_lexicon_is_office(const NgLexicon *lex, const char *words) {
  uintptr_t v;
  return lex->offices && ng_map_get(lex->offices, words, strlen(words), &v);
}

bool ng_actor_held_office(const NgActorEntry *e, const char *words) {
  size_t n = strlen(words);
  for (const char *o = e ? e->office : NULL, *item = o; o && *o; item = o)
    if (next_office(&o) == n && !memcmp(item, words, n)) return true;
  return false;
}

bool ng_actor_in_period(const NgActorEntry *e, NgDate ref) {
  if (!ref.year) return true;
  long d = ng_date_to_days(ref);
  if (e->from.year && d < ng_date_to_days(e->from)) return false;
  if (e->to.year && d > ng_date_to_days(e->to)) return false;
  return true;
}

/* actors.txt / people.txt: CODE | Label | aliases | options */
static void parse_actor_line(Parser *p, char *line, bool people) {
  char *f[5];
  size_t n = split_fields(line, f, 5);
  if (n < 2 || !valid_code(f[0]) || !*f[1]) {
    parse_error(p, f[0], "expected 'CODE | Label | aliases | options', not '%s'", f[0]);
    return;
  }
  NgActorKind kind = kind_from_code(f[0], people);
  NgDate from = {0, 0, 0}, to = {0, 0, 0};
  const char *key = NULL, *surname = NULL, *office = NULL;
  if (n > 3 && !parse_options(p, f[3], &kind, &from, &to, &key, &surname, &office)) return;
  NgActorEntry *e = add_actor(p, f[0], f[1], kind, key, from, to);
  if (!e) {
    p->failed = true;
    return;
  }
  e->from = from;
  e->to = to;
  if (office && !(e->office = office_list(p->lex, office))) {
    p->failed = true;
    return;
  }
  FormCtx c = {e, NG_FORM_NAME, NULL};
  char label[512];
  snprintf(label, sizeof label, "%s", f[1]);
  add_form_item(p, label, &c);
  if (n > 2) for_each_item(p, f[2], add_form_item, &c);
  if (kind == NG_KIND_PERSON) add_surname(p, e, surname);
}

static void parse_actor(Parser *p, char *line, void *ctx) { parse_actor_line(p, line, ctx != NULL); }

/* roles.txt: ROLE | words | options */
static void parse_role(Parser *p, char *line, void *ctx) {
  (void)ctx;
  char *f[4];
  size_t n = split_fields(line, f, 4);
  if (n < 2 || strlen(f[0]) != 3 || !valid_code(f[0])) {
    parse_error(p, f[0], "expected 'ROLE | words | options', not '%s'", f[0]);
    return;
  }
  bool title = n > 2 && strstr(f[2], "title") != NULL;
  NgFormInfo info;
  memset(&info, 0, sizeof info);
  info.form = NG_FORM_ROLE;
  memcpy(info.role, f[0], 4);
  info.title = title;
  char *s = f[1];
  for (;;) {
    char *semi = strchr(s, ';');
    if (semi) *semi = '\0';
    char *item = trim(s);
    if (*item) {
      size_t len = strlen(item);
      info.plural = len > 2 && item[len - 1] == 's' && item[len - 2] != 's';
      if (add_form(p, item, &info) == NG_ERR_NOMEM) p->failed = true;
    }
    if (!semi) break;
    s = semi + 1;
  }
}

/* ------------------------------------------------------ smaller tables */

static void parse_abbreviation(Parser *p, char *line, void *ctx) {
  (void)ctx;
  char *f[3];
  size_t n = split_fields(line, f, 3);
  size_t len = strlen(f[0]);
  if (!len || f[0][len - 1] != '.' || strchr(f[0], ' ')) {
    parse_error(p, f[0], "an abbreviation is one word ending in '.', not '%s'", f[0]);
    return;
  }
  char norm[128];
  if (len * 2 + 8 > sizeof norm) {
    parse_error(p, f[0], "abbreviation '%s' is too long", f[0]);
    return;
  }
  size_t nl = ng_normalize_word(f[0], len, norm);
  NgVocab *v = intern(p->lex, norm, nl);
  if (!v) {
    p->failed = true;
    return;
  }
  v->abbrev = n > 1 && !strcmp(f[1], "initial") ? 2 : 1;
}

static const struct {
  const char *tag;
  uint16_t bit;
} fw_tags[] = {{"DET", NG_FW_DET},       {"PRON", NG_FW_PRON}, {"POSS", NG_FW_POSS},
               {"PREP", NG_FW_PREP},     {"CONJ", NG_FW_CONJ}, {"SUBORD", NG_FW_SUBORD},
               {"AUX", NG_FW_AUX},       {"MODAL", NG_FW_MODAL}, {"NEG", NG_FW_NEG},
               {"REL", NG_FW_REL},       {"NUM", NG_FW_NUM},   {"ADV", NG_FW_ADV},
               {"CORP", NG_FW_CORP},     {"BODY", NG_FW_BODY}, {"MEDIA", NG_FW_MEDIA}};

static void add_function_word(Parser *p, char *item, void *ctx) {
  char norm[128];
  size_t len = strlen(item);
  if (len * 2 + 8 > sizeof norm) return;
  size_t nl = ng_normalize_word(item, len, norm);
  NgVocab *v = intern(p->lex, norm, nl);
  if (!v) p->failed = true;
  else v->fw |= *(const uint16_t *)ctx;
}

static void parse_function_words(Parser *p, char *line, void *ctx) {
  (void)ctx;
  char *f[3];
  size_t n = split_fields(line, f, 3);
  uint16_t bit = 0;
  for (size_t i = 0; i < NG_COUNTOF(fw_tags); ++i)
    if (!strcmp(f[0], fw_tags[i].tag)) bit = fw_tags[i].bit;
  if (!bit || n < 2) {
    parse_error(p, f[0], "unknown tag '%s' (DET PRON POSS PREP CONJ SUBORD AUX MODAL NEG REL NUM ADV)", f[0]);
    return;
  }
  for_each_item(p, f[1], add_function_word, &bit);
}

typedef struct {
  uint8_t gender;
  bool title;
} GenderTag;

static void add_gendered_word(Parser *p, char *item, void *ctx) {
  const GenderTag *tag = ctx;
  char norm[128];
  size_t len = strlen(item);
  if (len * 2 + 8 > sizeof norm) return;
  size_t nl = ng_normalize_word(item, len, norm);
  NgVocab *v = intern(p->lex, norm, nl);
  if (!v) p->failed = true;
  else {
    v->gender = tag->gender;
    v->title = tag->title;
  }
}

/* gender.txt: "MALE | words", "FEMALE | words", and the titles of address
 * "MALE-TITLE | words", "FEMALE-TITLE | words", "TITLE | words" (either). */
static void parse_gender(Parser *p, char *line, void *ctx) {
  (void)ctx;
  static const struct {
    const char *name;
    GenderTag tag;
  } tags[] = {{"MALE", {NG_GENDER_MALE, false}},
              {"FEMALE", {NG_GENDER_FEMALE, false}},
              {"MALE-TITLE", {NG_GENDER_MALE, true}},
              {"FEMALE-TITLE", {NG_GENDER_FEMALE, true}},
              {"TITLE", {NG_GENDER_UNKNOWN, true}}};
  char *f[3];
  size_t n = split_fields(line, f, 3);
  const GenderTag *tag = NULL;
  for (size_t i = 0; i < NG_COUNTOF(tags); ++i)
    if (!strcmp(f[0], tags[i].name)) tag = &tags[i].tag;
  if (!tag || n < 2) {
    parse_error(p, f[0], "unknown tag '%s' (MALE FEMALE MALE-TITLE FEMALE-TITLE TITLE)", f[0]);
    return;
  }
  for_each_item(p, f[1], add_gendered_word, (void *)tag);
}

static void parse_cameo(Parser *p, char *line, void *ctx) {
  (void)ctx;
  char *f[6];
  size_t n = split_fields(line, f, 6);
  char *end = NULL;
  double g = n > 2 ? strtod(f[2], &end) : 0;
  long quad = n > 3 ? strtol(f[3], NULL, 10) : 0;
  size_t clen = strlen(f[0]);
  bool digits = clen >= 2 && clen <= 4 && strspn(f[0], "0123456789") == clen;
  if (n < 5 || !digits || !end || *end || quad < 1 || quad > 4 || !*f[4]) {
    parse_error(p, f[0], "expected 'CODE | name | goldstein | quad | label', not '%s'", f[0]);
    return;
  }
  NgCameo *c = ng_arena_calloc(&p->lex->arena, sizeof *c);
  if (!c) {
    p->failed = true;
    return;
  }
  c->code = ng_arena_strdup(&p->lex->arena, f[0]);
  c->name = ng_arena_strdup(&p->lex->arena, f[1]);
  c->label = ng_arena_strdup(&p->lex->arena, f[4]);
  c->goldstein = g;
  c->quad = (int)quad;
  if (!c->code || !c->name || !c->label || ng_map_put(p->lex->cameo, c->code, clen, (uintptr_t)c))
    p->failed = true;
}

const NgCameo *ng_lexicon_cameo(const NgLexicon *lex, const char *code) {
  uintptr_t v;
  return code && ng_map_get(lex->cameo, code, strlen(code), &v) ? (const NgCameo *)v : NULL;
}

/* ---------------------------------------------------------------- verbs */

static const char *const modality_names[] = {"", "intent", "threat", "appeal", "demand", "refuse"};
static const char *const nature_names[] = {"", "action", "state", "amount", "opinion"};

static int nature_from_name(const char *name) {
  for (int i = 1; i < (int)NG_COUNTOF(nature_names); ++i)
    if (!strcmp(name, nature_names[i])) return i;
  return 0;
}

/* transforms[NG_MOD_COUNT] is "negate", transforms[NG_MOD_COUNT + 1] "converse" */
static int modality_from_name(const char *s) {
  for (int i = 1; i < NG_MOD_COUNT; ++i)
    if (!strcmp(s, modality_names[i])) return i;
  if (!strcmp(s, "negate")) return NG_MOD_COUNT;
  if (!strcmp(s, "converse")) return NG_MOD_COUNT + 1;
  return -1;
}

static const char *lookup_transform(const NgMap *map, const char *code) {
  if (!map || !code || !*code) return NULL;
  char buf[8];
  size_t n = strlen(code);
  if (n >= sizeof buf) return NULL;
  memcpy(buf, code, n + 1);
  /* The longest prefix of the code that the table knows. */
  for (; n >= 2; --n) {
    uintptr_t v;
    if (ng_map_get(map, buf, n, &v)) return (const char *)v;
  }
  return NULL;
}

const char *ng_lexicon_transform(const NgLexicon *lex, int modality, const char *code) {
  if (modality <= 0 || modality >= NG_MOD_COUNT) return NULL;
  return lookup_transform(lex->transforms[modality], code);
}

const char *ng_lexicon_negate(const NgLexicon *lex, const char *code) {
  return lookup_transform(lex->transforms[NG_MOD_COUNT], code);
}

const char *ng_lexicon_converse(const NgLexicon *lex, const char *code) {
  const NgMap *m = lex->transforms[NG_MOD_COUNT + 1];
  uintptr_t v;
  return m && code && ng_map_get(m, code, strlen(code), &v) ? (const char *)v : NULL; /* exact codes only */
}

/* transform NAME : FROM=TO FROM=TO ... */
static void parse_transform(Parser *p, char *rest) {
  char *colon = strchr(rest, ':');
  if (!colon) {
    parse_error(p, rest, "expected 'transform NAME : FROM=TO ...', not '%s'", rest);
    return;
  }
  *colon = '\0';
  int m = modality_from_name(trim(rest));
  if (m < 0) {
    parse_error(p, rest, "unknown transform '%s' (intent threat appeal demand refuse negate converse)", trim(rest));
    return;
  }
  NgLexicon *lex = p->lex;
  if (!lex->transforms[m] && !(lex->transforms[m] = ng_map_new())) {
    p->failed = true;
    return;
  }
  char *save = NULL;
  for (char *tok = strtok_r(colon + 1, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq || eq == tok || !eq[1]) {
      parse_error(p, tok, "expected FROM=TO, not '%s'", tok);
      return;
    }
    *eq = '\0';
    if (!ng_lexicon_cameo(lex, eq + 1)) {
      parse_error(p, eq + 1, "unknown CAMEO code '%s'", eq + 1);
      return;
    }
    const char *to = ng_arena_strdup(&lex->arena, eq + 1);
    if (!to || ng_map_put(lex->transforms[m], tok, strlen(tok), (uintptr_t)to)) p->failed = true;
  }
}

typedef struct {
  char *lemmas;          /* the verb line's lemma list (owned copy) */
  unsigned long line;
  char **lines;          /* pattern lines of the block */
  unsigned long *line_nos;
  size_t n, cap;
  int modality;
  int nature; /* NgVerbNature */
  bool attribution;
} VerbBlock;

static void block_reset(VerbBlock *b) {
  free(b->lemmas);
  for (size_t i = 0; i < b->n; ++i) free(b->lines[i]);
  free(b->lines);
  free(b->line_nos);
  memset(b, 0, sizeof *b);
}

static NgStatus register_verb(NgLexicon *lex, NgVerb *verb, const char *lemma) {
  char norm[128];
  size_t len = strlen(lemma);
  if (len * 2 + 8 > sizeof norm) return NG_ERR_SYNTAX;
  size_t nl = ng_normalize_word(lemma, len, norm);
  NgVocab *v = intern(lex, norm, nl);
  if (!v) return NG_ERR_NOMEM;
  v->verb = verb;
  return ng_map_put(lex->verbs, norm, nl, (uintptr_t)verb);
}

/* Compile the finished block and register it under each of its lemmas. */
static void flush_block(Parser *p, VerbBlock *b) {
  if (!b->lemmas) return;
  NgLexicon *lex = p->lex;
  if (lex->nverbs == lex->cap_verbs) {
    size_t cap = lex->cap_verbs ? lex->cap_verbs * 2 : 256;
    NgVerb **v = realloc(lex->verb_list, cap * sizeof *v);
    if (!v) {
      p->failed = true;
      block_reset(b);
      return;
    }
    lex->verb_list = v;
    lex->cap_verbs = cap;
  }
  NgVerb *verb = calloc(1, sizeof *verb);
  if (!verb) {
    p->failed = true;
    block_reset(b);
    return;
  }
  lex->verb_list[lex->nverbs++] = verb;
  verb->modality = (uint8_t)b->modality;
  verb->attribution = b->attribution;
  verb->nature = (uint8_t)b->nature;
  char *save = NULL;
  char *first = strtok_r(b->lemmas, ",", &save);
  verb->lemma = ng_arena_strdup(&lex->arena, first ? trim(first) : "");
  if (ng_verb_compile(lex, verb, (const char **)b->lines, b->n, lex->world, p->file, b->line_nos))
    p->failed = true;
  for (char *l = first; l; l = strtok_r(NULL, ",", &save)) {
    l = trim(l);
    if (*l && register_verb(lex, verb, l)) p->failed = true;
  }
  block_reset(b);
}

static void parse_verb_line(Parser *p, char *line, void *ctx) {
  VerbBlock *b = ctx;
  bool indented = line[0] == ' ' || line[0] == '\t';
  char *s = trim(line);
  if (!indented && !strncmp(s, "transform ", 10)) {
    flush_block(p, b);
    parse_transform(p, s + 10);
    return;
  }
  if (!indented && !strncmp(s, "verb ", 5)) {
    flush_block(p, b);
    char *opts = strchr(s, '[');
    if (opts) {
      char *close = strchr(opts, ']');
      if (!close) {
        parse_error(p, opts, "unclosed '%s'", "[");
        return;
      }
      *close = '\0';
      *opts++ = '\0';
      char *save = NULL;
      for (char *o = strtok_r(opts, " ,", &save); o; o = strtok_r(NULL, " ,", &save)) {
        int m = modality_from_name(o), nature = nature_from_name(o);
        if (!strcmp(o, "say")) b->attribution = true;
        else if (m > 0 && m < NG_MOD_COUNT) b->modality = m;
        else if (nature) b->nature = nature;
        else
          parse_error(p, o,
                      "unknown verb option '%s' (intent threat appeal demand refuse say action state "
                      "amount opinion)",
                      o);
      }
    }
    b->lemmas = strdup(trim(s + 5));
    b->line = p->line;
    if (!b->lemmas) p->failed = true;
    return;
  }
  if (!indented || !b->lemmas) {
    parse_error(p, s, "expected 'verb LEMMA, ...', 'transform ...' or an indented pattern, not '%s'", s);
    return;
  }
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 8;
    char **l = realloc(b->lines, cap * sizeof *l);
    unsigned long *no = l ? realloc(b->line_nos, cap * sizeof *no) : NULL;
    if (l) b->lines = l;
    if (!l || !no) {
      p->failed = true;
      return;
    }
    b->line_nos = no;
    b->cap = cap;
  }
  b->lines[b->n] = strdup(line); /* with its indentation, for error columns */
  b->line_nos[b->n] = p->line;
  if (b->lines[b->n]) b->n++;
  else p->failed = true;
}

/* ---------------------------------------------------------- the files */

typedef enum {
  FILE_ABBREV,
  FILE_FUNCTION,
  FILE_CAMEO,
  FILE_COUNTRIES,
  FILE_ROLES,
  FILE_ACTORS,
  FILE_PEOPLE,
  FILE_VERBS,
  FILE_GENDER,
  FILE_UNKNOWN
} FileKind;

static FileKind file_kind(const char *name) {
  static const struct {
    const char *name;
    FileKind kind;
  } names[] = {{"abbreviations.txt", FILE_ABBREV}, {"function-words.txt", FILE_FUNCTION},
               {"cameo.txt", FILE_CAMEO},           {"countries.gen.txt", FILE_COUNTRIES},
               {"country-aliases.txt", FILE_COUNTRIES}, {"roles.txt", FILE_ROLES},
               {"actors.txt", FILE_ACTORS},         {"people.txt", FILE_PEOPLE},
               {"verbs.txt", FILE_VERBS},           {"gender.txt", FILE_GENDER}};
  for (size_t i = 0; i < NG_COUNTOF(names); ++i)
    if (!strcmp(name, names[i].name)) return names[i].kind;
  return FILE_UNKNOWN;
}

static void parse_file(NgLexicon *lex, FileKind kind, const char *file, const char *text, size_t len,
                       bool *failed) {
  Parser p = {lex, file, 0, NULL, 0, false};
  VerbBlock block;
  memset(&block, 0, sizeof block);
  int people = 1;
  switch (kind) {
  case FILE_ABBREV: for_each_line(&p, text, len, parse_abbreviation, NULL); break;
  case FILE_FUNCTION: for_each_line(&p, text, len, parse_function_words, NULL); break;
  case FILE_CAMEO: for_each_line(&p, text, len, parse_cameo, NULL); break;
  case FILE_COUNTRIES: for_each_line(&p, text, len, parse_country, NULL); break;
  case FILE_ROLES: for_each_line(&p, text, len, parse_role, NULL); break;
  case FILE_ACTORS: for_each_line(&p, text, len, parse_actor, NULL); break;
  case FILE_PEOPLE: for_each_line(&p, text, len, parse_actor, &people); break;
  case FILE_VERBS:
    for_each_line(&p, text, len, parse_verb_line, &block);
    flush_block(&p, &block);
    break;
  case FILE_GENDER: for_each_line(&p, text, len, parse_gender, NULL); break;
  case FILE_UNKNOWN: break;
  }
  if (p.failed) *failed = true;
}

/* Files are loaded in dependency order: words before forms, codes before
 * patterns. */
static const FileKind load_order[] = {FILE_ABBREV, FILE_FUNCTION, FILE_CAMEO,  FILE_COUNTRIES,
                                      FILE_ROLES,  FILE_ACTORS,   FILE_PEOPLE, FILE_VERBS,
                                      FILE_GENDER};

/* One lexicon file, checked to be UTF-8 and parsed. */
static void load_user_file(NgLexicon *lex, FileKind kind, const char *path, bool *failed,
                           NgStatus *st) {
  char *text = NULL;
  size_t len = 0, bad = 0;
  NgStatus rs = ng_file_read(path, &text, &len);
  if (rs) {
    ng_report(lex->world, rs, NG_LEVEL_ERROR, path, 0, 0, "cannot read: %s",
              rs == NG_ERR_NOMEM ? "out of memory" : strerror(errno));
    *st = rs;
    *failed = true;
  } else if (!ng_utf8_check(text, len, &bad)) {
    /* the parsers size their buffers for UTF-8 (an invalid byte
     * normalised to U+FFFD triples: a stack overflow found by fuzzing) */
    unsigned long line, col;
    ng_utf8_line_col(text, len, bad, &line, &col);
    ng_report(lex->world, NG_ERR_ENCODING, NG_LEVEL_ERROR, path, line, col, "%s",
              text[bad] ? "invalid UTF-8" : "invalid UTF-8 (NUL byte)");
    *failed = true;
  } else {
    parse_file(lex, kind, path, text, len, failed);
  }
  free(text);
}

static void load_user_dir(NgLexicon *lex, const char *dir, bool *failed, NgStatus *st) {
  char **names = NULL;
  NgStatus ls = ng_dir_list(dir, ".txt", &names);
  if (ls) {
    ng_report(lex->world, ls, NG_LEVEL_ERROR, dir, 0, 0, "cannot read lexicon folder: %s",
              ls == NG_ERR_NOMEM ? "out of memory" : strerror(errno));
    *st = ls;
    *failed = true;
    return;
  }
  lex->user_phase = true;
  for (size_t k = 0; k < NG_COUNTOF(load_order); ++k) {
    for (char **n = names; *n; ++n) {
      FileKind kind = file_kind(*n);
      if (kind != load_order[k]) continue;
      NgBuf path = NG_BUF_INIT;
      if (ng_buf_printf(&path, "%s/%s", dir, *n)) {
        *st = NG_ERR_NOMEM;
        *failed = true;
      } else {
        load_user_file(lex, kind, ng_buf_str(&path), failed, st);
      }
      ng_buf_free(&path);
    }
  }
  for (char **n = names; *n; ++n)
    if (file_kind(*n) == FILE_UNKNOWN)
      ng_report(lex->world, NG_SUCCESS, NG_LEVEL_WARNING, dir, 0, 0,
                "ignoring %s: not a lexicon file name (see lexicon/README.md)", *n);
  ng_names_free(names);
}

/* ------------------------------------------------ pattern compilation */

NgStatus ng_lexicon_defer_pattern(NgLexicon *lex, NgPatternInfo *slot, const char *re, size_t len,
                                  const char *file, unsigned long line) {
  if (lex->npending == lex->cap_pending) {
    size_t cap = lex->cap_pending ? lex->cap_pending * 2 : 1024;
    PendingRegex *p = realloc(lex->pending, cap * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    lex->pending = p;
    lex->cap_pending = cap;
  }
  const PendingRegex *last = lex->npending ? &lex->pending[lex->npending - 1] : NULL;
  const char *name = last && !strcmp(last->file, file) ? last->file : ng_arena_strdup(&lex->arena, file);
  char *copy = malloc(len + 1);
  if (!copy || !name) {
    free(copy);
    return NG_ERR_NOMEM;
  }
  memcpy(copy, re, len);
  copy[len] = '\0';
  lex->pending[lex->npending++] = (PendingRegex){slot, copy, len, name, line, 0};
  return NG_SUCCESS;
}

/* Compile pending patterns until none is left; run by both threads, each
 * taking the next one. */
static void compile_pending(NgLexicon *lex) {
  for (;;) {
    size_t i = atomic_fetch_add(&lex->next_pending, 1);
    if (i >= lex->npending) return;
    PendingRegex *p = &lex->pending[i];
    PCRE2_SIZE offset;
    /* Patterns are only ever matched anchored, after a verb: the start-of-match
     * analysis finds nothing to use, and auto-possessification (a backtracking
     * saving) cost more at start-up than it saved on a corpus.  Neither
     * changes what matches (the patterns use no backtracking verbs). */
    p->slot->re = pcre2_compile((PCRE2_SPTR)p->source, p->len, PCRE2_NO_START_OPTIMIZE | PCRE2_NO_AUTO_POSSESS,
                                &p->error, &offset, NULL);
  }
}

static void *compiler_thread(void *lex) {
  compile_pending(lex);
  return NULL;
}

/* Start compiling the pending patterns on a second thread (when there is a
 * second processor).  The pending list must not change until
 * finish_compiling, and nothing may read the patterns' code. */
static void start_compiling(NgLexicon *lex) {
  atomic_store(&lex->next_pending, 0);
  lex->compiler_running = lex->npending >= 64 && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
                          pthread_create(&lex->compiler, NULL, compiler_thread, lex) == 0;
}

/* Compile what is left, wait for the second thread, report the patterns
 * PCRE2 refused (false then) and empty the list. */
static bool finish_compiling(NgLexicon *lex) {
  compile_pending(lex);
  if (lex->compiler_running) pthread_join(lex->compiler, NULL);
  lex->compiler_running = false;
  bool ok = true;
  for (size_t i = 0; i < lex->npending; ++i) {
    PendingRegex *p = &lex->pending[i];
    if (!p->slot->re) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(p->error, msg, sizeof msg);
      ng_report(lex->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, p->file, p->line, 0,
                "pattern does not compile: %s", (char *)msg);
      ok = false;
    }
    free(p->source);
  }
  lex->npending = 0;
  return ok;
}

/* Built-in files: the verbs come right after the codes they use, so that
 * their patterns compile on the second thread while the actor files load. */
static const FileKind builtin_order[] = {FILE_ABBREV, FILE_FUNCTION, FILE_CAMEO,  FILE_VERBS,
                                         FILE_COUNTRIES, FILE_ROLES, FILE_ACTORS, FILE_PEOPLE,
                                         FILE_GENDER};

static void load_builtin(NgLexicon *lex, FileKind from, FileKind to, bool *failed) {
  bool in_range = false;
  for (size_t k = 0; !*failed && k < NG_COUNTOF(builtin_order); ++k) {
    if (builtin_order[k] == from) in_range = true;
    if (!in_range) continue;
    for (const NgEmbeddedFile *f = ng_lexicon_files; f->name; ++f)
      if (file_kind(f->name) == builtin_order[k]) {
        char file[128];
        snprintf(file, sizeof file, "lexicon/%s", f->name);
        parse_file(lex, builtin_order[k], file, f->text, f->len, failed);
      }
    if (builtin_order[k] == to) break;
  }
}

NgLexicon *ng_lexicon_new(NgWorld *world, const char *extra_dir, NgStatus *status) {
  return ng_lexicon_new_with(world, extra_dir, true, status);
}

NgLexicon *ng_lexicon_new_with(NgWorld *world, const char *extra_dir, bool builtin, NgStatus *status) {
  NgLexiconSources src = {extra_dir, NULL, 0, builtin};
  return ng_lexicon_new_from(world, &src, status);
}

NgLexicon *ng_lexicon_new_from(NgWorld *world, const NgLexiconSources *src, NgStatus *status) {
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = calloc(1, sizeof *lex);
  if (!lex || !(lex->vocab = ng_map_new()) || !(lex->edges = ng_map_new()) ||
      !(lex->cameo = ng_map_new()) || !(lex->verbs = ng_map_new()) ||
      !(lex->actor_by_code_label = ng_map_new()) || !(lex->countries = ng_map_new()) || new_node(lex) != 0) {
    ng_lexicon_free(lex);
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  lex->world = world;
  bool failed = false;
  if (load_wordforms(lex) || mark_calendar_words(lex)) failed = true;
  if (src->builtin) load_builtin(lex, FILE_ABBREV, FILE_VERBS, &failed);
  start_compiling(lex);
  if (src->builtin) load_builtin(lex, FILE_COUNTRIES, FILE_GENDER, &failed);
  if (!finish_compiling(lex)) failed = true;
  if (!failed && src->extra_dir) {
    load_user_dir(lex, src->extra_dir, &failed, &st);
    start_compiling(lex);
    if (!finish_compiling(lex)) failed = true;
  }
  if (!failed && src->dict_dir) {
    /* after the built-in and --lexicon files, so that their forms win */
    lex->user_phase = false;
    lex->dict_phase = true;
    ng_dictionaries_load(lex, src->dict_dir, src->dict_flags, &failed, &st);
    lex->dict_phase = false;
    start_compiling(lex);
    if (!finish_compiling(lex)) failed = true;
  }
  if (failed) {
    ng_lexicon_free(lex);
    *status = st ? st : NG_ERR_SYNTAX;
    return NULL;
  }
  if (finish_keys(lex)) {
    ng_lexicon_free(lex);
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  for (unsigned c = 0; c < 128; ++c) {
    char word = (char)c;
    lex->char_word[c] = ng_lexicon_word(lex, &word, 1);
  }
  lex->char_words_ready = true;
  *status = NG_SUCCESS;
  return lex;
}

static void free_verb(NgVerb *v) {
  for (size_t i = 0; i < v->npatterns; ++i) pcre2_code_free(v->patterns[i].re);
  free(v->patterns);
  free(v);
}

void ng_lexicon_free(NgLexicon *lex) {
  if (!lex) return;
  if (lex->compiler_running) pthread_join(lex->compiler, NULL);
  free(lex->vocab_list);
  for (size_t i = 0; i < lex->npending; ++i) free(lex->pending[i].source);
  free(lex->pending);
  for (size_t i = 0; i < lex->nverbs; ++i) free_verb(lex->verb_list[i]);
  free(lex->verb_list);
  for (size_t i = 0; i <= NG_MOD_COUNT + 1; ++i) ng_map_free(lex->transforms[i]);
  ng_map_free(lex->vocab);
  ng_map_free(lex->edges);
  ng_map_free(lex->cameo);
  ng_map_free(lex->verbs);
  ng_map_free(lex->actor_by_code_label);
  ng_map_free(lex->countries);
  ng_map_free(lex->offices);
  ng_map_free(lex->discards);
  free(lex->forms);
  free(lex->user_node);
  free(lex->actors);
  ng_arena_free(&lex->arena);
  free(lex);
}

size_t ng_lexicon_actor_count(const NgLexicon *lex) { return lex->nactors; }

bool ng_code_is_role(const char *code) {
  static const char *const roles[] = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "PTY", "BUS",
                                      "MED", "CVL", "EDU", "LAB", "REL", "REF", "SPY", "CRM", "HLH",
                                      "ELI", "AGR", "UAF", "INS", "MOD", "RAD"};
  if (!code[0] || !code[1] || !code[2] || code[3]) return false;
  for (size_t i = 0; i < NG_COUNTOF(roles); ++i)
    if (code[0] == roles[i][0] && code[1] == roles[i][1] && code[2] == roles[i][2]) return true;
  return false;
}

const NgActorEntry *ng_lexicon_country(const NgLexicon *lex, const char *code) {
  uintptr_t v;
  return code && strlen(code) >= 3 && ng_map_get(lex->countries, code, 3, &v) ? (const NgActorEntry *)v : NULL;
}
NgArena *ng_lexicon_arena(NgLexicon *lex) { return &lex->arena; }

/* ----------------------------------------- entries from dictionaries */

/* A parser for one line of another file format, for add_form's errors. */
static Parser line_parser(NgLexicon *lex, const char *file, unsigned long line) {
  Parser p = {lex, file, line, NULL, 0, false};
  return p;
}

const NgActorEntry *ng_lexicon_add_actor(NgLexicon *lex, const char *code, const char *label,
                                         NgActorKind kind, NgDate from, NgDate to) {
  Parser p = line_parser(lex, "", 0);
  NgActorEntry *e = add_actor(&p, code, label, kind, NULL, from, to);
  if (e) {
    e->from = from;
    e->to = to;
  }
  return e;
}

static NgStatus add_dict_form(NgLexicon *lex, const char *surface, const NgFormInfo *info,
                              const char *file, unsigned long line, bool *kept) {
  Parser p = line_parser(lex, file, line);
  size_t before = lex->shadowed;
  NgStatus st = add_form(&p, surface, info);
  if (kept) *kept = !st && lex->shadowed == before;
  return st;
}

NgStatus ng_lexicon_add_actor_form(NgLexicon *lex, const NgActorEntry *actor, const char *surface,
                                   const char *file, unsigned long line, bool *kept) {
  NgFormInfo info;
  memset(&info, 0, sizeof info);
  info.actor = actor;
  info.form = NG_FORM_NAME;
  return add_dict_form(lex, surface, &info, file, line, kept);
}

NgStatus ng_lexicon_add_role_form(NgLexicon *lex, const char *role, const char *surface, bool plural,
                                  const char *file, unsigned long line, bool *kept) {
  NgFormInfo info;
  memset(&info, 0, sizeof info);
  info.form = NG_FORM_ROLE;
  snprintf(info.role, sizeof info.role, "%s", role);
  info.plural = plural;
  return add_dict_form(lex, surface, &info, file, line, kept);
}

bool ng_lexicon_has_verb(const NgLexicon *lex, const char *lemma) {
  uintptr_t v;
  return ng_map_get(lex->verbs, lemma, strlen(lemma), &v);
}

NgVerb *ng_lexicon_add_verb(NgLexicon *lex, const char *lemma, const char *const *lines,
                            const unsigned long *line_nos, size_t n, const char *file) {
  Parser p = line_parser(lex, file, 0);
  VerbBlock b;
  memset(&b, 0, sizeof b);
  b.lemmas = strdup(lemma);
  b.lines = calloc(n ? n : 1, sizeof *b.lines);
  b.line_nos = calloc(n ? n : 1, sizeof *b.line_nos);
  if (!b.lemmas || !b.lines || !b.line_nos) {
    block_reset(&b);
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!(b.lines[i] = strdup(lines[i]))) {
      block_reset(&b);
      return NULL;
    }
    b.line_nos[i] = line_nos[i];
    b.n++;
  }
  size_t before = lex->nverbs;
  flush_block(&p, &b);
  return !p.failed && lex->nverbs > before ? lex->verb_list[lex->nverbs - 1] : NULL;
}

NgStatus ng_lexicon_add_discard(NgLexicon *lex, const char *phrase, bool story) {
  NgToken *toks = NULL;
  size_t ntoks = 0, cap = 0;
  NgStatus st = ng_tokenize(lex, phrase, strlen(phrase), &lex->arena, &toks, &ntoks, &cap);
  if (!st && !ntoks) st = NG_ERR_SYNTAX;
  NgDiscard *d = st ? NULL : ng_arena_calloc(&lex->arena, sizeof *d);
  const char **words = d ? ng_arena_alloc(&lex->arena, ntoks * sizeof *words) : NULL;
  if (!st && !words) st = NG_ERR_NOMEM;
  for (size_t i = 0; !st && i < ntoks; ++i) words[i] = toks[i].norm;
  if (!st && !lex->discards && !(lex->discards = ng_map_new())) st = NG_ERR_NOMEM;
  bool inserted = false;
  uintptr_t *slot = st ? NULL : ng_map_slot(lex->discards, toks[0].norm, toks[0].norm_len, &inserted);
  if (!st && !slot) st = NG_ERR_NOMEM;
  if (!st) {
    d->words = words;
    d->nwords = ntoks;
    d->story = story;
    d->next = inserted ? NULL : (NgDiscard *)*slot;
    *slot = (uintptr_t)d;
  }
  free(toks);
  return st;
}

const NgDiscard *ng_lexicon_discards_from(const NgLexicon *lex, const char *norm, size_t len) {
  uintptr_t v;
  return lex->discards && ng_map_get(lex->discards, norm, len, &v) ? (const NgDiscard *)v : NULL;
}

bool ng_lexicon_has_discards(const NgLexicon *lex) { return lex->discards != NULL; }
size_t ng_lexicon_shadowed_forms(const NgLexicon *lex) { return lex->shadowed; }
NgWorld *ng_lexicon_world(const NgLexicon *lex) { return lex->world; }
