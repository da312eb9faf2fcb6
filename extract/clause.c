/* clause.c - parts of speech in context, noun phrases, verb groups and who
 * did what to whom, without a parser.
 *
 * 1. Tags: closed-class words from function-words.txt; actors from the
 *    lexicon; verbs where a verb form fits its neighbours (after a subject,
 *    a modal, "to", an auxiliary), nouns where a determiner, adjective or
 *    possessive comes first ("the attacks", "its plans"); WordNet's sense
 *    counts break the remaining ties.
 * 2. Noun phrases: runs of determiners, numbers, adjectives and nouns, an
 *    actor mention counting as one noun; "X and Y" and "X, Y and Z" of
 *    actors are linked as conjuncts.
 * 3. Verb groups: auxiliaries, modals, negation and adverbs around a verb;
 *    tense, voice, negation, modality.
 * 4. For each verb group: its subject (the phrase to the left, across
 *    appositions, relative clauses, "of"-phrases and coordinated verbs),
 *    its object (the phrase right after it), the verb that governs it
 *    ("agreed to lift", "urged Russia to withdraw") and the verb of saying
 *    that reports it ("X said", "..., officials said").
 */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

/* (the first bytes first: these run a million times on a corpus, and
 * nearly all of them differ there) */
static bool word_is(const NgToken *t, const char *w) { return t->norm[0] == w[0] && !strcmp(t->norm, w); }

static bool is_punct(const NgToken *t, const char *p) {
  return (t->flags & NG_TOK_PUNCT) && t->norm[0] == p[0] && !strcmp(t->norm, p);
}

/* A dash that sets off an aside: "-", "--", an en or em dash. */
static bool is_dash(const NgToken *t) {
  return is_punct(t, "-") || is_punct(t, "--") || is_punct(t, "\u2013") || is_punct(t, "\u2014");
}

/* ------------------------------------------------------------- tagging */

static bool is_be(const NgToken *t) {
  static const char *const be[] = {"be", "is", "are", "was", "were", "been", "being", "am", "'re", "'m"};
  for (size_t i = 0; i < NG_COUNTOF(be); ++i)
    if (word_is(t, be[i])) return true;
  return false;
}

static bool is_have(const NgToken *t) {
  return word_is(t, "have") || word_is(t, "has") || word_is(t, "had") || word_is(t, "having") ||
         word_is(t, "'ve");
}

static bool is_do(const NgToken *t) {
  return word_is(t, "do") || word_is(t, "does") || word_is(t, "did");
}

/* The tag of a closed-class word, or NG_POS_X. */
static NgPos closed_class(const NgToken *t, const NgToken *prev, const NgToken *next) {
  const NgVocab *v = t->vocab;
  if (t->flags & NG_TOK_CLITIC) {
    if (word_is(t, "n't")) return NG_POS_NEG;
    if (word_is(t, "'s"))
      return prev && prev->pos == NG_POS_PRON ? NG_POS_AUX : NG_POS_GEN; /* it's / Russia's */
    if (word_is(t, "'ll") || word_is(t, "'d")) return NG_POS_MODAL;
    return NG_POS_AUX;
  }
  if (!v || !(v->fw & NG_FW_CLOSED)) return NG_POS_X;
  uint16_t fw = v->fw;
  if (word_is(t, "to")) return NG_POS_TO;
  if (word_is(t, "that")) {
    /* "that" + noun phrase start is a determiner; after a noun it opens a
     * relative clause; elsewhere it introduces a clause */
    if (next && next->vocab && (next->vocab->fw & (NG_FW_DET | NG_FW_PRON | NG_FW_POSS))) return NG_POS_SUBORD;
    if (prev && (prev->pos == NG_POS_NOUN || prev->pos == NG_POS_PROPN)) return NG_POS_REL;
    return NG_POS_SUBORD;
  }
  if (fw & NG_FW_NEG) {
    if (word_is(t, "no") && next && (next->flags & NG_TOK_WORD)) return NG_POS_DET;
    return NG_POS_NEG;
  }
  if (fw & NG_FW_MODAL) {
    /* "May" in the middle of a sentence is the month */
    if ((t->flags & NG_TOK_CAP) && prev && v->month) return NG_POS_PROPN;
    return NG_POS_MODAL;
  }
  if (fw & NG_FW_AUX) return NG_POS_AUX;
  if ((fw & NG_FW_POSS) && (fw & NG_FW_PRON)) { /* her */
    bool noun_next = next && (next->flags & NG_TOK_WORD) && !(next->vocab && (next->vocab->fw & NG_FW_CLOSED));
    return noun_next ? NG_POS_POSS : NG_POS_PRON;
  }
  if (fw & NG_FW_POSS) return NG_POS_POSS;
  if (fw & NG_FW_PRON) return NG_POS_PRON;
  if (fw & NG_FW_REL) return NG_POS_REL;
  if (fw & NG_FW_DET) return NG_POS_DET;
  if (fw & NG_FW_NUM) return NG_POS_NUM;
  /* "for" joins clauses only in literary prose ("..., for he knew"); in news
   * it is almost always the preposition ("imprisoned for acting") */
  if ((fw & NG_FW_CONJ) && (fw & NG_FW_PREP) && word_is(t, "for"))
    return prev && is_punct(prev, ",") && next && next->vocab && (next->vocab->fw & NG_FW_PRON) ? NG_POS_CONJ
                                                                                             : NG_POS_PREP;
  if (fw & NG_FW_CONJ) return NG_POS_CONJ;
  if (fw & NG_FW_PREP) return NG_POS_PREP;
  if (fw & NG_FW_SUBORD) return NG_POS_SUBORD;
  if (fw & NG_FW_ADV) return NG_POS_ADV;
  return NG_POS_X;
}

/* First pass: everything that does not depend on the verb decision. */
static void tag_static(NgDocument *doc, const NgSentence *s) {
  NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    NgToken *t = &tok[i];
    const NgToken *prev = i > s->first ? &tok[i - 1] : NULL;
    const NgToken *next = i + 1 < end ? &tok[i + 1] : NULL;
    t->vform = NG_VF_NONE;
    t->lemma = NULL;
    if (t->flags & NG_TOK_PUNCT) {
      t->pos = NG_POS_PUNCT;
      continue;
    }
    if (t->mention >= 0) {
      const NgMention *m = &doc->mentions[t->mention];
      t->pos = m->kind == NG_KIND_ROLE && !(t->flags & NG_TOK_CAP) ? NG_POS_NOUN
               : m->demonym                                      ? NG_POS_ADJ
                                                                 : NG_POS_PROPN;
      if (word_is(t, "'s")) t->pos = NG_POS_GEN;
      continue;
    }
    NgPos c = closed_class(t, prev, next);
    /* "is considering", "has given": a function word that is also a verb form
     * right after an auxiliary is that verb */
    if ((c == NG_POS_PREP || c == NG_POS_ADV || c == NG_POS_CONJ) && prev &&
        (prev->pos == NG_POS_AUX || prev->pos == NG_POS_MODAL) && t->vocab &&
        (t->vocab->wf & (NG_WF_VBG | NG_WF_VBN | NG_WF_VB)))
      c = NG_POS_X;
    if (c != NG_POS_X) {
      t->pos = (uint8_t)c;
      continue;
    }
    if (t->flags & NG_TOK_DIGIT) {
      t->pos = NG_POS_NUM;
      continue;
    }
    const NgVocab *v = t->vocab;
    bool cap = (t->flags & NG_TOK_CAP) && !(t->flags & NG_TOK_TITLECASE);
    bool first_word = i == s->first || (prev && (prev->flags & (NG_TOK_QUOTE | NG_TOK_OPEN)));
    if (cap && (!first_word || !v || !v->wf)) {
      t->pos = NG_POS_PROPN;
      continue;
    }
    if (v && (v->wf & NG_WF_VERB)) {
      t->pos = NG_POS_X; /* decided by tag_verbs */
      continue;
    }
    /* "The EU on October 2 first imposed sanctions": an ordinal right before
     * a past verb, and not after a determiner, is the adverb */
    if ((word_is(t, "first") || word_is(t, "last")) && next && next->vocab && (next->vocab->wf & NG_WF_VBD) &&
        !(prev && (prev->pos == NG_POS_DET || prev->pos == NG_POS_POSS || prev->pos == NG_POS_GEN))) {
      t->pos = NG_POS_ADV;
      continue;
    }
    if ((v && (v->wf & NG_WF_RB) && !(v->wf & (NG_WF_NN | NG_WF_NNS | NG_WF_JJ))) ||
        (t->norm_len > 4 && !strcmp(t->norm + t->norm_len - 2, "ly"))) {
      t->pos = NG_POS_ADV;
      continue;
    }
    if (v && (v->wf & NG_WF_JJ) && (!(v->wf & (NG_WF_NN | NG_WF_NNS)) || v->afreq > v->nfreq)) {
      t->pos = NG_POS_ADJ; /* "new", "tough": adjectives more often than nouns */
      continue;
    }
    t->pos = (t->flags & NG_TOK_CAP) && (t->flags & NG_TOK_TITLECASE) && !(v && v->wf) ? NG_POS_PROPN
                                                                                       : NG_POS_NOUN;
  }
}

/* The previous token, skipping adverbs and negation. */
static const NgToken *prev_skipping(const NgToken *tok, size_t first, size_t i, size_t *at) {
  while (i > first) {
    --i;
    if (tok[i].pos == NG_POS_ADV || tok[i].pos == NG_POS_NEG || (tok[i].flags & NG_TOK_TIMEX)) continue;
    /* "The EU on November 6 expanded": the preposition of a time expression */
    if (tok[i].pos == NG_POS_PREP && i + 1 < first + 4096 && (tok[i + 1].flags & NG_TOK_TIMEX)) continue;
    /* "The Acme Widget Company (AWC) said": an aside in brackets is
     * passed over (the verb after it was taken for an adjective) */
    if (is_punct(&tok[i], ")")) {
      size_t open = i;
      while (open > first && open + 12 > i && !is_punct(&tok[open - 1], "(")) open--;
      if (open > first && open + 12 > i) {
        i = open - 1;
        continue;
      }
    }
    if (at) *at = i;
    return &tok[i];
  }
  return NULL;
}

