/* lexicon.h - the compiled lexicon: vocabulary, actor trie, roles, verb
 * patterns, CAMEO codes.  Built once from the text files of lexicon/ (and a
 * user's --lexicon folder); immutable afterwards, so threads may share it. */
#ifndef NG_LEXICON_H
#define NG_LEXICON_H

#include "internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Word-form tag bits (shared with tools/gen-wordnet.py). */
enum {
  NG_WF_VB = 1 << 0,
  NG_WF_VBZ = 1 << 1,
  NG_WF_VBD = 1 << 2,
  NG_WF_VBN = 1 << 3,
  NG_WF_VBG = 1 << 4,
  NG_WF_NN = 1 << 5,
  NG_WF_NNS = 1 << 6,
  NG_WF_JJ = 1 << 7,
  NG_WF_RB = 1 << 8,
  NG_WF_TRANS = 1 << 9,
  NG_WF_AGENT = 1 << 10, /* a noun naming people or a group of them ("analysts", "the company") */
  NG_WF_VERB = NG_WF_VB | NG_WF_VBZ | NG_WF_VBD | NG_WF_VBN | NG_WF_VBG
};

/* The class of a WordNet verb sense (its lexicographer file): what tells an
 * action ("bought", "met") from a state ("remains"), a change ("grew"), an
 * opinion ("believes") or a perception ("saw").  NgVocab.vclass holds the
 * classes of a lemma's first two senses, the first in the low four bits. */
typedef enum {
  NG_VC_UNKNOWN = 0,
  NG_VC_STATIVE,
  NG_VC_CHANGE,
  NG_VC_MOTION,
  NG_VC_COGNITION,
  NG_VC_EMOTION,
  NG_VC_PERCEPTION,
  NG_VC_COMMUNICATION,
  NG_VC_SOCIAL,
  NG_VC_POSSESSION,
  NG_VC_COMPETITION,
  NG_VC_CONTACT,
  NG_VC_CREATION,
  NG_VC_CONSUMPTION,
  NG_VC_BODY,
  NG_VC_WEATHER
} NgVerbClass;

/* What a title, a given name or a noun for a person says of its gender. */
typedef enum { NG_GENDER_UNKNOWN = 0, NG_GENDER_MALE, NG_GENDER_FEMALE } NgGender;

/* The WordNet lexicographer file of a noun's first sense (the numbers are
 * WordNet's own; those the extractor asks about). */
typedef enum {
  NG_NC_UNKNOWN = 0,
  NG_NC_ACT = 4,
  NG_NC_ARTIFACT = 6,
  NG_NC_ATTRIBUTE = 7,
  NG_NC_COGNITION = 9,
  NG_NC_COMMUNICATION = 10,
  NG_NC_EVENT = 11,
  NG_NC_GROUP = 14,
  NG_NC_LOCATION = 15,
  NG_NC_PERSON = 18,
  NG_NC_PHENOMENON = 19,
  NG_NC_POSSESSION = 21,
  NG_NC_QUANTITY = 23,
  NG_NC_STATE = 26,
  NG_NC_TIME = 28
} NgNounClass;

/* Function-word classes (lexicon/function-words.txt). */
enum {
  NG_FW_DET = 1 << 0,
  NG_FW_PRON = 1 << 1,
  NG_FW_POSS = 1 << 2,
  NG_FW_PREP = 1 << 3,
  NG_FW_CONJ = 1 << 4,
  NG_FW_SUBORD = 1 << 5,
  NG_FW_AUX = 1 << 6,
  NG_FW_MODAL = 1 << 7,
  NG_FW_NEG = 1 << 8,
  NG_FW_REL = 1 << 9,
  NG_FW_NUM = 1 << 10,
  NG_FW_ADV = 1 << 11,
  NG_FW_CORP = 1 << 12, /* legal forms and heads of company names: Inc, Ltd, Group, Bank */
  NG_FW_BODY = 1 << 13, /* heads of the names of bodies: Association, College, Federation */
  NG_FW_MEDIA = 1 << 14, /* words of the names of media: News, Radio, Journal */
  /* the closed classes: CORP and BODY words are nouns that name things */
  NG_FW_CLOSED = (1 << 12) - 1
};

