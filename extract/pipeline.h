/* pipeline.h - the extraction pipeline's working data: tokens, sentences,
 * actor mentions, noun phrases, verb groups, and the document they belong to.
 *
 *   text -> tokens (token.c) -> sentences (sentence.c) -> actor mentions
 *   (actors.c) -> parts of speech, noun phrases, verb groups, clauses
 *   (clause.c) -> coreference (coref.c) -> verb patterns (pattern.c) ->
 *   events (events.c); document.c drives it and owns the results.
 */
#ifndef NG_PIPELINE_H
#define NG_PIPELINE_H

#include "extract.h"
#include "lexicon.h"
#include "timex.h"

/* ---------------------------------------------------------------- tokens */

enum {
  NG_TOK_CAP = 1 << 0,       /* first letter upper case */
  NG_TOK_ALLCAPS = 1 << 1,   /* two or more letters, all upper case */
  NG_TOK_DIGIT = 1 << 2,     /* starts with a digit */
  NG_TOK_PUNCT = 1 << 3,
  NG_TOK_WORD = 1 << 4,      /* has a letter */
  NG_TOK_NEWLINE = 1 << 5,   /* a line break precedes it */
  NG_TOK_PARA = 1 << 6,      /* a blank line precedes it */
  NG_TOK_ABBREV = 1 << 7,    /* ends with an abbreviation's full stop */
  NG_TOK_QUOTE = 1 << 8,     /* a quotation mark */
  NG_TOK_OPEN = 1 << 9,      /* ( [ { */
  NG_TOK_CLOSE = 1 << 10,    /* ) ] } */
  NG_TOK_CLITIC = 1 << 11,   /* 's n't 're 've 'll 'd 'm */
  NG_TOK_HYPHEN = 1 << 12,   /* contains an inner hyphen */
  NG_TOK_END = 1 << 13,      /* . ! ? or an ellipsis */
  NG_TOK_TITLECASE = 1 << 14, /* the sentence is in headline title case */
  NG_TOK_TIMEX = 1 << 15      /* part of a time expression */
};

/* Coarse parts of speech, decided in context by clause.c. */
typedef enum {
  NG_POS_X = 0,
  NG_POS_PUNCT,
  NG_POS_NUM,
  NG_POS_DET,
  NG_POS_PRON,
  NG_POS_POSS,    /* his, its, their */
  NG_POS_GEN,     /* the possessive clitic 's */
  NG_POS_PREP,
  NG_POS_TO,
  NG_POS_CONJ,
  NG_POS_SUBORD,
  NG_POS_REL,
  NG_POS_AUX,
  NG_POS_MODAL,
  NG_POS_NEG,
  NG_POS_ADV,
  NG_POS_ADJ,
  NG_POS_NOUN,
  NG_POS_PROPN,
  NG_POS_VERB
} NgPos;

/* Verb forms. */
typedef enum { NG_VF_NONE = 0, NG_VF_VB, NG_VF_VBZ, NG_VF_VBP, NG_VF_VBD, NG_VF_VBN, NG_VF_VBG } NgVerbForm;

typedef struct {
  uint32_t begin, end;  /* byte offsets in the document text */
  uint32_t cbegin, cend; /* the same in characters (code points) */
  const char *norm;     /* lower case, quotes and dashes folded (arena) */
  uint32_t norm_len;
  const NgVocab *vocab; /* NULL for words the lexicon does not know */
  uint16_t flags;       /* NG_TOK_* */
  uint8_t pos;          /* NgPos */
  uint8_t vform;        /* NgVerbForm when pos == NG_POS_VERB */
  const char *lemma;    /* verb lemma when a verb */
  int32_t mention;      /* actor mention covering the token, or -1 */
  int32_t np;           /* noun phrase holding the token, or -1 */
} NgToken;

/* Split text[0..len) into tokens appended to *tokens (grown with realloc).
 * lex supplies abbreviations; norm strings go into arena. */
NgStatus ng_tokenize(const NgLexicon *lex, const char *text, size_t len, NgArena *arena,
                     NgToken **tokens, size_t *ntokens, size_t *cap);
/* Lower-case, fold quotes/dashes: writes at most len*2+4 bytes + NUL. */
size_t ng_normalize_word(const char *s, size_t len, char *out);
/* True when the code point at s is upper case. */
bool ng_is_upper_at(const char *s, size_t len);

/* ------------------------------------------------------------- sentences */

typedef struct {
  size_t first, count;  /* tokens */
  uint32_t begin, end;  /* bytes in the document text */
  bool title_case;      /* a headline in Title Case */
  bool is_title;        /* the article's title */
  bool personal;        /* in a paragraph written as "I" (a reader's comment, a column) */
} NgSentence;

/* Group tokens into sentences (appended to *sents). */
NgStatus ng_split_sentences(const NgLexicon *lex, const char *text, NgToken *tokens, size_t ntokens,
                            NgSentence **sents, size_t *nsents);

