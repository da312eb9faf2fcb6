/* coref.c - coreference within an article.
 *
 * Pronouns take the most salient compatible referent of the sentences just
 * before them (within the paragraph and the one before it): the subject of
 * the nearest sentence before an object, a closer sentence before a farther
 * one.  Compatible: he/she a single person not known to be of the other
 * gender (titles, given names and person nouns of gender.txt, and what
 * earlier pronouns said of the person); it a single organisation, country
 * or thing; they a plural, a compound subject or a group.  The referent may
 * be a thing ("The bill ... it"): then the pronoun stays unresolved, and so
 * it does when no referent fits - no guess.  "He said" looks for the last
 * speaker first (the subject of a verb of saying).  First-person pronouns
 * inside quotation marks are the quote's speaker: the subject of the verb of
 * saying that introduces or closes it, or, for a quote that goes on over
 * sentences, of the one before; outside quotes they stay unresolved.
 * Definite descriptions ("the company", "the bloc", "the government", "the
 * ambassador") take the last actor of their kind from an earlier sentence.
 * Names introduced with a title ("Defence Minister Pierre Joxe") are found
 * again by surname ("Joxe"), and acronyms given in brackets ("...
 * Cooperation (APEC)") by the acronym.  Resolved mentions carry the
 * antecedent's actor at a lower confidence. */
#include "pipeline.h"

#include <stdlib.h>
#include <ctype.h>
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

/* (not the media: business articles name them as their sources - "the
 * company" after "told the Financial Times" is not the newspaper) */
static bool fits_company(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_COMPANY || m->kind == NG_KIND_OTHER;
}

static bool fits_named_company(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_COMPANY && !m->pronoun;
}

/* "the bank": a body with "Bank" in its name, central banks too ("the Bank
 * of England ... the bank said": audit P), or a company. */
static bool fits_bank(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  if (m->kind == NG_KIND_PERSON || m->kind == NG_KIND_COUNTRY || !m->label) return false;
  for (const char *b = strstr(m->label, "Bank"); b; b = strstr(b + 1, "Bank"))
    if ((b == m->label || b[-1] == ' ') && (!b[4] || b[4] == ' ')) return true;
  return false;
}

static bool fits_org(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_IGO || m->kind == NG_KIND_NGO || m->kind == NG_KIND_GROUP;
}