static bool starts_phrase(const NgToken *t) {
  if (!t) return false;
  if (t->pos == NG_POS_X) /* a word not decided yet: its noun reading */
    return t->vocab && (t->vocab->wf & (NG_WF_NN | NG_WF_NNS | NG_WF_JJ));
  return t->pos == NG_POS_DET || t->pos == NG_POS_POSS || t->pos == NG_POS_PROPN || t->pos == NG_POS_NOUN ||
         t->pos == NG_POS_NUM || t->pos == NG_POS_PRON || t->pos == NG_POS_ADJ || t->mention >= 0 ||
         (t->flags & NG_TOK_QUOTE);
}

static bool is_nominal(const NgToken *t) {
  return t && (t->pos == NG_POS_NOUN || t->pos == NG_POS_PROPN || t->pos == NG_POS_PRON ||
               (t->pos == NG_POS_NUM && !(t->flags & NG_TOK_PUNCT)) || t->mention >= 0);
}

static void make_verb(NgToken *t, NgVerbForm vf, const char *lemma) {
  t->pos = NG_POS_VERB;
  t->vform = (uint8_t)vf;
  t->lemma = lemma;
}

/* Is the word before a verb candidate only a modifier of it, so that the
 * candidate is the head noun?  "a U.S. request" (an indefinite article
 * before a name), "a military aid program", "the museum shooting last week"
 * (a noun or adjective after a determiner, a noun or nothing like an object
 * after the candidate - and for the latter, a candidate used more as a noun
 * than as a verb: "the company said" stays a verb). */

static bool prev_is_modifier(const NgToken *tok, const NgSentence *s, size_t pi, const NgToken *cand,
                             const NgToken *next) {
  const NgToken *prev = &tok[pi];
  const NgVocab *v = cand->vocab;
  /* "The minister said rates may have peaked", "a spokesman said": a past
   * form of saying after a noun is the verb; "said" is an adjective only in
   * legal prose ("the said rates") */
  if (ng_reporting_lemma(cand) && (v->wf & NG_WF_VBD) && v->vfreq > 4 * (v->nfreq + v->afreq)) return false;
  size_t start = pi;
  if (prev->mention >= 0)
    while (start > s->first && tok[start - 1].mention == prev->mention) start--;
  if (start == s->first) return false;
  const NgToken *det = &tok[start - 1];
  if (det->pos != NG_POS_DET && det->pos != NG_POS_POSS && det->pos != NG_POS_ADJ) return false;
  if (word_is(det, "a") || word_is(det, "an")) return true;
  if (prev->mention >= 0) return false; /* "the rebels attacked": ask the priors */
  bool adjective_like = prev->vocab && (prev->vocab->wf & NG_WF_JJ);
  if (!adjective_like && prev->pos != NG_POS_NOUN) return false;
  bool noun_next = next && (next->pos == NG_POS_NOUN || (next->pos == NG_POS_X && next->vocab &&
                                                        (next->vocab->wf & (NG_WF_NN | NG_WF_NNS))));
  bool object_next = next && (next->pos == NG_POS_DET || next->pos == NG_POS_POSS || next->pos == NG_POS_PRON ||
                              next->pos == NG_POS_PROPN || next->pos == NG_POS_NUM || next->pos == NG_POS_SUBORD);
  bool noun_mostly = v->nfreq + v->afreq > v->vfreq;
  return noun_next || (!object_next && noun_mostly);
}

/* The form a verb candidate takes after prev, or NONE if it is not a verb. */
/* Is a noun (or the actor it belongs to) plural? */
static bool token_is_plural(const NgDocument *doc, const NgToken *t) {
  /* a name ending in a plural noun, or a party's ending in -s, may take a
   * plural verb ("the Tories say", "the Liberal Democrats want", "the Lib
   * Dems say"), whatever its entry says of the actor; "Airbus head Noel
   * Forgeard", "Yukos boss" stay nouns */
  size_t len = t->norm_len;
  if (t->mention >= 0) {
    const NgMention *m = &doc->mentions[t->mention];
    bool plural_noun = t->vocab && (t->vocab->wf & NG_WF_NNS) && !(t->vocab->wf & NG_WF_NN);
    bool party_s = m->kind == NG_KIND_PARTY && len > 3 && t->norm[len - 1] == 's' && t->norm[len - 2] != 's';
    return m->plural || plural_noun || party_s;
  }
  const NgVocab *v = t->vocab;
  if (v && (v->wf & NG_WF_NNS) && !(v->wf & NG_WF_NN)) return true;
  if (v && (v->wf & NG_WF_NN)) return false;
  size_t n = t->norm_len;
  return n > 3 && t->norm[n - 1] == 's' && t->norm[n - 2] != 's' && t->norm[n - 2] != 'u' &&
         t->norm[n - 2] != 'i' && t->norm[n - 2] != '\'';
}

/* "more than 700", "at least ten", "up to 16", "about 200", "nearly 3,000":
 * the tokens before a number that belong to its phrase.  Returns how many
 * tokens from i do (0 if none). */
static size_t number_modifier_words(const NgToken *tok, size_t i, size_t end);

static inline size_t number_modifier(const NgToken *tok, size_t i, size_t end) {
  bool num1 = i + 1 < end && tok[i + 1].pos == NG_POS_NUM, num2 = i + 2 < end && tok[i + 2].pos == NG_POS_NUM;
  return num1 || num2 ? number_modifier_words(tok, i, end) : 0; /* most tokens: no number ahead */
}

static size_t number_modifier_words(const NgToken *tok, size_t i, size_t end) {
  static const char *const one[] = {"about", "around", "nearly", "almost", "some", "over", "under",
                                    "roughly", "approximately", "only", "just"};
  static const char *const two[][2] = {{"more", "than"}, {"less", "than"}, {"fewer", "than"},
                                       {"at", "least"}, {"at", "most"}, {"up", "to"}};
  for (size_t k = 0; k < NG_COUNTOF(two); ++k)
    if (i + 2 < end && word_is(&tok[i], two[k][0]) && word_is(&tok[i + 1], two[k][1]) &&
        tok[i + 2].pos == NG_POS_NUM)
      return 2;
  for (size_t k = 0; k < NG_COUNTOF(one); ++k)
    if (i + 1 < end && word_is(&tok[i], one[k]) && tok[i + 1].pos == NG_POS_NUM) return 1;
  return 0;
}

/* Does the noun phrase ending at token pi follow a verb directly (as its
 * object)? */
static bool object_of_verb_before(const NgToken *tok, const NgSentence *s, size_t pi) {
  size_t j = pi;
  while (j > s->first && (tok[j - 1].pos == NG_POS_DET || tok[j - 1].pos == NG_POS_ADJ ||
                          tok[j - 1].pos == NG_POS_NOUN || tok[j - 1].pos == NG_POS_PROPN ||
                          tok[j - 1].pos == NG_POS_POSS || tok[j - 1].pos == NG_POS_NUM ||
                          (tok[j - 1].mention >= 0 && tok[j - 1].pos != NG_POS_X)))
    j--;
  /* (after a verb of saying the noun phrase opens the reported clause:
   * "Mr Howard said Tony Blair lied") */
  return j > s->first && tok[j - 1].pos == NG_POS_VERB && !ng_reporting_lemma(&tok[j - 1]);
}

bool ng_reporting_lemma(const NgToken *t) {
  const char *l = t->vocab ? t->vocab->lemma : NULL;
  return l && (!strcmp(l, "say") || !strcmp(l, "tell") || !strcmp(l, "add"));
}

/* Whether the clause ends at token t: the sentence's end, a punctuation
 * mark, a time expression, or a phrase of place or affiliation that ends
 * it ("said Jason Daw at Merrill Lynch", "said Ian Stewart of Merrill"). */
static bool ends_clause(const NgDocument *doc, const NgSentence *s, size_t t) {
  size_t end = s->first + s->count;
  const NgToken *tok = doc->tokens;
  if (t >= end || (tok[t].flags & (NG_TOK_PUNCT | NG_TOK_TIMEX))) return true;
  if (!(word_is(&tok[t], "at") || word_is(&tok[t], "of") || word_is(&tok[t], "from")) || t + 1 >= end) return false;
  int32_t pp = tok[t + 1].np;
  if (pp < 0 || doc->phrases[pp].first != t + 1) return false;
  size_t after = doc->phrases[pp].last + 1;
  return after >= end || (tok[after].flags & (NG_TOK_PUNCT | NG_TOK_TIMEX));
}


/* Does the comma at `comma` close an apposition to the noun phrase that
 * opens the sentence ("Trevor Phillips, chairman of the Commission for
 * Racial Equality, called on Mr Clarke")?  Nothing but a noun phrase before
 * the opening comma, no verb or clause word between the two. */
static bool closes_opening_apposition(const NgToken *tok, const NgSentence *s, size_t comma) {
  size_t open = comma;
  while (open > s->first && !is_punct(&tok[open - 1], ",")) {
    const NgToken *t = &tok[open - 1];
    if (t->pos == NG_POS_VERB || t->pos == NG_POS_AUX || t->pos == NG_POS_MODAL || t->pos == NG_POS_REL ||
        t->pos == NG_POS_SUBORD || t->pos == NG_POS_PRON || (t->flags & NG_TOK_QUOTE))
      return false;
    open--;
  }
  if (open <= s->first + 1 || open == comma) return false;
  open--; /* the opening comma */
  if (!is_nominal(&tok[open - 1])) return false;
  for (size_t j = s->first; j < open; ++j) {
    const NgToken *t = &tok[j];
    bool phrase_word = t->pos == NG_POS_DET || t->pos == NG_POS_ADJ || t->pos == NG_POS_NOUN ||
                       t->pos == NG_POS_PROPN || t->pos == NG_POS_POSS || t->pos == NG_POS_GEN ||
                       t->pos == NG_POS_NUM || t->mention >= 0;
    if (!phrase_word) return false;
  }
  return true;
}

/* "Nokia shares rise", "BA profits fell": a verb of a changing amount
 * right after an -s word makes that word the noun whose amount changes. */
static bool amount_verb(const NgToken *t) {
  static const char *const moves[] = {"rise", "rises", "rose", "fall", "falls", "fell", "jump", "jumped",
                                      "slip", "slipped", "slump", "slumped", "soar", "soared", "plunge",
                                      "plunged", "surge", "surged", "tumble", "tumbled", "climb", "climbed",
                                      "dip", "dipped", "drop", "dropped", "hit", "top", "topped"};
  for (size_t k = 0; k < sizeof moves / sizeof *moves; ++k)
    if (word_is(t, moves[k])) return true;
  return false;
}