typedef enum {
  NG_KIND_NONE = 0,
  NG_KIND_COUNTRY,
  NG_KIND_IGO,
  NG_KIND_NGO,
  NG_KIND_GROUP,
  NG_KIND_PARTY,
  NG_KIND_PERSON,
  NG_KIND_COMPANY,
  NG_KIND_MEDIA,
  NG_KIND_ROLE,  /* a role noun alone: "police", "the government" */
  NG_KIND_OTHER  /* a noun phrase that names no known actor */
} NgActorKind;

const char *ng_actor_kind_name(NgActorKind kind);

/* One actor of the lexicon (a country, an organisation, a person). */
typedef struct {
  const char *code;    /* "RUS", "IGOUNO", "BLRGOV" */
  const char *label;   /* "Russia", "United Nations" */
  const char *key;     /* IRI slug */
  NgActorKind kind;
  NgDate from, to;     /* a person's code holds in this period ({0} = always) */
  const char *office;  /* a person's offices in it, "prime minister,pm" (people.txt office=), or NULL */
} NgActorEntry;

/* Whether entry e's code holds at date ref (any date when ref is unknown):
 * a person's code holds only in their period; outside it, the country. */
bool ng_actor_in_period(const NgActorEntry *e, NgDate ref);
/* Whether entry e held the office the words name ("prime minister"). */
bool ng_actor_held_office(const NgActorEntry *e, const char *words);

/* How a surface form names its actor. */
typedef enum {
  NG_FORM_NAME,     /* "Russia", "United Nations", "Vladimir Putin" */
  NG_FORM_DEMONYM,  /* "Russian", "Russians" */
  NG_FORM_CAPITAL,  /* "Moscow": the country's government by metonymy */
  NG_FORM_METONYM,  /* "the Kremlin" (with a role) */
  NG_FORM_SURNAME,  /* "Putin" */
  NG_FORM_ROLE      /* "police", "prime minister" */
} NgFormKind;

typedef enum { NG_CASE_ANY, NG_CASE_CAPITALIZED, NG_CASE_EXACT } NgCaseRule;

/* What a trie node means when a match ends there. */
typedef struct NgFormInfo {
  const NgActorEntry *actor; /* NULL for a role */
  NgFormKind form;
  NgCaseRule case_rule;
  char role[8];              /* role code for roles and metonyms ("GOV") */
  bool title;                /* a role word used before names */
  bool plural;               /* "Russians", "officials" */
  const char *surface;       /* the form as written in the lexicon (exact case rule) */
  struct NgFormInfo *next;   /* several readings of one form */
} NgFormInfo;

typedef struct NgVerb NgVerb;

/* Everything the lexicon knows about one normalised (lower-case) word.
 * (Widest fields first: sixty thousand of these are made at start-up, and
 * every byte of padding is 60 KB more to fault in.) */
typedef struct {
  const char *text;       /* the normalised word */
  const char *lemma;      /* verb lemma (for verb forms), else NULL */
  const char *lemma2;     /* second verb reading ("found": find, found) */
  const char *noun_lemma; /* singular, for plural nouns (else the text itself) */
  const char *key;        /* the word's key in patterns: verb lemma, else noun_lemma */
  const NgVerb *verb;     /* the patterns of this word as a lemma, if any */
  uint64_t key_hash;      /* ng_hash_bytes of key */
  uint32_t id;
  uint32_t key_len;
  uint32_t trie_root;     /* the trie node this word leads to from the root (trie_start) */
  uint16_t wf;            /* NG_WF_* bits */
  uint16_t fw;            /* NG_FW_* bits */
  uint16_t vfreq, nfreq;  /* sense-tagged frequencies of the verb and noun readings */
  uint16_t afreq;         /* ... and of the adjective/adverb readings */
  bool verb_lemma;        /* a verb's base form: it gives open events (ng_lexicon_open_label) */
  uint8_t abbrev;         /* 1: abbreviation; 2: may also end a sentence */
  bool trie_start;        /* some lexicon form starts with this word */
  bool month, weekday;    /* calendar words (for sentence splitting) */
  uint8_t vclass;         /* a verb lemma's first two senses: NgVerbClass | NgVerbClass << 4 */
  uint8_t nclass;         /* a noun's first sense: NgNounClass */
  uint8_t gender;         /* NgGender of a title, given name or person noun (gender.txt) */
  bool title;             /* a title of address ("Mr", "Sheikh"): a name may follow it */
} NgVocab;