static bool fits_party(const NgDocument *doc, const NgMention *m) {
  (void)doc;
  return m->kind == NG_KIND_PARTY || (m->entry && m->entry->kind == NG_KIND_PARTY);
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

/* The company the article is about so far: of the named companies before
 * before_token, the one named most often (at least three times and more
 * than any other, and in the headline or lead), at its last mention; else
 * -1.  "the company", "the firm" in a story about Qantas that names its
 * rival Virgin Blue in passing is Qantas (audit AB: three rows of
 * TimeWarner went to Google, two of Qantas to Virgin Blue - the company
 * named last). */
static int32_t article_company(const NgDocument *doc, size_t before_token) {
  enum { MAX_KEYS = 32 };
  const char *keys[MAX_KEYS];
  unsigned counts[MAX_KEYS];
  int32_t last[MAX_KEYS];
  bool in_lead[MAX_KEYS];
  size_t nkeys = 0;
  /* (the article's own: named in its headline or lead, its first two
   * sentences - "A spokesman for the firm" in a story about Rank is not
   * Goldman Sachs, its adviser named three times) */
  const NgSentence *lead = doc->nsents ? &doc->sents[doc->nsents > 1 ? 1 : 0] : NULL;
  size_t lead_end = lead ? lead->first + lead->count : 0;
  size_t floor = doc->nmentions > NG_COREF_WINDOW ? doc->nmentions - NG_COREF_WINDOW : 0;
  for (size_t i = floor; i < doc->nmentions; ++i) {
    const NgMention *m = &doc->mentions[i];
    if (m->first + m->count > before_token || m->kind != NG_KIND_COMPANY || !m->key || !m->key[0]) continue;
    size_t k = 0;
    while (k < nkeys && strcmp(keys[k], m->key)) k++;
    if (k == nkeys) {
      if (nkeys == MAX_KEYS) continue;
      keys[nkeys] = m->key;
      in_lead[nkeys] = false;
      counts[nkeys++] = 0;
    }
    counts[k]++;
    if (m->first < lead_end) in_lead[k] = true;
    if (!m->pronoun) last[k] = (int32_t)i;
    else if (counts[k] == 1) last[k] = -1;
  }
  size_t best = SIZE_MAX;
  bool tie = false;
  for (size_t k = 0; k < nkeys; ++k) {
    if (best == SIZE_MAX || counts[k] > counts[best]) {
      best = k;
      tie = false;
    } else if (counts[k] == counts[best]) {
      tie = true;
    }
  }
  if (best == SIZE_MAX || tie || counts[best] < 3 || !in_lead[best]) return -1;
  return last[best];
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

/* -------------------------------------------------------- salience */

/* A code of a role alone, no country: "LEG", "GOV". */
static bool role_only_code(const char *code) { return code[0] && strlen(code) <= 3; }

typedef enum { WANT_MALE, WANT_FEMALE, WANT_IT, WANT_THEY } Want;

/* The sentence holding token t. */
static size_t sentence_of(const NgDocument *doc, size_t t) {
  size_t lo = 0, hi = doc->nsents;
  while (lo + 1 < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (doc->sents[mid].first <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* The gender a mention's words say: a title or given name at its start or
 * just before it ("Mr Blunkett", "Margaret Thatcher"), a noun for a person
 * ("the spokeswoman"), or what an earlier pronoun said of it. */
static NgGender gender_of(NgDocument *doc, int32_t mi) {
  NgMention *m = &doc->mentions[mi];
  if (m->antecedent >= 0) m = &doc->mentions[m->antecedent];
  if (m->gender) return (NgGender)m->gender;
  size_t from = m->first > 0 ? m->first - 1 : 0;
  for (size_t t = from; t < m->first + m->count && t < doc->ntokens; ++t) {
    const NgVocab *v = doc->tokens[t].vocab;
    /* (the word before counts only as a title, capitalised) */
    if (t < m->first && !(doc->tokens[t].flags & NG_TOK_CAP)) continue;
    if (v && v->gender) return (NgGender)(m->gender = v->gender);
  }
  if (m->entry && m->entry->label) { /* a lexicon person: the label's given name */
    char norm[64];
    size_t n = strcspn(m->entry->label, " ");
    if (n * 2 + 8 <= sizeof norm) {
      size_t nl = ng_normalize_word(m->entry->label, n, norm);
      const NgVocab *v = ng_lexicon_word(doc->lex, norm, nl);
      if (v && v->gender) return (NgGender)(m->gender = v->gender);
    }
  }
  return NG_GENDER_UNKNOWN;
}

static bool is_organisation(const NgMention *m) {
  return m->kind == NG_KIND_COUNTRY || m->kind == NG_KIND_IGO || m->kind == NG_KIND_NGO ||
         m->kind == NG_KIND_COMPANY || m->kind == NG_KIND_GROUP || m->kind == NG_KIND_PARTY ||
         m->kind == NG_KIND_MEDIA || (m->kind == NG_KIND_ROLE && !m->person);
}

/* What a phrase can be the antecedent of: a person (he, she), a single
 * organisation or thing (it), plural (they). */
typedef struct {
  bool person, thing_or_org, plural, can_act;
  NgGender gender;
} Referent;

/* A noun for a person ("spokesman", "banker"), not a verb that has such a
 * noun as a rare reading ("Tell us about it": William Tell). */
static bool person_noun(const NgToken *t) {
  return t->vocab && (t->vocab->wf & NG_WF_AGENT) && t->vocab->nclass == NG_NC_PERSON &&
         t->vocab->nfreq >= t->vocab->vfreq;
}

/* An apposition right after the phrase whose head is a person noun:
 * "Stephen Schechter, a UK investment banker". */
static bool person_apposition(const NgDocument *doc, const NgPhrase *p) {
  size_t t = p->last + 1;
  if (t + 1 >= doc->ntokens || strcmp(doc->tokens[t].norm, ",")) return false;
  int32_t q = doc->tokens[t + 1].np;
  if (q < 0 || doc->phrases[q].first != t + 1 || doc->phrases[q].pronoun) return false;
  return person_noun(&doc->tokens[doc->phrases[q].head]);
}

static bool head_has_person_cue(const NgDocument *doc, const NgPhrase *p) {
  for (size_t t = p->first > 0 ? p->first - 1 : 0; t <= p->last; ++t) {
    const NgVocab *v = doc->tokens[t].vocab;
    if (v && v->gender && (t >= p->first || (doc->tokens[t].flags & NG_TOK_CAP))) return true;
  }
  const NgToken *h = &doc->tokens[p->head];
  /* (a name is no noun for a person, whatever WordNet says of "Tell") */
  if (h->pos != NG_POS_PROPN) return person_noun(h);
  /* a name after a noun for a person ("Fund manager Florian Hamm", "Chief
   * executive Gerd Niebaum") or before one in apposition */
  /* (not an adjective that WordNet also lists as a person: "The National
   * Audit Office") */
  for (size_t t = p->first; t < p->head; ++t) {
    const NgToken *u = &doc->tokens[t];
    if (person_noun(u) && u->vocab->afreq <= u->vocab->nfreq && doc->tokens[t + 1].pos == NG_POS_PROPN)
      return true;
  }
  return person_apposition(doc, p);
}

static Referent referent_of(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  const NgToken *h = &doc->tokens[p->head];
  Referent r = {false, false, p->plural, false, NG_GENDER_UNKNOWN};
  bool head_in_mention = p->mention >= 0 && p->head >= doc->mentions[p->mention].first &&
                         p->head < doc->mentions[p->mention].first + doc->mentions[p->mention].count;
  if (p->mention >= 0 && !head_in_mention && !p->pronoun && head_has_person_cue(doc, p)) {
    /* "A Federal Reserve spokesman": a person of the actor it names */
    r.can_act = r.person = true;
    r.gender = gender_of(doc, p->mention);
    return r;
  }
  if (p->mention >= 0 && !head_in_mention && !p->pronoun && h->pos != NG_POS_PROPN) {
    /* "consumer spending", "Russia's stance": a thing of the actor named
     * in it, not the actor - no "he", and "it" only as a thing */
    r.thing_or_org = !(h->flags & (NG_TOK_DIGIT | NG_TOK_TIMEX));
    return r;
  }
  if (p->mention >= 0) {
    const NgMention *m = &doc->mentions[p->mention];
    const NgMention *root = m->antecedent >= 0 ? &doc->mentions[m->antecedent] : m;
    r.can_act = true;
    r.plural = m->plural || root->plural;
    r.person = root->person || root->kind == NG_KIND_PERSON || (m->kind == NG_KIND_ROLE && m->person);
    /* "more than 30,000 people": a plural without -s, never "it" */
    if (word_is(h, "people")) r.person = r.plural = true;
    r.thing_or_org = !r.person && (is_organisation(root) || root->kind == NG_KIND_OTHER);
    /* a role word alone ("the minister", "officials") is a person */
    if (m->kind == NG_KIND_ROLE && !m->plural && head_has_person_cue(doc, p)) r.person = true;
    if (r.person) r.gender = gender_of(doc, p->mention);
    return r;
  }
  if (p->pronoun) return r; /* an unresolved pronoun stands for nothing known */
  if (h->pos == NG_POS_PROPN) { /* a name the lexicon does not know */
    r.can_act = true;
    r.person = head_has_person_cue(doc, p);
    r.thing_or_org = !r.person;
  } else if (h->vocab && (h->vocab->wf & NG_WF_AGENT) && h->vocab->nfreq >= h->vocab->vfreq) {
    /* "the spokesman", "the company" */
    r.can_act = true;
    r.person = h->vocab->nclass == NG_NC_PERSON;
    r.thing_or_org = !r.person;
  } else {
    r.thing_or_org = !(h->flags & (NG_TOK_DIGIT | NG_TOK_TIMEX)); /* "the bill" */
  }
  if (r.person) {
    for (size_t t = p->first > 0 ? p->first - 1 : 0; t <= p->last; ++t) {
      const NgVocab *v = doc->tokens[t].vocab;
      if (v && v->gender && (t >= p->first || (doc->tokens[t].flags & NG_TOK_CAP))) r.gender = v->gender;
    }
  }
  return r;
}

/* The head of a phrase is a word for a group or a place ("the House Budget
 * Committee", "the Bank"): never "he" or "she", whatever the names in it. */
static bool head_is_group(const NgDocument *doc, int32_t pi) {
  const NgToken *h = &doc->tokens[doc->phrases[pi].head];
  return h->vocab && (h->vocab->nclass == NG_NC_GROUP || h->vocab->nclass == NG_NC_LOCATION) &&
         !(h->vocab->wf & NG_WF_AGENT && h->vocab->nclass == NG_NC_PERSON) && h->vocab->nfreq > 0 &&
         !h->vocab->gender;
}

static bool fits_want(const Referent *r, Want w) {
  switch (w) {
  case WANT_MALE: return r->person && !r->plural && r->gender != NG_GENDER_FEMALE;
  case WANT_FEMALE: return r->person && !r->plural && r->gender != NG_GENDER_MALE;
  case WANT_IT: return r->thing_or_org && !r->plural && !r->person;
  case WANT_THEY: return r->plural || (r->thing_or_org && r->can_act);
  }
  return false;
}

/* Roles of the phrases of recent verb groups: subject, speaker. */
enum { ROLE_SUBJECT = 1, ROLE_SPEAKER = 2 };

static unsigned phrase_roles(const NgDocument *doc, int32_t pi, size_t first_group) {
  unsigned roles = 0;
  /* "According to Pat Ferguson, President of AMBO, work will begin in 2005" */
  size_t f = doc->phrases[pi].first;
  if (f >= 2 && word_is(&doc->tokens[f - 1], "to") && word_is(&doc->tokens[f - 2], "according"))
    return ROLE_SUBJECT | ROLE_SPEAKER;
  for (size_t k = first_group; k < doc->ngroups; ++k) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->subject != pi) continue;
    /* ("picture Tony Blair doing it": the subject of an -ing form or a
     * participle is no clause's topic) */
    if (g->flags & (NG_VG_GERUND | NG_VG_PARTICIPLE)) continue;
    roles |= ROLE_SUBJECT;
    if (g->verb && g->verb->attribution) roles |= ROLE_SPEAKER;
  }
  return roles;
}

/* Sentences a pronoun may look back over: its own and the two before it,
 * not past the paragraph before its own. */
#define NG_COREF_SENTENCES 3

static size_t window_start(const NgDocument *doc, size_t si) {
  size_t first = si >= NG_COREF_SENTENCES - 1 ? si - (NG_COREF_SENTENCES - 1) : 0;
  size_t paras = 0;
  for (size_t k = si; k > first; --k)
    if ((doc->tokens[doc->sents[k].first].flags & NG_TOK_PARA) && ++paras > 1) return k;
  return first;
}

/* The most salient phrase before token `before` that fits: the nearest
 * sentence first; in it a subject (a speaker first when speakers_first),
 * then the nearest other phrase.  -1 if none, or if the most salient one is
 * no actor ("the bill ... it"). */
/* The nearest speaker (subject of a verb of saying) before token `before`
 * in the sentences from `from` that fits, -1 if none. */
static int32_t last_speaker(NgDocument *doc, size_t from, size_t before, Want want, size_t first_group,
                            int32_t not_this) {
  for (size_t t = before; t-- > doc->sents[from].first;) {
    int32_t pi = doc->tokens[t].np;
    if (pi < 0 || pi == not_this || doc->phrases[pi].first != t || doc->phrases[pi].last >= before) continue;
    if (!(phrase_roles(doc, pi, first_group) & ROLE_SPEAKER)) continue;
    Referent r = referent_of(doc, pi);
    if (fits_want(&r, want) && r.can_act) return pi;
  }
  return -1;
}

/* Is token t inside a quotation that opened in its sentence (an odd number
 * of quotation marks before it)? */
static bool quoted_in_sentence(const NgDocument *doc, const NgSentence *s, size_t t) {
  unsigned marks = 0;
  for (size_t i = s->first; i < t; ++i) marks += (doc->tokens[i].flags & NG_TOK_QUOTE) != 0;
  return marks % 2 == 1;
}

/* Is token t inside the quotation that opens sentence s?  (A sentence may
 * also close a quotation opened before it, so counting marks from its start
 * cannot tell the words after the closing mark from quoted ones.) */
static bool opening_quotation(const NgDocument *doc, const NgSentence *s, size_t t) {
  if (!(doc->tokens[s->first].flags & NG_TOK_QUOTE)) return false;
  for (size_t i = s->first + 1; i < t; ++i)
    if (doc->tokens[i].flags & NG_TOK_QUOTE) return false;
  return t > s->first;
}

static int32_t most_salient(NgDocument *doc, size_t before, Want want, bool speakers_first, int32_t not_this) {
  size_t si = sentence_of(doc, before), from = window_start(doc, si);
  size_t first_group = doc->ngroups;
  while (first_group > 0 && doc->groups[first_group - 1].head >= doc->sents[from].first) first_group--;
  /* "he said": the last one quoted in this sentence or the one before, if
   * one fits; further back, the subject of the sentence before outranks an
   * older speaker ('Mr Blair said ... Dr Fox accused Mr Blair of telling
   * lies. "...," he told BBC News': Dr Fox) */
  int32_t older_speaker = -2; /* -2: not looked for yet */
  if (speakers_first) {
    size_t near = si > from ? si - 1 : from;
    int32_t speaker = last_speaker(doc, near, before, want, first_group, not_this);
    if (speaker >= 0) return speaker;
  }
  /* "And Tony Blair would be in the front line, he said": the names before
   * a trailing "he said" are what is said, never the speaker */
  bool trailing = speakers_first && before > doc->sents[si].first && !strcmp(doc->tokens[before - 1].norm, ",");
  for (size_t k = si + 1; k-- > from;) {
    const NgSentence *s = &doc->sents[k];
    int32_t best = -1, best_score = -1;
    if (trailing && k == si) continue;
    for (size_t t = s->first; t < s->first + s->count && t < before; ++t) {
      int32_t pi = doc->tokens[t].np;
      if (pi < 0 || pi == not_this || doc->phrases[pi].first != t || doc->phrases[pi].last >= before) continue;
      /* '"... weigh on consumer spending," he said': the speaker is never
       * someone inside his own quotation */
      if (speakers_first && k == si && quoted_in_sentence(doc, s, t)) continue;
      /* nor someone named only inside an earlier quotation, nor no one
       * ('"No other minister or official was involved." He suggested':
       * audit O gave it to the minister, that is to the government) */
      if (speakers_first && k < si && opening_quotation(doc, s, t)) continue;
      if (!strcmp(doc->tokens[t].norm, "no") || !strcmp(doc->tokens[t].norm, "none")) continue;
      Referent r = referent_of(doc, pi);
      if (!fits_want(&r, want)) continue;
      if ((want == WANT_MALE || want == WANT_FEMALE) && head_is_group(doc, pi)) continue;
      if (speakers_first && !r.can_act) continue; /* "The Rosneft announcement came after Yukos ..." */
      unsigned roles = phrase_roles(doc, pi, first_group);
      /* the one who speaks outranks the subjects of what is said, for any
       * pronoun ("The National Audit Office said ... the EU still had no
       * common definition. It also expressed concern": the NAO) */
      int32_t score = (roles & ROLE_SPEAKER) ? 3 : (roles & ROLE_SUBJECT) ? 2 : 1;
      /* later ones win ties: nearer; but the one who speaks is the
       * sentence's first subject, its topic ("Sir Teddy Taylor warned that
       * moves to bring Lord Archer back ... He said:") */
      if (score > best_score || (score == best_score && !speakers_first)) {
        best = pi;
        best_score = score;
      }
    }
    /* a speaker is the subject of a clause: a name in a phrase of place or
     * agent ("At a conference hosted by Gordon Brown, he said", "The MPs
     * pressed Mr Younger ... He said") gives way to an earlier speaker or
     * to the subject of an earlier sentence */
    if (best >= 0 && speakers_first && best_score < 2) {
      /* (looked for once, before the last two sentences: they had none) */
      if (older_speaker == -2)
        older_speaker = si > from + 1 ? last_speaker(doc, from, doc->sents[si - 1].first, want, first_group, not_this)
                                      : -1;
      if (older_speaker >= 0) return older_speaker;
      if (k == si) continue;
      /* an object two sentences back is a guess: a subject there or
       * nothing ("They could picture Michael Howard or Tony Blair doing
       * it. So it was right ... And Tony Blair would be in the front line,
       * he said": Alan Milburn, named earlier still) */
      if (k + 1 < si) continue;
    }
    if (best >= 0) return referent_of(doc, best).can_act ? best : -1;
  }
  return -1;
}

/* A capitalised word of a person's name: not a title, not a noun for a
 * person ("Chief Executive Gerd Niebaum" is named Gerd Niebaum). */
static bool name_word(const NgToken *t) {
  return (t->flags & NG_TOK_CAP) && (t->flags & NG_TOK_WORD) && !(t->vocab && t->vocab->title) &&
         !(t->vocab && (t->vocab->wf & NG_WF_AGENT) && t->vocab->nfreq > 0 && !t->vocab->gender);
}

/* The mention a phrase stands for, made for it when the lexicon has none
 * ("the Fed spokesman", "Sheikh Ali al-Khalifa al-Sabah"). */
static int32_t mention_for(NgDocument *doc, int32_t pi) {
  NgPhrase *p = &doc->phrases[pi];
  size_t first = p->first, floor = p->first;
  const char *code = "";
  bool named_person = doc->tokens[p->head].pos == NG_POS_PROPN && referent_of(doc, pi).person;
  if (p->mention >= 0) {
    /* "Fund manager Florian Hamm": the person named, in the role's code */
    const NgMention *role = &doc->mentions[p->mention];
    bool head_in = p->head >= role->first && p->head < role->first + role->count;
    if (head_in || !named_person) return p->mention;
    floor = role->first + role->count;
    code = role->code;
  }
  if (named_person) { /* the name, without the words for the person before it */
    first = p->head;
    while (first > floor && name_word(&doc->tokens[first - 1])) first--;
  }
  while (first < p->last && (doc->tokens[first].pos == NG_POS_DET || doc->tokens[first].pos == NG_POS_POSS))
    first++;
  const char *label = ng_doc_span_text(doc, first, p->last);
  char *slug = label ? ng_arena_slug(&doc->arena, label, strlen(label)) : NULL;
  if (!slug) return -1;
  Referent r = referent_of(doc, pi);
  NgMention *m = ng_doc_add_mention(doc);
  if (!m) return -1;
  memset(m, 0, sizeof *m);
  m->first = first;
  m->count = p->last - first + 1;
  m->kind = r.person ? NG_KIND_PERSON : NG_KIND_OTHER;
  m->person = r.person;
  m->plural = p->plural;
  m->code = code;
  m->label = label;
  m->key = slug;
  m->antecedent = -1;
  m->confidence = 0.8f;
  m->gender = (uint8_t)r.gender;
  p = &doc->phrases[pi];
  p->mention = (int32_t)(m - doc->mentions);
  return p->mention;
}

/* Once a pronoun is resolved, the person is known to be of its gender. */
static void learn_gender(NgDocument *doc, int32_t mi, Want want) {
  NgMention *m = &doc->mentions[mi];
  if (m->antecedent >= 0) m = &doc->mentions[m->antecedent];
  if (!m->gender && (want == WANT_MALE || want == WANT_FEMALE))
    m->gender = want == WANT_MALE ? NG_GENDER_MALE : NG_GENDER_FEMALE;
}

static bool pronoun_is(const NgToken *t, const char *const *words) {
  for (size_t i = 0; words[i]; ++i)
    if (word_is(t, words[i])) return true;
  return false;
}

static const char *const male_pronouns[] = {"he", "him", "his", "himself", NULL};
static const char *const female_pronouns[] = {"she", "her", "hers", "herself", NULL};
static const char *const it_pronouns[] = {"it", "its", "itself", NULL};
static const char *const they_pronouns[] = {"they", "them", "their", "theirs", "themselves", NULL};
static const char *const first_person[] = {"i", "me", "my", "mine", "myself", "we", "us",
                                           "our", "ours", "ourselves", NULL};

/* Is the phrase the subject of a verb of saying ("he said")? */
static bool says(const NgDocument *doc, int32_t pi) {
  for (size_t k = doc->ngroups; k-- > 0;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->head < doc->phrases[pi].first) break;
    if (g->subject == pi && g->verb && g->verb->attribution) return true;
  }
  return false;
}

/* The subject of the clause whose object the pronoun is, unless it is
 * reflexive: "Amin deported them" - them is not Amin. -1 if none. */
static int32_t own_subject(const NgDocument *doc, int32_t pi) {
  static const char *const reflexive[] = {"himself", "herself", "itself", "themselves", NULL};
  if (pronoun_is(&doc->tokens[doc->phrases[pi].head], reflexive)) return -1;
  for (size_t k = doc->ngroups; k-- > 0;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->object == pi || g->ctrl_object == pi) return g->subject;
    if (g->last < doc->phrases[pi].first && g->head + 64 < doc->phrases[pi].first) break;
  }
  return -1;
}

static NgStatus resolve_pronoun(NgDocument *doc, NgPhrase *p) {
  const NgToken *t = &doc->tokens[p->head];
  int32_t pi = (int32_t)(p - doc->phrases);
  Want want;
  if (pronoun_is(t, male_pronouns)) want = WANT_MALE;
  else if (pronoun_is(t, female_pronouns)) want = WANT_FEMALE;
  else if (pronoun_is(t, it_pronouns)) want = WANT_IT;
  else if (pronoun_is(t, they_pronouns)) want = WANT_THEY;
  else return NG_SUCCESS;
  if (want == WANT_THEY) {
    NgStatus st = resolve_to_compound(doc, pi, p->first);
    if (st || doc->phrases[pi].mention >= 0) return st;
  }
  int32_t a = most_salient(doc, doc->phrases[pi].first, want, says(doc, pi), own_subject(doc, pi));
  if (a < 0) return NG_SUCCESS;
  int32_t m = mention_for(doc, a);
  if (m < 0) return NG_ERR_NOMEM;
  learn_gender(doc, m, want);
  return resolve_to(doc, &doc->phrases[pi], m, 0.8f);
}

/* ------------------------------------------------------------- quotes */

/* Which way does the double mark t face: +1 it opens a quotation, -1 it
 * closes one, 0 it cannot tell.  Curly marks say it; a straight one opens
 * where it leans on the word after it ('said: "We'), closes where it leans
 * on the word or stop before it ('lives," he', 'right." The').  (The
 * sentence splitter may leave a closing mark at the start of the next
 * sentence: '" And Chancellor Gordon Brown said'.) */
static int mark_side(const NgDocument *doc, size_t t) {
  const unsigned char *text = (const unsigned char *)doc->text;
  const NgToken *tok = &doc->tokens[t];
  if (text[tok->begin] == 0xE2 && text[tok->begin + 1] == 0x80)
    return text[tok->begin + 2] == 0x9C ? 1 : text[tok->begin + 2] == 0x9D ? -1 : 0;
  unsigned char before = tok->begin > 0 ? text[tok->begin - 1] : ' ';
  unsigned char after = tok->end < doc->len ? text[tok->end] : ' ';
  bool open_before = isspace(before) || before == '(' || before == '[';
  bool open_after = isspace(after) || (after && strchr(".,;:!?)", after));
  if (open_before && !open_after) return 1;
  if (!open_before && open_after) return -1;
  return 0;
}

/* Inside a quotation after token t, given whether it was before it?  A
 * mark that faces one way says so; else a mark after a colon opens ('He
 * added: "...', even where a closing mark went missing before it), and
 * any other toggles. */
bool ng_quoted_after(const NgDocument *doc, size_t t, bool quoted) {
  if (!ng_double_quote_mark(doc, t)) return quoted;
  int side = mark_side(doc, t);
  if (side) return side > 0;
  if (t > 0 && !strcmp(doc->tokens[t - 1].norm, ":")) return true;
  return !quoted;
}

/* Does sentence s open with a mark that opens a quotation? */
static bool opens_with_mark(const NgDocument *doc, const NgSentence *s) {
  if (!ng_double_quote_mark(doc, s->first)) return false;
  int side = mark_side(doc, s->first);
  return side > 0 || (side == 0 && !doc->coref.quote_open); /* ('waste. " And Gordon Brown said') */
}

/* Does sentence s open inside a quotation?  One that goes on from the
 * sentence before, unless s opens with a mark: that opens one, even where
 * the last was not closed (news runs a quotation's paragraphs together:
 * 'He said: "I pointed out ... topic. "This is a relaxed gathering."'). */
static bool opens_quoted(const NgDocument *doc, const NgSentence *s) {
  return doc->coref.quote_open && !opens_with_mark(doc, s);
}

bool ng_in_quotation(const NgDocument *doc, const NgSentence *s, size_t t) {
  bool quoted = doc->coref.opens_quoted;
  for (size_t i = s->first; i < t; ++i) quoted = ng_quoted_after(doc, i, quoted);
  return quoted;
}

/* The speaker of sentence si's quotation: the subject of its verb of
 * saying outside the quotation marks ("'...,' the minister said", "X said:
 * '...'"); else, when the sentence opens inside a quotation that goes on
 * from the sentence before, the speaker it goes on quoting
 * (quoted_speaker).  -1 if none. */
static int32_t quote_speaker(NgDocument *doc, size_t si) {
  const NgSentence *s = &doc->sents[si];
  for (size_t k = doc->ngroups; k-- > 0;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->head < s->first) break;
    if (g->subject < 0 || !g->verb || !g->verb->attribution) continue;
    /* 'He added: "...': outside, whatever the marks before said */
    bool introduces = g->head + 1 < s->first + s->count && !strcmp(doc->tokens[g->head + 1].norm, ":");
    bool inside = doc->coref.opens_quoted;
    for (size_t i = s->first; i < g->head; ++i) inside = ng_quoted_after(doc, i, inside);
    if (!inside || introduces) return g->subject;
  }
  return doc->coref.quoted_speaker;
}