static NgVerbForm verb_form_in_context(const NgDocument *doc, const NgSentence *s, size_t i) {
  const NgToken *tok = doc->tokens;
  const NgToken *t = &tok[i];
  uint16_t wf = t->vocab->wf;
  size_t pi = 0;
  const NgToken *prev = prev_skipping(tok, s->first, i, &pi);
  const NgToken *next = i + 1 < s->first + s->count ? &tok[i + 1] : NULL;
  bool vb = wf & NG_WF_VB, vbz = wf & NG_WF_VBZ, vbd = wf & NG_WF_VBD, vbn = wf & NG_WF_VBN,
       vbg = wf & NG_WF_VBG;
  bool nounish = wf & (NG_WF_NN | NG_WF_NNS | NG_WF_JJ);
  if (!prev) {
    /* "Ousted President Askar Akayev": a participle before a name modifies it */
    if ((vbn || vbd) && next && (next->pos == NG_POS_PROPN || next->mention >= 0)) return NG_VF_NONE;
    /* Sentence start: participle clauses ("Speaking to reporters, ...")
     * and verbs of headlines without subject are rare: a noun unless
     * the word is only a verb form. */
    if (vbg && next && !is_punct(next, ",")) return nounish ? NG_VF_NONE : NG_VF_VBG;
    return nounish ? NG_VF_NONE : vbd ? NG_VF_VBD : vbz ? NG_VF_VBZ : NG_VF_NONE;
  }
  switch (prev->pos) {
  case NG_POS_DET: case NG_POS_POSS: case NG_POS_GEN: case NG_POS_ADJ:
    return NG_VF_NONE; /* the attack, its plans, Russia's sanctions */
  case NG_POS_NUM:
    return NG_VF_NONE;
  case NG_POS_TO:
    return vb ? NG_VF_VB : NG_VF_NONE;
  case NG_POS_MODAL:
    return vb ? NG_VF_VB : NG_VF_NONE;
  case NG_POS_AUX:
    if (is_do(prev)) return vb ? NG_VF_VB : NG_VF_NONE;
    if (is_be(prev)) return vbn ? NG_VF_VBN : vbg ? NG_VF_VBG : NG_VF_NONE;
    if (is_have(prev)) return vbn ? NG_VF_VBN : NG_VF_NONE;
    return vbn ? NG_VF_VBN : NG_VF_NONE;
  case NG_POS_PREP:
    return vbg && !nounish ? NG_VF_VBG : (vbg && next && starts_phrase(next)) ? NG_VF_VBG : NG_VF_NONE;
  case NG_POS_VERB:
    /* "helped rebuild", "went missing": rare; a participle after a verb is adjectival */
    return NG_VF_NONE;
  default:
    break;
  }
  /* '"Growth is strong," said Ken Mayland': a verb of saying right after
   * the quotation mark that closes a quotation */
  if ((prev->flags & NG_TOK_QUOTE) && pi > s->first && (vbd || vbz) && ng_reporting_lemma(t))
    return vbd ? NG_VF_VBD : NG_VF_VBZ;
  /* "Barclays shares up on merger talk", "Amex shares were up 8 pence": a
   * plural noun before "up", "down" or a form of "be" heads the subject */
  if (vbz && nounish && next && (word_is(next, "up") || word_is(next, "down") || word_is(next, "were") ||
                                 word_is(next, "are") || word_is(next, "have") || amount_verb(next)))
    return NG_VF_NONE;
  /* "to trade in Gazprom shares.": a plural noun after a name that a
   * preposition governs, ending the clause, is the name's noun */
  if (vbz && nounish && (prev->pos == NG_POS_PROPN || prev->mention >= 0) &&
      (!next || (next->flags & (NG_TOK_END | NG_TOK_PUNCT)))) {
    size_t start = pi;
    while (start > s->first && (tok[start - 1].pos == NG_POS_PROPN ||
                                (prev->mention >= 0 && tok[start - 1].mention == prev->mention)))
      start--;
    if (start > s->first && tok[start - 1].pos == NG_POS_PREP) return NG_VF_NONE;
  }
  /* "the majority of its UK projects": an -s form after a capitalised name
   * that a possessive opens is the name's noun; "the Gershon reforms would
   * save": an -s form before a modal is no finite verb */
  if (vbz && nounish && (prev->flags & NG_TOK_CAP) && (prev->pos == NG_POS_PROPN || prev->mention >= 0)) {
    size_t start = pi;
    while (start > s->first && (tok[start - 1].flags & NG_TOK_CAP) &&
           (prev->mention >= 0 ? tok[start - 1].mention == prev->mention : tok[start - 1].pos == NG_POS_PROPN))
      start--;
    if (start > s->first && tok[start - 1].pos == NG_POS_POSS) return NG_VF_NONE;
  }
  if (vbz && nounish && next && next->pos == NG_POS_MODAL && prev->pos != NG_POS_PRON && !ng_reporting_lemma(&tok[i]))
    return NG_VF_NONE; /* (not "which it says will remain") */
  /* "Tory headquarters says ...": an -s form right before "says" is the
   * subject's noun */
  if (vbz && nounish && next && next->vocab && (next->vocab->wf & NG_WF_VBZ) && ng_reporting_lemma(next)) return NG_VF_NONE;
  /* "member states needed to be", "EU funds need to make sure": an -s
   * form right before a past form that is no noun, or before a bare form
   * and "to", is the subject's noun (two finite verbs do not meet) */
  if ((vbz || vb) && nounish && next && next->vocab && next->pos != NG_POS_AUX && next->pos != NG_POS_MODAL) {
    uint16_t nwf = next->vocab->wf;
    bool past_only = (nwf & NG_WF_VBD) && !(nwf & (NG_WF_NN | NG_WF_NNS));
    bool bare_to = vbz && (nwf & NG_WF_VB) && i + 2 < s->first + s->count && tok[i + 2].pos == NG_POS_TO;
    /* ("the London to Leeds express came off the tracks") */
    if (past_only || bare_to) return NG_VF_NONE;
  }
  /* "worries about Labour and Conservative calls": an -s form after two
   * names joined by "and" is no verb of theirs (it would be "call") */
  if (vbz && !vbd && nounish && (prev->pos == NG_POS_PROPN || prev->mention >= 0)) {
    size_t start = pi;
    while (start > s->first && (prev->mention >= 0 ? tok[start - 1].mention == prev->mention
                                                   : tok[start - 1].pos == NG_POS_PROPN))
      start--;
    if (start > s->first + 1 && word_is(&tok[start - 1], "and") &&
        (tok[start - 2].pos == NG_POS_PROPN || tok[start - 2].mention >= 0))
      return NG_VF_NONE;
  }
  bool finite = vbz || vbd || vb;
  bool after_subject = prev->pos == NG_POS_PRON || prev->pos == NG_POS_NOUN || prev->pos == NG_POS_PROPN ||
                       prev->mention >= 0 || (prev->flags & NG_TOK_DIGIT);
  if (after_subject && nounish && prev_is_modifier(tok, s, pi, &tok[i], next)) return NG_VF_NONE;
  /* "Prosecuting attorney Carol Lam said: ...": a past form of saying
   * before a colon, a quotation mark or "that" is the verb */
  bool says_next = vbd && ng_reporting_lemma(&tok[i]) && next &&
                   (is_punct(next, ":") || (next->flags & NG_TOK_QUOTE) || word_is(next, "that"));
  if (after_subject && nounish && prev->pos != NG_POS_PRON && object_of_verb_before(tok, s, pi) &&
      !(next && starts_phrase(next)) && !says_next)
    return NG_VF_NONE; /* "widens Belarus sanctions, Moscow objects": the object's head */
  bool after_clause_edge = prev->pos == NG_POS_REL || prev->pos == NG_POS_SUBORD ||
                           prev->pos == NG_POS_CONJ || is_punct(prev, ",") || is_dash(prev);
  if (after_subject || after_clause_edge) {
    /* "shelled Kharkiv, killing at least ten civilians": after a comma, an
     * -ing form with an object opens a participle clause */
    bool participle_clause = is_punct(prev, ",") && next &&
                             (starts_phrase(next) || number_modifier(tok, i + 1, s->first + s->count));
    if (vbg) return after_subject || participle_clause ? NG_VF_VBG : NG_VF_NONE;
    if (!finite && !vbn) return NG_VF_NONE;
    /* Evidence for a verb: an object or a clause follows. */
    bool object_next = next && (starts_phrase(next) || next->pos == NG_POS_SUBORD);
    bool prep_next = next && (next->pos == NG_POS_PREP || next->pos == NG_POS_TO);
    const NgVocab *v = tok[i].vocab;
    double pv = (v->vfreq + 1.0) / (v->vfreq + v->nfreq + 2.0);
    if (after_clause_edge && !after_subject) {
      /* "helicopters and tanks shelled": a noun joined to a noun, with a
       * past tense after both, is the second half of the subject */
      bool nouns_joined = prev->pos == NG_POS_CONJ && pi > s->first && is_nominal(&tok[pi - 1]) &&
                          (wf & (NG_WF_NN | NG_WF_NNS)) && next && next->pos == NG_POS_X && next->vocab &&
                          (next->vocab->wf & NG_WF_VBD);
      if (nouns_joined) return NG_VF_NONE;
      /* "..., the ambassador, Dmitry Mezentsev, said on Wednesday": a verb
       * of saying after the comma that closes an apposition */
      if (vbd && is_punct(prev, ",") && pi > s->first && is_nominal(&tok[pi - 1]) && ng_reporting_lemma(&tok[i]) &&
          (!next || (next->flags & (NG_TOK_END | NG_TOK_PUNCT | NG_TOK_TIMEX)) || next->pos == NG_POS_PREP ||
           next->pos == NG_POS_ADV || next->pos == NG_POS_SUBORD || word_is(next, "that") ||
           (next->vocab && (next->vocab->wf & NG_WF_RB) && !(next->vocab->wf & (NG_WF_NN | NG_WF_NNS)))))
        return NG_VF_VBD;
      /* "The merger, backed by Russian authorities, will": a participle
       * after a comma, with its agent, is a reduced relative */
      if (vbn && is_punct(prev, ",") && next && word_is(next, "by") && pi > s->first &&
          is_nominal(&tok[pi - 1]))
        return NG_VF_VBN;
      /* "..., and expanded its list": coordinated verbs need an object */
      if (prev->pos == NG_POS_REL) return vbd ? NG_VF_VBD : vbz ? NG_VF_VBZ : vb ? NG_VF_VBP : NG_VF_VBN;
      /* "Trevor Phillips, chairman of the CRE, called on Mr Clarke" */
      if ((vbd || vbz) && is_punct(prev, ",") && closes_opening_apposition(tok, s, pi))
        return vbd ? NG_VF_VBD : NG_VF_VBZ;
      bool infinitive_next = next && next->pos == NG_POS_TO && i + 2 < s->first + s->count &&
                             tok[i + 2].vocab && (tok[i + 2].vocab->wf & NG_WF_VB);
      if ((!object_next && !infinitive_next) || (!vbd && !vbz)) return NG_VF_NONE;
      return vbd ? NG_VF_VBD : NG_VF_VBZ;
    }
    if (prev->pos == NG_POS_PRON) return vbd ? NG_VF_VBD : vbz ? NG_VF_VBZ : vb ? NG_VF_VBP : NG_VF_NONE;
    /* agreement: a bare form after a singular noun is no finite verb
     * ("full-length feature films"), nor an -s form after a plural one */
    if (nounish && !vbd && prev->pos != NG_POS_PRON && !(prev->flags & NG_TOK_DIGIT)) {
      bool plural = token_is_plural(doc, prev);
      if ((vb && !vbz && !plural) || (vbz && !vb && plural && prev->mention < 0)) return NG_VF_NONE;
    }
    if (!nounish || object_next || pv >= 0.5 || (prep_next && pv > 0.35) || !next ||
        (next->flags & NG_TOK_END))
      return vbd ? NG_VF_VBD : vbz ? NG_VF_VBZ : vb ? NG_VF_VBP : NG_VF_VBN;
    return NG_VF_NONE;
  }
  return NG_VF_NONE;
}

