/* parser.h - the part-of-speech tagger, lemmatiser and dependency parser
 * (private to the library).
 *
 * A parser is built once from a model file (mmap, or the model embedded in
 * the library) and is immutable afterwards: any number of threads may use
 * one parser, each with its own NgParseState.  ng_parse() tags and parses
 * one sentence:
 *
 *   NgParser *p = ng_parser_builtin(world, &st);
 *   NgParseState *s = ng_parse_state_new(p);
 *   NgParseWord words[n] = {{form, form_len, norm, norm_len, vocab}, ...};
 *   NgParseResult out[n];
 *   ng_parse(p, s, n, words, out);   // out[i].head: 0 = root, else 1-based
 *
 * Lemma strings point into the model or into the state: they stay valid
 * until the next ng_parse() with the same state.
 *
 * The second half of this header is the machinery the trainer
 * (tools/train-parser.c) shares with the runtime: token features, the
 * tagger's and the parser's feature templates, the arc-eager transition
 * system and its dynamic oracle, and the model file's layout.  A model is
 * only meaningful with the feature code that trained it: NG_PARSE_MODEL_VERSION
 * changes whenever that code does. */
#ifndef NG_PARSER_H
#define NG_PARSER_H

#include "lexicon.h"

/* ------------------------------------------------------------------ tags */

/* The 17 universal parts of speech (UD v2). */
typedef enum {
  NG_UPOS_NONE = 0,
  NG_UPOS_ADJ, NG_UPOS_ADP, NG_UPOS_ADV, NG_UPOS_AUX, NG_UPOS_CCONJ, NG_UPOS_DET, NG_UPOS_INTJ,
  NG_UPOS_NOUN, NG_UPOS_NUM, NG_UPOS_PART, NG_UPOS_PRON, NG_UPOS_PROPN, NG_UPOS_PUNCT,
  NG_UPOS_SCONJ, NG_UPOS_SYM, NG_UPOS_VERB, NG_UPOS_X,
  NG_UPOS_COUNT
} NgUpos;

/* The 37 universal dependency relations (UD v2); a model's labels add
 * subtypes ("nsubj:pass"), each mapped to one of these. */
typedef enum {
  NG_DEP_NONE = 0,
  NG_DEP_ACL, NG_DEP_ADVCL, NG_DEP_ADVMOD, NG_DEP_AMOD, NG_DEP_APPOS, NG_DEP_AUX, NG_DEP_CASE,
  NG_DEP_CC, NG_DEP_CCOMP, NG_DEP_CLF, NG_DEP_COMPOUND, NG_DEP_CONJ, NG_DEP_COP, NG_DEP_CSUBJ,
  NG_DEP_DEP, NG_DEP_DET, NG_DEP_DISCOURSE, NG_DEP_DISLOCATED, NG_DEP_EXPL, NG_DEP_FIXED,
  NG_DEP_FLAT, NG_DEP_GOESWITH, NG_DEP_IOBJ, NG_DEP_LIST, NG_DEP_MARK, NG_DEP_NMOD, NG_DEP_NSUBJ,
  NG_DEP_NUMMOD, NG_DEP_OBJ, NG_DEP_OBL, NG_DEP_ORPHAN, NG_DEP_PARATAXIS, NG_DEP_PUNCT,
  NG_DEP_REPARANDUM, NG_DEP_ROOT, NG_DEP_VOCATIVE, NG_DEP_XCOMP,
  NG_DEP_COUNT
} NgDep;

const char *ng_upos_name(unsigned upos);          /* "NOUN"; "_" for none */
NgUpos ng_upos_from_name(const char *name);       /* NG_UPOS_NONE if unknown */
const char *ng_dep_name(unsigned dep);            /* "nsubj"; "_" for none */
NgDep ng_dep_from_name(const char *name, size_t len); /* universal part only */

/* ------------------------------------------------------------------- API */

