/* document.c - the extractor and the extraction of one article.
 *
 * ng_extract() runs the pipeline over an article: the title and body become
 * one text (title, blank line, body - unless the body already starts with
 * the title), a dateline is set aside, the text is split into tokens and
 * sentences, and each sentence goes through actors, time expressions,
 * clauses, coreference and events in turn.  Everything the document holds
 * lives in its arena and goes with ng_document_free(). */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NG_MAX_TIMEX_PER_SENTENCE 16

/* ----------------------------------------------------------- extractor */

NgExtractor *ng_extractor_new(NgWorld *world, const char *extra_dir, NgStatus *status) {
  return ng_extractor_new_with_dictionaries(world, extra_dir, NULL, 0, status);
}

NgExtractor *ng_extractor_new_with_dictionaries(NgWorld *world, const char *extra_dir, const char *dict_dir,
                                                unsigned flags, NgStatus *status) {
  NgStatus st = NG_SUCCESS;
  NgExtractor *ex = calloc(1, sizeof *ex);
  if (!ex) {
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  ex->world = world;
  ex->factualities = NG_FACT_DEFAULT;
  NgLexiconSources src = {extra_dir, dict_dir, flags, true};
  ex->lex = ng_lexicon_new_from(world, &src, &st);
  if (!ex->lex) {
    free(ex);
    *status = st;
    return NULL;
  }
  *status = NG_SUCCESS;
  return ex;
}

void ng_extractor_set_factualities(NgExtractor *ex, unsigned mask) {
  ex->factualities = mask & (NG_FACT_ALL | NG_FACT_FUTURE_CODED);
}

/* (the order of NgFactuality; a name's bit is given, as bit 7 is a mask
 * bit and no factuality) */
static const struct {
  const char *name;
  NgFactuality bit;
} factualities[] = {{"asserted", NG_FACT_ASSERTED},         {"negated", NG_FACT_NEGATED},
                    {"future", NG_FACT_FUTURE},             {"conditional", NG_FACT_CONDITIONAL},
                    {"hypothetical", NG_FACT_HYPOTHETICAL}, {"question", NG_FACT_QUESTION},
                    {"opinion", NG_FACT_OPINION},           {"background", NG_FACT_BACKGROUND}};

const char *ng_factuality_name(NgFactuality factuality) {
  for (size_t i = 0; i < NG_COUNTOF(factualities); ++i)
    if (factuality == factualities[i].bit) return factualities[i].name;
  return "";
}

bool ng_factuality_parse(const char *list, unsigned *mask) {
  if (!strcmp(list, "all")) return *mask = NG_FACT_ALL, true;
  if (!strcmp(list, "default")) return *mask = NG_FACT_DEFAULT, true;
  unsigned m = 0;
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    bool known = false;
    for (size_t i = 0; i < NG_COUNTOF(factualities) && !known; ++i)
      if (n == strlen(factualities[i].name) && !strncmp(p, factualities[i].name, n)) {
        m |= factualities[i].bit;
        known = true;
      }
    if (!known) return false;
    p += n;
    if (*p == ',') p++;
  }
  if (!m) return false;
  *mask = m;
  return true;
}

void ng_extractor_free(NgExtractor *ex) {
  if (!ex) return;
  ng_lexicon_free(ex->lex);
  free(ex);
}

/* ------------------------------------------------------- growth helpers */

static void *grow(void *array, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return array;
  size_t c = *cap ? *cap * 2 : 32;
  void *p = realloc(array, c * size);
  if (!p) return NULL;
  *cap = c;
  return p;
}

#define ADD(doc, arr, n, cap)                                                  \
  do {                                                                         \
    void *p_ = grow((doc)->arr, &(doc)->cap, (doc)->n, sizeof *(doc)->arr);    \
    if (!p_) return NULL;                                                      \
    (doc)->arr = p_;                                                           \
    return &(doc)->arr[(doc)->n++];                                            \
  } while (0)