static void tag_verbs(NgDocument *doc, const NgSentence *s) {
  NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    NgToken *t = &tok[i];
    if (t->pos != NG_POS_X) continue;
    NgVerbForm vf = verb_form_in_context(doc, s, i);
    if (vf != NG_VF_NONE) {
      make_verb(t, vf, t->vocab->lemma);
      continue;
    }
    uint16_t wf = t->vocab->wf;
    size_t pi = 0;
    const NgToken *prev = prev_skipping(tok, s->first, i, &pi);
    bool participle = (wf & (NG_WF_VBN | NG_WF_VBG)) && !(wf & (NG_WF_NN | NG_WF_NNS));
    bool after_be = prev && (prev->pos == NG_POS_AUX || prev->pos == NG_POS_VERB) && is_be(prev);
    if (participle && prev && (prev->pos == NG_POS_DET || prev->pos == NG_POS_ADJ || prev->pos == NG_POS_POSS))
      t->pos = NG_POS_ADJ; /* the disallowed categories */
    else if ((wf & NG_WF_JJ) && (!(wf & (NG_WF_NN | NG_WF_NNS)) || after_be ||
                                 t->vocab->afreq >= t->vocab->nfreq))
      t->pos = NG_POS_ADJ; /* "is ready to" */
    else
      t->pos = NG_POS_NOUN;
  }
  /* "as the opposition threatened", "after police fired": a word that is a
   * preposition or a subordinator opens a clause when a noun phrase and a
   * finite verb follow it */
  for (size_t i = s->first; i < end; ++i) {
    NgToken *t = &tok[i];
    if (t->pos != NG_POS_PREP || !t->vocab || !(t->vocab->fw & NG_FW_SUBORD)) continue;
    size_t j = i + 1;
    while (j < end && (tok[j].pos == NG_POS_DET || tok[j].pos == NG_POS_POSS || tok[j].pos == NG_POS_NUM ||
                       tok[j].pos == NG_POS_ADJ || tok[j].pos == NG_POS_NOUN || tok[j].pos == NG_POS_PROPN ||
                       tok[j].pos == NG_POS_PRON || tok[j].pos == NG_POS_GEN))
      j++;
    if (j > i + 1 && j < end &&
        (tok[j].pos == NG_POS_AUX || tok[j].pos == NG_POS_MODAL ||
         (tok[j].pos == NG_POS_VERB && (tok[j].vform == NG_VF_VBD || tok[j].vform == NG_VF_VBZ ||
                                        tok[j].vform == NG_VF_VBP))))
      t->pos = NG_POS_SUBORD;
  }
  /* Auxiliaries that govern no verb are main verbs: "has troops", "did so". */
  for (size_t i = s->first; i < end; ++i) {
    NgToken *t = &tok[i];
    if (t->pos != NG_POS_AUX || (t->flags & NG_TOK_CLITIC)) continue;
    size_t j = i + 1;
    while (j < end && (tok[j].pos == NG_POS_ADV || tok[j].pos == NG_POS_NEG || tok[j].pos == NG_POS_AUX)) j++;
    if (j < end && tok[j].pos == NG_POS_VERB) continue;
    const char *lemma = is_be(t) ? "be" : is_have(t) ? "have" : is_do(t) ? "do" : NULL;
    if (lemma) make_verb(t, word_is(t, "had") || word_is(t, "did") || word_is(t, "was") || word_is(t, "were")
                                ? NG_VF_VBD : NG_VF_VBZ, lemma);
  }
}

/* --------------------------------------------------------- noun phrases */

static bool in_phrase(const NgToken *t) {
  if (t->flags & NG_TOK_TIMEX) return false; /* "on November 6" is no actor */
  switch (t->pos) {
  case NG_POS_DET: case NG_POS_POSS: case NG_POS_NUM: case NG_POS_ADJ: case NG_POS_NOUN:
  case NG_POS_PROPN: case NG_POS_GEN:
    return true;
  default:
    return t->mention >= 0 && t->pos != NG_POS_VERB;
  }
}


/* The actor of a phrase: the head's, unless the head names only a role and
 * another mention in the phrase names who ("Hamas militants", "Sudanese
 * army troops"); else the first mention. */
static int32_t best_mention(const NgDocument *doc, size_t first, size_t last, size_t head) {
  const NgToken *tok = doc->tokens;
  int32_t h = tok[head].mention;
  /* (a company's name is its own mention, whatever country qualifies it:
   * "Irish publishing group Independent News & Media") */
  /* (a person named at the head is the one the phrase means, whatever body
   * qualifies the name: "Labour MP Frank Field") */
  if (h >= 0 && (!ng_code_is_role(doc->mentions[h].code) || doc->mentions[h].kind == NG_KIND_COMPANY ||
                 doc->mentions[h].person))
    return h;
  for (size_t i = first; i <= last; ++i) {
    int32_t m = tok[i].mention;
    if (m >= 0 && m != h && doc->mentions[m].code[0] && !ng_code_is_role(doc->mentions[m].code)) return m;
  }
  if (h >= 0) return h;
  for (size_t i = first; i <= last; ++i)
    if (tok[i].mention >= 0) return tok[i].mention;
  return -1;
}

/* "( APEC )" inside a name, with the phrase going on after it. */
static bool bracketed_acronym(const NgToken *tok, size_t j, size_t end) {
  return j > 0 && j + 3 < end && tok[j].norm[0] == '(' && !tok[j].norm[1] && (tok[j + 1].flags & NG_TOK_ALLCAPS) &&
         tok[j + 2].norm[0] == ')' && !tok[j + 2].norm[1] && in_phrase(&tok[j - 1]) && in_phrase(&tok[j + 3]) &&
         tok[j + 3].pos != NG_POS_DET && tok[j + 3].pos != NG_POS_POSS;
}

static NgStatus add_phrase(NgDocument *doc, size_t first, size_t last) {
  NgToken *tok = doc->tokens;
  while (first <= last && tok[first].pos == NG_POS_GEN) first++;
  if (first > last) return NG_SUCCESS;
  NgPhrase *p = ng_doc_add_phrase(doc);
  if (!p) return NG_ERR_NOMEM;
  int32_t idx = (int32_t)(p - doc->phrases);
  p->first = first;
  p->last = last;
  p->coord_next = -1;
  p->pronoun = false;
  /* the head: the last noun-like token ("Russia 's ambassador" -> ambassador) */
  size_t head = last;
  while (head > first && !is_nominal(&tok[head])) head--;
  p->head = head;
  p->mention = best_mention(doc, first, last, head);
  p->plural = p->mention >= 0 ? doc->mentions[p->mention].plural
                              : (tok[head].vocab && (tok[head].vocab->wf & NG_WF_NNS) &&
                                 !(tok[head].vocab->wf & NG_WF_NN));
  if (!p->plural && tok[head].pos == NG_POS_NOUN && tok[head].norm_len > 3 &&
      tok[head].norm[tok[head].norm_len - 1] == 's' && tok[head].norm[tok[head].norm_len - 2] != 's')
    p->plural = true;
  for (size_t i = first; i <= last; ++i) tok[i].np = idx;
  return NG_SUCCESS;
}

/* "On top of the relief deal with Tanzania Mr Brown said", "In a speech to
 * the Foreign Policy Centre Mr Straw said": in a phrase that a preposition
 * opens, an honorific after a name that is no role ("Tanzania", not
 * "Chancellor" or "MP") starts the next phrase - the speaker was "Tanzania
 * Mr Brown" and "the Foreign Policy Centre Mr Straw" (audit Z).  (Not
 * after "by" or "of": "backed by Metropolitan Police Commissioner Sir John
 * Stevens", "Archbishop of Canterbury Dr Rowan Williams" are one man.) */
static bool honorific_after_name(const NgDocument *doc, size_t i, size_t j) {
  const NgToken *prep = i > 0 ? &doc->tokens[i - 1] : NULL;
  if (!prep || (prep->pos != NG_POS_PREP && prep->pos != NG_POS_TO) || word_is(prep, "by") || word_is(prep, "of"))
    return false;
  static const char *const honorifics[] = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame"};
  const NgToken *u = &doc->tokens[j], *before = &doc->tokens[j - 1];
  if (!(u->flags & NG_TOK_CAP) || !u->vocab || !u->vocab->title) return false;
  bool honorific = false;
  for (size_t k = 0; k < NG_COUNTOF(honorifics) && !honorific; ++k) honorific = word_is(u, honorifics[k]);
  if (!honorific || before->pos != NG_POS_PROPN) return false;
  if (before->vocab && before->vocab->title) return false;
  return before->mention < 0 || !ng_code_is_role(doc->mentions[before->mention].code);
}