/* NgParser, ng_parser_new and ng_parser_free: include/newsgraph.h */
typedef struct NgParseStateImpl NgParseState;

/* One token as the caller has it: its text as written and normalised
 * (ng_normalize_word: lower case, quotes and dashes folded), and its
 * vocabulary entry (NULL when the lexicon does not know the word, or when
 * the caller has no lexicon: the tagger then sees it as unknown to
 * WordNet, which costs accuracy, not correctness). */
typedef struct {
  const char *form;
  const char *norm;
  uint32_t form_len, norm_len;
  const NgVocab *vocab;
} NgParseWord;

typedef struct {
  const char *lemma;  /* valid until the next ng_parse with the same state */
  int32_t head;       /* 0: the root; else the 1-based index of the head */
  uint8_t upos;       /* NgUpos */
  uint8_t xpos;       /* the model's tag: ng_parser_xpos_name */
  uint8_t deprel;     /* the model's label: ng_parser_deprel_name ("nsubj:pass") */
  uint8_t dep;        /* its universal relation (NgDep) */
} NgParseResult;

/* The model embedded in the library (model/en-ewt.ngp). */
NgParser *ng_parser_builtin(NgWorld *world, NgStatus *status);
/* A model file, mapped read-only.  Errors (missing, truncated, corrupt,
 * another version) are reported naming the file; NULL then. */
NgParser *ng_parser_load(NgWorld *world, const char *path, NgStatus *status);
/* A model in memory (not copied: data must outlive the parser). */
NgParser *ng_parser_from_memory(NgWorld *world, const void *data, size_t len, const char *name,
                                NgStatus *status);

NgParseState *ng_parse_state_new(const NgParser *parser);
void ng_parse_state_free(NgParseState *state);

/* Tag, lemmatise and parse one sentence of n words. */
NgStatus ng_parse(const NgParser *parser, NgParseState *state, size_t n, const NgParseWord *words,
                  NgParseResult *out);
/* Tag and lemmatise only (heads and relations left 0). */
NgStatus ng_parse_tag(const NgParser *parser, NgParseState *state, size_t n,
                      const NgParseWord *words, NgParseResult *out);

const char *ng_parser_xpos_name(const NgParser *parser, unsigned xpos);
const char *ng_parser_deprel_name(const NgParser *parser, unsigned deprel);
/* The label id of a relation name ("acl:relcl"), or -1 when the model has none. */
int ng_parser_deprel_id(const NgParser *parser, const char *name);
unsigned ng_parser_tag_count(const NgParser *parser);
unsigned ng_parser_label_count(const NgParser *parser);

/* ======================================================================
 * Shared with the trainer and the tests.
 * ====================================================================== */

#define NG_PARSE_MODEL_VERSION 1u
#define NG_PARSE_MAX_TAGS 128
#define NG_PARSE_MAX_LABELS 63   /* label sets are 64-bit masks (bit 63: none) */
#define NG_PARSE_MAX_FEATURES 128

/* What the features know of a token, computed once per sentence. */
typedef struct {
  uint64_t word;        /* hash of the normalised form */
  uint64_t pre[3];      /* hashes of its first 1-3 bytes */
  uint64_t suf[4];      /* hashes of its last 1-4 bytes */
  uint64_t shape;       /* hash of its shape ("Xx", "dd,dd", "x-x") */
  uint32_t cluster;     /* word cluster (0: none) */
  uint16_t wn;          /* WordNet word-form bits (NG_WF_*) and frequency hints */
  uint16_t amb;         /* ambiguity class: the model's tag set of the word (0: unknown) */
  uint8_t flags;        /* NG_PTOK_* */
  uint8_t tag;          /* predicted tag (the model's tag id) */
  uint8_t tag1;         /* the first tagging pass's tag (seen by the second) */
} NgParseTok;