/* One pattern line of verbs.txt, compiled. */
typedef struct {
  const char *code;   /* CAMEO code, "" for open events */
  const char *label;  /* action label */
  const char *rule;   /* "impose#2" */
  double confidence;
  bool passive_only, active_only;
  bool has_source, has_target, symmetric;
  bool needs_actor;   /* [actor]: only when the target names an actor */
  pcre2_code *re;     /* anchored after the verb; NULL for the "=" line */
  int target_group, source_group; /* capture groups of $target, $source (0: none) */
  /* Words the pattern cannot match without: for each required element,
   * its alternatives (hashes of whole words, and prefixes for "word*").  A
   * clause lacking every alternative of one element is skipped without
   * running the regex. */
  const struct NgRequired *required;
  uint8_t nrequired;
} NgPatternInfo;

typedef struct NgRequired {
  const uint64_t *hash;   /* whole-word alternatives */
  const char *const *prefix; /* "word*" alternatives, without the '*' */
  uint8_t nhash, nprefix;
} NgRequired;

/* What an uncoded verb reports (a class option in verbs.txt; else WordNet's
 * class of its first sense decides): an action someone does, a state, a
 * change of an amount ("rose", "fell": an action only when someone does it
 * to something), or an opinion ("believes", "fears"). */
typedef enum {
  NG_NATURE_DEFAULT = 0,
  NG_NATURE_ACTION,
  NG_NATURE_STATE,
  NG_NATURE_AMOUNT,
  NG_NATURE_OPINION
} NgVerbNature;

struct NgVerb {
  const char *lemma;
  NgPatternInfo dflt;      /* "= CODE LABEL"; dflt.code NULL if none */
  bool has_default;
  NgPatternInfo *patterns; /* in file order */
  size_t npatterns;
  uint8_t modality;        /* NG_MOD_* for verbs that introduce a complement */
  bool attribution;        /* say, tell, announce: reports a statement */
  uint8_t nature;          /* NgVerbNature */
};

/* Verbs that take an infinitive complement change what it means. */
enum { NG_MOD_NONE = 0, NG_MOD_INTENT, NG_MOD_THREAT, NG_MOD_APPEAL, NG_MOD_DEMAND, NG_MOD_REFUSE,
       NG_MOD_COUNT };

/* A CAMEO code of cameo.txt. */
typedef struct {
  const char *code;
  const char *name;
  const char *label;
  double goldstein;
  int quad;
} NgCameo;

typedef struct NgLexiconImpl NgLexicon;

/* Whether some entry of the lexicon held the office the words name. */
bool ng_lexicon_is_office(const NgLexicon *lex, const char *words);

/* Build the lexicon from the embedded files plus every *.txt of extra_dir
 * (may be NULL).  Errors are reported FILE:LINE:COL; returns NULL then. */
NgLexicon *ng_lexicon_new(NgWorld *world, const char *extra_dir, NgStatus *status);
/* The same, optionally without the built-in files (for tests). */
NgLexicon *ng_lexicon_new_with(NgWorld *world, const char *extra_dir, bool builtin, NgStatus *status);
void ng_lexicon_free(NgLexicon *lex);

/* Where a lexicon comes from: the built-in files (unless !builtin, for
 * tests), a --lexicon folder and a folder of PETRARCH-2 dictionaries
 * (--dictionaries, read by dictionaries.c), each NULL when not given. */
typedef struct {
  const char *extra_dir;
  const char *dict_dir;
  unsigned dict_flags; /* NG_DICT_* of newsgraph.h */
  bool builtin;
} NgLexiconSources;
NgLexicon *ng_lexicon_new_from(NgWorld *world, const NgLexiconSources *src, NgStatus *status);

/* ---- entries added from other formats (dictionaries.c) ----
 * While dictionaries load, a surface form the lexicon already has keeps
 * its readings: the form is left out (kept false) and counted. */
const NgActorEntry *ng_lexicon_add_actor(NgLexicon *lex, const char *code, const char *label,
                                         NgActorKind kind, NgDate from, NgDate to);
NgStatus ng_lexicon_add_actor_form(NgLexicon *lex, const NgActorEntry *actor, const char *surface,
                                   const char *file, unsigned long line, bool *kept);
NgStatus ng_lexicon_add_role_form(NgLexicon *lex, const char *role, const char *surface, bool plural,
                                  const char *file, unsigned long line, bool *kept);
