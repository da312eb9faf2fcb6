/* parse-io.c - CoNLL-U in and out for `newsgraph parse`.
 *
 * Two ways in: given words (CoNLL-U's FORM column, so that a treebank's
 * own tokens can be scored), or an article split into sentences and
 * tokens exactly as extraction splits it (so that what the parser makes
 * of the extractor's tokens can be read). */
#include "conllu.h"
#include "parser.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

NgParser *ng_parser_new(NgWorld *world, const char *model_path, NgStatus *status) {
  return model_path ? ng_parser_load(world, model_path, status) : ng_parser_builtin(world, status);
}

/* Words, normalised forms and results for up to n words. */
typedef struct {
  NgParseWord *words;
  NgParseResult *out;
  char *norm;          /* normalised forms, back to back */
  size_t cap, norm_cap;
} Batch;

static void batch_free(Batch *b) {
  free(b->words);
  free(b->out);
  free(b->norm);
}

static NgStatus batch_reserve(Batch *b, size_t n, size_t text_bytes) {
  if (n > b->cap) {
    NgParseWord *w = realloc(b->words, n * sizeof *w);
    if (w) b->words = w;
    NgParseResult *o = realloc(b->out, n * sizeof *o);
    if (o) b->out = o;
    if (!w || !o) return NG_ERR_NOMEM;
    b->cap = n;
  }
  size_t need = text_bytes * 2 + n * 8 + 8;
  if (need > b->norm_cap) {
    char *p = realloc(b->norm, need);
    if (!p) return NG_ERR_NOMEM;
    b->norm = p;
    b->norm_cap = need;
  }
  return NG_SUCCESS;
}

/* ------------------------------------------------------------ given words */

static void put_row(FILE *out, const char *id, const char *form, const NgParser *p,
                    const NgParseResult *r, const char *misc) {
  fprintf(out, "%s\t%s\t%s\t%s\t%s\t_\t%d\t%s\t_\t%s\n", id, form, r->lemma, ng_upos_name(r->upos),
          ng_parser_xpos_name(p, r->xpos), r->head, ng_parser_deprel_name(p, r->deprel), misc);
}

static NgStatus parse_conllu_sentence(const NgParser *p, const NgLexicon *lex, NgParseState *state,
                                      const NgConlluSentence *s, Batch *b, FILE *out) {
  size_t bytes = 0;
  for (size_t i = 0; i < s->nlines; ++i)
    if (s->lines[i].word) bytes += strlen(s->lines[i].field[NG_CONLLU_FORM]);
  NgStatus st;
  NG_TRY(st, batch_reserve(b, s->nwords, bytes));
  char *norm = b->norm;
  size_t n = 0;
  for (size_t i = 0; i < s->nlines; ++i) {
    const NgConlluLine *l = &s->lines[i];
    if (!l->word) continue;
    const char *form = l->field[NG_CONLLU_FORM];
    size_t len = strlen(form), nlen = ng_normalize_word(form, len, norm);
    b->words[n++] = (NgParseWord){form, norm, (uint32_t)len, (uint32_t)nlen,
                                  ng_lexicon_word(lex, norm, nlen)};
    norm += nlen + 1;
  }
  NG_TRY(st, ng_parse(p, state, n, b->words, b->out));
  size_t k = 0;
  for (size_t i = 0; i < s->nlines; ++i) {
    const NgConlluLine *l = &s->lines[i];
    if (l->comment) {
      fprintf(out, "%s\n", l->text);
    } else if (!l->word) { /* a multiword range or an empty node, as it was */
      fputs(l->field[0], out);
      for (int f = 1; f < 10; ++f) fprintf(out, "\t%s", l->field[f]);
      fputc('\n', out);
    } else {
      put_row(out, l->field[NG_CONLLU_ID], l->field[NG_CONLLU_FORM], p, &b->out[k++],
              l->field[NG_CONLLU_MISC]);
    }
  }
  fputc('\n', out);
  return NG_SUCCESS;
}