/* "I", "we" inside quotation marks: the speaker of the quotation. */
static NgStatus resolve_first_person(NgDocument *doc, size_t si, int32_t pi, bool quoted) {
  if (!quoted) return NG_SUCCESS; /* a columnist's "I", "we": nobody named */
  int32_t speaker = quote_speaker(doc, si);
  if (speaker < 0 || speaker == pi) return NG_SUCCESS;
  const NgPhrase *sp = &doc->phrases[speaker];
  /* '"We agreed ...," he said': the speaker's pronoun first */
  if (sp->pronoun && sp->mention < 0) {
    NgStatus st = resolve_pronoun(doc, &doc->phrases[speaker]);
    if (st) return st;
    sp = &doc->phrases[speaker];
  }
  if (sp->pronoun && sp->mention < 0) return NG_SUCCESS;
  if (!referent_of(doc, speaker).can_act) return NG_SUCCESS;
  int32_t m = mention_for(doc, speaker);
  if (m < 0) return NG_ERR_NOMEM;
  return resolve_to(doc, &doc->phrases[pi], m, 0.85f);
}

static size_t sentence_of(const NgDocument *doc, size_t t);

/* Does the span [first, last] hold a token spelled as t? */
static bool span_has_word(const NgDocument *doc, size_t first, size_t last, const NgToken *t) {
  for (size_t i = first; i <= last; ++i)
    if (doc->tokens[i].norm_len == t->norm_len && !strcmp(doc->tokens[i].norm, t->norm)) return true;
  return false;
}