/* -------------------------------------------------------------- mentions */

/* An actor named in the text: a lexicon actor, a composed one ("Russian
 * officials": RUSGOV), a person found by title, or a proper noun. */
typedef struct {
  size_t first, count;        /* tokens */
  const NgActorEntry *entry;  /* lexicon actor, or NULL */
  NgActorKind kind;
  const char *code;           /* CAMEO code ("" if unknown), arena */
  const char *label;          /* canonical label, arena */
  const char *key;            /* IRI slug, arena */
  bool plural;
  bool pronoun;               /* resolved from a pronoun (lower confidence) */
  bool person;
  bool demonym;               /* an adjective of nationality alone ("Russian") */
  int32_t antecedent;         /* for pronouns and aliases: mention it stands for */
  float confidence;
  uint8_t gender;             /* NgGender, as far as known (coref.c) */
} NgMention;

/* ------------------------------------------------------ phrases, clauses */

typedef struct {
  size_t first, last;   /* tokens, inclusive */
  size_t head;          /* head token */
  int32_t mention;      /* actor mention of the phrase, or -1 */
  int32_t coord_next;   /* next conjunct ("Brazil and the United States"), or -1 */
  bool pronoun;
  bool plural;
} NgPhrase;

enum {
  NG_VG_NEG = 1 << 0,
  NG_VG_PASSIVE = 1 << 1,
  NG_VG_FUTURE = 1 << 2,
  NG_VG_PAST = 1 << 3,
  NG_VG_PERFECT = 1 << 4,
  NG_VG_MODAL = 1 << 5,     /* may, might, could, would, should */
  NG_VG_INFINITIVE = 1 << 6, /* "to attack" */
  NG_VG_GERUND = 1 << 7,
  NG_VG_RELATIVE = 1 << 8,  /* in a relative clause */
  NG_VG_PARTICIPLE = 1 << 9 /* a reduced relative or adjectival participle */
};

typedef struct {
  size_t first, head, last; /* tokens */
  uint32_t flags;           /* NG_VG_* */
  const char *lemma;
  const NgVerb *verb;       /* patterns of the lemma, or NULL */
  int32_t subject;          /* phrase, or -1 */
  int32_t object;           /* phrase, or -1 */
  int32_t governor;         /* verb group this one is the complement of, or -1 */
  size_t gov_word;          /* "is ready to V": the adjective that carries the modality (0: none) */
  int32_t ctrl_object;      /* "ask X to V": the phrase X, or -1 */
  int32_t attribution;      /* verb group of the "said" that reports this clause, or -1 */
  size_t clause_begin, clause_end; /* tokens of its clause, for time expressions */
} NgVerbGroup;

/* ---------------------------------------------------------- the document */

typedef struct {
  NgTimexMatch m;
  size_t sentence;
} NgDocTimex;

struct NgExtractorImpl {
  NgWorld *world;
  NgLexicon *lex;
  unsigned factualities; /* NgFactuality bits of the events kept */
};

/* The shadow of a sentence: lemmas with phrase brackets, one string, and
 * the set of its lemmas (hashes) for the patterns' quick test. */
typedef struct {
  NgBuf text;
  uint32_t *tok_offset;    /* token index (relative to sentence) -> byte offset in text */
  size_t ntok, cap;
  uint64_t *tok_hash;      /* per token: hash of its lemma key */
  uint64_t *keys;          /* open-addressing set of lemma hashes, 0 = empty */
  size_t nkeys_cap;
  void *match_data;        /* pcre2_match_data, reused */
  size_t built_for;        /* 1 + the sentence it holds now; 0: none */
} NgShadow;

struct NgDocumentImpl {
  NgArena arena;
  const NgLexicon *lex;
  /* article facts */
  const char *id, *key, *title, *url, *date, *date_source, *origin;
  NgDate ref;             /* article date, {0} if unknown */
  /* the text analysed: the title, a blank line, then the body */
  const char *text;
  size_t len;
  size_t body_offset;     /* where the body starts in text */
  size_t dateline_begin, dateline_end;
  const NgActorEntry *dateline_country; /* "MINSK, 16 November 2020 -": Belarus; NULL if none */
  /* the countries the article's actors name, counted as mentions are read
   * (events.c article_country: incremental, never a rescan) */
  struct {
    const NgActorEntry *country;
    size_t count;
  } named_countries[16];
  size_t nnamed_countries, countries_counted;
  /* analysis */
  NgToken *tokens;
  size_t ntokens, cap_tokens;
  NgSentence *sents;
  size_t nsents;
  NgMention *mentions;
  size_t nmentions, cap_mentions;
  NgPhrase *phrases;
  size_t nphrases, cap_phrases;
  NgVerbGroup *groups;
  size_t ngroups, cap_groups;
  NgDocTimex *timexes;
  size_t ntimexes, cap_timexes;
  /* results */
  NgEvent *events;
  size_t nevents, cap_events;
  NgTimex *out_timexes;
  /* byte -> code point offsets, counted from a moving cursor */
  size_t cursor_byte, cursor_char;
  NgShadow shadow; /* the verb patterns' view of the sentence at hand (its memory reused) */
  bool ascii; /* no byte of the text above 0x7F: characters are bytes */
  struct {
    bool quote_open; /* the last sentence ended inside quotation marks */
    int32_t speaker; /* the phrase that said the last quotation, or -1 */
    size_t speaker_sentence; /* the sentence that last set speaker */
    int32_t quoted_speaker; /* the sentence at hand goes on quoting speaker: that phrase, or -1 */
    bool opens_quoted; /* the sentence at hand opens inside a quotation */
  } coref;
  unsigned factualities; /* the extractor's: which events are kept */
};