/* "The following year Bournemouth hosted the event", "the week Tony Blair
 * came": a name after a noun of time starts the next phrase (audit AA: the
 * host was "year Bournemouth"). */
static bool name_after_time_noun(const NgDocument *doc, size_t j) {
  static const char *const times[] = {"year", "month", "week", "day", "morning", "afternoon", "evening",
                                      "night", "weekend", "season", "decade", "century", "summer",
                                      "winter", "spring", "autumn"};
  const NgToken *u = &doc->tokens[j], *before = &doc->tokens[j - 1];
  if (u->pos != NG_POS_PROPN || !(u->flags & NG_TOK_CAP) || (before->flags & NG_TOK_CAP)) return false;
  for (size_t k = 0; k < NG_COUNTOF(times); ++k)
    if (word_is(before, times[k])) return true;
  return false;
}

/* Cut runs of phrase tokens into phrases: a determiner or possessive
 * pronoun after a complete noun starts a new one ("gave Iran the money"). */
static NgStatus chunk_phrases(NgDocument *doc, const NgSentence *s) {
  NgToken *tok = doc->tokens;
  size_t end = s->first + s->count, i = s->first;
  NgStatus st = NG_SUCCESS;
  while (i < end && !st) {
    NgToken *t = &tok[i];
    if (t->pos == NG_POS_PRON && !word_is(t, "who") && !word_is(t, "which")) {
      st = add_phrase(doc, i, i);
      if (!st) doc->phrases[doc->nphrases - 1].pronoun = true;
      i++;
      continue;
    }
    size_t lead = number_modifier(tok, i, end);
    if ((!in_phrase(t) || t->pos == NG_POS_GEN) && !lead) {
      i++;
      continue;
    }
    size_t j = i + lead;
    bool has_noun = false;
    while (j < end && (in_phrase(&tok[j]) || bracketed_acronym(tok, j, end))) {
      if (bracketed_acronym(tok, j, end)) { /* "Cooperation (APEC) forum" */
        j += 3;
        continue;
      }
      const NgToken *u = &tok[j];
      if (j > i && has_noun && (u->pos == NG_POS_DET || u->pos == NG_POS_POSS) && tok[j - 1].pos != NG_POS_GEN)
        break;
      if (j > i && has_noun && honorific_after_name(doc, i, j)) break;
      if (j > i && has_noun && name_after_time_noun(doc, j)) break;
      /* a mention boundary between two different actors splits ("Iran Iraq" rarely) */
      if (u->pos == NG_POS_NOUN || u->pos == NG_POS_PROPN || u->mention >= 0) has_noun = true;
      j++;
    }
    /* "Israeli helicopters and tanks shelled": a bare noun joined to a noun
     * its nationality also describes, right before the verb, is one phrase */
    if (has_noun && j + 2 < end && tok[i].pos == NG_POS_ADJ && tok[i].mention >= 0 &&
        tok[j - 1].pos == NG_POS_NOUN && word_is(&tok[j], "and") && tok[j + 1].pos == NG_POS_NOUN &&
        tok[j + 1].mention < 0 && tok[j + 2].pos == NG_POS_VERB)
      j += 2;
    /* adjectives and determiners alone ("be able to", "more") name nothing */
    bool nominal = has_noun;
    for (size_t k = i; k < j && !nominal; ++k) nominal = tok[k].pos == NG_POS_NUM || tok[k].pos == NG_POS_PRON;
    if (nominal) st = add_phrase(doc, i, j - 1);
    i = j;
  }
  return st;
}

/* "Brazil and the United States", "the US, Russia, and Switzerland": link
 * conjoined phrases that name actors (or proper names). */
static void link_conjuncts(NgDocument *doc, size_t first_phrase) {
  NgToken *tok = doc->tokens;
  for (size_t p = first_phrase; p + 1 < doc->nphrases; ++p) {
    NgPhrase *a = &doc->phrases[p], *b = &doc->phrases[p + 1];
    bool a_actor = a->mention >= 0 || tok[a->head].pos == NG_POS_PROPN;
    bool b_actor = b->mention >= 0 || tok[b->head].pos == NG_POS_PROPN;
    if (!a_actor || !b_actor || a->pronoun || b->pronoun) continue;
    size_t gap_first = a->last + 1, gap_last = b->first;
    if (gap_last <= gap_first || gap_last - gap_first > 2) continue;
    const NgToken *g1 = &tok[gap_first];
    const NgToken *g2 = gap_last - gap_first == 2 ? &tok[gap_first + 1] : NULL;
    bool conj = word_is(g1, "and") || word_is(g1, "or") || (is_punct(g1, ",") && (!g2 || word_is(g2, "and")));
    if (g2 && !(is_punct(g1, ",") && word_is(g2, "and"))) conj = false;
    if (!conj) continue;
    /* "X, Y" is a list only if an "and" closes it later: otherwise an apposition */
    if (is_punct(g1, ",") && !g2) {
      bool closed = false;
      for (size_t q = p + 1; q + 1 < doc->nphrases && q < p + 6; ++q) {
        const NgPhrase *next = &doc->phrases[q + 1];
        if (next->mention < 0 && tok[next->head].pos != NG_POS_PROPN) break; /* lists are of names */
        size_t e = doc->phrases[q].last + 1;
        if (e < doc->phrases[q + 1].first && (word_is(&tok[e], "and") ||
            (is_punct(&tok[e], ",") && e + 1 < doc->phrases[q + 1].first && word_is(&tok[e + 1], "and")))) {
          closed = true;
          break;
        }
        if (e >= doc->phrases[q + 1].first || !is_punct(&tok[e], ",")) break;
      }
      if (!closed) continue;
    }
    a->coord_next = (int32_t)(p + 1);
  }
}

/* ---------------------------------------------------------- verb groups */

static bool is_modal_future(const NgToken *t) {
  return word_is(t, "will") || word_is(t, "shall") || word_is(t, "'ll");
}

/* Whether a finite verb follows token i within the same clause - the main
 * verb that makes an earlier participle a reduced relative ("The civilians
 * imprisoned for acting against Moscow were released"). */
static bool finite_verb_follows(const NgToken *tok, size_t i, size_t end) {
  for (; i < end; ++i) {
    const NgToken *t = &tok[i];
    if (t->pos == NG_POS_PUNCT || t->pos == NG_POS_SUBORD || t->pos == NG_POS_REL || t->pos == NG_POS_CONJ)
      return false;
    if (t->pos == NG_POS_AUX || t->pos == NG_POS_MODAL) return true;
    if (t->pos == NG_POS_VERB && (t->vform == NG_VF_VBD || t->vform == NG_VF_VBZ || t->vform == NG_VF_VBP))
      return true;
  }
  return false;
}

static NgStatus build_groups(NgDocument *doc, const NgSentence *s, size_t first_group) {
  NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    NgToken *t = &tok[i];
    if (t->pos != NG_POS_VERB) continue;
    NgVerbGroup *g = ng_doc_add_group(doc);
    if (!g) return NG_ERR_NOMEM;
    memset(g, 0, sizeof *g);
    g->head = g->last = i;
    g->subject = g->object = g->governor = g->ctrl_object = g->attribution = -1;
    g->lemma = t->lemma;
    /* 'He continued: "How can there be ..."': going on speaking is adding
     * (audit Z's recall reader missed it; "continue" is otherwise a state) */
    if (t->lemma && !strcmp(t->lemma, "continue") && i + 1 < end && word_is(&tok[i + 1], ":")) g->lemma = "add";
    const NgVocab *lv = g->lemma ? ng_lexicon_word(doc->lex, g->lemma, strlen(g->lemma)) : NULL;
    g->verb = lv ? lv->verb : NULL;
    size_t f = i;
    bool be = false, have = false;
    while (f > s->first) {
      const NgToken *u = &tok[f - 1];
      if (u->pos == NG_POS_AUX || u->pos == NG_POS_MODAL || u->pos == NG_POS_NEG ||
          (u->pos == NG_POS_ADV && f - 1 > s->first &&
           (tok[f - 2].pos == NG_POS_AUX || tok[f - 2].pos == NG_POS_MODAL || tok[f - 2].pos == NG_POS_TO))) {
        f--;
        if (u->pos == NG_POS_NEG || word_is(u, "never")) g->flags |= NG_VG_NEG;
        if (u->pos == NG_POS_MODAL) g->flags |= is_modal_future(u) ? NG_VG_FUTURE : NG_VG_MODAL;
        if (u->pos == NG_POS_AUX && is_be(u)) be = true;
        if (u->pos == NG_POS_AUX && is_have(u)) have = true;
        if (word_is(u, "was") || word_is(u, "were") || word_is(u, "had") || word_is(u, "did"))
          g->flags |= NG_VG_PAST;
        continue;
      }
      if (u->pos == NG_POS_TO) {
        f--;
        g->flags |= NG_VG_INFINITIVE;
      }
      break;
    }
    if (f > s->first && word_is(&tok[f - 1], "never")) g->flags |= NG_VG_NEG;
    /* ", who chairs the committee,": a relative clause (syntax.c's acl:relcl) */
    if (f > s->first && (word_is(&tok[f - 1], "who") || word_is(&tok[f - 1], "which"))) g->flags |= NG_VG_RELATIVE;
    g->first = f;
    if (t->vform == NG_VF_VBN && be) g->flags |= NG_VG_PASSIVE;
    if (have) g->flags |= NG_VG_PERFECT;
    if (t->vform == NG_VF_VBD) g->flags |= NG_VG_PAST;
    if (t->vform == NG_VF_VBG && !be) g->flags |= NG_VG_GERUND;
    if (t->vform == NG_VF_VBN && !be && !have) g->flags |= NG_VG_PARTICIPLE | NG_VG_PASSIVE;
    /* "soldiers killed in Ukraine", "detainees held after ...": a transitive
     * verb read as past tense, right after a noun, with no object after it,
     * is a reduced relative in the passive */
    bool earlier_verb = false; /* "Jobs resigned in a letter" is no reduced relative */
    for (size_t k = s->first; k < i && !earlier_verb; ++k) earlier_verb = tok[k].pos == NG_POS_VERB;
    /* (a common noun or a group named by a demonym, not a name: "the United
     * Nations called for" is the UN calling) */
    bool after_noun = i > s->first && (tok[i - 1].pos == NG_POS_NOUN ||
                                       (tok[i - 1].mention >= 0 && tok[i - 1].pos != NG_POS_PROPN));
    if ((earlier_verb || finite_verb_follows(tok, i + 1, end)) && t->vform == NG_VF_VBD && f == i &&
        (t->vocab->wf & NG_WF_VBN) && (t->vocab->wf & NG_WF_TRANS) && after_noun &&
        tok[i - 1].pos != NG_POS_PRON && i + 1 < end &&
        (tok[i + 1].pos == NG_POS_PREP || (tok[i + 1].flags & NG_TOK_TIMEX) || is_punct(&tok[i + 1], ",")))
      g->flags |= NG_VG_PASSIVE | NG_VG_PARTICIPLE;
    /* "was passed by": a participle read as past tense after a noun, with
     * "by" following, is a reduced passive too */
    if (t->vform == NG_VF_VBD && i + 1 < end && word_is(&tok[i + 1], "by") && (t->vocab->wf & NG_WF_VBN) &&
        !(tok[i].vocab->wf & NG_WF_VB))
      g->flags |= NG_VG_PASSIVE | NG_VG_PARTICIPLE;
  }
  (void)first_group;
  return NG_SUCCESS;
}

