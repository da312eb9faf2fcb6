/* conllu.h - a CoNLL-U reader, one sentence at a time (private). */
#ifndef NG_CONLLU_H
#define NG_CONLLU_H

#include "internal.h"

#include <stdio.h>

enum {
  NG_CONLLU_ID, NG_CONLLU_FORM, NG_CONLLU_LEMMA, NG_CONLLU_UPOS, NG_CONLLU_XPOS, NG_CONLLU_FEATS,
  NG_CONLLU_HEAD, NG_CONLLU_DEPREL, NG_CONLLU_DEPS, NG_CONLLU_MISC
};

typedef struct {
  char *text;           /* the line (owned); fields point into it */
  char *field[10];      /* token lines only */
  unsigned long line;
  bool comment;         /* "# ..." */
  bool word;            /* a token line with an integer ID */
} NgConlluLine;

typedef struct {
  NgConlluLine *lines;
  size_t nlines, cap;
  size_t nwords;
} NgConlluSentence;

/* Read the next sentence into s (its previous contents dropped).
 * NG_END at the end of the input; a malformed line is reported as
 * name:line:col.  *lineno counts the lines read so far. */
NgStatus ng_conllu_read(NgWorld *world, FILE *in, const char *name, unsigned long *lineno,
                        NgConlluSentence *s);
void ng_conllu_sentence_free(NgConlluSentence *s);

#endif /* NG_CONLLU_H */