/* Does a word that changes an office ("shadow", "former", "deputy")
 * stand before the word like h in first..last, but not in phrase p? */
static bool other_office(const NgDocument *doc, size_t first, size_t last, const NgToken *h, const NgPhrase *p) {
  static const char *const changers[] = {"shadow", "former", "ex", "deputy", "vice", "assistant", "junior",
                                         "acting", "interim", NULL};
  for (size_t t = first + 1; t <= last && t < doc->ntokens; ++t) {
    if (doc->tokens[t].norm_len != h->norm_len || strcmp(doc->tokens[t].norm, h->norm)) continue;
    const NgToken *before = &doc->tokens[t - 1];
    if (pronoun_is(before, changers) && !span_has_word(doc, p->first, p->last, before)) return true;
  }
  return false;
}

/* "The spokesman" after "A Federal Reserve spokesman", "the ambassador"
 * after "Russia's ambassador to Belarus, Dmitry Mezentsev": a definite
 * person noun names the actor of the last phrase with the same head word,
 * in the last few sentences. */
static NgStatus resolve_same_head(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  const NgToken *h = &doc->tokens[p->last];
  if (!h->vocab || !(h->vocab->wf & NG_WF_AGENT) || h->vocab->nclass != NG_NC_PERSON) return NG_SUCCESS;
  size_t si = sentence_of(doc, p->first);
  size_t from = si >= 12 ? si - 12 : 0;
  for (int32_t q = pi; q-- > 0;) {
    const NgPhrase *c = &doc->phrases[q];
    if (c->first >= p->first) continue;
    if (c->first < doc->sents[from].first) break;
    if (c->mention < 0 || c->pronoun) continue;
    const NgMention *m = &doc->mentions[c->mention];
    bool same = span_has_word(doc, c->first, c->last, h) ||
                (m->count && span_has_word(doc, m->first, m->first + m->count - 1, h));
    /* "shadow chancellor Oliver Letwin" is not "the chancellor" (audit L:
     * three of Gordon Brown's acts given to Letwin) */
    if (same && other_office(doc, c->first, m->count ? m->first + m->count - 1 : c->last, h, p)) continue;
    if (same) return resolve_to(doc, &doc->phrases[pi], c->mention, 0.85f);
  }
  return NG_SUCCESS;
}