/* ------------------------------------------------------------- clauses */

static int32_t phrase_ending_at(const NgDocument *doc, size_t tok) {
  int32_t p = doc->tokens[tok].np;
  return p >= 0 && doc->phrases[p].last == tok ? p : -1;
}

static int32_t phrase_starting_at(const NgDocument *doc, size_t tok) {
  int32_t p = doc->tokens[tok].np;
  return p >= 0 && doc->phrases[p].first == tok ? p : -1;
}

/* The first member of the conjunction ending with phrase p. */
static int32_t first_conjunct(const NgDocument *doc, int32_t p) {
  while (p > 0 && doc->phrases[p - 1].coord_next == p) p--;
  return p;
}

static int32_t subject_left_of(const NgDocument *doc, const NgSentence *s, size_t i, int depth);


/* "Peter Misselbrook, executive partner of Tods Murray said": a role in
 * apposition whose closing comma the writer left out stands for the name
 * that opens the sentence before it (audit O: the actor was "executive
 * partner"). */
static int32_t name_before_role(const NgDocument *doc, const NgSentence *s, int32_t p) {
  const NgToken *tok = doc->tokens;
  const NgPhrase *ph = &doc->phrases[p];
  if (ph->first < s->first + 2 || !is_punct(&tok[ph->first - 1], ",") || ph->pronoun ||
      word_is(&tok[ph->first], "whose") || /* "Mr Howard, whose parents fled" */
      tok[ph->head].pos == NG_POS_PROPN || (ph->mention >= 0 && doc->mentions[ph->mention].person))
    return p;
  int32_t q = phrase_ending_at(doc, ph->first - 2);
  if (q < 0 || doc->phrases[q].first != s->first || doc->phrases[q].mention < 0 ||
      !doc->mentions[doc->phrases[q].mention].person)
    return p;
  return q;
}

/* The subject phrase to the left of token i (exclusive), or -1. */
static int32_t subject_left(const NgDocument *doc, const NgSentence *s, size_t i, int depth) {
  int32_t p = subject_left_of(doc, s, i, depth);
  if (p >= 0 && depth == 0) p = name_before_role(doc, s, p);
  return p >= 0 ? first_conjunct(doc, p) : p;
}

/* "Mr Howard, whose grandmother died in Auschwitz, said": a relative
 * clause opened by "whose" and its noun (audit O gave the saying to "whose
 * grandmother"). */
static bool whose_phrase_ends_at(const NgDocument *doc, size_t t) {
  int32_t p = doc->tokens[t].np;
  return p >= 0 && word_is(&doc->tokens[doc->phrases[p].first], "whose");
}

/* Does phrase p name a person: one the lexicon knows, or capitalised words
 * opening with a given name ("David Higdon"), not a title ("Vice President
 * of the ATP", "The Lord Chancellor")? */
static bool names_person(const NgDocument *doc, int32_t p) {
  const NgPhrase *ph = &doc->phrases[p];
  const NgToken *first = &doc->tokens[ph->first];
  if (ph->pronoun) return false;
  if (ph->mention >= 0 && doc->mentions[ph->mention].person) return true;
  return first->pos == NG_POS_PROPN && first->vocab && first->vocab->gender && !first->vocab->title &&
         doc->tokens[ph->head].pos == NG_POS_PROPN;
}

/* Is phrase p a title rather than a name: a title word or an "of" in it
 * ("Vice President of the ATP"), or a role the lexicon knows? */
static bool title_like(const NgDocument *doc, int32_t p) {
  const NgPhrase *ph = &doc->phrases[p];
  if (ph->mention >= 0 && doc->mentions[ph->mention].kind == NG_KIND_ROLE) return true;
  for (size_t t = ph->first; t <= ph->last; ++t) {
    const NgToken *tok = &doc->tokens[t];
    if (word_is(tok, "of") || (tok->vocab && tok->vocab->title)) return true;
  }
  return false;
}

static int32_t subject_left_of(const NgDocument *doc, const NgSentence *s, size_t i, int depth) {
  const NgToken *tok = doc->tokens;
  if (depth > 4) return -1;
  /* adverbs, quotes and time expressions ("The EU on November 6 expanded") */
  for (;;) {
    while (i > s->first && (tok[i - 1].pos == NG_POS_ADV || (tok[i - 1].flags & (NG_TOK_QUOTE | NG_TOK_TIMEX)))) i--;
    if (i > s->first && i < s->first + s->count && (tok[i].flags & NG_TOK_TIMEX) &&
        (tok[i - 1].pos == NG_POS_PREP || is_punct(&tok[i - 1], ",")))
      i--; /* the preposition or comma before the time expression */
    else
      break;
  }
  if (i == s->first) return -1;
  size_t j = i - 1;
  int32_t p = phrase_ending_at(doc, j);
  if (p >= 0) {
    const NgPhrase *ph = &doc->phrases[p];
    /* "members of the program can ...": the phrase before the "of"; but
     * "since Biden took office" is a clause, not a prepositional phrase */
    const NgToken *before = ph->first > s->first ? &tok[ph->first - 1] : NULL;
    bool subordinator = before && before->vocab && (before->vocab->fw & NG_FW_SUBORD);
    if (before && before->pos == NG_POS_PREP && !subordinator && ph->first - 1 > s->first) {
      int32_t q = phrase_ending_at(doc, ph->first - 2);
      if (q >= 0) {
        int32_t deeper = subject_left(doc, s, ph->first - 1, depth + 1);
        return deeper >= 0 ? deeper : q;
      }
    }
    return p;
  }
  if (tok[j].pos == NG_POS_REL) { /* "rebels, who attacked" */
    size_t k = j;
    if (k > s->first && is_punct(&tok[k - 1], ",")) k--;
    return k > s->first ? phrase_ending_at(doc, k - 1) : -1;
  }
  if (is_dash(&tok[j])) {
    /* "Nokia chief Jorma Ollila - who has run the firm for a decade - said":
     * the subject is before the aside that the dashes enclose */
    for (size_t k = j; k-- > s->first + 1;)
      if (is_dash(&tok[k])) return subject_left(doc, s, k, depth + 1);
    return -1;
  }
  if (is_punct(&tok[j], ",") || is_punct(&tok[j], ")")) {
    /* "X, the ambassador, said" / "X (the ambassador) said": skip back to
     * the matching comma and take the phrase before it */
    const char *open = is_punct(&tok[j], ")") ? "(" : ",";
    int32_t before = j > s->first ? phrase_ending_at(doc, j - 1) : -1;
    /* "The UK's biggest brewer, Scottish and Newcastle (S&N), is to buy":
     * the name before its acronym */
    if (before < 0 && !strcmp(open, ",") && j > s->first + 3 && is_punct(&tok[j - 1], ")") &&
        is_punct(&tok[j - 3], "("))
      before = phrase_ending_at(doc, j - 4);
    size_t k = j;
    while (k > s->first + 1) {
      --k;
      if (is_punct(&tok[k], open)) {
        /* the comma lies inside the phrase: "Russia's ambassador, Dmitry Mezentsev," */
        if (before >= 0 && doc->phrases[before].first < k) return before;
        int32_t q = phrase_ending_at(doc, k - 1);
        /* "David Higdon, Vice President of the ATP, admitted": a person's
         * name before a capitalised title is the one who acts */
        bool name_first = q >= 0 && doc->phrases[q].first == s->first && names_person(doc, q);
        /* "Russia's ambassador to Belarus, Dmitry Mezentsev, said": the name */
        if (before >= 0 && doc->phrases[before].first == k + 1 && !doc->phrases[before].pronoun &&
            (tok[doc->phrases[before].head].pos == NG_POS_PROPN ||
             (doc->phrases[before].mention >= 0 && doc->mentions[doc->phrases[before].mention].person)) &&
            !(name_first && title_like(doc, before)))
          return before;
        if (q >= 0 && (doc->phrases[q].mention >= 0 || tok[doc->phrases[q].head].pos == NG_POS_PROPN))
          return q;
        return -1;
      }
      if (tok[k].pos == NG_POS_VERB && !(tok[k].vform == NG_VF_VBN || tok[k].vform == NG_VF_VBG) &&
          k > s->first && tok[k - 1].pos != NG_POS_REL && tok[k - 1].pos != NG_POS_PRON &&
          !whose_phrase_ends_at(doc, k - 1))
        return -1; /* a whole clause lies between: not a parenthesis */
    }
  }
  return -1;
}

/* The object phrase right after the verb group's head, or -1. */
/* Is token t the end of sentence s, or its closing stop? */
static bool after_ends_sentence(const NgDocument *doc, const NgSentence *s, size_t t) {
  size_t end = s->first + s->count;
  if (t >= end) return true;
  return t + 1 == end && doc->tokens[t].pos == NG_POS_PUNCT && (is_punct(&doc->tokens[t], ".") ||
                                                                 is_punct(&doc->tokens[t], "!"));
}