enum {
  NG_PTOK_CAP = 1 << 0,
  NG_PTOK_ALLCAPS = 1 << 1,
  NG_PTOK_DIGIT = 1 << 2,
  NG_PTOK_HYPHEN = 1 << 3,
  NG_PTOK_FIRST = 1 << 4,
  NG_PTOK_PUNCT = 1 << 5
};

/* The word-level facts of a token (everything but amb, cluster, tag). */
void ng_parse_tok_init(NgParseTok *t, const NgParseWord *w);

/* Tagger features of token i of toks[0..n) (whose tags before i are set);
 * writes at most NG_PARSE_MAX_FEATURES hashes into out, returns how many. */
size_t ng_tagger_features(const NgParseTok *toks, size_t n, size_t i, uint64_t *out);
/* The second pass's: the same, and the first pass's tags of the words
 * around (tag1), the right context included. */
size_t ng_tagger2_features(const NgParseTok *toks, size_t n, size_t i, uint64_t *out);

/* ------------------------------------------------- arc-eager transitions */

/* Actions: SHIFT, REDUCE, LEFT-l (2 + l), RIGHT-l (2 + L + l). */
enum { NG_ACT_SHIFT = 0, NG_ACT_REDUCE = 1, NG_ACT_LEFT = 2 };
#define NG_ACT_RIGHT(L) (2 + (L))
#define NG_ACT_COUNT(L) (2 + 2 * (L))

/* A configuration over tokens 1..n, token 0 the root.  Arrays have n + 2
 * entries (index n + 1 stands for "none"). */
typedef struct {
  int32_t n, cap;            /* words now, and room for */
  int32_t *stack, nstack;
  int32_t b;                 /* the buffer's front (n + 1: empty) */
  int32_t *head;             /* -1: none yet */
  uint8_t *label;
  int32_t *ld1, *ld2, *rd1, *rd2; /* left- and rightmost dependents, and the next ones in */
  uint8_t *nl, *nr;          /* valency */
  uint64_t *lset, *rset;     /* label sets of the left and right dependents */
  int32_t root_child;        /* the dependent of the root, or 0 */
  bool root_last;            /* the root after the words (set before start) */
  uint8_t root_label;        /* the label id of "root" */
} NgArcConfig;

/* Memory for a configuration of up to cap tokens (one allocation). */
NgStatus ng_arc_config_init(NgArcConfig *c, int32_t cap);
void ng_arc_config_free(NgArcConfig *c);
/* A copy of src into dst (new memory). */
NgStatus ng_arc_config_copy(NgArcConfig *dst, const NgArcConfig *src);
void ng_arc_config_start(NgArcConfig *c, int32_t n, uint8_t root_label);
bool ng_arc_terminal(const NgArcConfig *c);
/* Is action a valid in c (nlabels labels)? */
bool ng_arc_valid(const NgArcConfig *c, unsigned nlabels, unsigned a);
void ng_arc_apply(NgArcConfig *c, unsigned nlabels, unsigned a);
/* Attach what is left once the buffer is empty: headless stack words go to
 * the root (the first) or to the root's dependent (the rest, labelled
 * punct_label for punctuation and other_label otherwise). */
void ng_arc_finish(NgArcConfig *c, const bool *punct, uint8_t punct_label, uint8_t other_label);
/* The dynamic oracle (Goldberg and Nivre 2012): the number of gold arcs
 * (gold_head, gold_label of tokens 1..n) that action a makes unreachable.
 * Exact for projective gold trees. */
unsigned ng_arc_cost(const NgArcConfig *c, unsigned nlabels, const int32_t *gold_head,
                     const uint8_t *gold_label, unsigned a);

/* dst takes src's configuration (both with room for src->n words). */
void ng_arc_config_assign(NgArcConfig *dst, const NgArcConfig *src);

/* ------------------------------------------------------------ the beam */

