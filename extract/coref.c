/* coref.c - coreference within an article.
 *
 * Pronouns (he, she, it, they) take the most recent compatible actor,
 * preferring subjects: a person for he/she, a singular organisation or
 * country for it, a plural or compound actor for they.  Definite
 * descriptions ("the company", "the bloc", "the government") take the last
 * actor of their kind from an earlier sentence.  Names introduced with a
 * title ("Defence Minister Pierre Joxe") are found again by surname
 * ("Joxe"), and acronyms given in brackets ("... Cooperation (APEC)") by the
 * acronym.  Resolved mentions carry the antecedent's actor at a lower
 * confidence. */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

static bool word_is(const NgToken *t, const char *w) { return !strcmp(t->norm, w); }

/* The most recent mention before sentence s (or in it, before token
 * limit) that fits. */
typedef bool (*Fits)(const NgDocument *doc, const NgMention *m);

static bool fits_person(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->person && !m->plural;
}

static bool fits_it(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return !m->person && !m->plural && m->kind != NG_KIND_NONE &&
         (m->kind == NG_KIND_COUNTRY || m->kind == NG_KIND_IGO || m->kind == NG_KIND_NGO ||
          m->kind == NG_KIND_COMPANY || m->kind == NG_KIND_GROUP || m->kind == NG_KIND_PARTY ||
          m->kind == NG_KIND_MEDIA || (m->kind == NG_KIND_ROLE && m->code[0] && !m->plural) ||
          m->kind == NG_KIND_OTHER);
}

static bool fits_they(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->plural || m->kind == NG_KIND_GROUP || m->kind == NG_KIND_COMPANY;
}

static bool fits_company(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_COMPANY || m->kind == NG_KIND_OTHER;
}

static bool fits_org(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_IGO || m->kind == NG_KIND_NGO || m->kind == NG_KIND_GROUP;
}

static bool fits_country(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_COUNTRY || (m->entry && m->entry->kind == NG_KIND_COUNTRY);
}

/* Subjects are preferred: a mention that heads a subject phrase of a
 * recent verb group wins over a more recent object. */
/* Antecedents are recent: looking at no more than this many verb groups
 * and mentions back keeps text with many pronouns and no actor to fit them
 * ("He said \"He said ...") linear instead of quadratic. */
#define NG_COREF_WINDOW 1000

static int32_t find_antecedent(const NgDocument *doc, size_t before_token, Fits fits, size_t min_token) {
  int32_t best = -1;
  size_t floor = doc->ngroups > NG_COREF_WINDOW ? doc->ngroups - NG_COREF_WINDOW : 0;
  for (size_t k = doc->ngroups; k-- > floor;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->subject < 0) continue;
    const NgPhrase *p = &doc->phrases[g->subject];
    if (p->last >= before_token || p->first < min_token) continue;
    if (p->mention >= 0 && fits(doc, &doc->mentions[p->mention])) {
      best = p->mention;
      break;
    }
  }
  floor = doc->nmentions > NG_COREF_WINDOW ? doc->nmentions - NG_COREF_WINDOW : 0;
  for (size_t i = doc->nmentions; i-- > floor;) {
    const NgMention *m = &doc->mentions[i];
    if (m->first + m->count > before_token || m->first < min_token) continue;
    if (!fits(doc, m)) continue;
    if (best < 0) return (int32_t)i;
    /* an object far more recent than the subject still loses */
    return best;
  }
  return best;
}

static NgStatus resolve_to(NgDocument *doc, NgPhrase *p, int32_t antecedent, float confidence) {
  const NgMention *a = &doc->mentions[antecedent];
  /* copy first: adding may move the array */
  NgMention copy = *a;
  NgMention *m = ng_doc_add_mention(doc);
  if (!m) return NG_ERR_NOMEM;
  *m = copy;
  m->first = p->first;
  m->count = p->last - p->first + 1;
  m->pronoun = true;
  m->antecedent = copy.antecedent >= 0 ? copy.antecedent : antecedent;
  m->confidence = copy.confidence * confidence;
  p->mention = (int32_t)(m - doc->mentions);
  return NG_SUCCESS;
}

/* "Obama and Putin said they will ...": they are the conjuncts of the most
 * recent compound subject.  The pronoun phrase becomes the first member and
 * new phrases over the same token carry the others. */