/* "the Belarusian president" after "Alexander Lukashenko" (BLRGOV): a
 * definite singular role of a country, with a noun for a person at its
 * head, names the last person of that country and role in the last dozen
 * sentences. */
static NgStatus resolve_role_holder(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  if (p->mention < 0 || p->plural || p->pronoun || !word_is(&doc->tokens[p->first], "the")) return NG_SUCCESS;
  const NgMention *role = &doc->mentions[p->mention];
  if (role->pronoun || !role->entry || role->entry->kind != NG_KIND_COUNTRY || strlen(role->code) != 6 ||
      !person_noun(&doc->tokens[p->head]))
    return NG_SUCCESS;
  size_t si = sentence_of(doc, p->first);
  size_t floor = doc->sents[si >= 12 ? si - 12 : 0].first;
  for (size_t k = doc->nmentions; k-- > 0;) {
    const NgMention *m = &doc->mentions[k];
    if (m->first >= p->first) continue;
    if (m->first < floor) break;
    if (m->pronoun || m->kind != NG_KIND_PERSON || strcmp(m->code, role->code)) continue;
    return resolve_to(doc, &doc->phrases[pi], (int32_t)k, 0.85f);
  }
  return NG_SUCCESS;
}

/* "the House of Representatives" after "the US House of Representatives":
 * a role the lexicon knows only by its words (LEG) names the actor of an
 * earlier mention that ends with the same words, in the last dozen
 * sentences. */