static int32_t object_right(const NgDocument *doc, const NgSentence *s, size_t head) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count, j = head + 1;
  /* a particle or adverb may come first: "blew up the building" - but not
   * the start of a number phrase ("kidnapped up to 16 advisers") */
  while (j < end && !number_modifier(tok, j, end) &&
         (tok[j].pos == NG_POS_ADV || word_is(&tok[j], "up") || word_is(&tok[j], "off") ||
          word_is(&tok[j], "out") || word_is(&tok[j], "down") || word_is(&tok[j], "forward") ||
          word_is(&tok[j], "away")))
    j++;
  if (j >= end) return -1;
  int32_t p = phrase_starting_at(doc, j);
  if (p >= 0 && doc->tokens[doc->phrases[p].head].pos == NG_POS_NUM && doc->phrases[p].first == doc->phrases[p].last &&
      tok[j].vocab && tok[j].vocab->month)
    return -1;
  return p;
}

/* The agent of a passive: "by X" within a few tokens of the verb. */
static int32_t passive_agent(const NgDocument *doc, const NgSentence *s, size_t head) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t j = head + 1; j + 1 < end && j <= head + 6; ++j) {
    if (tok[j].pos == NG_POS_VERB || is_punct(&tok[j], ".") || is_punct(&tok[j], ";")) break;
    if (word_is(&tok[j], "by")) return phrase_starting_at(doc, j + 1);
  }
  return -1;
}

static bool is_clause_edge(const NgToken *t) {
  return (t->flags & NG_TOK_END) || is_punct(t, ";") || is_punct(t, ":") || t->pos == NG_POS_SUBORD ||
         t->pos == NG_POS_REL;
}

/* Is there a verb between the comma at `comma` and the comma or clause
 * edge before it?  "..., which was passed by the House this past week,
 * Mezentsev said": the week is the passing's, not the saying's. */
static bool verb_in_segment_before(const NgToken *tok, size_t first, size_t comma) {
  for (size_t i = comma; i-- > first;) {
    if (is_punct(&tok[i], ",") || is_clause_edge(&tok[i])) return false;
    if (tok[i].pos == NG_POS_VERB) return true;
  }
  return false;
}

static bool prenominal_participle(const NgToken *tok, size_t i, size_t end) {
  return (tok[i].vform == NG_VF_VBN || tok[i].vform == NG_VF_VBG) && i + 1 < end &&
         (tok[i + 1].pos == NG_POS_NOUN || tok[i + 1].pos == NG_POS_PROPN) &&
         (tok[i - 1].pos == NG_POS_DET || tok[i - 1].pos == NG_POS_POSS || tok[i - 1].pos == NG_POS_ADJ ||
          tok[i - 1].pos == NG_POS_PREP);
}

/* Token bounds of the clause around a group, for time expressions. */
static void clause_bounds(const NgDocument *doc, const NgSentence *s, NgVerbGroup *g) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count, b = g->first, e = g->last + 1;
  while (b > s->first && !is_clause_edge(&tok[b - 1]) && tok[b - 1].pos != NG_POS_VERB &&
         !(is_punct(&tok[b - 1], ",") && !(g->flags & (NG_VG_GERUND | NG_VG_PARTICIPLE)) &&
           verb_in_segment_before(tok, s->first, b - 1)))
    b--;
  /* to the right, an infinitive ("expanded its list to include Lukashenko
   * on November 6") and a participle before its noun ("sanctioned
   * individuals") stay in the clause: their time is the event's */
  while (e < end && !is_clause_edge(&tok[e]) &&
         (tok[e].pos != NG_POS_VERB || tok[e - 1].pos == NG_POS_TO || prenominal_participle(tok, e, end)))
    e++;
  g->clause_begin = b;
  g->clause_end = e;
}

static bool is_attribution(const NgVerbGroup *g) { return g->verb && g->verb->attribution; }

/* Verbs that report a clause: of saying, and of thinking ("I think they
 * attacked": the attack is what someone thinks). */
static bool reports_clause(const NgVerbGroup *g) {
  return is_attribution(g) || (g->verb && g->verb->nature == NG_NATURE_OPINION);
}

/* The reduced relative ("imprisoned for acting against Moscow") that group k
 * follows directly - only prepositional material, no comma or other verb,
 * between them - or -1. */
static int32_t after_reduced_relative(const NgDocument *doc, const NgSentence *s, size_t first_group, size_t k) {
  const NgToken *tok = doc->tokens;
  const NgVerbGroup *g = &doc->groups[k];
  for (size_t j = k; j-- > first_group;) {
    const NgVerbGroup *p = &doc->groups[j];
    if (!(p->flags & NG_VG_PARTICIPLE) || p->subject < 0) {
      if (!(p->flags & NG_VG_GERUND)) return -1; /* "for acting": a gerund inside it is fine */
      continue;
    }
    for (size_t t = p->last + 1; t < g->first; ++t)
      if (tok[t].pos == NG_POS_PUNCT || tok[t].pos == NG_POS_SUBORD || tok[t].pos == NG_POS_REL ||
          (tok[t].pos == NG_POS_VERB && !(tok[t].vform == NG_VF_VBG)))
        return -1;
    (void)s;
    return (int32_t)j;
  }
  return -1;
}

static void assign_roles(NgDocument *doc, const NgSentence *s, size_t first_group) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    NgVerbGroup *prev = k > first_group ? &doc->groups[k - 1] : NULL;
    clause_bounds(doc, s, g);
    /* governed infinitive: "agreed to lift", "urged Russia to withdraw" */
    if ((g->flags & NG_VG_INFINITIVE) && prev) {
      size_t between = g->first - prev->last - 1;
      int32_t obj = object_right(doc, s, prev->head);
      /* "would be able to sell", "is ready to talk": adjectives between */
      bool adjectives = between > 0 && between <= 2;
      for (size_t t = prev->last + 1; t < g->first && adjectives; ++t)
        adjectives = tok[t].pos == NG_POS_ADJ || tok[t].pos == NG_POS_ADV;
      /* "agreed in principle on Saturday to provide": adverbials between */
      bool adverbials = between > 0 && between <= 8 && (tok[prev->last + 1].pos == NG_POS_PREP ||
                                                        (tok[prev->last + 1].flags & NG_TOK_TIMEX));
      for (size_t t = prev->last + 1; t < g->first && adverbials; ++t)
        adverbials = (tok[t].flags & NG_TOK_TIMEX) || tok[t].np >= 0 || tok[t].pos == NG_POS_PREP ||
                     tok[t].pos == NG_POS_ADV;
      /* "is calling on the government to take action", "prevailed upon
       * Israel to withdraw": the one asked follows "on" */
      if (between >= 2 && (word_is(&tok[prev->last + 1], "on") || word_is(&tok[prev->last + 1], "upon"))) {
        int32_t asked = phrase_starting_at(doc, prev->last + 2);
        if (asked >= 0 && doc->phrases[asked].last + 1 == g->first && prev->lemma &&
            (!strcmp(prev->lemma, "call") || !strcmp(prev->lemma, "prevail"))) {
          g->governor = (int32_t)(k - 1);
          g->ctrl_object = asked;
          between = 0;
        }
      }
      if (between == 0 || adjectives || adverbials) g->governor = (int32_t)(k - 1);
      if (adjectives) g->gov_word = prev->last + 1; /* its meaning is in the adjective */
      else if (obj >= 0 && doc->phrases[obj].last + 1 == g->first) {
        g->governor = (int32_t)(k - 1);
        g->ctrl_object = obj;
        prev->object = obj;
      }
    }
    if (g->governor >= 0) {
      NgVerbGroup *gov = &doc->groups[g->governor];
      g->subject = g->ctrl_object >= 0 ? g->ctrl_object : gov->subject;
    } else if (g->flags & NG_VG_INFINITIVE) {
      /* an infinitive has no subject on its left ("pressure from Congress
       * to help Iran"), except in a headline ("Apple to lower prices") and
       * after "for" ("the reason for Cisco to file a lawsuit") */
      int32_t left = phrase_ending_at(doc, g->first > s->first ? g->first - 1 : s->first);
      bool headline = left >= 0 && doc->phrases[left].first == s->first;
      bool for_np = left >= 0 && doc->phrases[left].first > s->first &&
                    word_is(&tok[doc->phrases[left].first - 1], "for");
      g->subject = (headline || for_np) && g->first > s->first ? left : -1;
    } else if (after_reduced_relative(doc, s, first_group, k) >= 0) {
      /* "The civilians imprisoned for acting against Moscow were released" */
      g->subject = doc->groups[after_reduced_relative(doc, s, first_group, k)].subject;
    } else {
      g->subject = subject_left(doc, s, g->first, 0);
      /* "with at least 23,000 people killed": a participle after a noun
       * that "with" opens tells what was done to it (audit O: the dead
       * were the killers) */
      if (g->subject >= 0 && g->first == g->head && (tok[g->head].vform == NG_VF_VBN || tok[g->head].vform == NG_VF_VBD) &&
          doc->phrases[g->subject].last + 1 == g->first && doc->phrases[g->subject].first > s->first &&
          (word_is(&tok[doc->phrases[g->subject].first - 1], "with") ||
           word_is(&tok[doc->phrases[g->subject].first - 1], "without")))
        g->subject = -1;
      /* inverted attribution: "..., said Foreign Minister Lavrov" - an
       * actor after the verb, ending the clause; right after a closing
       * quotation mark ('"...," said Ken Mayland') the words on the left
       * are the quotation's, never the subject */
      bool after_quote = g->first > s->first && (tok[g->first - 1].flags & NG_TOK_QUOTE);
      if (after_quote && is_attribution(g)) g->subject = -1;
      /* ("The sale has destroyed Yukos, the Russian oil company, said
       * founder Mikhail Khodorkovsky": after a comma, "said" or "added"
       * with a named one that ends the sentence is inverted whatever stands
       * on the left - no one "said founder Mikhail Khodorkovsky"; audit V
       * gave Khodorkovsky's words to Yukos) */
      bool comma_before = g->first == g->head && g->first > s->first && is_punct(&tok[g->first - 1], ",");
      bool plain_saying = g->lemma && (!strcmp(g->lemma, "say") || !strcmp(g->lemma, "add"));
      if ((g->subject < 0 || (comma_before && plain_saying)) && is_attribution(g)) {
        int32_t after = object_right(doc, s, g->head);
        /* (a name the lexicon lacks too, when it ends the sentence: ", said TCI.") */
        bool named = after >= 0 && (doc->phrases[after].mention >= 0 ||
                                    (tok[doc->phrases[after].head].pos == NG_POS_PROPN && comma_before));
        if (named && ends_clause(doc, s, doc->phrases[after].last + 1) &&
            (g->subject < 0 || after_ends_sentence(doc, s, doc->phrases[after].last + 1)))
          g->subject = after;
      }
      /* coordinated verbs share the subject: "refused ... and expanded",
       * "sells ..., and more recently has begun to sell" */
      size_t left = g->first;
      while (left > s->first && (tok[left - 1].pos == NG_POS_ADV ||
                                 (word_is(&tok[left - 1], "more") && tok[left].pos == NG_POS_ADV)))
        left--;
      if (g->subject < 0 && left > s->first && (word_is(&tok[left - 1], "and") ||
          word_is(&tok[left - 1], "but") || is_punct(&tok[left - 1], ",")) && prev) {
        const NgVerbGroup *top = prev;
        while (top->governor >= 0) top = &doc->groups[top->governor];
        /* "claimed the assessment was positive but stressed that ...": a
         * second verb of saying joins the first, not the clause it reports */
        for (size_t j = k - 1; is_attribution(g) && !reports_clause(top) && j-- > first_group;)
          if (reports_clause(&doc->groups[j]) && doc->groups[j].subject >= 0) {
            top = &doc->groups[j];
            break;
          }
        g->subject = top->subject;
      }
    }
    if (g->object < 0 && !is_attribution(g)) g->object = object_right(doc, s, g->head);
    if (is_attribution(g) && g->object < 0) {
      int32_t o = object_right(doc, s, g->head); /* "told reporters" */
      if (o >= 0 && o != g->subject && tok[doc->phrases[o].head].pos != NG_POS_PRON) g->object = o;
    }
    (void)end;
  }
  /* "said voters had given him a mandate": a phrase right before a finite
   * verb that takes it as subject opens a clause; it is no object of the
   * verb before it. */
  for (size_t k = first_group; k + 1 < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    if (g->object < 0) continue;
    for (size_t m = k + 1; m < doc->ngroups; ++m) {
      const NgVerbGroup *h = &doc->groups[m];
      size_t opens = doc->phrases[g->object].last + 1; /* "said Mr Brown already had" */
      while (opens < h->first && tok[opens].pos == NG_POS_ADV) opens++;
      if (h->subject == g->object && h->first == opens &&
          !(h->flags & (NG_VG_INFINITIVE | NG_VG_GERUND | NG_VG_PARTICIPLE)) && h->ctrl_object < 0) {
        g->object = -1;
        break;
      }
    }
  }
  /* Verbs of saying report the clauses after them ("X said (that) ...")
   * or, at the end after a comma, the clauses before ("..., X said"). */
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    if (!reports_clause(g)) continue;
    bool trailing = g->subject >= 0 && doc->phrases[g->subject].first > s->first &&
                    is_punct(&tok[doc->phrases[g->subject].first - 1], ",");
    trailing = trailing || (g->first > s->first && is_punct(&tok[g->first - 1], ","));
    for (size_t m = first_group; m < doc->ngroups; ++m) {
      if (m == k) continue;
      NgVerbGroup *h = &doc->groups[m];
      if (h->attribution >= 0 || reports_clause(h)) continue;
      if ((m > k && !trailing) || (m < k && trailing)) h->attribution = (int32_t)k;
    }
  }
}