/* Beam search over arc-eager configurations (Zhang and Clark 2008; Zhang
 * and Nivre 2011): each step expands every item by each valid action and
 * keeps the `width` best by the sum of their actions' scores.  An item
 * whose buffer is empty is carried over unchanged (NG_BEAM_HOLD) until
 * every item is finished.  Ties keep the earlier item and action, so the
 * search is deterministic.  Shared by the runtime and the trainer, which
 * give their own scoring (averaged model rows, or the weights being
 * trained) and read the candidates between expand and commit. */
#define NG_BEAM_MAX 64
#define NG_BEAM_HOLD 0xFFFFu

typedef struct {
  int64_t score;   /* the sum of the scores of the item's actions */
  int32_t parent;  /* its item in the previous step */
  uint16_t action; /* the action that made it, or NG_BEAM_HOLD */
  uint8_t zero;    /* the trainer's: no gold arc lost so far */
} NgBeamItem;

typedef struct {
  unsigned width;     /* items kept (1 to NG_BEAM_MAX) */
  int32_t cap;        /* words the configurations hold */
  NgArcConfig *conf;  /* width: the items' configurations */
  NgArcConfig *spare; /* width: the previous step's, after a commit */
  NgBeamItem *item;   /* nitems, best first */
  NgBeamItem *cand;   /* ncand candidates of the next step, best first */
  unsigned nitems, ncand;
  bool root_last; /* configurations with the root last */
} NgBeam;

typedef void (*NgBeamScore)(const void *ctx, const uint64_t *feats, size_t n, int32_t *scores);

/* Room for width items of up to n words (keeps what it has if enough). */
NgStatus ng_beam_reserve(NgBeam *b, unsigned width, int32_t n);
void ng_beam_free(NgBeam *b);
/* One item: the start configuration of n words. */
void ng_beam_start(NgBeam *b, int32_t n, uint8_t root_label);
/* The next step's candidates into b->cand; false when every item is
 * finished (nothing to do).  score fills scores[0..NG_ACT_COUNT) for the
 * features of a configuration. */
bool ng_beam_expand(NgBeam *b, unsigned nlabels, const NgParseTok *toks, NgBeamScore score,
                    const void *ctx, uint64_t *feats, int32_t *scores);
/* The candidates become the items (their parents' configurations stay in
 * b->spare until the next commit). */
void ng_beam_commit(NgBeam *b, unsigned nlabels);

/* Parser features of configuration c (Zhang and Nivre 2011 templates with
 * clusters); out as for ng_tagger_features. */
size_t ng_parser_features(const NgArcConfig *c, const NgParseTok *toks, uint64_t *out);

/* The runtime's steps, for the trainer's evaluation and the tests:
 * facts of words[0..n) into toks (with the model's word table); greedy
 * tags; the parse of toks[0..n+1] (the root, the words, "none") into c;
 * the lemma rules (out: room for the form's length + 8). */
void ng_parse_prepare(const NgParser *p, NgParseTok *toks, size_t n, const NgParseWord *words);
void ng_parse_tag_tokens(const NgParser *p, NgParseTok *toks, size_t n, uint64_t *feats,
                         int32_t *scores);
void ng_parse_run(const NgParser *p, NgArcConfig *c, const NgParseTok *toks, int32_t n,
                  const bool *punct, uint64_t *feats, int32_t *scores);
/* The same with a beam (b, reserved with its width; the best item ends in c). */
void ng_parse_run_beam(const NgParser *p, NgBeam *b, NgArcConfig *c, const NgParseTok *toks,
                       int32_t n, const bool *punct, uint64_t *feats, int32_t *scores);
/* The beam width of a state's parses (0: the model's). */
void ng_parse_state_set_beam(NgParseState *s, unsigned width);
size_t ng_lemma_rule(const NgParseWord *w, const char *xpos, unsigned upos, char *out);

/* Non-projective gold trees: lift arcs until projective (head[1..n]). */
size_t ng_projectivize(int32_t n, int32_t *head);

/* ------------------------------------------------------ the model file */