static NgStatus resolve_role_tail(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  if (p->mention < 0 || p->pronoun) return NG_SUCCESS;
  const NgMention *role = &doc->mentions[p->mention];
  if (role->pronoun || role->kind != NG_KIND_ROLE || role->entry || !role_only_code(role->code)) return NG_SUCCESS;
  size_t si = sentence_of(doc, p->first);
  size_t floor = doc->sents[si >= 12 ? si - 12 : 0].first;
  for (size_t k = doc->nmentions; k-- > 0;) {
    const NgMention *m = &doc->mentions[k];
    if (m->first >= role->first) continue;
    if (m->first < floor) break;
    if (m->pronoun || m->count <= role->count || !strcmp(m->code, role->code)) continue;
    bool tail = true;
    for (size_t i = 0; i < role->count && tail; ++i) {
      const NgToken *a = &doc->tokens[role->first + i], *b = &doc->tokens[m->first + m->count - role->count + i];
      tail = a->norm_len == b->norm_len && !strcmp(a->norm, b->norm);
    }
    if (tail) return resolve_to(doc, &doc->phrases[pi], (int32_t)k, 0.9f);
  }
  return NG_SUCCESS;
}

/* "The foreign secretary" after "Foreign Secretary Jack Straw", "the Tory
 * leader" after "Tory leader Michael Howard": a definite role of two or
 * three words names the last person named with all of them in the last
 * dozen sentences. */
static NgStatus resolve_titled_role(NgDocument *doc, int32_t pi) {
  const NgPhrase *p = &doc->phrases[pi];
  if (!person_noun(&doc->tokens[p->last])) return NG_SUCCESS;
  size_t si = sentence_of(doc, p->first);
  size_t floor = doc->sents[si >= 12 ? si - 12 : 0].first;
  for (int32_t q = pi; q-- > 0;) {
    const NgPhrase *c = &doc->phrases[q];
    if (c->first >= p->first) continue;
    if (c->first < floor) break;
    if (c->mention < 0 || c->pronoun) continue;
    const NgMention *m = &doc->mentions[c->mention];
    const NgMention *root = m->antecedent >= 0 ? &doc->mentions[m->antecedent] : m;
    if (!(root->person || root->kind == NG_KIND_PERSON)) continue;
    size_t lo = c->first < m->first ? c->first : m->first;
    size_t hi = c->last > m->first + m->count - 1 ? c->last : m->first + m->count - 1;
    /* "The Tory leader, Michael Howard, said": the phrase in apposition */
    if (lo >= 2 && word_is(&doc->tokens[lo - 1], ",") && doc->tokens[lo - 2].np >= 0)
      lo = doc->phrases[doc->tokens[lo - 2].np].first;
    bool all = true;
    for (size_t t = p->first + 1; t <= p->last && all; ++t) all = span_has_word(doc, lo, hi, &doc->tokens[t]);
    /* "the prime minister" is not "Deputy Prime Minister John Prescott" */
    static const char *const lesser[] = {"deputy", "vice", "shadow", "former", "ex", "assistant", "junior",
                                         "acting", "interim", NULL};
    for (const char *const *w = lesser; *w && all; ++w)
      for (size_t t = lo; t <= hi && all; ++t)
        if (word_is(&doc->tokens[t], *w)) all = false;
    if (all) return resolve_to(doc, &doc->phrases[pi], c->mention, 0.85f);
  }
  return NG_SUCCESS;
}

/* "the prime minister", "the chancellor", "the PM" in an article that names
 * Tony Blair and Gordon Brown but never with their titles (BBC politics):
 * the person named before whose lexicon entry held that office at the
 * article's date (people.txt office=); none when two people named did. */
static NgStatus resolve_office(NgDocument *doc, NgPhrase *p) {
  char words[64];
  size_t len = 0;
  for (size_t t = p->first + 1; t <= p->last; ++t) {
    const NgToken *w = &doc->tokens[t];
    if (len + w->norm_len + 2 > sizeof words) return NG_SUCCESS;
    if (len) words[len++] = ' ';
    memcpy(words + len, w->norm, w->norm_len);
    len += w->norm_len;
  }
  words[len] = '\0';
  if (!ng_lexicon_is_office(doc->lex, words)) return NG_SUCCESS;
  int32_t found = -1;
  size_t floor = doc->nmentions > NG_COREF_WINDOW ? doc->nmentions - NG_COREF_WINDOW : 0;
  for (size_t k = doc->nmentions; k-- > floor;) {
    const NgMention *m = &doc->mentions[k];
    if (m->first >= p->first || m->pronoun || m->kind != NG_KIND_PERSON || !m->entry) continue;
    if (!ng_actor_held_office(m->entry, words) || !ng_actor_in_period(m->entry, doc->ref)) continue;
    if (found >= 0 && strcmp(doc->mentions[found].label, m->label)) return NG_SUCCESS; /* two holders */
    if (found < 0) found = (int32_t)k;
  }
  return found >= 0 ? resolve_to(doc, p, found, 0.8f) : NG_SUCCESS;
}