bool ng_lexicon_has_verb(const NgLexicon *lex, const char *lemma);
/* A verb block of lines in verbs.txt's pattern language (each indented),
 * registered under lemma; NULL after an error (reported) or OOM. */
NgVerb *ng_lexicon_add_verb(NgLexicon *lex, const char *lemma, const char *const *lines,
                            const unsigned long *line_nos, size_t n, const char *file);
size_t ng_lexicon_shadowed_forms(const NgLexicon *lex);
NgWorld *ng_lexicon_world(const NgLexicon *lex);

/* A phrase whose sentence (or, story, whole article) yields no coded event. */
typedef struct NgDiscard {
  const char **words; /* normalised tokens */
  size_t nwords;
  bool story;
  struct NgDiscard *next;
} NgDiscard;
NgStatus ng_lexicon_add_discard(NgLexicon *lex, const char *phrase, bool story);
/* The discard phrases starting with a normalised word, or NULL. */
const NgDiscard *ng_lexicon_discards_from(const NgLexicon *lex, const char *norm, size_t len);
bool ng_lexicon_has_discards(const NgLexicon *lex);

/* Read the PETRARCH-2 dictionaries of dir into lex (dictionaries.c). */
void ng_dictionaries_load(NgLexicon *lex, const char *dir, unsigned flags, bool *failed, NgStatus *st);

/* The vocabulary entry of a normalised word, or NULL. */
const NgVocab *ng_lexicon_word(const NgLexicon *lex, const char *norm, size_t len);
/* The same in two steps, for a run of words: ask for the memory the
 * lookup will read (ng_lexicon_prefetch_word, which returns the key's
 * hash), look up later with that hash (ng_lexicon_word_key). */
NgMapKey ng_lexicon_prefetch_word(const NgLexicon *lex, const char *norm, size_t len);
const NgVocab *ng_lexicon_word_key(const NgLexicon *lex, const char *norm, size_t len, NgMapKey key);

/* Trie walk over vocabulary ids: node 0 is the root; returns the child
 * node or 0 when there is none. */
uint32_t ng_lexicon_trie_step(const NgLexicon *lex, uint32_t node, uint32_t word_id);
const NgFormInfo *ng_lexicon_trie_forms(const NgLexicon *lex, uint32_t node);

const NgCameo *ng_lexicon_cameo(const NgLexicon *lex, const char *code);
/* The code an intent/threat/appeal/demand/refusal/negation turns code into
 * (transform tables of verbs.txt), or NULL to keep it. */
const char *ng_lexicon_transform(const NgLexicon *lex, int modality, const char *code);
const char *ng_lexicon_negate(const NgLexicon *lex, const char *code);
/* The code of the same event seen from its target ("043" hosts -> "042"
 * visits), from the converse table of verbs.txt, or NULL. */
const char *ng_lexicon_converse(const NgLexicon *lex, const char *code);
/* Lower-case singular of a noun, or the verb lemma: the key of a word in
 * patterns.  Writes into out (at least len + 1 bytes); returns its length. */
size_t ng_lexicon_lemma_key(const NgLexicon *lex, const char *norm, size_t len, char *out);
/* The open-event label of a verb lemma ("release" -> "releases") and its
 * rule name ("release#open"), made in arena (NULL on OOM).  Made when an
 * event needs them, not for the 11,000 verbs at load. */
const char *ng_lexicon_open_label(NgArena *arena, const char *lemma);
const char *ng_lexicon_open_rule(NgArena *arena, const char *lemma);

size_t ng_lexicon_actor_count(const NgLexicon *lex);
/* Is code a CAMEO role alone ("MIL", "GOV"), placing nobody in the world? */
bool ng_code_is_role(const char *code);

/* The country whose ISO 3166 alpha-3 code starts code ("RUSGOV" -> Russia), or NULL. */
const NgActorEntry *ng_lexicon_country(const NgLexicon *lex, const char *code);
/* The lexicon's own arena (for strings that live as long as it). */
NgArena *ng_lexicon_arena(NgLexicon *lex);
/* Verb patterns are queued for PCRE2 as their files are read and compiled
 * together (on two threads) once all verb files are in; slot->re is set
 * then.  Only the loader queues them (see start_compiling). */
NgStatus ng_lexicon_defer_pattern(NgLexicon *lex, NgPatternInfo *slot, const char *re, size_t len,
                                  const char *file, unsigned long line);

#endif /* NG_LEXICON_H */