NgStatus ng_parser_write_conllu(const NgParser *p, const NgExtractor *ex, FILE *in, const char *name,
                                FILE *out) {
  NgParseState *state = ng_parse_state_new(p);
  if (!state) return NG_ERR_NOMEM;
  NgConlluSentence s = {0};
  Batch b = {0};
  unsigned long line = 0;
  NgStatus st;
  while ((st = ng_conllu_read(p->world, in, name, &line, &s)) == NG_SUCCESS) {
    /* word lines numbered 1..n in order: the heads we write refer to them */
    size_t k = 0;
    for (size_t i = 0; i < s.nlines && !st; ++i) {
      const NgConlluLine *l = &s.lines[i];
      if (l->word && strtoul(l->field[0], NULL, 10) != ++k) {
        ng_report(p->world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, name, l->line, 1,
                  "word %zu of its sentence has the ID %s", k, l->field[0]);
        st = NG_ERR_SYNTAX;
      }
    }
    if (st || (st = parse_conllu_sentence(p, ex->lex, state, &s, &b, out))) break;
  }
  ng_conllu_sentence_free(&s);
  batch_free(&b);
  ng_parse_state_free(state);
  if (st == NG_END) st = NG_SUCCESS;
  if (!st && ferror(out)) st = NG_ERR_IO;
  return st;
}

/* ---------------------------------------------------------- an article */

/* The sentence's text on one line (line breaks and tabs become spaces). */
static void put_text_comment(FILE *out, const char *text, size_t len) {
  fputs("# text = ", out);
  for (size_t i = 0; i < len; ++i) {
    char c = text[i];
    fputc(c == '\n' || c == '\r' || c == '\t' ? ' ' : c, out);
  }
  fputc('\n', out);
}

static NgStatus write_sentence(const NgParser *p, NgParseState *state, NgDocument *doc,
                               size_t si, Batch *b, FILE *out) {
  const NgSentence *s = &doc->sents[si];
  NgStatus st;
  NG_TRY(st, batch_reserve(b, s->count, 0));
  for (size_t i = 0; i < s->count; ++i) {
    const NgToken *t = &doc->tokens[s->first + i];
    b->words[i] = (NgParseWord){doc->text + t->begin, t->norm, t->end - t->begin, t->norm_len,
                                t->vocab};
  }
  NG_TRY(st, ng_parse(p, state, s->count, b->words, b->out));
  fprintf(out, "# sent_id = %s-%zu\n", doc->key, si + 1);
  put_text_comment(out, doc->text + s->begin, s->end - s->begin);
  for (size_t i = 0; i < s->count; ++i) {
    const NgToken *t = &doc->tokens[s->first + i];
    char id[24], misc[96];
    snprintf(id, sizeof id, "%zu", i + 1);
    bool glued = i + 1 < s->count && doc->tokens[s->first + i + 1].begin == t->end;
    snprintf(misc, sizeof misc, "%sTokenRange=%u:%u", glued ? "SpaceAfter=No|" : "", t->cbegin,
             t->cend);
    fputs(id, out);
    fputc('\t', out);
    fwrite(doc->text + t->begin, 1, t->end - t->begin, out);
    const NgParseResult *r = &b->out[i];
    fprintf(out, "\t%s\t%s\t%s\t_\t%d\t%s\t_\t%s\n", r->lemma, ng_upos_name(r->upos),
            ng_parser_xpos_name(p, r->xpos), r->head, ng_parser_deprel_name(p, r->deprel), misc);
  }
  fputc('\n', out);
  return NG_SUCCESS;
}

NgStatus ng_parser_write_article(const NgParser *p, const NgExtractor *ex, const NgArticle *article,
                                 FILE *out) {
  NgStatus st;
  NgDocument *doc = ng_document_segment(ex, article, &st);
  if (!doc) return st;
  NgParseState *state = ng_parse_state_new(p);
  Batch b = {0};
  if (!state) st = NG_ERR_NOMEM;
  fprintf(out, "# newdoc id = %s\n", doc->key);
  for (size_t i = 0; i < doc->nsents && !st; ++i) st = write_sentence(p, state, doc, i, &b, out);
  batch_free(&b);
  ng_parse_state_free(state);
  ng_document_free(doc);
  if (!st && ferror(out)) st = NG_ERR_IO;
  return st;
}