static NgStatus resolve_to_compound(NgDocument *doc, int32_t pi, size_t before) {
  size_t floor = doc->ngroups > NG_COREF_WINDOW ? doc->ngroups - NG_COREF_WINDOW : 0;
  for (size_t k = doc->ngroups; k-- > floor;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->subject < 0 || doc->phrases[g->subject].last >= before) continue;
    if (doc->phrases[g->subject].coord_next < 0) return NG_SUCCESS; /* the latest subject is simple */
    int32_t members[8];
    size_t n = 0;
    for (int32_t q = g->subject; q >= 0 && n < 8; q = doc->phrases[q].coord_next)
      if (doc->phrases[q].mention >= 0) members[n++] = doc->phrases[q].mention;
    int32_t prev = -1;
    for (size_t i = 0; i < n; ++i) {
      int32_t target = pi;
      if (i > 0) {
        NgPhrase *copy = ng_doc_add_phrase(doc);
        if (!copy) return NG_ERR_NOMEM;
        *copy = doc->phrases[pi];
        copy->coord_next = -1;
        target = (int32_t)(copy - doc->phrases);
        doc->phrases[prev].coord_next = target;
      }
      NgStatus st = resolve_to(doc, &doc->phrases[target], members[i], 0.8f);
      if (st) return st;
      prev = target;
    }
    return NG_SUCCESS;
  }
  return NG_SUCCESS;
}

static NgStatus resolve_pronoun(NgDocument *doc, NgPhrase *p) {
  const NgToken *t = &doc->tokens[p->head];
  if (word_is(t, "they") || word_is(t, "them")) {
    int32_t pi = (int32_t)(p - doc->phrases);
    NgStatus st = resolve_to_compound(doc, pi, p->first);
    if (st || doc->phrases[pi].mention >= 0) return st;
    p = &doc->phrases[pi];
  }
  Fits fits = NULL;
  if (word_is(t, "he") || word_is(t, "him") || word_is(t, "she") || word_is(t, "her")) fits = fits_person;
  else if (word_is(t, "it")) fits = fits_it;
  else if (word_is(t, "they") || word_is(t, "them")) fits = fits_they;
  if (!fits) return NG_SUCCESS;
  int32_t a = find_antecedent(doc, p->first, fits, 0);
  if (a < 0 && fits == fits_they) a = find_antecedent(doc, p->first, fits_it, 0);
  return a >= 0 ? resolve_to(doc, p, a, 0.8f) : NG_SUCCESS;
}

