/* sentence.c - group tokens into sentences.
 *
 * A sentence ends at . ! ? or an ellipsis followed by a capital, a digit,
 * an opening quote or bracket, or a line break; closing quotes and brackets
 * after the stop stay with it.  Abbreviations keep their full stop inside
 * the word token, so "Gen. Smith" never splits; those marked as possible
 * sentence ends ("U.S.") end one before a word that starts sentences ("The").
 * Blank lines always end a sentence, and so does a line break after a line
 * that reads like a heading.  Very long runs are cut so that no later stage
 * sees more than NG_MAX_SENTENCE tokens. */
#include "pipeline.h"

#include <stdlib.h>

#define NG_MAX_SENTENCE 160

static bool starts_sentence_like(const NgToken *t) {
  if (t->flags & (NG_TOK_DIGIT | NG_TOK_OPEN | NG_TOK_QUOTE)) return true;
  return (t->flags & NG_TOK_CAP) != 0;
}

/* A capitalised function word ("The", "He", "In") cannot continue "U.S.". */
static bool is_sentence_opener(const NgToken *t) {
  return (t->flags & NG_TOK_CAP) && t->vocab &&
         (t->vocab->fw & (NG_FW_DET | NG_FW_PRON | NG_FW_PREP | NG_FW_CONJ | NG_FW_SUBORD | NG_FW_POSS));
}

static bool is_closer(const NgToken *t, const NgToken *prev) {
  /* A quote or bracket glued to the stop closes the sentence with it. */
  return (t->flags & (NG_TOK_CLOSE | NG_TOK_QUOTE)) && t->begin == prev->end;
}

/* Could the line that ends before token i be a heading or a dateline?
 * The line must open the text or its paragraph (a wire's hard line breaks
 * cut sentences: "New York Life\nInsurance Co"), and either have no
 * lower-case word but function words ("Western Union said John\nPope Jr
 * has been elected": "said" is prose) or be followed by a word that opens
 * sentences ("The"). */
static bool is_sentence_opener(const NgToken *t);

static bool heading_line(const NgToken *tokens, size_t i) {
  size_t line = i - 1;
  while (line > 0 && !(tokens[line].flags & NG_TOK_NEWLINE)) line--;
  if (line > 0 && !(tokens[line].flags & NG_TOK_PARA)) return false;
  /* "EU widens sanctions\nThe EU acted": what follows opens a sentence */
  if (is_sentence_opener(&tokens[i])) return true;
  for (size_t k = line; k < i; ++k) {
    const NgToken *t = &tokens[k];
    if ((t->flags & NG_TOK_WORD) && !(t->flags & (NG_TOK_CAP | NG_TOK_DIGIT)) && !(t->vocab && (t->vocab->fw & NG_FW_CLOSED)))
      return false;
  }
  return true;
}

/* Does the line that ends before token i read like a heading or a
 * dateline (no final punctuation, next line capitalised)? */
static bool heading_break(const NgToken *tokens, size_t i) {
  const NgToken *prev = &tokens[i - 1], *next = &tokens[i];
  if (!(next->flags & NG_TOK_NEWLINE) || !starts_sentence_like(next)) return false;
  if (prev->flags & NG_TOK_PUNCT) return (prev->flags & (NG_TOK_CLOSE | NG_TOK_QUOTE)) != 0;
  if (prev->vocab && (prev->vocab->fw & NG_FW_CLOSED)) return false; /* "of\nthe" is wrapped prose */
  /* "Arvin Industries Inc said L.K.\nEvans has been elected": initials after
   * a lower-case word are a name that the wire's line break cuts */
  if ((prev->flags & NG_TOK_ABBREV) && i >= 2 && (tokens[i - 2].flags & NG_TOK_WORD) &&
      !(tokens[i - 2].flags & NG_TOK_CAP))
    return false;
  if (!(prev->flags & (NG_TOK_CAP | NG_TOK_DIGIT))) return false;
  return heading_line(tokens, i);
}

static NgStatus push(NgSentence **sents, size_t *n, size_t *cap, const NgToken *tokens, size_t first,
                     size_t end) {
  if (end <= first) return NG_SUCCESS;
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    NgSentence *p = realloc(*sents, c * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    *sents = p;
    *cap = c;
  }
  NgSentence *s = &(*sents)[(*n)++];
  s->first = first;
  s->count = end - first;
  s->begin = tokens[first].begin;
  s->end = tokens[end - 1].end;
  s->title_case = false;
  s->is_title = false;
  return NG_SUCCESS;
}

/* Headlines in Title Case make capitals useless as name evidence. */
static void mark_title_case(NgSentence *s, NgToken *tokens) {
  size_t words = 0, caps = 0;
  for (size_t i = s->first + 1; i < s->first + s->count; ++i) {
    const NgToken *t = &tokens[i];
    if (!(t->flags & NG_TOK_WORD) || (t->vocab && (t->vocab->fw & NG_FW_CLOSED))) continue;
    words++;
    caps += (t->flags & NG_TOK_CAP) != 0;
  }
  if (words >= 3 && caps * 10 >= words * 8) {
    s->title_case = true;
    for (size_t i = s->first; i < s->first + s->count; ++i) tokens[i].flags |= NG_TOK_TITLECASE;
  }
}

/* Where to cut a run that has grown too long: the last comma or semicolon
 * in its second half, else right here. */
static size_t forced_cut(const NgToken *tokens, size_t first, size_t i) {
  for (size_t j = i; j > first + NG_MAX_SENTENCE / 2; --j) {
    const char *w = tokens[j].norm;
    if ((w[0] == ',' || w[0] == ';') && !w[1]) return j + 1;
  }
  return i;
}

NgStatus ng_split_sentences(const NgLexicon *lex, const char *text, NgToken *tokens, size_t ntokens,
                            NgSentence **sents, size_t *nsents) {
  (void)lex;
  (void)text;
  size_t cap = *nsents, first = 0;
  NgStatus st;
  size_t start_count = *nsents;
  for (size_t i = 0; i < ntokens; ++i) {
    const NgToken *t = &tokens[i];
    if (i > first && ((t->flags & NG_TOK_PARA) || heading_break(tokens, i))) {
      if ((st = push(sents, nsents, &cap, tokens, first, i))) return st;
      first = i;
    }
    if (i + 1 - first >= NG_MAX_SENTENCE) {
      size_t cut = forced_cut(tokens, first, i);
      if ((st = push(sents, nsents, &cap, tokens, first, cut))) return st;
      first = cut;
    }
    bool stop = (t->flags & NG_TOK_END) != 0;
    bool abbrev_end = (t->flags & NG_TOK_ABBREV) && t->vocab && t->vocab->abbrev == 2 &&
                      i + 1 < ntokens && is_sentence_opener(&tokens[i + 1]);
    if (!stop && !abbrev_end) continue;
    size_t end = i + 1;
    while (end < ntokens && is_closer(&tokens[end], &tokens[end - 1])) end++;
    if (stop && end < ntokens && !starts_sentence_like(&tokens[end]) &&
        !(tokens[end].flags & NG_TOK_NEWLINE))
      continue; /* "Why?" he asked. */
    if ((st = push(sents, nsents, &cap, tokens, first, end))) return st;
    first = end;
    i = end - 1;
  }
  if ((st = push(sents, nsents, &cap, tokens, first, ntokens))) return st;
  for (size_t s = start_count; s < *nsents; ++s) mark_title_case(&(*sents)[s], tokens);
  return NG_SUCCESS;
}