/* A weight table: open addressing over 64-bit slots, (fingerprint << 32) |
 * row offset; rows in a uint32 array: a count, then that many entries,
 * weight << 8 | class (weights are 24-bit fixed point); or, for rows with
 * most classes, NG_ROW_DENSE | nclasses, then one int32 per class. */
typedef struct {
  const uint64_t *slots;
  uint64_t mask;
  const uint32_t *rows;
  uint64_t nrows_words;
  unsigned nclasses;
} NgWeights;

#define NG_ROW_DENSE 0x80000000u

/* Add the rows of feats[0..n) into scores[0..nclasses). */
void ng_weights_score(const NgWeights *w, const uint64_t *feats, size_t n, int32_t *scores);
/* The row of feature h (its header word), or NULL. */
const uint32_t *ng_weights_row(const NgWeights *w, uint64_t h);

/* Word table: slots of (fingerprint << 32) | (cluster << 16) | amb. */
typedef struct {
  const uint64_t *slots;
  uint64_t mask;
} NgWordTable;

/* Lemma table: slots of (fingerprint << 32) | string offset; key
 * ng_lemma_key(norm hash, tag). */
typedef struct {
  const uint64_t *slots;
  uint64_t mask;
} NgLemmaTable;

uint64_t ng_lemma_key(uint64_t word_hash, unsigned tag);
uint64_t ng_parse_word_hash(const char *norm, size_t len);

/* File layout (little-endian):
 *   header  NgModelHeader
 *   sections at the offsets it gives, each 64-byte aligned. */
#define NG_PARSE_MAGIC "NGPARSE\0"
#define NG_MODEL_ROOT_LAST 0x100u /* the parser's transitions put the root last */
enum {
  NG_SEC_STRINGS = 0, /* NUL-terminated strings */
  NG_SEC_TAGS,        /* per tag: uint32 name offset, uint32 upos */
  NG_SEC_LABELS,      /* per label: uint32 name offset, uint32 universal relation */
  NG_SEC_TAG_SLOTS, NG_SEC_TAG_ROWS,
  NG_SEC_TAG2_SLOTS, NG_SEC_TAG2_ROWS, /* the second tagging pass */
  NG_SEC_PARSE_SLOTS, NG_SEC_PARSE_ROWS,
  NG_SEC_WORD_SLOTS,
  NG_SEC_LEMMA_SLOTS,
  NG_SEC_COUNT
};

typedef struct {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t file_size;
  uint64_t checksum;   /* ng_parse_checksum of the bytes after the header */
  uint32_t ntags, nlabels;
  uint32_t root_label, punct_label, other_label;
  uint32_t flags; /* bits 0-7: the parser's beam width (0 or 1: greedy); NG_MODEL_ROOT_LAST */
  uint64_t offset[NG_SEC_COUNT];
  uint64_t size[NG_SEC_COUNT];
} NgModelHeader;

uint64_t ng_parse_checksum(const void *data, size_t len);

/* A loaded model (every offset checked against the file at load). */
struct NgParserImpl {
  NgWorld *world;
  char *name;
  void *map;           /* the mapping of a loaded file, or NULL */
  size_t map_len;
  const char *strings;
  size_t strings_len;
  unsigned ntags, nlabels;
  const char *tag_name[NG_PARSE_MAX_TAGS];
  uint8_t tag_upos[NG_PARSE_MAX_TAGS];
  const char *label_name[NG_PARSE_MAX_LABELS];
  uint8_t label_dep[NG_PARSE_MAX_LABELS];
  uint8_t root_label, punct_label, other_label;
  unsigned beam;         /* the beam width it parses with (1: greedy) */
  unsigned trained_beam; /* the one the model was trained with */
  bool root_last;        /* the root after the words (NG_MODEL_ROOT_LAST) */
  NgWeights tagger, tagger2, parser;
  NgWordTable words;
  NgLemmaTable lemmas;
};


#endif /* NG_PARSER_H */