/* "the company", "the bloc", "the government": earlier sentences only. */
static NgStatus resolve_definite(NgDocument *doc, NgPhrase *p, size_t sentence_first) {
  const NgToken *tok = doc->tokens;
  if (p->last != p->first + 1 || !word_is(&tok[p->first], "the")) return NG_SUCCESS;
  const NgToken *h = &tok[p->last];
  Fits fits = NULL;
  if (word_is(h, "company") || word_is(h, "firm") || word_is(h, "group")) fits = fits_company;
  else if (word_is(h, "bloc") || word_is(h, "alliance") || word_is(h, "organisation") ||
           word_is(h, "organization") || word_is(h, "agency"))
    fits = fits_org;
  else if (word_is(h, "country") || word_is(h, "nation")) fits = fits_country;
  if (fits) {
    int32_t a = find_antecedent(doc, sentence_first, fits, 0);
    return a >= 0 ? resolve_to(doc, p, a, 0.85f) : NG_SUCCESS;
  }
  /* a bare role ("the government") belongs to the country last named */
  if (p->mention >= 0 && doc->mentions[p->mention].kind == NG_KIND_ROLE &&
      strlen(doc->mentions[p->mention].code) == 3) {
    int32_t c = find_antecedent(doc, sentence_first, fits_country, 0);
    if (c < 0) return NG_SUCCESS;
    NgMention *m = &doc->mentions[p->mention];
    const NgMention *country = &doc->mentions[c];
    const char *role = m->code;
    m->code = ng_arena_printf(&doc->arena, "%.3s%s", country->code, role);
    m->label = ng_arena_printf(&doc->arena, "%s %s", country->entry ? country->entry->label : country->label,
                               m->label);
    m->key = ng_arena_printf(&doc->arena, "%s-%c%c%c", country->entry ? country->entry->key : country->key,
                             role[0] + 32, role[1] + 32, role[2] + 32);
    m->confidence *= 0.85f;
    if (!m->code || !m->label || !m->key) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* A proper name without mention that repeats the last word of an earlier
 * titled person, or an acronym given in brackets earlier. */
static NgStatus resolve_alias(NgDocument *doc, NgPhrase *p) {
  const NgToken *tok = doc->tokens;
  if (p->first != p->last || tok[p->head].pos != NG_POS_PROPN) return NG_SUCCESS;
  const NgToken *h = &tok[p->head];
  size_t floor = doc->nmentions > 200 ? doc->nmentions - 200 : 0; /* recent names only */
  for (size_t i = doc->nmentions; i-- > floor;) {
    const NgMention *m = &doc->mentions[i];
    if (m->first >= p->first || m->pronoun || !m->count) continue;
    const NgToken *last = &tok[m->first + m->count - 1];
    bool surname = m->person && last->norm_len == h->norm_len && !strcmp(last->norm, h->norm);
    /* "X Y Z (XYZ)": the acronym right after the mention */
    bool acronym = m->first + m->count + 2 < doc->ntokens &&
                   !strcmp(tok[m->first + m->count].norm, "(") &&
                   !strcmp(tok[m->first + m->count + 1].norm, h->norm) &&
                   !strcmp(tok[m->first + m->count + 2].norm, ")");
    if (surname || acronym) return resolve_to(doc, p, (int32_t)i, 0.95f);
  }
  return NG_SUCCESS;
}

/* "their forces", "its ambassador": a role whose possessive pronoun names
 * the actor it belongs to ("Bosnian Serbs said their forces ..." -> BIHMIL). */
static NgStatus resolve_possessor(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  const NgToken *poss = &doc->tokens[p->first];
  if (poss->pos != NG_POS_POSS || p->mention < 0) return NG_SUCCESS;
  const NgMention *role = &doc->mentions[p->mention];
  if (role->kind != NG_KIND_ROLE || strlen(role->code) != 3) return NG_SUCCESS;
  Fits fits = word_is(poss, "their") ? fits_they : word_is(poss, "its") ? fits_it : fits_person;
  int32_t a = find_antecedent(doc, p->first, fits, 0);
  if (a < 0 && fits == fits_they) a = find_antecedent(doc, p->first, fits_it, 0);
  if (a < 0) return NG_SUCCESS;
  const NgMention *owner = &doc->mentions[a];
  const NgActorEntry *country = ng_lexicon_country(doc->lex, owner->code);
  if (!country || strlen(owner->code) < 3 || !strncmp(owner->code, "IGO", 3)) return NG_SUCCESS;
  NgMention copy = *role;
  copy.code = ng_arena_printf(&doc->arena, "%.3s%s", country->code, role->code);
  copy.label = ng_arena_printf(&doc->arena, "%s %s", country->label, role->label);
  copy.key = ng_arena_printf(&doc->arena, "%s-%s", country->key, role->key);
  copy.entry = country;
  copy.confidence = role->confidence * 0.8f;
  copy.pronoun = true;
  copy.antecedent = a;
  if (!copy.code || !copy.label || !copy.key) return NG_ERR_NOMEM;
  NgMention *m = ng_doc_add_mention(doc);
  if (!m) return NG_ERR_NOMEM;
  *m = copy;
  doc->phrases[pi].mention = (int32_t)(m - doc->mentions);
  return NG_SUCCESS;
}

/* "Salaheddine Sidhoum, Algeria's leading human rights activist, ...": a
 * name the lexicon does not know takes the actor of the apposition that
 * follows it between commas. */
static NgStatus resolve_apposition(NgDocument *doc, int32_t pi, size_t sentence_end) {
  const NgPhrase *p = &doc->phrases[pi];
  const NgToken *tok = doc->tokens;
  if (p->mention >= 0 || tok[p->head].pos != NG_POS_PROPN || p->last + 3 >= sentence_end) return NG_SUCCESS;
  if (strcmp(tok[p->last + 1].norm, ",")) return NG_SUCCESS;
  int32_t q = tok[p->last + 2].np;
  if (q < 0 || doc->phrases[q].first != p->last + 2 || doc->phrases[q].mention < 0) return NG_SUCCESS;
  const NgPhrase *ap = &doc->phrases[q];
  if (ap->last + 1 >= sentence_end || strcmp(tok[ap->last + 1].norm, ",")) return NG_SUCCESS;
  const NgMention *m = &doc->mentions[ap->mention];
  /* a role ("Algeria's leading activist"), not a place ("Cupertino, California") */
  if (!m->code[0] || m->kind != NG_KIND_ROLE) return NG_SUCCESS;
  NgMention copy = *m;
  copy.first = p->first;
  copy.count = p->last - p->first + 1;
  copy.label = ng_doc_span_text(doc, p->first, p->last); /* the person, in the role of the apposition */
  copy.key = copy.label ? ng_arena_slug(&doc->arena, copy.label, strlen(copy.label)) : NULL;
  copy.person = true;
  copy.kind = NG_KIND_PERSON;
  copy.confidence = m->confidence * 0.9f;
  if (!copy.label || !copy.key) return NG_ERR_NOMEM;
  NgMention *n = ng_doc_add_mention(doc);
  if (!n) return NG_ERR_NOMEM;
  *n = copy;
  doc->phrases[pi].mention = (int32_t)(n - doc->mentions);
  return NG_SUCCESS;
}

NgStatus ng_resolve_coreference(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  NgStatus st = NG_SUCCESS;
  for (size_t t = s->first; t < s->first + s->count && !st; ++t) {
    int32_t np = doc->tokens[t].np;
    if (np < 0 || doc->phrases[np].first != t) continue;
    /* resolving may add phrases (and move the array): index, don't hold */
    if (doc->phrases[np].pronoun) st = resolve_pronoun(doc, &doc->phrases[np]);
    else if (doc->phrases[np].mention < 0) st = resolve_alias(doc, &doc->phrases[np]);
    if (!st) st = resolve_definite(doc, &doc->phrases[np], s->first);
    if (!st) st = resolve_possessor(doc, np);
    if (!st) st = resolve_apposition(doc, np, s->first + s->count);
  }
  return st;
}