/* Heads of descriptions of a company: "the chemicals-and-crops firm". */
static bool business_head(const NgToken *t) {
  static const char *const heads[] = {"company", "firm", "group", "giant", "carmaker", "retailer", "airline",
                                      "insurer", "bank", "publisher", "broadcaster", "operator", "maker",
                                      "manufacturer", "supermarket", "brewer", "lender", "conglomerate", NULL};
  return pronoun_is(t, heads); /* (any word of a NULL-ended list) */
}

/* The last organisation named before `before` (a company, an IGO, an NGO,
 * a party, a group) one of whose words is the word w. */
static int32_t organisation_named_by(const NgDocument *doc, size_t before, const NgToken *w) {
  size_t floor = doc->nmentions > NG_COREF_WINDOW ? doc->nmentions - NG_COREF_WINDOW : 0;
  for (size_t i = doc->nmentions; i-- > floor;) {
    const NgMention *m = &doc->mentions[i];
    if (m->first + m->count > before || m->pronoun || m->count < 2) continue;
    if (m->kind == NG_KIND_PERSON || m->kind == NG_KIND_COUNTRY || m->kind == NG_KIND_ROLE ||
        m->kind == NG_KIND_NONE)
      continue;
    for (size_t t = m->first; t < m->first + m->count; ++t)
      if (doc->tokens[t].norm_len == w->norm_len && !strcmp(doc->tokens[t].norm, w->norm)) return (int32_t)i;
  }
  return -1;
}

/* "the Bank": a mention made of one company word alone ("Bank" ends
 * company names), which a longer name earlier may own ("the Reserve Bank
 * of Australia"). */
static bool single_word_company(const NgDocument *doc, const NgPhrase *p) {
  const NgMention *m = &doc->mentions[p->mention];
  return m->count == 1 && m->first == p->last && !m->entry;
}