NgMention *ng_doc_add_mention(NgDocument *doc) { ADD(doc, mentions, nmentions, cap_mentions); }
NgPhrase *ng_doc_add_phrase(NgDocument *doc) { ADD(doc, phrases, nphrases, cap_phrases); }
NgVerbGroup *ng_doc_add_group(NgDocument *doc) { ADD(doc, groups, ngroups, cap_groups); }
NgEvent *ng_doc_add_event(NgDocument *doc) { ADD(doc, events, nevents, cap_events); }

static NgDocTimex *add_timex(NgDocument *doc) { ADD(doc, timexes, ntimexes, cap_timexes); }

/* The article's words from token first to token last, on one line. */
const char *ng_doc_span_text(NgDocument *doc, size_t first, size_t last) {
  size_t b = doc->tokens[first].begin, e = doc->tokens[last].end;
  char *s = ng_arena_strndup(&doc->arena, doc->text + b, e - b);
  if (!s) return NULL;
  for (char *p = s + strcspn(s, "\n\r\t"); *p; p += strcspn(p, "\n\r\t")) *p = ' ';
  return s;
}

/* Code points before byte offset `byte`, counted from a cursor that moves
 * with the requests (they come in text order, near each other). */
size_t ng_doc_char_offset(NgDocument *doc, size_t byte) {
  if (byte > doc->len) byte = doc->len;
  if (doc->ascii) return byte;
  size_t *cb = &doc->cursor_byte, *cc = &doc->cursor_char;
  if (*cb < byte) *cc += ng_utf8_count(doc->text + *cb, byte - *cb);
  else *cc -= ng_utf8_count(doc->text + byte, *cb - byte);
  *cb = byte;
  return *cc;
}

/* --------------------------------------------------------- article facts */

/* An IRI-safe key: unreserved characters kept, others percent-encoded. */
static const char *key_from_id(NgArena *arena, const char *id) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(id);
  char *out = ng_arena_alloc(arena, n * 3 + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)id[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out[o++] = (char)c;
    } else {
      out[o++] = '%';
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    }
  }
  out[o] = '\0';
  return out;
}

/* Articles without an id are named by their text, so that extracting the
 * same text again replaces it. */