/* Inside a quotation after token t, given whether it was before it (the
 * marks' sides, coref.c). */
bool ng_quoted_after(const NgDocument *doc, size_t t, bool quoted);

/* Is token i a double quotation mark ('"', U+201C/D/E, guillemets, '' and
 * ``)?  Single marks are apostrophes as often ("analysts' forecasts"). */
bool ng_double_quote_mark(const NgDocument *doc, size_t i);

/* Is token t of sentence s - the sentence whose coreference was resolved
 * last - inside a quotation in double marks, one that opened in s or
 * goes on from the sentences before it (coref.c)? */
bool ng_in_quotation(const NgDocument *doc, const NgSentence *s, size_t t);

/* A verb of saying whose subject may follow it ('"...," said X'): say,
 * tell, add (clause.c). */
bool ng_reporting_lemma(const NgToken *t);

/* An article's facts, tokens and sentences, without the later stages
 * (for the parser's CoNLL-U output, parse-io.c). */
NgDocument *ng_document_segment(const NgExtractor *ex, const NgArticle *article, NgStatus *status);

/* Stages (each works on one sentence, given its index). */
NgStatus ng_find_mentions(NgDocument *doc, size_t sentence);
NgStatus ng_analyse_clauses(NgDocument *doc, size_t sentence);
NgStatus ng_resolve_coreference(NgDocument *doc, size_t sentence);
NgStatus ng_find_events(NgDocument *doc, size_t sentence);
/* Once every sentence is read: an event of the headline that the text
 * reports again becomes a second mention of the text's event. */
NgStatus ng_merge_restated_events(NgDocument *doc);

/* The agent phrase of a passive verb ("by X" after head), or -1. */
int32_t ng_passive_agent(const NgDocument *doc, size_t sentence, size_t head);

/* Helpers shared by the stages. */
NgMention *ng_doc_add_mention(NgDocument *doc);
NgPhrase *ng_doc_add_phrase(NgDocument *doc);
NgVerbGroup *ng_doc_add_group(NgDocument *doc);
/* Drop the coded events of sentences (or stories) holding a PETRARCH-2
 * discard phrase, when the lexicon has some (dictionaries.c). */
NgStatus ng_dictionaries_discard(NgDocument *doc);
NgEvent *ng_doc_add_event(NgDocument *doc);
/* Text of tokens [first, last] as in the article (arena). */
const char *ng_doc_span_text(NgDocument *doc, size_t first, size_t last);
/* Character offset of a byte offset of doc->text. */
size_t ng_doc_char_offset(NgDocument *doc, size_t byte);
/* Character offsets of a token's start and end. */
#define NG_TOK_CBEGIN(doc, i) ((size_t)(doc)->tokens[i].cbegin)
#define NG_TOK_CEND(doc, i) ((size_t)(doc)->tokens[i].cend)

/* The verb pattern engine (pattern.c). */
typedef struct {
  const NgPatternInfo *info;
  int32_t target_phrase;   /* -1 if none */
  int32_t source_phrase;   /* -1 if none */
  size_t end_token;        /* last token the pattern covered */
  size_t index;            /* which of the verb's patterns matched */
} NgPatternMatch;


NgStatus ng_shadow_build(NgDocument *doc, size_t sentence, NgShadow *shadow);
void ng_shadow_free(NgShadow *shadow);
/* Try the patterns of group g's verb after its head, from pattern number
 * first on.  Returns true and fills *m on a match. */
bool ng_pattern_match(const NgDocument *doc, size_t sentence, NgShadow *shadow,
                      const NgVerbGroup *g, size_t first, NgPatternMatch *m);
/* Compile one verb block's patterns (used by lexicon.c). */
NgStatus ng_verb_compile(NgLexicon *lex, NgVerb *verb, const char **sources, size_t n,
                         NgWorld *world, const char *file, const unsigned long *lines);

#endif /* NG_PIPELINE_H */
