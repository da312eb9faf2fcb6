/* conllu.c - read CoNLL-U sentence by sentence (for `parse --tokenized`
 * and the trainer).
 *
 * A sentence is its comment lines and its token lines up to a blank line.
 * Token lines keep all ten fields; word lines (an integer ID) are the ones
 * the parser sees, multiword ranges ("3-4") and empty nodes ("5.1") are
 * kept to be written back as they were. */
#include "conllu.h"

#include <stdlib.h>
#include <string.h>

void ng_conllu_sentence_free(NgConlluSentence *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nlines; ++i) free(s->lines[i].text);
  free(s->lines);
  memset(s, 0, sizeof *s);
}

static void clear(NgConlluSentence *s) {
  for (size_t i = 0; i < s->nlines; ++i) free(s->lines[i].text);
  s->nlines = 0;
  s->nwords = 0;
}

static NgStatus syntax(NgWorld *world, const char *name, unsigned long line, unsigned long col,
                       const char *what) {
  ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, name, line, col, "%s", what);
  return NG_ERR_SYNTAX;
}

/* Split a token line into its ten fields, in place. */
static NgStatus split_fields(NgWorld *world, const char *name, NgConlluLine *l) {
  char *p = l->text;
  for (int k = 0; k < 10; ++k) {
    l->field[k] = p;
    char *tab = strchr(p, '\t');
    if (k < 9) {
      if (!tab)
        return syntax(world, name, l->line, (unsigned long)(p - l->text) + strlen(p) + 1,
                      "a token line needs 10 tab-separated fields");
      *tab = '\0';
      p = tab + 1;
    } else if (tab) {
      return syntax(world, name, l->line, (unsigned long)(tab - l->text) + 1,
                    "a token line has more than 10 fields");
    }
  }
  const char *id = l->field[0];
  bool digits = *id != '\0';
  for (const char *c = id; *c; ++c) digits = digits && *c >= '0' && *c <= '9';
  l->word = digits;
  if (!digits && !strchr(id, '-') && !strchr(id, '.'))
    return syntax(world, name, l->line, 1, "the ID field is not a number, range or empty node");
  if (!*l->field[1]) return syntax(world, name, l->line, strlen(id) + 2, "empty FORM field");
  return NG_SUCCESS;
}

static NgStatus push_line(NgConlluSentence *s, char *text, unsigned long line) {
  if (s->nlines == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    NgConlluLine *p = realloc(s->lines, cap * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    s->lines = p;
    s->cap = cap;
  }
  NgConlluLine *l = &s->lines[s->nlines++];
  memset(l, 0, sizeof *l);
  l->text = text;
  l->line = line;
  l->comment = text[0] == '#';
  return NG_SUCCESS;
}

NgStatus ng_conllu_read(NgWorld *world, FILE *in, const char *name, unsigned long *lineno,
                        NgConlluSentence *s) {
  clear(s);
  char *buf = NULL;
  size_t cap = 0;
  ssize_t got;
  NgStatus st = NG_SUCCESS;
  while ((got = getline(&buf, &cap, in)) >= 0) {
    ++*lineno;
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r')) buf[--got] = '\0';
    if (!got) {
      if (s->nlines) break;
      continue; /* blank lines between sentences */
    }
    char *text = strdup(buf);
    if (!text || (st = push_line(s, text, *lineno))) {
      free(text);
      st = NG_ERR_NOMEM;
      break;
    }
    NgConlluLine *l = &s->lines[s->nlines - 1];
    if (l->comment) continue;
    if ((st = split_fields(world, name, l))) break;
    if (l->word) s->nwords++;
  }
  free(buf);
  if (st) return st;
  if (ferror(in)) {
    ng_report(world, NG_ERR_IO, NG_LEVEL_ERROR, name, *lineno, 0, "read error");
    return NG_ERR_IO;
  }
  return s->nlines ? NG_SUCCESS : NG_END;
}