/* "the company", "the bloc", "the government": earlier sentences only. */
static NgStatus resolve_definite(NgDocument *doc, NgPhrase *p, size_t sentence_first) {
  const NgToken *tok = doc->tokens;
  if (!word_is(&tok[p->first], "the")) return NG_SUCCESS;
  /* "The chemicals-and-crops firm", "the Japanese carmaker": a company
   * described, not named, is the last company named */
  if (p->last > p->first + 1 && p->last <= p->first + 6 && !p->plural && business_head(&tok[p->last]) &&
      (p->mention < 0 || doc->mentions[p->mention].kind == NG_KIND_ROLE)) {
    int32_t a = find_antecedent(doc, sentence_first, fits_company, 0);
    return a >= 0 ? resolve_to(doc, p, a, 0.8f) : NG_SUCCESS;
  }
  /* (a role, or a party's: "the Tory leader" is a person, not the party) */
  bool role_like = p->mention < 0 || doc->mentions[p->mention].kind == NG_KIND_ROLE ||
                   doc->mentions[p->mention].kind == NG_KIND_PARTY;
  if (role_like && p->last > p->first && p->last <= p->first + 3 && !p->plural) {
    int32_t before = p->mention;
    NgStatus st = resolve_office(doc, p);
    if (st || p->mention != before) return st;
  }
  if (role_like && (p->last == p->first + 2 || p->last == p->first + 3))
    return resolve_titled_role(doc, (int32_t)(p - doc->phrases));
  if (p->last != p->first + 1) return NG_SUCCESS;
  /* "the Association" after "the Association of British Insurers": a
   * capitalised word of an organisation's name stands for it */
  if ((p->mention < 0 || single_word_company(doc, p)) && (tok[p->last].flags & NG_TOK_CAP)) {
    int32_t a = organisation_named_by(doc, sentence_first, &tok[p->last]);
    if (a >= 0) return resolve_to(doc, p, a, 0.85f);
  }
  if (p->mention < 0 || doc->mentions[p->mention].kind == NG_KIND_ROLE) {
    int32_t pi = (int32_t)(p - doc->phrases), before = p->mention;
    NgStatus st = resolve_same_head(doc, pi);
    if (st || doc->phrases[pi].mention != before) return st;
    p = &doc->phrases[pi];
  }
  const NgToken *h = &tok[p->last];
  Fits fits = NULL;
  if (word_is(h, "company") || word_is(h, "firm") || word_is(h, "group")) fits = fits_company;
  else if (word_is(h, "bank")) fits = fits_bank;
  else if (word_is(h, "bloc") || word_is(h, "alliance") || word_is(h, "organisation") ||
           word_is(h, "organization") || word_is(h, "agency"))
    fits = fits_org;
  else if (word_is(h, "country") || word_is(h, "nation")) fits = fits_country;
  else if (word_is(h, "party")) fits = fits_party; /* "The party says the votes of students ..." */
  if (fits) {
    /* a company named before any other name ("Kraft cuts snack ads ... the
     * firm said": not "TV") */
    int32_t a = fits == fits_company ? article_company(doc, sentence_first) : -1;
    if (a < 0 && fits == fits_company) a = find_antecedent(doc, sentence_first, fits_named_company, 0);
    if (a < 0) a = find_antecedent(doc, sentence_first, fits, 0);
    /* "Shares in Cairn Energy have jumped after the firm said": a company
     * named earlier in the sentence, when none is before it */
    if (a < 0 && fits == fits_company) {
      a = find_antecedent(doc, p->first, fits_named_company, sentence_first);
    }
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
  /* an acronym the lexicon knows is the article's own when the article
   * spelt it out ("World Tourism Organisation (WTO) ... the WTO" is not
   * the World Trade Organization: audit O) */
  bool known = p->mention >= 0;
  if (known && !(tok[p->head].flags & NG_TOK_ALLCAPS)) return NG_SUCCESS;
  bool the_acronym = known && p->first + 1 == p->last && word_is(&tok[p->first], "the"); /* "the WTO" */
  if ((p->first != p->last && !the_acronym) || (!known && tok[p->head].pos != NG_POS_PROPN)) return NG_SUCCESS;
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
    if (known && !acronym) continue;
    if (known && doc->mentions[p->mention].entry == m->entry) return NG_SUCCESS; /* spelt out as the lexicon has it */
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

/* "Britain's financial watchdog, the Financial Services Authority (FSA)":
 * a common noun phrase with a named body in apposition after it is that
 * body (audit Q: the watchdog was Britain).  Only an organisation: "the
 * capital, Paris" or "his deputy, John Smith" are left as they are. */
static NgStatus resolve_named_apposition(NgDocument *doc, int32_t pi, size_t sentence_end) {
  const NgPhrase *p = &doc->phrases[pi];
  const NgToken *tok = doc->tokens;
  if (p->pronoun || tok[p->head].pos != NG_POS_NOUN || p->last + 2 >= sentence_end) return NG_SUCCESS;
  if (p->mention >= 0) { /* none, or only the country whose body it is ("Britain's") */
    const NgMention *own = &doc->mentions[p->mention];
    if (own->kind != NG_KIND_COUNTRY || own->first + own->count > p->head) return NG_SUCCESS;
  }
  if (strcmp(tok[p->last + 1].norm, ",")) return NG_SUCCESS;
  int32_t q = tok[p->last + 2].np;
  if (q < 0 || doc->phrases[q].first != p->last + 2 || doc->phrases[q].mention < 0) return NG_SUCCESS;
  const NgPhrase *ap = &doc->phrases[q];
  const NgMention *m = &doc->mentions[ap->mention];
  bool body = m->kind == NG_KIND_IGO || m->kind == NG_KIND_NGO || m->kind == NG_KIND_GROUP ||
              m->kind == NG_KIND_PARTY || m->kind == NG_KIND_COMPANY || m->kind == NG_KIND_MEDIA;
  if (!body || m->person) return NG_SUCCESS;
  size_t after = ap->last + 1;
  if (after < sentence_end && strcmp(tok[after].norm, ",") && strcmp(tok[after].norm, "(") &&
      strcmp(tok[after].norm, ".") && !(tok[after].flags & NG_TOK_END))
    return NG_SUCCESS;
  doc->phrases[pi].mention = ap->mention;
  return NG_SUCCESS;
}

/* The subject of sentence si's first verb group outside quotation marks
 * when it is a person a reader can name (a name, or a pronoun resolved to
 * one); -1 otherwise. */
static int32_t person_subject(NgDocument *doc, size_t si) {
  const NgSentence *s = &doc->sents[si];
  if (opens_with_mark(doc, s)) return -1;
  int32_t first = -1; /* (the groups of later sentences are at the end: look back from there) */
  for (size_t k = doc->ngroups; k-- > 0;) {
    const NgVerbGroup *g = &doc->groups[k];
    if (g->head < s->first) break;
    if (g->head >= s->first + s->count || g->subject < 0 || quoted_in_sentence(doc, s, g->head)) continue;
    first = g->subject;
  }
  if (first < 0) return -1;
  Referent r = referent_of(doc, first);
  if (!r.person || !r.can_act || r.plural) return -1;
  int32_t mi = doc->phrases[first].mention;
  if (mi < 0) /* a name the lexicon does not know */
    return doc->tokens[doc->phrases[first].head].pos == NG_POS_PROPN ? first : -1;
  const NgMention *m = &doc->mentions[mi];
  return m->kind == NG_KIND_PERSON || m->antecedent >= 0 || (m->entry && m->kind != NG_KIND_ROLE) ? first : -1;
}

/* '"He had a wonderful life.', '"Bob was a good player.': a quotation
 * that speaks of someone as he or she is seldom that one's (an obituary's
 * quotations after a sentence about the dead). */
static bool speaks_of_third_person(const NgDocument *doc, const NgSentence *s) {
  static const char *const third[] = {"he", "she", "him", "her", "his", "hers", "himself", "herself", NULL};
  for (size_t t = s->first; t < s->first + s->count; ++t) {
    const NgToken *u = &doc->tokens[t];
    if (pronoun_is(u, third) || (u->pos == NG_POS_PROPN && t > s->first + 1)) return true;
  }
  return false;
}

NgStatus ng_resolve_coreference(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  NgStatus st = NG_SUCCESS;
  /* a new paragraph closes what quotation was open */
  if (doc->tokens[s->first].flags & NG_TOK_PARA) doc->coref.quote_open = false;
  /* A sentence goes on quoting the last speaker when the quotation is
   * still open, or when it opens one right after the sentence that named
   * the speaker: '"...," Mr Blair said. "They have no plan."' - a new
   * paragraph too, as news writes a long quotation ('Mr Blair said: "...'
   * and the next paragraph opens with a mark again) */
  bool opens_quote = opens_with_mark(doc, s);
  bool goes_on = doc->coref.quote_open || (opens_quote && doc->coref.speaker_sentence + 1 == sentence);
  if (opens_quote && !goes_on && sentence > 0) {
    /* 'Robert Tapsfield criticised the existing system. "There is just no
     * logic ...': a quotation that opens right after a sentence about a
     * person, naming no speaker, is that person's (audit U: Tapsfield's
     * words went to Ms Hodge, quoted three sentences before) */
    int32_t subject = person_subject(doc, sentence - 1);
    if (subject >= 0 && !speaks_of_third_person(doc, s)) {
      doc->coref.speaker = subject;
      goes_on = true;
    }
  }
  doc->coref.quoted_speaker = doc->coref.speaker >= 0 && goes_on ? doc->coref.speaker : -1;
  bool quoted = doc->coref.opens_quoted = opens_quoted(doc, s);
  for (size_t t = s->first; t < s->first + s->count && !st; ++t) {
    quoted = ng_quoted_after(doc, t, quoted);
    int32_t np = doc->tokens[t].np;
    if (np < 0 || doc->phrases[np].first != t) continue;
    /* resolving may add phrases (and move the array): index, don't hold */
    if (doc->phrases[np].pronoun && pronoun_is(&doc->tokens[doc->phrases[np].head], first_person))
      st = resolve_first_person(doc, sentence, np, quoted);
    else if (doc->phrases[np].pronoun) st = resolve_pronoun(doc, &doc->phrases[np]);
    else if (doc->phrases[np].mention < 0 || doc->mentions[doc->phrases[np].mention].entry)
      st = resolve_alias(doc, &doc->phrases[np]);
    if (!st) st = resolve_role_holder(doc, np);
    if (!st) st = resolve_role_tail(doc, np);
    if (!st) st = resolve_definite(doc, &doc->phrases[np], s->first);
    if (!st) st = resolve_possessor(doc, np);
    if (!st) st = resolve_apposition(doc, np, s->first + s->count);
    if (!st) st = resolve_named_apposition(doc, np, s->first + s->count);
  }
  /* what the next sentence's quotation, if it goes on, is said by */
  int32_t speaker = quote_speaker(doc, sentence);
  /* (for events.c: the sentence's words are the last speaker's and it
   * names no speaker of its own) */
  if (speaker != doc->coref.quoted_speaker) doc->coref.quoted_speaker = -1;
  if (speaker >= 0) {
    doc->coref.speaker = speaker;
    doc->coref.speaker_sentence = sentence;
  }
  doc->coref.quote_open = quoted;
  return st;
}