static const char *key_from_text(NgArena *arena, const char *text, size_t len) {
  uint64_t a = ng_hash_bytes(text, len);
  uint64_t b = ng_hash_combine(ng_hash_bytes(text, len / 2), a ^ len);
  return ng_arena_printf(arena, "t%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

static bool starts_with_title(const NgArticle *a) {
  if (!a->title || !a->title[0]) return true;
  size_t n = strlen(a->title);
  const char *t = a->text;
  size_t len = a->text_len;
  while (len && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')) t++, len--;
  return len >= n && !memcmp(t, a->title, n);
}

/* The country of a dateline's place ("MINSK", "NEW YORK", "GAZA CITY"): the
 * longest lexicon name its words start with that names a country, its
 * capital or a place in it.  NULL if none. */
static const NgActorEntry *place_country(const NgLexicon *lex, const char *place) {
  const NgActorEntry *found = NULL;
  uint32_t node = 0;
  for (const char *w = place; *w;) {
    while (*w == ' ' || *w == ',') w++;
    size_t n = strcspn(w, " ,");
    if (!n) break;
    char norm[128];
    if (n * 2 + 8 > sizeof norm) break;
    size_t nl = ng_normalize_word(w, n, norm);
    const NgVocab *v = ng_lexicon_word(lex, norm, nl);
    node = v ? ng_lexicon_trie_step(lex, node, v->id) : 0;
    if (!node) break;
    for (const NgFormInfo *f = ng_lexicon_trie_forms(lex, node); f; f = f->next) {
      const NgActorEntry *c = f->actor && (f->form == NG_FORM_NAME || f->form == NG_FORM_CAPITAL)
                                  ? ng_lexicon_country(lex, f->actor->code)
                                  : NULL;
      if (c && (f->actor->kind == NG_KIND_COUNTRY || f->form == NG_FORM_CAPITAL)) found = c;
    }
    w += n;
  }
  return found;
}

static NgStatus set_facts(NgDocument *doc, const NgArticle *a, const char *default_date) {
  NgArena *ar = &doc->arena;
  doc->id = ng_arena_strdup(ar, a->id ? a->id : "");
  doc->title = ng_arena_strdup(ar, a->title ? a->title : "");
  doc->url = ng_arena_strdup(ar, a->url ? a->url : "");
  doc->origin = ng_arena_strdup(ar, a->origin ? a->origin : "");
  if (!doc->id || !doc->title || !doc->url || !doc->origin) return NG_ERR_NOMEM;
  doc->date = doc->date_source = "";
  NgDate d;
  if (default_date && ng_date_parse(default_date, &d) && d.day) {
    doc->ref = d;
    doc->date_source = "option";
  } else if (a->date && ng_date_parse(a->date, &d) && d.day) {
    doc->ref = d;
    doc->date_source = "metadata";
  }
  bool prepend = !starts_with_title(a);
  size_t tlen = prepend ? strlen(a->title) : 0;
  doc->len = tlen + (prepend ? 2 : 0) + a->text_len;
  char *text = ng_arena_alloc(ar, doc->len + 1);
  if (!text) return NG_ERR_NOMEM;
  if (prepend) {
    memcpy(text, a->title, tlen);
    memcpy(text + tlen, "\n\n", 2);
  }
  memcpy(text + doc->len - a->text_len, a->text, a->text_len);
  text[doc->len] = '\0';
  doc->text = text;
  doc->body_offset = doc->len - a->text_len;
  NgDateline dl;
  doc->dateline_begin = doc->dateline_end = doc->body_offset;
  if (ng_dateline_find(a->text, a->text_len, doc->ref, &dl)) {
    doc->dateline_begin = doc->body_offset + dl.begin;
    doc->dateline_end = doc->body_offset + dl.end;
    doc->dateline_country = place_country(doc->lex, dl.place);
    if (!doc->ref.year && dl.has_date) {
      doc->ref = dl.date;
      doc->date_source = "dateline";
    }
  }
  if (doc->ref.year) {
    char buf[11];
    ng_date_format(doc->ref, buf);
    doc->date = ng_arena_strdup(ar, buf);
  }
  doc->key = a->has_own_id ? key_from_id(ar, a->id) : key_from_text(ar, a->text, a->text_len);
  return doc->date && doc->key ? NG_SUCCESS : NG_ERR_NOMEM;
}

/* ------------------------------------------------------------ pipeline */

/* Room for the tokens of most articles at once (one per 4 bytes is more
 * than news text has), so that the array is not copied as it grows; a huge
 * text grows it from there. */
static NgStatus reserve_tokens(NgDocument *doc) {
  size_t want = doc->len / 4 + 64;
  if (want > 65536) want = 65536;
  if (doc->cap_tokens >= want) return NG_SUCCESS;
  NgToken *p = realloc(doc->tokens, want * sizeof *p);
  if (!p) return NG_ERR_NOMEM;
  doc->tokens = p;
  doc->cap_tokens = want;
  return NG_SUCCESS;
}

static NgStatus tokenize_text(NgDocument *doc) {
  NgStatus st = reserve_tokens(doc);
  if (st) return st;
  st = ng_tokenize(doc->lex, doc->text, doc->dateline_begin, &doc->arena, &doc->tokens,
                            &doc->ntokens, &doc->cap_tokens);
  if (st) return st;
  size_t before = doc->ntokens;
  /* ng_tokenize works on a prefix; the body after the dateline is tokenized
   * on its own and its offsets shifted back into the whole text */
  size_t off = doc->dateline_end;
  st = ng_tokenize(doc->lex, doc->text + off, doc->len - off, &doc->arena, &doc->tokens, &doc->ntokens,
                   &doc->cap_tokens);
  if (st) return st;
  for (size_t i = before; i < doc->ntokens; ++i) {
    doc->tokens[i].begin += (uint32_t)off;
    doc->tokens[i].end += (uint32_t)off;
  }
  if (before < doc->ntokens && before > 0) doc->tokens[before].flags |= NG_TOK_NEWLINE | NG_TOK_PARA;
  /* character offsets of every token, in one pass over the text (none
   * for most articles: ASCII from end to end) */
  doc->ascii = ng_is_ascii(doc->text, doc->len);
  if (doc->ascii) {
    for (size_t i = 0; i < doc->ntokens; ++i) {
      doc->tokens[i].cbegin = doc->tokens[i].begin;
      doc->tokens[i].cend = doc->tokens[i].end;
    }
    return NG_SUCCESS;
  }
  /* (continuation bytes counted: chars = bytes - continuations) */
  size_t cont = 0;
  const unsigned char *text = (const unsigned char *)doc->text;
  for (size_t i = 0, byte = 0; i < doc->ntokens; ++i) {
    NgToken *t = &doc->tokens[i];
    for (; byte < t->begin; ++byte) cont += (text[byte] & 0xC0) == 0x80;
    t->cbegin = (uint32_t)(t->begin - cont);
    for (; byte < t->end; ++byte) cont += (text[byte] & 0xC0) == 0x80;
    t->cend = (uint32_t)(t->end - cont);
  }
  return NG_SUCCESS;
}

/* Time expressions of a sentence, resolved against the article date; their
 * tokens are marked so that they are not read as actors. */
static NgStatus scan_timexes(NgDocument *doc, size_t si) {
  const NgSentence *s = &doc->sents[si];
  NgTimexMatch found[NG_MAX_TIMEX_PER_SENTENCE];
  size_t n = ng_timex_scan(doc->text + s->begin, s->end - s->begin, doc->ref, NG_TENSE_UNKNOWN, found,
                           NG_MAX_TIMEX_PER_SENTENCE);
  for (size_t i = 0; i < n; ++i) {
    NgDocTimex *t = add_timex(doc);
    if (!t) return NG_ERR_NOMEM;
    t->m = found[i];
    t->sentence = si;
    uint32_t b = s->begin + (uint32_t)found[i].begin, e = s->begin + (uint32_t)found[i].end;
    for (size_t k = s->first; k < s->first + s->count; ++k)
      if (doc->tokens[k].begin >= b && doc->tokens[k].end <= e) doc->tokens[k].flags |= NG_TOK_TIMEX;
  }
  return NG_SUCCESS;
}

/* NG_DEBUG=1 in the environment prints each sentence's analysis to
 * stderr: token/POS[/verb form], phrases in brackets, mentions with their
 * codes, and the verb groups with subject and object. */
static void debug_dump(const NgDocument *doc, size_t si) {
  static const char *const pos_names[] = {"X", "PUNCT", "NUM", "DET", "PRON", "POSS", "GEN", "PREP", "TO",
                                          "CONJ", "SUB", "REL", "AUX", "MOD", "NEG", "ADV", "ADJ", "N",
                                          "NP", "V"};
  const NgSentence *s = &doc->sents[si];
  fprintf(stderr, "S%zu:", si);
  for (size_t i = s->first; i < s->first + s->count; ++i) {
    const NgToken *t = &doc->tokens[i];
    if (t->np >= 0 && doc->phrases[t->np].first == i) fprintf(stderr, " [%d", t->np);
    fprintf(stderr, " %.*s/%s%s", (int)(t->end - t->begin), doc->text + t->begin, pos_names[t->pos],
            (t->flags & NG_TOK_TIMEX) ? "/T" : "");
    if (t->mention >= 0 && doc->mentions[t->mention].first + doc->mentions[t->mention].count - 1 == i)
      fprintf(stderr, "<%s>", doc->mentions[t->mention].code);
    if (t->np >= 0 && doc->phrases[t->np].last == i) fprintf(stderr, " ]");
  }
  fputc('\n', stderr);
  for (size_t k = 0; k < doc->ngroups; ++k) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->head < s->first || g->head >= s->first + s->count) continue;
    fprintf(stderr, "  G%zu %s flags=%x subj=%d obj=%d gov=%d attr=%d%s\n", k, g->lemma, g->flags, g->subject,
            g->object, g->governor, g->attribution, g->verb ? " (patterns)" : "");
  }
}

/* "I welcome any increase of pay I can get", "As an employer ... my
 * company": a paragraph whose own words (outside quotation marks) say I,
 * me or my is someone's voice - a reader's comment, a columnist - not a
 * report, and what it tells is that one's view (audits T and V: 34 and 9
 * events of pages of readers' comments, nearly all judged junk).  Marks are
 * read within the paragraph, as news opens a quotation again in each. */
static void mark_personal_paragraphs(NgDocument *doc) {
  size_t para = 0; /* first sentence of the paragraph at hand */
  for (size_t i = 0; i <= doc->nsents; ++i) {
    bool starts = i == doc->nsents || (doc->tokens[doc->sents[i].first].flags & NG_TOK_PARA);
    if (!starts || i == para) continue;
    bool personal = false, quoted = false;
    for (size_t s = para; s < i && !personal; ++s) {
      const NgSentence *st = &doc->sents[s];
      for (size_t t = st->first; t < st->first + st->count && !personal; ++t) {
        const NgToken *u = &doc->tokens[t];
        quoted = ng_quoted_after(doc, t, quoted);
        if (!quoted && !st->is_title && !ng_double_quote_mark(doc, t))
          personal = (u->norm_len == 1 && doc->text[u->begin] == 'I') ||
                     (u->norm_len == 2 && (!strcmp(u->norm, "my") || !strcmp(u->norm, "me")));
      }
    }
    for (size_t s = para; s < i; ++s) doc->sents[s].personal = personal;
    para = i;
  }
}

static NgStatus analyse(NgDocument *doc) {
  bool debug = getenv("NG_DEBUG") != NULL;
  NgStatus st = tokenize_text(doc);
  if (!st) st = ng_split_sentences(doc->lex, doc->text, doc->tokens, doc->ntokens, &doc->sents, &doc->nsents);
  if (!st) mark_personal_paragraphs(doc);
  for (size_t i = 0; i < doc->nsents && !st; ++i) {
    doc->sents[i].is_title = doc->sents[i].begin < doc->body_offset;
    if ((st = ng_find_mentions(doc, i))) break;
    if ((st = scan_timexes(doc, i))) break;
    if ((st = ng_analyse_clauses(doc, i))) break;
    if ((st = ng_resolve_coreference(doc, i))) break;
    if (debug) debug_dump(doc, i);
    st = ng_find_events(doc, i);
  }
  if (!st) st = ng_dictionaries_discard(doc);
  if (!st) st = ng_merge_restated_events(doc);
  return st;
}

static NgStatus collect_timexes(NgDocument *doc) {
  if (!doc->ntimexes) return NG_SUCCESS;
  doc->out_timexes = ng_arena_calloc(&doc->arena, doc->ntimexes * sizeof *doc->out_timexes);
  if (!doc->out_timexes) return NG_ERR_NOMEM;
  for (size_t i = 0; i < doc->ntimexes; ++i) {
    const NgDocTimex *t = &doc->timexes[i];
    const NgSentence *s = &doc->sents[t->sentence];
    NgTimex *o = &doc->out_timexes[i];
    size_t b = s->begin + t->m.begin, e = s->begin + t->m.end;
    o->sentence = t->sentence;
    o->begin = ng_doc_char_offset(doc, b);
    o->end = ng_doc_char_offset(doc, e);
    o->text = ng_arena_strndup(&doc->arena, doc->text + b, e - b);
    o->value = t->m.value;
    if (!o->text) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* Is token i a double quotation mark?  (Single marks are apostrophes as
 * often: "retailers'".) */
bool ng_double_quote_mark(const NgDocument *doc, size_t i) {
  if (!(doc->tokens[i].flags & NG_TOK_QUOTE)) return false;
  const unsigned char *c = (const unsigned char *)doc->text + doc->tokens[i].begin; /* bytes */
  /* '"', and U+201C, U+201D, U+201E (E2 80 9C..9E), U+00AB, U+00BB (C2 AB, C2 BB) */
  return c[0] == '"' || (c[0] == 0xE2 && c[1] == 0x80 && c[2] >= 0x9C && c[2] <= 0x9E) ||
         (c[0] == 0xC2 && (c[1] == 0xAB || c[1] == 0xBB)) || (c[0] == '\'' && c[1] == '\'') ||
         (c[0] == '`' && c[1] == '`');
}

NgDocument *ng_extract(const NgExtractor *ex, const NgArticle *article, const char *default_date,
                       NgStatus *status) {
  NgDocument *doc = calloc(1, sizeof *doc);
  if (!doc) {
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  doc->lex = ex->lex;
  doc->factualities = ex->factualities;
  doc->coref.speaker = doc->coref.quoted_speaker = -1;
  NgStatus st = set_facts(doc, article, default_date);
  if (!st) st = analyse(doc);
  if (!st) st = collect_timexes(doc);
  /* The working arrays are not needed once the events are out. */
  if (st) {
    ng_document_free(doc);
    *status = st;
    return NULL;
  }
  *status = NG_SUCCESS;
  return doc;
}

NgDocument *ng_document_segment(const NgExtractor *ex, const NgArticle *article, NgStatus *status) {
  NgDocument *doc = calloc(1, sizeof *doc);
  if (!doc) {
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  doc->lex = ex->lex;
  NgStatus st = set_facts(doc, article, NULL);
  if (!st) st = tokenize_text(doc);
  if (!st)
    st = ng_split_sentences(doc->lex, doc->text, doc->tokens, doc->ntokens, &doc->sents, &doc->nsents);
  if (st) {
    ng_document_free(doc);
    doc = NULL;
  }
  *status = st;
  return doc;
}

void ng_document_free(NgDocument *doc) {
  if (!doc) return;
  free(doc->tokens);
  free(doc->sents);
  free(doc->mentions);
  free(doc->phrases);
  free(doc->groups);
  free(doc->timexes);
  free(doc->events);
  ng_shadow_free(&doc->shadow);
  ng_arena_free(&doc->arena);
  free(doc);
}

/* ------------------------------------------------------------ accessors */

const char *ng_document_get_id(const NgDocument *doc) { return doc->id; }
const char *ng_document_get_title(const NgDocument *doc) { return doc->title; }
const char *ng_document_get_url(const NgDocument *doc) { return doc->url; }
const char *ng_document_get_date(const NgDocument *doc) { return doc->date; }
const char *ng_document_get_date_source(const NgDocument *doc) { return doc->date_source; }
const char *ng_document_get_key(const NgDocument *doc) { return doc->key; }
size_t ng_document_sentence_count(const NgDocument *doc) { return doc->nsents; }
size_t ng_document_event_count(const NgDocument *doc) { return doc->nevents; }
const NgEvent *ng_document_get_event(const NgDocument *doc, size_t i) {
  return i < doc->nevents ? &doc->events[i] : NULL;
}
size_t ng_document_timex_count(const NgDocument *doc) { return doc->ntimexes; }
const NgTimex *ng_document_get_timex(const NgDocument *doc, size_t i) {
  return i < doc->ntimexes ? &doc->out_timexes[i] : NULL;
}