/* Prepositions after which an -ing form is something its clause's subject
 * did: "joined the campaign after rejecting overtures", "sought to halt the
 * auction by applying for bankruptcy", "while campaigning for his release".
 * Not "without paying", "instead of paying" or "before paying" (perhaps not
 * done), "of", "for" or
 * "to" ("plans for raising", "committed to cutting": not done yet). */
static bool adverbial_gerund_prep(const NgToken *t) {
  static const char *const preps[] = {"after", "by", "while", "since", "despite", "upon",
                                      "when", "through"};
  for (size_t i = 0; i < NG_COUNTOF(preps); ++i)
    if (word_is(t, preps[i])) return true;
  return false;
}

/* The group whose subject an adverbial -ing form shares: the clause it is
 * attached to, before it ("X joined after rejecting") or, when it opens
 * the sentence, after its comma ("After meeting Bush, Blair said").  Only a
 * clause that reports a done act lends it: under a modal, a future, a
 * negation or a wish ("wants to halt it by applying") the -ing act is not
 * done either, and is left without a subject (no event). */
static int32_t gerund_host(const NgDocument *doc, const NgSentence *s, size_t first_group, size_t k) {
  const NgToken *tok = doc->tokens;
  const NgVerbGroup *g = &doc->groups[k];
  int32_t host = -1;
  if (k > first_group) {
    host = (int32_t)(k - 1);
    for (size_t t = doc->groups[k - 1].last + 1; t + 1 < g->first; ++t)
      if (tok[t].pos == NG_POS_REL || tok[t].pos == NG_POS_SUBORD || (tok[t].flags & NG_TOK_QUOTE)) return -1;
  } else {
    size_t t = g->last + 1, end = s->first + s->count;
    while (t < end && !is_punct(&tok[t], ",")) t++;
    for (size_t m = k + 1; m < doc->ngroups && host < 0; ++m)
      if (doc->groups[m].first > t) host = (int32_t)m;
  }
  if (host < 0) return -1;
  const NgVerbGroup *h = &doc->groups[host];
  /* ("the easiest way was by allowing": a state lends no agent) */
  if (!h->lemma || !strcmp(h->lemma, "be") || !strcmp(h->lemma, "have") || !strcmp(h->lemma, "seem")) return -1;
  if (h->flags & (NG_VG_NEG | NG_VG_MODAL | NG_VG_FUTURE | NG_VG_GERUND)) return -1;
  if ((h->flags & NG_VG_INFINITIVE) && h->governor >= 0) {
    const char *gl = doc->groups[h->governor].lemma;
    if (!gl || (strcmp(gl, "try") && strcmp(gl, "seek") && strcmp(gl, "attempt"))) return -1;
  } else if (h->flags & NG_VG_INFINITIVE) {
    return -1;
  }
  return h->subject >= 0 ? host : -1;
}

/* "criticised the association for refusing to deselect", "was fined for
 * breaching": after a verb of judging someone, "for" + -ing is what that
 * someone did - the object of the verb, or its subject when passive. */
static int32_t judged_for(const NgDocument *doc, size_t first_group, size_t k) {
  static const char *const judging[] = {"criticise", "criticize", "blame", "praise", "thank", "attack",
                                        "condemn", "fine", "punish", "sack", "arrest", "jail", "reward",
                                        "congratulate", "rebuke", "censure", "ban", "suspend", "expel"};
  if (k == first_group) return -1;
  const NgVerbGroup *h = &doc->groups[k - 1];
  if (!h->lemma || (h->flags & NG_VG_NEG)) return -1;
  bool judges = false;
  for (size_t i = 0; i < NG_COUNTOF(judging) && !judges; ++i) judges = !strcmp(h->lemma, judging[i]);
  if (!judges) return -1;
  return (h->flags & NG_VG_PASSIVE) ? h->subject : h->object;
}

static void assign_gerund_subjects(NgDocument *doc, const NgSentence *s, size_t first_group) {
  const NgToken *tok = doc->tokens;
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    if (!(g->flags & NG_VG_GERUND) || g->subject >= 0 || g->first <= s->first) continue;
    const NgToken *prep = &tok[g->first - 1];
    if (prep->pos != NG_POS_PREP && prep->pos != NG_POS_SUBORD) continue;
    if (word_is(prep, "for")) {
      g->subject = judged_for(doc, first_group, k);
      continue;
    }
    if (!adverbial_gerund_prep(prep)) continue;
    int32_t host = gerund_host(doc, s, first_group, k);
    if (host >= 0) g->subject = doc->groups[host].subject;
  }
  /* "The merger, backed by Russian authorities, ...": the noun before the
   * comma is what the participle describes */
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    if (!(g->flags & NG_VG_PARTICIPLE) || g->subject >= 0 || g->first < s->first + 2) continue;
    if (!is_punct(&tok[g->first - 1], ",") || tok[g->first].vform != NG_VF_VBN) continue;
    g->subject = phrase_ending_at(doc, g->first - 2);
  }
}

/* "according to X" reports what X says, as "X said" would: the words are
 * read as a verb of saying ("says") whose subject is the phrase after "to"
 * and which the sentence's main clauses are attributed to ("The offer is
 * worth 25 cents a dollar, according to the creditors"). */
static bool according_to(const NgToken *tok, size_t i, size_t end) {
  return i + 2 < end && word_is(&tok[i], "according") && word_is(&tok[i + 1], "to") &&
         tok[i + 2].pos != NG_POS_PRON;
}

static void tag_according(NgDocument *doc, const NgSentence *s) {
  NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i)
    if (according_to(tok, i, end)) make_verb(&tok[i], NG_VF_VBZ, "say");
}

static void attribute_to_according(NgDocument *doc, const NgSentence *s, size_t first_group) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    NgVerbGroup *g = &doc->groups[k];
    if (!according_to(tok, g->head, end)) continue;
    int32_t q = tok[g->head + 2].np;
    g->subject = q >= 0 && doc->phrases[q].first == g->head + 2 ? q : -1;
    g->object = g->ctrl_object = g->governor = -1;
    g->flags &= ~(uint32_t)(NG_VG_GERUND | NG_VG_PARTICIPLE | NG_VG_PASSIVE);
    g->last = g->head + 1;
    for (size_t j = first_group; j < doc->ngroups; ++j) {
      NgVerbGroup *h = &doc->groups[j];
      if (j != k && h->governor < 0 && h->attribution < 0 && !(h->verb && h->verb->attribution))
        h->attribution = (int32_t)k;
    }
  }
}

NgStatus ng_analyse_clauses(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  tag_static(doc, s);
  tag_verbs(doc, s);
  tag_according(doc, s);
  size_t first_phrase = doc->nphrases, first_group = doc->ngroups;
  NgStatus st = chunk_phrases(doc, s);
  if (st) return st;
  link_conjuncts(doc, first_phrase);
  if ((st = build_groups(doc, s, first_group))) return st;
  assign_roles(doc, s, first_group);
  assign_gerund_subjects(doc, s, first_group);
  attribute_to_according(doc, s, first_group);
  return NG_SUCCESS;
}

int32_t ng_passive_agent(const NgDocument *doc, size_t sentence, size_t head) {
  return passive_agent(doc, &doc->sents[sentence], head);
}
