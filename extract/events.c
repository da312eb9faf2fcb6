/* events.c - turn analysed clauses into events.
 *
 * For each verb group: the verb's patterns (pattern.c) or its default
 * reading give the CAMEO code and the target; passive voice swaps roles
 * ("was passed by the US House"); a governing verb of intent, threat,
 * appeal, demand or refusal ("threatened to impose sanctions", "urged Russia
 * to withdraw") makes one event of the pair, its code changed by the
 * transform tables of verbs.txt; negation is flagged or, where verbs.txt
 * says so, changes the code into a refusal, which is then what happened;
 * compound actors give one event per member.
 * Verbs outside the patterns still give open events (no CAMEO code, the
 * verb as action), so that business and other news are covered too.
 * The date is the time expression of the clause, else the article date. */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

static const char *const modality_names[] = {"", "intent", "threat", "appeal", "demand", "refuse"};

/* Codes that alone do not place an actor in the world: none, or a role
 * with no country in front ("MIL", "GOVMIL"?). */
static bool is_role_only(const char *code) {
  if (strlen(code) < 3) return true;
  char first[4] = {code[0], code[1], code[2], 0};
  return ng_code_is_role(first);
}

/* Does a code start with a country (not a role, IGO, NGO, IMG, MNC)? */
static bool has_country_prefix(const char *code) {
  if (strlen(code) < 3 || is_role_only(code)) return false;
  return strncmp(code, "IGO", 3) && strncmp(code, "NGO", 3) && strncmp(code, "IMG", 3) && strncmp(code, "MNC", 3);
}

/* Is w (NULL: no) one of the n words of list? */
static bool one_of(const char *w, const char *const *list, size_t n) {
  for (size_t i = 0; w && i < n; ++i)
    if (!strcmp(w, list[i])) return true;
  return false;
}

static bool skip_lemma(const char *lemma) {
  return !lemma || !strcmp(lemma, "be") || !strcmp(lemma, "have") || !strcmp(lemma, "do");
}

/* ----------------------------------------------------------- actors */

typedef struct {
  NgActorRef ref;
  float confidence;
  bool known; /* a lexicon actor or a composed one */
  bool agent; /* someone who can act: see phrase_can_act */
  bool amount; /* a number or a share ("100%", "more than 80 percent") */
  bool plural;
  bool pronoun; /* the phrase is a pronoun ("they") */
  bool generic; /* a kind of people, not someone a reader can name ("analysts", "people", "the firm"
                   unresolved): see label_is_generic */
} Participant;

static bool phrase_is_amount(const NgDocument *doc, const NgPhrase *p) {
  const NgToken *head = &doc->tokens[p->head];
  return (head->flags & NG_TOK_DIGIT) || head->pos == NG_POS_NUM || !strcmp(head->norm, "percent") ||
         !strcmp(head->norm, "%") || !strcmp(head->norm, "cent");
}

/* A code that names a role and nothing else ("MIL"): no one placed in the world. */
static bool role_only(const char *code) { return code[0] && strlen(code) <= 3 && is_role_only(code); }

/* A one-word name after "the" that is a common noun for a natural
 * disaster ("the Tsunami which struck south Asia": audit K), or for an
 * event or phenomenon in WordNet's table (which holds only the nouns that
 * are also verb forms, agents or modifiers, so the disasters are listed). */
static bool happening(const NgDocument *doc, const NgPhrase *p) {
  static const char *const disasters[] = {"tsunami", "earthquake", "quake", "hurricane", "typhoon",
                                          "cyclone", "tornado", "storm", "flood", "floods", "drought",
                                          "wildfire", "avalanche", "landslide", "eruption", "epidemic",
                                          "pandemic", "famine"};
  const NgToken *head = &doc->tokens[p->head];
  if (p->head == 0 || p->head != p->first + 1 || strcmp(doc->tokens[p->first].norm, "the")) return false;
  if (one_of(head->norm, disasters, NG_COUNTOF(disasters))) return true;
  const NgVocab *v = head->vocab;
  return v && (v->wf & NG_WF_NN) && (v->nclass == NG_NC_EVENT || v->nclass == NG_NC_PHENOMENON);
}

/* A word that its ending makes an abstract noun: of a word the lexicon
 * knows, -tion, -sion, -ment, -ness, -ity, -ance, -ence, -ism; of one it
 * does not ("consolidation"), only -ation (names end in the others:
 * "Macrovision"). */
static bool nominal_suffix(const NgToken *t) {
  static const char *const endings[] = {"tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism"};
  static const char *const unknown_endings[] = {"ation"};
  const char *const *e = t->vocab ? endings : unknown_endings;
  size_t n_e = t->vocab ? NG_COUNTOF(endings) : NG_COUNTOF(unknown_endings);
  for (size_t i = 0; i < n_e; ++i) {
    size_t n = strlen(e[i]);
    if (t->norm_len > n + 2 && !strcmp(t->norm + t->norm_len - n, e[i])) return true;
  }
  return false;
}

/* Can the referent of a phrase act?  An actor the phrase is about (its
 * head is the actor's: "Russia's ambassador", not "Russia's stance"), a
 * resolved pronoun, a name, or a noun for people or an organisation
 * ("analysts", "the company"); never a number, an amount, a date or a thing
 * ("opportunistic steps", "more than 80 percent", "the bill"). */
static bool phrase_can_act(const NgDocument *doc, const NgPhrase *p, int32_t mention) {
  const NgToken *head = &doc->tokens[p->head];
  if (p->pronoun) return mention >= 0;
  if (mention >= 0 && mention == p->mention) {
    const NgMention *m = &doc->mentions[mention];
    if (m->pronoun || (p->head >= m->first && p->head < m->first + m->count)) return true;
    /* an actor's machines and deeds stand for it: "Israeli jets struck",
     * "Russian shelling killed", "Russia's decision angered" - not its
     * qualities, possessions or numbers ("Russia's stance", "Apple's
     * shares") */
    unsigned nc = head->vocab ? head->vocab->nclass : NG_NC_UNKNOWN;
    if (m->code[0] && !role_only(m->code) &&
        (nc == NG_NC_ARTIFACT || nc == NG_NC_ACT || nc == NG_NC_EVENT))
      return true;
  }
  if (head->flags & (NG_TOK_DIGIT | NG_TOK_TIMEX | NG_TOK_PUNCT)) return false;
  /* "News of the deal came": a common noun capitalised because it opens
   * the sentence is no name */
  bool opens = p->head == 0 || (head->flags & (NG_TOK_PARA | NG_TOK_NEWLINE)) ||
               (doc->tokens[p->head - 1].flags & (NG_TOK_END | NG_TOK_QUOTE));
  if (head->pos == NG_POS_PROPN && opens && mention < 0 && head->vocab && (head->vocab->wf & (NG_WF_NN | NG_WF_NNS)) &&
      !head->vocab->gender && !(head->flags & NG_TOK_ALLCAPS))
    return (head->vocab->wf & NG_WF_AGENT) != 0;
  /* ... and so is one whose suffix makes a noun of an act or a state
   * ("Consolidation in the US telecommunications industry has picked up",
   * audit AA) */
  if (head->pos == NG_POS_PROPN && opens && mention < 0 && p->first == p->head && nominal_suffix(head))
    return false;
  /* "the Tsunami which struck south Asia", "the Hurricane": a happening
   * capitalised as news does, no one who acts */
  if (head->pos == NG_POS_PROPN && mention < 0 && happening(doc, p)) return false;
  if (head->pos == NG_POS_PROPN) return true;
  return head->vocab && (head->vocab->wf & NG_WF_AGENT);
}

/* The words of a phrase without leading determiners: its label when the
 * lexicon does not know it. */
static const char *phrase_label(NgDocument *doc, const NgPhrase *p) {
  size_t first = p->first;
  while (first < p->last && (doc->tokens[first].pos == NG_POS_DET || doc->tokens[first].pos == NG_POS_POSS))
    first++;
  return ng_doc_span_text(doc, first, p->last);
}


/* The actor after "of", "from", "by" or "with" that qualifies a phrase:
 * "Opponents of Rwanda's Senate", "an offer from Kabul", "calls by Kofi
 * Annan", "contact with the United States". */
static int32_t mention_through_pp(const NgDocument *doc, const NgPhrase *p) {
  size_t after = p->last + 1;
  if (after + 1 >= doc->ntokens || doc->tokens[after].pos != NG_POS_PREP) return -1;
  const char *prep = doc->tokens[after].norm;
  if (strcmp(prep, "of") && strcmp(prep, "from") && strcmp(prep, "by") && strcmp(prep, "with")) return -1;
  int32_t q = doc->tokens[after + 1].np;
  if (q < 0 || doc->phrases[q].first != after + 1) return -1;
  int32_t m = doc->phrases[q].mention;
  return m >= 0 && doc->mentions[m].code[0] && !role_only(doc->mentions[m].code) ? m : -1;
}

/* "Doctors from two American aid groups" -> USAHLH: a role, placed by the
 * actor that qualifies it (its country; an organisation itself). */
static NgStatus qualify_role(NgDocument *doc, const NgMention *role, const NgMention *by, Participant *out) {
  if (!has_country_prefix(by->code)) { /* "inspectors of the IAEA": the IAEA */
    out->ref.label = by->label;
    out->ref.code = by->code;
    out->ref.key = by->key;
    return NG_SUCCESS;
  }
  const char *country = by->entry && by->entry->kind == NG_KIND_COUNTRY ? by->entry->label : by->label;
  const char *ckey = by->entry && by->entry->kind == NG_KIND_COUNTRY ? by->entry->key : by->key;
  out->ref.code = ng_arena_printf(&doc->arena, "%.3s%s", by->code, role->code);
  out->ref.label = ng_arena_printf(&doc->arena, "%s %s", country, role->label);
  out->ref.key = ng_arena_printf(&doc->arena, "%s-%s", ckey, role->key);
  return out->ref.code && out->ref.label && out->ref.key ? NG_SUCCESS : NG_ERR_NOMEM;
}

/* "Tens of thousands of students", "a group of protesters": a phrase that
 * only counts stands for the phrase it counts; so does one that names a
 * part, a run or an aspect of it ("the majority of its counterparts", "a
 * series of consultations", "the strength of the euro", "the issue of
 * global warming": audit K's readers wanted the euro, not its strength, as
 * what a concern is about).  Returns that phrase, or the phrase itself. */
static int32_t counted_phrase(const NgDocument *doc, int32_t phrase) {
  static const char *const counts[] = {
      "tens",   "hundreds", "thousands", "millions", "dozens",   "scores",   "hundred", "thousand",
      "million", "dozen",   "number",    "group",    "groups",   "lot",      "lots",    "handful",
      "crowd",  "crowds",   "majority",  "minority", "rest",     "bulk",     "remainder", "series",
      "range",  "raft",     "string",    "spate",    "wave",     "host",     "batch",   "strength",
      "weakness", "value",  "level",     "issue",    "question", "subject",  "fate",    "plight",
      "future", "role"};
  for (int hops = 0; phrase >= 0 && hops < 3; ++hops) {
    const NgPhrase *p = &doc->phrases[phrase];
    size_t after = p->last + 1; /* "of" first: the cheap test that fails most */
    if (p->mention >= 0 || p->pronoun || after + 1 >= doc->ntokens || strcmp(doc->tokens[after].norm, "of")) break;
    bool counting = true;
    for (size_t t = p->first; t <= p->last && counting; ++t) {
      const NgToken *u = &doc->tokens[t];
      bool count_word = false;
      for (size_t k = 0; k < NG_COUNTOF(counts) && !count_word; ++k) count_word = !strcmp(u->norm, counts[k]);
      counting = count_word || u->pos == NG_POS_NUM || u->pos == NG_POS_DET;
    }
    if (!counting) break;
    int32_t q = doc->tokens[after + 1].np;
    if (q < 0 || doc->phrases[q].first != after + 1) break;
    phrase = q;
  }
  return phrase;
}

/* Issue 11 item 1: an event is an act of a participant the reader can name -
 * a name, a resolved pronoun or role phrase, a role placed in a country
 * ("Belarusian police").  Nouns for kinds of people ("analysts", "people",
 * "investors", "the club" left unresolved) are not: what they "do" is a
 * trend, a state or a habit ("consumers spent more"), and the audit judged
 * nearly all of them junk. */
static bool label_is_generic(const char *label, const char *code) {
  if (!label || !label[0] || (unsigned char)label[0] >= 0x80) return false;
  if (code[0] && !is_role_only(code)) return false; /* placed: "Haiti military" */
  return !(label[0] >= 'A' && label[0] <= 'Z') && !(label[0] >= '0' && label[0] <= '9');
}

/* A name, or an institution named with a capital after a lower-case
 * determiner ("the Treasury", "the US Congress"): not a sentence's first
 * word, capitalised whatever it is. */
static bool phrase_is_name(const NgDocument *doc, const NgPhrase *p) {
  const NgToken *head = &doc->tokens[p->head];
  /* a common noun opening a sentence is capitalised, and may be tagged a
   * name: "People coming to the UK", "Consumers spent more" */
  bool opens = p->head == 0 || (head->flags & (NG_TOK_PARA | NG_TOK_NEWLINE)) ||
               (doc->tokens[p->head - 1].flags & (NG_TOK_END | NG_TOK_QUOTE | NG_TOK_PUNCT));
  if (opens && head->vocab && (head->vocab->wf & NG_WF_AGENT) && head->vocab->nfreq > 0 && !head->vocab->gender &&
      !(head->flags & NG_TOK_ALLCAPS))
    return false;
  if (head->pos == NG_POS_PROPN) return true;
  return (head->flags & NG_TOK_CAP) && p->head > p->first && !(doc->tokens[p->first].flags & NG_TOK_CAP);
}

/* "the prime minister's official spokesman", "the chancellor": one person
 * the article means, whom a reader can look up - a role phrase, where
 * "analysts" or "a spokesman" is anyone. */
static bool definite_person(const NgDocument *doc, const NgPhrase *p) {
  const NgToken *head = &doc->tokens[p->head], *first = &doc->tokens[p->first];
  if (p->plural || !head->vocab || !(head->vocab->wf & NG_WF_AGENT) || head->vocab->nclass != NG_NC_PERSON)
    return false;
  return !strcmp(first->norm, "the") || first->pos == NG_POS_POSS || first->pos == NG_POS_GEN ||
         (p->first < p->head && doc->tokens[p->first + 1].pos == NG_POS_GEN);
}

/* "Italy's Illva Saronno", "German marques Mercedes Benz", "the Scottish
 * Environment Protection Agency": a name the lexicon does not know, after
 * the country it belongs to, is the one the phrase names - not the country
 * (audits Q-S: Japan Hitachi, Italy, Scotland for SEPA).  The first token of
 * the capitalised run that ends at the phrase's head, or SIZE_MAX. */
static size_t name_in_country(const NgDocument *doc, const NgPhrase *p, const NgMention *country) {
  const NgToken *tok = doc->tokens;
  if (country->kind != NG_KIND_COUNTRY || p->pronoun || tok[p->head].pos != NG_POS_PROPN) return SIZE_MAX;
  if (p->head < country->first + country->count || p->head != p->last) return SIZE_MAX;
  size_t first = p->head;
  while (first > p->first && tok[first - 1].pos == NG_POS_PROPN && !(tok[first - 1].flags & NG_TOK_CLITIC)) first--;
  /* (the head word alone is no name of its own if it is a common noun capitalised: "Russia's President") */
  if (first == p->head && tok[first].vocab && (tok[first].vocab->wf & (NG_WF_NN | NG_WF_NNS))) return SIZE_MAX;
  for (size_t t = first; t <= p->head; ++t)
    if (tok[t].mention >= 0 && doc->mentions[tok[t].mention].kind != NG_KIND_COUNTRY) return SIZE_MAX;
  return first;
}

/* "A spokesman for Chelsea", "a spokeswoman for the Information
 * Commissioner's Office": one who speaks for an actor the sentence names -
 * the phrase after for/of when it names one (an actor of the lexicon or a
 * name), else -1.  (In the BBC corpus 94 statements had "spokesman" as
 * their actor; news, as CAMEO, gives a spokesman's word to the one he
 * speaks for.) */
static int32_t spoken_for(const NgDocument *doc, const NgPhrase *p) {
  static const char *const speakers[] = {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen",
                                         "spokespeople", "representative"};
  const NgToken *h = &doc->tokens[p->head];
  size_t after = p->last + 1;
  if (p->pronoun || after + 1 >= doc->ntokens || doc->tokens[after].pos != NG_POS_PREP ||
      (strcmp(doc->tokens[after].norm, "for") && strcmp(doc->tokens[after].norm, "of")))
    return -1;
  bool speaker = false;
  for (size_t k = 0; k < NG_COUNTOF(speakers) && !speaker; ++k) speaker = !strcmp(h->norm, speakers[k]);
  int32_t q = doc->tokens[after + 1].np;
  if (!speaker || q < 0 || doc->phrases[q].first != after + 1 || doc->phrases[q].pronoun) return -1;
  int32_t m = doc->phrases[q].mention;
  bool named = m >= 0 ? doc->mentions[m].code[0] && !role_only(doc->mentions[m].code)
                      : phrase_is_name(doc, &doc->phrases[q]);
  return named ? q : -1;
}

static NgStatus participant_of(NgDocument *doc, int32_t phrase, Participant *out) {
  memset(out, 0, sizeof *out);
  out->ref.label = out->ref.code = out->ref.text = out->ref.key = "";
  out->confidence = 1.0f;
  if (phrase < 0) return NG_SUCCESS;
  int32_t principal = spoken_for(doc, &doc->phrases[phrase]);
  if (principal >= 0) { /* its actor, the whole text */
    NgStatus st = participant_of(doc, principal, out);
    const NgPhrase *whole = &doc->phrases[phrase];
    out->ref.text = st ? NULL : ng_doc_span_text(doc, whole->first, doc->phrases[principal].last);
    out->ref.begin = NG_TOK_CBEGIN(doc, whole->first);
    out->confidence *= 0.9f;
    return st ? st : out->ref.text ? NG_SUCCESS : NG_ERR_NOMEM;
  }
  int32_t counted = counted_phrase(doc, phrase);
  if (counted != phrase) { /* the counted one's actor, the whole text */
    NgStatus st = participant_of(doc, counted, out);
    const NgPhrase *whole = &doc->phrases[phrase];
    out->ref.text = st ? NULL : ng_doc_span_text(doc, whole->first, doc->phrases[counted].last);
    out->ref.begin = NG_TOK_CBEGIN(doc, whole->first);
    return st ? st : out->ref.text ? NG_SUCCESS : NG_ERR_NOMEM;
  }
  const NgPhrase *p = &doc->phrases[phrase];
  const char *text = ng_doc_span_text(doc, p->first, p->last);
  if (!text) return NG_ERR_NOMEM;
  out->ref.text = text;
  out->ref.begin = NG_TOK_CBEGIN(doc, p->first);
  out->ref.end = NG_TOK_CEND(doc, p->last);
  int32_t via = p->pronoun ? -1 : mention_through_pp(doc, p);
  int32_t mention = p->mention >= 0 ? p->mention : via;
  out->agent = phrase_can_act(doc, p, mention);
  out->generic = !phrase_is_name(doc, p) && !definite_person(doc, p);
  out->plural = p->plural;
  out->pronoun = p->pronoun;
  out->amount = mention < 0 && phrase_is_amount(doc, p);
  size_t name_first = mention >= 0 && mention == p->mention ? name_in_country(doc, p, &doc->mentions[mention]) : SIZE_MAX;
  if (name_first != SIZE_MAX) { /* "Italy's Illva Saronno": the name, placed in the country */
    const char *label = ng_doc_span_text(doc, name_first, p->head);
    const char *slug = label ? ng_arena_slug(&doc->arena, label, strlen(label)) : NULL;
    const char *code = ng_arena_strndup(&doc->arena, doc->mentions[mention].code, 3);
    if (!slug || !code) return NG_ERR_NOMEM;
    out->ref.label = label;
    out->ref.key = slug;
    out->ref.code = code;
    out->confidence = 0.8f;
    out->known = true;
    out->agent = true;
    out->generic = false;
    return NG_SUCCESS;
  }
  if (mention >= 0) {
    const NgMention *m = &doc->mentions[mention];
    out->ref.label = m->label;
    out->ref.code = m->code;
    out->ref.key = m->key;
    out->confidence = m->confidence * (mention == p->mention ? 1.0f : 0.85f);
    out->known = true;
    /* "They have predicted ...", they being analysts: the kind of people
     * its antecedent is (capitalised at the start of its sentence) */
    if (p->pronoun && mention == p->mention && m->antecedent >= 0) {
      const NgMention *root = &doc->mentions[m->antecedent];
      int32_t rp = doc->tokens[root->first].np;
      out->plural = out->plural || m->plural || root->plural;
      bool someone = (root->person || root->kind == NG_KIND_PERSON) && !root->plural &&
                     !(rp >= 0 && doc->phrases[rp].plural);
      if (rp >= 0 && !root->pronoun && !someone &&
          !(root->code[0] && !is_role_only(root->code)) && !phrase_is_name(doc, &doc->phrases[rp]) &&
          !definite_person(doc, &doc->phrases[rp]))
        return NG_SUCCESS; /* (generic: set above) */
    }
    if (mention == p->mention && role_only(m->code) && via >= 0) {
      out->confidence *= 0.9f;
      out->generic = false; /* placed by its qualifier */
      return qualify_role(doc, m, &doc->mentions[via], out);
    }
    out->generic = out->generic && label_is_generic(m->label, m->code);
    return NG_SUCCESS;
  }
  if (p->pronoun) { /* unresolved pronoun: no actor */
    out->generic = false; /* not an agent at all: see phrase_can_act */
    out->ref.label = text;
    out->ref.key = "";
    out->confidence = 0.5f;
    return NG_SUCCESS;
  }
  const char *label = phrase_label(doc, p);
  const char *slug = label ? ng_arena_slug(&doc->arena, label, strlen(label)) : NULL;
  if (!slug) return NG_ERR_NOMEM;
  out->ref.label = label;
  out->ref.key = slug;
  out->confidence = 0.8f;
  return NG_SUCCESS;
}

/* The placed actor (not a bare role) a phrase names, directly or through
 * an of/from/by/with phrase; -1 if none. */
static int32_t phrase_actor(const NgDocument *doc, int32_t phrase) {
  if (phrase < 0) return -1;
  phrase = counted_phrase(doc, phrase);
  const NgPhrase *p = &doc->phrases[phrase];
  if (p->mention >= 0 && doc->mentions[p->mention].code[0] && !role_only(doc->mentions[p->mention].code))
    return p->mention;
  return p->pronoun ? -1 : mention_through_pp(doc, p);
}

/* Whether a phrase names someone who can act: a placed actor, or a role
 * ("five prisoners") - not a thing the lexicon knows ("the iPhone"). */
static bool names_actor(const NgDocument *doc, int32_t phrase) {
  if (phrase < 0) return false;
  if (phrase_actor(doc, phrase) >= 0) return true;
  int32_t m = doc->phrases[counted_phrase(doc, phrase)].mention;
  return m >= 0 && doc->mentions[m].code[0];
}

/* Whether a match of a saying verb's pattern runs into a clause it
 * reports: "announced that it is prepared to impose martial law" is the
 * report of an intent, coded from the reported clause. */
static bool covers_report(const NgDocument *doc, const NgVerbGroup *g, size_t end_token) {
  int32_t k = (int32_t)(g - doc->groups);
  for (size_t j = (size_t)k + 1; j < doc->ngroups && doc->groups[j].head <= end_token; ++j)
    if (doc->groups[j].attribution == k) return true;
  return false;
}

/* ----------------------------------------------------------- reading */

typedef struct {
  const char *code;    /* "" for open events */
  const char *label;
  const char *rule;
  double confidence;
  int32_t source, target; /* phrases */
  int32_t reported;       /* a statement's: the named actor whose act it tells, or -1 */
  size_t action_first, action_last;
  size_t match_end;        /* last token a pattern covered (0: none) */
  bool symmetric;
  const char *modality;
  bool negated;
} Reading;

/* "ruled out", "played down", "pointed out", "put forward", "drafted in":
 * a verb whose particle makes another act of it (the blind audits read
 * "Blair has ruled out a debate" as "rules").  The particle right after the
 * verb, or 0.  The pairs are those news uses with a meaning of their own. */
static size_t phrasal_particle(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  static const char *const pairs[] = {
      "rule out", "point out", "play down", "put forward", "give away", "draft in", "set out",
      "step down", "carry out", "take over", "pull out", "back down", "call off", "turn down",
      "sign up", "set up", "shut down", "close down", "cut back", "bring in", "bring forward",
      "hand over", "win back", "stand down", "spell out", "lay out", "phase out", "break up",
      "sell off", "buy out", "wipe out", "write off", "scale back", "roll out", "throw out",
      "knock down", "vote down", "hold back", "stand by", "back up", "step up", "water down",
      "look into", "kick off", "fire up", "go back", "hit back", "speak out", "sign off"};
  const NgSentence *s = &doc->sents[sentence];
  size_t p = g->head + 1;
  if (p >= s->first + s->count || !g->lemma) return 0;
  const char *part = doc->tokens[p].norm;
  size_t n = strlen(g->lemma);
  for (size_t k = 0; k < NG_COUNTOF(pairs); ++k)
    if (!strncmp(pairs[k], g->lemma, n) && pairs[k][n] == ' ' && !strcmp(pairs[k] + n + 1, part)) return p;
  return 0;
}

/* The lemma of a phrase's head noun, or its word. */
static const char *head_noun(const NgDocument *doc, int32_t phrase) {
  const NgToken *h = &doc->tokens[doc->phrases[phrase].head];
  return h->vocab && h->vocab->lemma && (h->vocab->wf & (NG_WF_NN | NG_WF_NNS)) ? h->vocab->lemma : h->norm;
}

static bool object_is_content(const NgVerbGroup *g);

/* "launched a £1.5m bid for Sunderland", "held talks with Verizon",
 * "took legal action against Orange": when the object is an act, the one
 * it is done to follows it after a preposition, and is the target (the
 * blind audits' commonest fault was a counterpart the sentence names left
 * out). */
static void counterpart_of_act(const NgDocument *doc, size_t sentence, const NgVerbGroup *g, Reading *r) {
  static const char *const acts[] = {
      "bid", "offer", "deal", "talks", "action", "lawsuit", "case", "campaign", "attack", "criticism",
      "appeal", "complaint", "claim", "approach", "agreement", "pact", "contract", "negotiations",
      "negotiation", "meeting", "war", "charge", "insult", "settlement", "sanction", "accusation",
      "allegation", "threat", "proposal", "demand", "warning", "request", "protest", "suit",
      "proceedings", "partnership", "alliance", "merger", "takeover", "venture", "tie-up", "truce",
      "ceasefire", "treaty", "dispute", "battle", "fight", "row", "strike", "raid", "investigation",
      "probe", "inquiry", "letter", "message", "call", "plea", "ultimatum", "challenge", "pressure",
      "support", "aid", "loan", "payment", "order", "ban", "fine", "overture", "story",
      "account", "evidence", "package", "guidance", "advice", "instruction", "instructions",
      "directive", "notice", "invitation", "assurance", "assurances", "guarantee", "ruling"};
  /* "bought 49% of National Bank of Iraq", "to invest 2.47bn rupees in
   * United", "took a stake in Fuso": what is bought or put in is a
   * share of the one named after it (audit O) */
  static const char *const holdings[] = {"stake", "share", "shares", "holding", "sum"};
  static const char *const preps[] = {"for", "against", "with", "on", "over", "to", "from", "at", "into"};
  static const char *const share_preps[] = {"of", "in", "for"};
  if (r->target < 0 || r->target != g->object || object_is_content(g)) return; /* "says evidence from" */
  const NgPhrase *o = &doc->phrases[r->target];
  const char *word = doc->tokens[o->head].norm, *noun = head_noun(doc, r->target); /* "fraud charges": its lemma */
  bool share = phrase_is_amount(doc, o) || one_of(word, holdings, NG_COUNTOF(holdings));
  if (!share && !one_of(word, acts, NG_COUNTOF(acts)) && !one_of(noun, acts, NG_COUNTOF(acts))) return;
  const NgSentence *s = &doc->sents[sentence];
  /* (the preposition may be inside the object's phrase or right after it) */
  bool hopped = false;
  size_t end = o->last + 1;
  for (size_t p = o->head + 1; p <= end && p + 1 < s->first + s->count; ++p) {
    if (share ? !one_of(doc->tokens[p].norm, share_preps, NG_COUNTOF(share_preps))
              : !one_of(doc->tokens[p].norm, preps, NG_COUNTOF(preps)))
      continue;
    /* (past a thing, only "against" still names whom: "calls for a tax on
     * profits", "took charge of the squad" do not) */
    if (hopped && strcmp(doc->tokens[p].norm, "against")) return;
    int32_t q = doc->tokens[p + 1].np;
    int32_t qm = q >= 0 ? doc->phrases[q].mention : -1;
    bool named = q >= 0 && (phrase_actor(doc, q) >= 0 ||
                            (qm >= 0 && doc->mentions[qm].kind != NG_KIND_OTHER &&
                             doc->mentions[qm].kind != NG_KIND_NONE) ||
                            doc->tokens[doc->phrases[q].head].pos == NG_POS_PROPN);
    if (q >= 0 && (doc->tokens[doc->phrases[q].head].flags & (NG_TOK_TIMEX | NG_TOK_DIGIT))) return; /* "at 1830 GMT" */
    if (q == r->target) return;
    /* "made a claim for damages against the Russian government": one
     * unnamed thing may come between the act and the one it is done to,
     * when "against" names that one */
    if (!named && !hopped && q >= 0 && !share) {
      hopped = true;
      p = doc->phrases[q].last; /* the loop's ++p lands after it: the next preposition or nothing */
      end = p + 1;
      continue;
    }
    if (!named) return;
    r->target = q;
    r->action_last = p; /* "launched a bid for" */
    return;
  }
}

static bool after_according_to(const NgDocument *doc, int32_t phrase) {
  size_t f = doc->phrases[phrase].first;
  return f >= 2 && !strcmp(doc->tokens[f - 1].norm, "to") && !strcmp(doc->tokens[f - 2].norm, "according");
}

/* What one verb group says, before governors and attribution. */
static bool read_group(NgDocument *doc, size_t sentence, NgShadow *sh, const NgVerbGroup *g,
                       Reading *r) {
  bool passive = (g->flags & NG_VG_PASSIVE) != 0;
  memset(r, 0, sizeof *r);
  r->reported = -1;
  r->modality = "";
  r->action_first = g->first;
  r->action_last = g->head;
  r->negated = (g->flags & NG_VG_NEG) != 0;
  /* "played no part in", "made no comment", "gave no details": what was
   * done is nothing (audit O: "played no part" was an act) */
  if (!passive && g->object >= 0 && !strcmp(doc->tokens[doc->phrases[g->object].first].norm, "no"))
    r->negated = !r->negated;
  int32_t agent = passive ? ng_passive_agent(doc, sentence, g->head) : -1;
  r->source = passive ? agent : g->subject;
  r->target = passive ? g->subject : g->object;
  NgPatternMatch m;
  bool matched = false;
  for (size_t first = 0; g->verb && ng_pattern_match(doc, sentence, sh, g, first, &m); first = m.index + 1) {
    /* [actor]: "released five prisoners" is coded, "released a new phone" not */
    int32_t t = m.target_phrase >= 0 ? m.target_phrase : passive ? g->subject : g->object;
    /* "providing jobs ..., according to the World Travel and Tourism
     * Council": the source of the report is no target (audit O) */
    if (m.target_phrase >= 0 && after_according_to(doc, m.target_phrase)) continue;
    if ((matched = (!m.info->needs_actor || names_actor(doc, t)) && !covers_report(doc, g, m.end_token))) break;
  }
  if (matched) {
    r->code = m.info->code;
    r->label = m.info->label;
    r->rule = m.info->rule;
    r->confidence = m.info->confidence;
    r->symmetric = m.info->symmetric;
    if (m.source_phrase >= 0) {
      r->source = m.source_phrase;
      r->target = m.target_phrase >= 0 ? m.target_phrase : g->subject;
    } else if (m.target_phrase >= 0) {
      r->target = m.target_phrase;
    } else if (!m.info->has_target) {
      /* the object, unless the pattern's own words are it ("widens sanctions") */
      int32_t o = passive ? g->subject : g->object;
      bool pattern_words = o >= 0 && !passive && doc->phrases[o].first <= m.end_token;
      /* ... but an actor it names stays the target ("expelled two Moldovan
       * diplomats", "expelled inspectors of the IAEA") */
      r->target = pattern_words && phrase_actor(doc, o) < 0 ? -1 : o;
    }
    r->match_end = m.end_token;
    if (m.target_phrase < 0 && m.source_phrase < 0) counterpart_of_act(doc, sentence, g, r); /* "agreed a deal with" */
    /* "gave the Ivory Coast 5.1 million dollars of aid for development":
     * a target that names nobody gives way to an object that does */
    if (!passive && m.source_phrase < 0 && r->target >= 0 && r->target != g->object && g->object >= 0 &&
        g->object != r->source &&
        phrase_actor(doc, r->target) < 0 && phrase_actor(doc, g->object) >= 0)
      r->target = g->object;
    /* the action: the verb and the pattern's words up to the target */
    if (r->target >= 0 && doc->phrases[r->target].first > g->head)
      r->action_last = doc->phrases[r->target].first - 1;
    else if (m.end_token >= g->head)
      r->action_last = m.end_token;
    while (r->action_last > g->head && (doc->tokens[r->action_last].flags & NG_TOK_PUNCT)) r->action_last--;
    return true;
  }
  if (g->verb && g->verb->has_default &&
      !(g->verb->dflt.needs_actor && !names_actor(doc, r->target))) {
    const NgPatternInfo *d = &g->verb->dflt;
    r->code = d->code;
    r->label = d->label;
    r->rule = d->rule;
    r->confidence = d->confidence;
    r->symmetric = d->symmetric;
    counterpart_of_act(doc, sentence, g, r);
    return true;
  }
  const NgVocab *lv = ng_lexicon_word(doc->lex, g->lemma, strlen(g->lemma));
  if (!lv || !lv->verb_lemma) return false; /* a lemma the word tables do not know */
  r->code = "";
  r->label = ng_lexicon_open_label(&doc->arena, lv->text);
  r->rule = ng_lexicon_open_rule(&doc->arena, lv->text);
  if (!r->label || !r->rule) return false; /* out of memory: this verb gives no event */
  r->confidence = 0.6;
  counterpart_of_act(doc, sentence, g, r);
  size_t particle = phrasal_particle(doc, sentence, g);
  if (particle) { /* "has ruled out taking part": the act is ruling out */
    r->label = ng_arena_printf(&doc->arena, "%s %s", r->label, doc->tokens[particle].norm);
    if (!r->label) return false;
    if (r->action_last < particle) r->action_last = particle;
  }
  return true;
}

/* Whether a phrase names someone rather than something: an actor, a person
 * or a group the lexicon knows or not ("the information commissioner", "a
 * judge", "him"), not a thing ("plans", "the economy", "sales"). */
static bool names_someone(const NgDocument *doc, int32_t phrase) {
  if (names_actor(doc, phrase)) return true;
  const NgPhrase *p = &doc->phrases[phrase];
  const NgToken *h = &doc->tokens[p->head];
  if (p->pronoun) return strcmp(h->norm, "it") && strcmp(h->norm, "itself");
  if (p->mention >= 0 || phrase_is_name(doc, p)) return true;
  const NgVocab *v = h->vocab;
  return v && (v->nclass == NG_NC_PERSON || v->nclass == NG_NC_GROUP || (v->wf & NG_WF_AGENT));
}

/* Fold a governing verb of modality into the reading of its complement:
 * "threatened to impose sanctions on X" is one threat of sanctions. */
static void apply_governor(NgDocument *doc, size_t sentence, NgShadow *sh, const NgVerbGroup *gov,
                           const NgVerbGroup *g, Reading *r) {
  int mod = gov->verb ? gov->verb->modality : NG_MOD_NONE;
  if (g->gov_word) { /* "is prepared to", "ready to": the adjective's class */
    const NgVocab *a = doc->tokens[g->gov_word].vocab;
    const NgVocab *al = a && a->lemma ? ng_lexicon_word(doc->lex, a->lemma, strlen(a->lemma)) : NULL;
    const NgVerb *av = a && a->verb ? a->verb : al ? al->verb : NULL;
    if (av && av->modality) mod = av->modality;
  }
  if (mod == NG_MOD_NONE) return;
  /* "wants Putin to ...": an appeal; not "have agreed plans to merge" (audit
   * AB: coded 020), whose object is no one */
  if (mod == NG_MOD_INTENT && g->ctrl_object >= 0 && names_someone(doc, g->ctrl_object)) mod = NG_MOD_APPEAL;
  const char *changed = r->code[0] ? ng_lexicon_transform(doc->lex, mod, r->code) : NULL;
  Reading own;
  bool have_own = read_group(doc, sentence, sh, gov, &own);
  if (changed) {
    r->code = changed;
    const NgCameo *c = ng_lexicon_cameo(doc->lex, changed);
    if (c) r->label = c->label;
  } else if (!r->code[0] && have_own && own.code[0]) {
    /* "threatened to walk out", "agreed to set up a centre": the governor's
     * own code, read through the same table (agree 019 -> intent 030) */
    const char *own_changed = ng_lexicon_transform(doc->lex, mod, own.code);
    r->code = own_changed ? own_changed : own.code;
    const NgCameo *c = own_changed ? ng_lexicon_cameo(doc->lex, own_changed) : NULL;
    r->label = c ? c->label : own.label;
  }
  bool appeal = mod == NG_MOD_APPEAL || mod == NG_MOD_DEMAND;
  if (appeal && (gov->flags & NG_VG_PASSIVE)) {
    /* "Obama is being pressured by Congress to help Iran": the agent
     * demands, the subject is asked */
    r->source = ng_passive_agent(doc, sentence, gov->head);
    r->target = gov->subject;
  } else {
    r->source = gov->subject;
    if (appeal && g->ctrl_object >= 0) r->target = g->ctrl_object; /* "urged Russia to ..." */
  }
  r->modality = modality_names[mod];
  r->action_first = gov->first;
  if (gov->flags & NG_VG_NEG) r->negated = !r->negated;
  r->rule = ng_arena_printf(&doc->arena, "%s+%s", gov->lemma, r->rule);
}

/* ------------------------------------------------------------- dates */

static bool timex_modifies_at(const NgDocument *doc, size_t lo);

/* The index of the token starting at byte begin, or ntokens. */
static size_t token_starting_at(const NgDocument *doc, uint32_t begin) {
  const NgToken *tok = doc->tokens;
  size_t lo = 0, hi = doc->ntokens;
  while (lo < hi) { /* the token starting at begin */
    size_t mid = (lo + hi) / 2;
    if (tok[mid].begin < begin) lo = mid + 1;
    else hi = mid;
  }
  return lo < doc->ntokens && tok[lo].begin == begin ? lo : doc->ntokens;
}

/* A time expression that names or qualifies a thing rather than dating an
 * event: part of a name ("Developers Conference 2010") or a modifier after a
 * determiner ("the 2011 version", "its 2004 plan"). */
static bool timex_modifies_at(const NgDocument *doc, size_t lo) {
  const NgToken *tok = doc->tokens;
  const NgToken *prev = &tok[lo - 1];
  if (prev->pos == NG_POS_DET || prev->pos == NG_POS_POSS || prev->pos == NG_POS_GEN) return true;
  return prev->pos == NG_POS_PROPN && !(prev->flags & NG_TOK_TIMEX) && (tok[lo].flags & NG_TOK_DIGIT);
}

/* Does the time expression at token t date group g?  Not if it names or
 * qualifies a thing, nor if it follows another verb directly ("announced
 * Monday it has settled": Monday dates the announcement), nor after
 * "since". */
static bool timex_dates(const NgDocument *doc, size_t t, const NgVerbGroup *g) {
  if (t == 0 || t >= doc->ntokens || timex_modifies_at(doc, t)) return false;
  /* "has been fighting since 2004": when an ongoing state began, not the
   * time of the event reported (which holds at the article date) */
  if (!strcmp(doc->tokens[t - 1].norm, "since")) return false;
  if (t < g->first) {
    size_t p = t - 1;
    if (p > 0 && doc->tokens[p].pos == NG_POS_PREP) p--;
    if (doc->tokens[p].pos == NG_POS_VERB && p != g->head) return false;
  }
  return true;
}

/* Is token t inside what statement g reports (a clause attributed to it,
 * or governed by it: "is predicting profits to rise 50% in 2005")?  A
 * statement is dated by its own clause: "down from 12.3% in 2003, the IBGE
 * said" and "said the White Paper, published in December 2003, was flawed"
 * tell nothing of when they were said. */
static bool inside_reported(const NgDocument *doc, const NgVerbGroup *g, size_t t) {
  if (!g->verb || !g->verb->attribution) return false;
  int32_t k = (int32_t)(g - doc->groups);
  for (size_t j = 0; j < doc->ngroups; ++j) {
    const NgVerbGroup *h = &doc->groups[j];
    if ((h->attribution == k || h->governor == k) && t >= h->clause_begin && t < h->clause_end &&
        !(t >= g->first && t <= g->last))
      return true;
  }
  return false;
}

static void event_date(NgDocument *doc, size_t sentence, const NgVerbGroup *g, const char **date,
                       const char **source) {
  const NgToken *tok = doc->tokens;
  uint32_t b = tok[g->clause_begin].begin, e = tok[g->clause_end - 1].end;
  const NgDocTimex *best = NULL;
  uint32_t head = tok[g->head].begin, best_dist = UINT32_MAX;
  /* Timexes are added sentence by sentence, and a sentence's events are
   * found right after its timexes: its own are at the end of the array.
   * (A pass over all of them made long articles quadratic: 16 MB on one
   * line took minutes.) */
  for (size_t i = doc->ntimexes; i-- > 0;) {
    const NgDocTimex *t = &doc->timexes[i];
    if (t->sentence < sentence) break;
    if (t->sentence != sentence || !t->m.value[0]) continue;
    uint32_t tb = doc->sents[sentence].begin + (uint32_t)t->m.begin;
    size_t tt = token_starting_at(doc, tb);
    if (tb < b || tb >= e || !timex_dates(doc, tt, g) || inside_reported(doc, g, tt)) continue;
    uint32_t dist = tb > head ? tb - head : head - tb;
    if (dist <= best_dist) { /* <=: the first of equals wins, as it did going forwards */
      best = t;
      best_dist = dist;
    }
  }
  /* a copy: the timex array moves as later sentences add to it */
  if (best && (*date = ng_arena_strndup(&doc->arena, best->m.value, strlen(best->m.value)))) {
    *source = "text";
  } else if (doc->date[0]) {
    *date = doc->date; /* news convention: the report's events are dated by the report */
    *source = "article";
  } else {
    *date = *source = "";
  }
}

/* ----------------------------------------------------------- background */

/* The last day of the period an ISO value names (YYYY, YYYY-MM,
 * YYYY-MM-DD) as days since 1970 (base/date.c); false for anything else
 * (weeks, seasons). */
static bool period_end(const char *v, long *days) {
  size_t n = strlen(v);
  NgDate d;
  if ((n != 4 && n != 7 && n != 10) || !ng_date_parse(v, &d)) return false;
  if (!d.month) d.month = 12;
  if (!d.day) d.day = ng_days_in_month(d.year, d.month);
  *days = ng_date_to_days(d);
  return true;
}

/* Does a verb of saying come before group g in sentence s ("Universal
 * said on Wednesday it had bought")?  (The sentence's groups before g,
 * with the lexicon entries clause.c looked up for them.) */
static bool said_before(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  for (const NgVerbGroup *h = g; h-- > doc->groups && h->head >= s->first;)
    if (h->verb && h->verb->attribution) return true;
  return false;
}

/* Is a date of the text's own old: ended more than 90 days before the
 * article's date ("in 2003" in a story of June 2004; "in December" in one
 * of January is news), or, with no article date, a bare year or month
 * ("moved to the US in 1999"), as news dates its acts by the day or not at
 * all? */
static bool old_date(const NgDocument *doc, const char *date) {
  long end, article;
  if (!period_end(date, &end)) return false;
  if (!doc->date[0]) return strlen(date) < 10;
  return period_end(doc->date, &article) && end + 90 < article;
}

/* Is a done act told as the story's past, not its news (audit U's reader
 * judged 25 of 197 events "background": an obituary's career, the history
 * of a court case, "had bought")?  Two signs, both of the clause itself:
 * - the past perfect with no date of its own, when no one reports it
 *   ("Cairn had bought the rights"; in "Cairn said it had bought" it is
 *   the speaker's "has bought", told in the past; "last Friday the
 *   minister had announced" is dated news);
 * - the past tense with an old date of its own (old_date), or in a clause
 *   of "since";
 * - the perfect with "already". */
static bool told_as_background(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g, const char *date,
                               const char *date_source) {
  bool dated = !strcmp(date_source, "text");
  if (g->flags & (NG_VG_MODAL | NG_VG_FUTURE)) return false;
  /* "Mr Myers has already pleaded guilty", "ONGC has already bought
   * stakes": what is done already is the story's past (audit W) */
  if (g->flags & NG_VG_PERFECT)
    for (size_t t = g->first; t < g->head; ++t)
      if (!strcmp(doc->tokens[t].norm, "already")) return true;
  if (!(g->flags & NG_VG_PAST)) return false;
  /* "the first such talks since he took office": the time a clause of
   * "since" measures from is the story's past (audit V) */
  size_t opens = g->subject >= 0 ? doc->phrases[g->subject].first : g->first;
  if (opens > s->first && !strcmp(doc->tokens[opens - 1].norm, "since")) return true;
  if (dated) return old_date(doc, date);
  return (g->flags & NG_VG_PERFECT) && g->attribution < 0 && !said_before(doc, s, g);
}

/* ------------------------------------------------------------ emission */

typedef struct {
  size_t sentence;
  const char *sentence_text;
  const NgVerbGroup *g;
  const Reading *r;
  const char *date, *date_source;
  NgFactuality factuality;
} EmitCtx;

/* The one country a sentence names, or NULL if it names none or several
 * (countries, their people, capitals, composed actors, persons). */
static const NgActorEntry *sole_country(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  const NgActorEntry *found = NULL;
  for (size_t t = s->first; t < s->first + s->count; ++t) {
    int32_t m = doc->tokens[t].mention;
    if (m < 0 || !has_country_prefix(doc->mentions[m].code)) continue;
    const NgActorEntry *c = ng_lexicon_country(doc->lex, doc->mentions[m].code);
    if (!c) continue;
    if (found && found != c) return NULL;
    found = c;
  }
  /* a sentence that names no country happens where the dateline says */
  return found ? found : doc->dateline_country;
}

/* "Mozambique's government accepted demands from rebels", "President
 * Bouteflicka threatened a curfew in Algiers": a bare role in a sentence
 * that names one country belongs to it ("Police detained 700" under the
 * dateline "MINSK": to the dateline's). */
static NgStatus place_in(NgDocument *doc, const NgActorEntry *c, Participant *p) {
  if (!c) return NG_SUCCESS;
  const char *role = p->ref.code;
  char lower[4] = {(char)(role[0] + 32), (char)(role[1] + 32), (char)(role[2] + 32), 0};
  p->ref.code = ng_arena_printf(&doc->arena, "%s%s", c->code, role);
  bool person = strchr(p->ref.label, ' ') && ng_is_upper_at(p->ref.label, strlen(p->ref.label));
  if (!person) { /* a named person keeps the name; a role becomes "Haiti military" */
    p->ref.label = ng_arena_printf(&doc->arena, "%s %s", c->label, p->ref.label);
    p->ref.key = ng_arena_printf(&doc->arena, "%s-%s", c->key, lower);
  }
  p->confidence *= 0.8f;
  return p->ref.code && p->ref.label && p->ref.key ? NG_SUCCESS : NG_ERR_NOMEM;
}

static NgStatus place_role(NgDocument *doc, size_t sentence, Participant *p) {
  if (!p->ref.code[0] || !ng_code_is_role(p->ref.code)) return NG_SUCCESS;
  return place_in(doc, sole_country(doc, sentence), p);
}

/* The country an article is about, as far as sentence: the one its actors
 * name most often, at least three times and twice as often as any other
 * (a BBC politics story names Britain throughout without a dateline). */
static const NgActorEntry *article_country(NgDocument *doc, size_t sentence) {
  size_t end = doc->sents[sentence].first + doc->sents[sentence].count;
  /* count the mentions read since the last call (mentions come in reading
   * order, a sentence at a time), so that a long article costs linear time */
  while (doc->countries_counted < doc->nmentions && doc->mentions[doc->countries_counted].first < end) {
    const NgMention *mm = &doc->mentions[doc->countries_counted++];
    if (!has_country_prefix(mm->code)) continue;
    const NgActorEntry *c = ng_lexicon_country(doc->lex, mm->code);
    if (!c) continue;
    size_t k = 0;
    while (k < doc->nnamed_countries && doc->named_countries[k].country != c) k++;
    if (k == doc->nnamed_countries) {
      if (k == NG_COUNTOF(doc->named_countries)) continue; /* (a 17th country is no article's own) */
      doc->named_countries[k].country = c;
      doc->named_countries[k].count = 0;
      doc->nnamed_countries++;
    }
    doc->named_countries[k].count++;
  }
  const NgActorEntry *best = NULL;
  size_t nbest = 0, nsecond = 0;
  for (size_t k = 0; k < doc->nnamed_countries; ++k) {
    size_t n = doc->named_countries[k].count;
    if (n > nbest) {
      nsecond = nbest;
      nbest = n;
      best = doc->named_countries[k].country;
    } else if (n > nsecond) {
      nsecond = n;
    }
  }
  return nbest >= 3 && nbest >= 2 * nsecond ? best : NULL;
}

/* "A year ago, ministers launched their plan", "police arrested": an
 * institution of a state (government, legislature, courts, police, army)
 * is an actor of the country the article is about,
 * where "analysts" or "consumers" stay a kind of people. */
static NgStatus place_institution(NgDocument *doc, size_t sentence, Participant *p) {
  static const char *const institutions[] = {"GOV", "LEG", "JUD", "COP", "MIL"};
  if (!p->ref.code[0] || !ng_code_is_role(p->ref.code) || !one_of(p->ref.code, institutions, NG_COUNTOF(institutions)))
    return NG_SUCCESS;
  /* (the article's country, not the one the sentence happens to name:
   * "Ministry of Defence lawyers argued the area of southern Iraq ...") */
  return p->pronoun ? NG_SUCCESS : place_in(doc, article_country(doc, sentence), p);
}

/* A protest names whom it protests against rarely: by default the
 * protesters' own government (the convention of CAMEO coders). */
static NgStatus protest_target(NgDocument *doc, const Participant *src, Participant *tgt) {
  const NgActorEntry *c = has_country_prefix(src->ref.code) ? ng_lexicon_country(doc->lex, src->ref.code) : NULL;
  if (!c) return NG_SUCCESS;
  tgt->ref.label = ng_arena_printf(&doc->arena, "%s government", c->label);
  tgt->ref.code = ng_arena_printf(&doc->arena, "%sGOV", c->code);
  tgt->ref.key = ng_arena_printf(&doc->arena, "%s-gov", c->key);
  tgt->ref.text = "";
  tgt->confidence = 0.6f;
  return tgt->ref.label && tgt->ref.code && tgt->ref.key ? NG_SUCCESS : NG_ERR_NOMEM;
}

/* Verbs whose object is what is said or thought, never whom it is said
 * to ("said the outlook was poor", "denied them", "repeated his party's
 * calls"); "told", "urged", "warned" name a hearer instead. */
static bool object_is_content(const NgVerbGroup *g) {
  static const char *const saying[] = {"say", "add", "argue", "claim", "suggest", "insist", "note",
                                       "state", "reckon", "believe", "think", "deny", "admit",
                                       "repeat", "predict", "contend", "maintain", "explain",
                                       "acknowledge", "concede", "stress", "write", "report", "feel",
                                       "allege", "estimate", "calculate", "reply", "respond", "indicate",
                                       "signal", "hint"};
  return one_of(g->lemma, saying, NG_COUNTOF(saying));
}

/* A one-word phrase that is a verb's base form far more often than a noun:
 * the bare infinitive after "help" or "make" ("had helped keep the party
 * out of power"), not whom the act is done to. */
static bool bare_verb(const NgDocument *doc, int32_t phrase) {
  const NgPhrase *p = &doc->phrases[phrase];
  if (p->first != p->last || p->mention >= 0 || p->pronoun) return false;
  const NgToken *t = &doc->tokens[p->head];
  const NgVocab *v = t->vocab;
  return v && v->verb_lemma && !(t->flags & NG_TOK_CAP) && v->vfreq > 4 * v->nfreq &&
         !strcmp(v->text, v->key);
}


/* "Russian newspapers claimed", "unions say", "one leading Karachi broker
 * said", "analysts reckon": what a kind of people or an unnamed commentator
 * says is no event, wherever they are placed - the readers of audits R-V
 * judged such speakers junk (the prompt: a statement is an event when its
 * speaker is named).  A single unnamed source of an actor ("a spokeswoman
 * said") stays: it speaks for someone. */
static bool unnamed_commentary(const NgDocument *doc, const EmitCtx *c, const Reading *r, const Participant *src) {
  static const char *const commentators[] = {"analyst", "economist", "broker", "trader", "dealer", "expert",
                                             "observer", "commentator", "strategist", "source", "insider",
                                             "pundit", "critic"};
  /* (officials, ministers, prosecutors speak for their institution) */
  static const char *const institutions[] = {"GOV", "JUD", "MIL", "LEG", "OPP", "PTY", "COP", "SPY", "ELI"};
  if (!c->g->verb || !c->g->verb->attribution || (r->code[0] && strcmp(r->code, "010")) || r->source < 0)
    return false;
  const NgPhrase *p = &doc->phrases[r->source];
  if (p->pronoun || phrase_is_name(doc, p)) return false;
  const NgToken *h = &doc->tokens[p->head];
  const char *lemma = h->vocab && h->vocab->lemma ? h->vocab->lemma : h->norm;
  if (one_of(lemma, commentators, NG_COUNTOF(commentators))) return true;
  if (!src->plural) return false;
  /* (a kind of people, placed or not - not the people of a named body:
   * "Yukos lawyers", "Opec members") */
  int32_t m = p->mention;
  if (m >= 0 && doc->mentions[m].kind != NG_KIND_ROLE && doc->mentions[m].kind != NG_KIND_COUNTRY) return false;
  size_t n = strlen(src->ref.code);
  if (n < 3) return src->generic;
  return !one_of(src->ref.code + n - 3, institutions, NG_COUNTOF(institutions));
}

static NgStatus emit_one(NgDocument *doc, const EmitCtx *c, const Participant *src_in, const Participant *tgt_in) {
  const Reading *r = c->r;
  const NgSentence *s = &doc->sents[c->sentence];
  Participant src_placed = *src_in, tgt_placed = *tgt_in;
  const Participant *src = &src_placed, *tgt = &tgt_placed;
  if (r->code[0]) {
    NgStatus pst = place_role(doc, c->sentence, &src_placed);
    if (!pst) pst = place_role(doc, c->sentence, &tgt_placed);
    /* "staged mass demonstrations": what a protest names that is no actor
     * is the protest itself, not whom it is against */
    if (!pst && !strncmp(r->code, "14", 2) && !tgt_placed.ref.code[0])
      pst = protest_target(doc, &src_placed, &tgt_placed);
    if (pst) return pst;
  }
  /* An event is an act of someone who can act: not of "educational
   * reforms", "the bill", "more than 80 percent", an unresolved pronoun,
   * nor of nobody ("were killed" names no one who killed). */
  if (!src->agent) return NG_SUCCESS;
  if (!r->code[0] && src->generic) {
    NgStatus pst = place_institution(doc, c->sentence, &src_placed);
    if (pst) return pst;
    /* "The bloc froze the assets ..., officials said": officials who speak
     * of another actor's act are as likely that actor's - left unplaced */
    bool saying = c->g->verb && c->g->verb->attribution;
    const char *other = tgt->ref.code;
    if (saying && !other[0] && r->reported >= 0) { /* (or the one whose act is told, no target) */
      int32_t m = doc->phrases[r->reported].mention;
      other = m >= 0 ? doc->mentions[m].code : "";
    }
    if (saying && other[0] && has_country_prefix(src_placed.ref.code) && strncmp(other, src_placed.ref.code, 3))
      src_placed = *src_in;
  }
  /* a role that a coded event names stays: CAMEO codes "guerrillas overran"
   * as rebels (REB) - what a coder records - where "people coming" is no
   * event; and a statement keeps a single unnamed source ("a spokeswoman
   * said"), not a kind of people ("analysts say", "City experts say": the
   * second blind audit judged these no events) */
  if (src->generic && !has_country_prefix(src->ref.code) && !(r->code[0] && src->ref.code[0]) &&
      !(c->g->verb && c->g->verb->attribution && !src->plural))
    return NG_SUCCESS;
  if (unnamed_commentary(doc, c, r, src)) return NG_SUCCESS;
  /* what an act is done to is no number ("bought 100% of ..."), nor what
   * is said: "Howard said Tory policies would ..." is a statement with no
   * one it is made to (the object of "said" is the subject of its clause) */
  if (tgt->amount || (r->target >= 0 && r->target == c->g->object && object_is_content(c->g)) ||
      (r->target >= 0 && bare_verb(doc, r->target))) {
    tgt_placed.ref.label = tgt_placed.ref.code = tgt_placed.ref.text = tgt_placed.ref.key = "";
    tgt_placed.ref.begin = tgt_placed.ref.end = 0;
  }
  /* The target is someone: "launched their pre-election platform", "praised
   * the move", "tabled a motion" name a thing, which stays in the event's
   * words (its target text, the mention's provenance) but is no participant
   * of the graph - it was an actor node "pre-election-platform" (audit Q's
   * reader judged 21 such targets wrong, 15 right) */
  if (tgt->ref.label[0] && !tgt->known && !tgt->agent && !tgt->pronoun && tgt->ref.label == tgt_in->ref.label) {
    tgt_placed.ref.label = tgt_placed.ref.code = tgt_placed.ref.key = "";
  }
  /* A CAMEO code needs a participant placed in the world (a country, an
   * organisation): "a protester demolished the building" stays open; so
   * does an act of someone the lexicon does not know ("analysts"). */
  const char *code = r->code;
  if (code[0] && is_role_only(src->ref.code) && is_role_only(tgt->ref.code)) code = "";
  if (code[0] && !src->known) code = "";
  NgEvent *e = ng_doc_add_event(doc);
  if (!e) return NG_ERR_NOMEM;
  memset(e, 0, sizeof *e);
  e->sentence = c->sentence;
  e->sentence_begin = NG_TOK_CBEGIN(doc, s->first);
  e->sentence_end = NG_TOK_CEND(doc, s->first + s->count - 1);
  e->sentence_text = c->sentence_text;
  e->actor = src->ref;
  e->target = tgt->ref;
  e->action = r->label;
  e->action_text = ng_doc_span_text(doc, r->action_first, r->action_last);
  e->action_begin = NG_TOK_CBEGIN(doc, r->action_first);
  e->action_end = NG_TOK_CEND(doc, r->action_last);
  e->cameo = code;
  e->date = c->date;
  e->date_source = c->date_source;
  e->modality = r->modality;
  /* the flag agrees with the factuality: "failed to win" was negated with the flag 0 */
  e->negated = r->negated || c->factuality == NG_FACT_NEGATED;
  e->rule = r->rule;
  e->factuality = c->factuality;
  float conf = (float)r->confidence * src->confidence * (tgt->ref.label[0] ? tgt->confidence : 1.0f);
  e->confidence = conf > 1.0f ? 1.0 : (double)conf;
  if (!e->action_text) return NG_ERR_NOMEM;
  /* "X received Y": X hosts Y, and Y visits X */
  const char *converse = code[0] && src->ref.code[0] && tgt->ref.code[0] ? ng_lexicon_converse(doc->lex, code) : NULL;
  if (converse) {
    NgEvent copy = *e;
    NgEvent *f = ng_doc_add_event(doc);
    if (!f) return NG_ERR_NOMEM;
    *f = copy;
    f->actor = copy.target;
    f->target = copy.actor;
    f->cameo = converse;
    const NgCameo *cc = ng_lexicon_cameo(doc->lex, converse);
    f->action = cc ? cc->label : copy.action;
    f->rule = ng_arena_printf(&doc->arena, "%s~converse", copy.rule);
    if (!f->rule) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* The members of a phrase's conjunction ("Brazil and the United States"). */
static size_t conjuncts(const NgDocument *doc, int32_t phrase, int32_t *out, size_t max) {
  size_t n = 0;
  for (int32_t p = phrase; p >= 0 && n < max; p = doc->phrases[p].coord_next) out[n++] = p;
  return n;
}

/* A coded event without a placed target takes the first actor of a
 * prepositional phrase of its clause ("lifted a night curfew in
 * Montenegro", "mobilized army reservists for a war against Iraq"), as
 * CAMEO coders do with the place or party acted upon. */
static bool in_conjunction(const NgDocument *doc, int32_t head, int32_t q) {
  for (int32_t p = head; p >= 0; p = doc->phrases[p].coord_next)
    if (p == q) return true;
  return false;
}

/* skip: the event's own participants (a conjunction of them: "talks with
 * the Greens and the Free Democrats" is no place for the second). */
/* A meeting or a rally is held somewhere, not done to the place: "will
 * meet at Gleneagles in Scotland", "a rally in London" (audit K: the venue
 * taken as the target) - unless the place is abroad for the actor, when
 * going there is the news ("Obama is to attend a summit in Switzerland":
 * CHE, as PETRARCH-2's coders record it); a curfew lifted in Montenegro is
 * the place's. */
static bool venue_only(const NgDocument *doc, const char *code, const char *prep, const char *source_code,
                       int32_t place) {
  static const char *const venue[] = {"in", "at", "near", "inside", "across", "among"};
  if ((strncmp(code, "04", 2) && strncmp(code, "14", 2)) || !one_of(prep, venue, NG_COUNTOF(venue)))
    return false;
  int32_t pm = phrase_actor(doc, place);
  const char *pc = pm >= 0 ? doc->mentions[pm].code : "";
  return !has_country_prefix(source_code) || !strncmp(source_code, pc, 3);
}

static int32_t locative_target(const NgDocument *doc, const NgVerbGroup *g, const char *code,
                               const char *source_code, int32_t source, int32_t skip) {
  static const char *const preps[] = {"against", "with", "on", "into", "to", "in", "at", "toward",
                                      "towards", "over", "near", "inside", "across", "among", "for",
                                      "from"};
  const NgToken *tok = doc->tokens;
  for (size_t t = g->head + 1; t + 1 < g->clause_end; ++t) {
    if (tok[t].pos != NG_POS_PREP && tok[t].pos != NG_POS_TO) continue;
    bool known = one_of(tok[t].norm, preps, NG_COUNTOF(preps));
    int32_t q = tok[t + 1].np;
    if (!known || q < 0 || q == source || doc->phrases[q].first != t + 1 || in_conjunction(doc, skip, q)) continue;
    if (venue_only(doc, code, tok[t].norm, source_code, q)) continue;
    if (phrase_actor(doc, q) >= 0) return q; /* "in the east of the Gaza Strip" too */
  }
  return -1;
}

/* "The EC may halt mediation if ...", "will withdraw unless ...": a
 * conditional conflictual act is a threat of it. */
static bool conditional(const NgDocument *doc, const NgVerbGroup *g, size_t sentence_end) {
  if (!(g->flags & (NG_VG_FUTURE | NG_VG_MODAL))) return false;
  for (size_t t = g->head + 1; t < sentence_end; ++t) {
    const char *w = doc->tokens[t].norm, *before = doc->tokens[t - 1].norm;
    if (!strcmp(w, "unless")) return true;
    /* (not "whether ... or if", "as if": a question or a comparison) */
    if (!strcmp(w, "if") && strcmp(before, "or") && strcmp(before, "as")) return true;
  }
  return false;
}

/* "praised the work of Ms Hutt", "attacked the record of Mr Howard": a
 * thing done or made by a person named after "of" - the one the act is
 * aimed at (audit Z: the target was "the work").  A person ("the wife of
 * Mr Smith") or a lexicon actor is the target itself. */
static int32_t owner_of_thing(const NgDocument *doc, const NgVerbGroup *g, int32_t phrase) {
  /* (verbs that judge: "launched the careers of", "take the title of",
   * "posted pictures of herself" are no acts on the one named) */
  static const char *const judging[] = {"praise", "welcome", "salute", "hail", "commend", "applaud",
                                        "criticise", "criticize", "attack", "condemn", "denounce",
                                        "slam", "question", "defend", "back", "support", "reject",
                                        "dismiss", "challenge", "oppose", "blame"};
  if (!g || !g->lemma || !one_of(g->lemma, judging, NG_COUNTOF(judging))) return -1;
  const NgPhrase *p = &doc->phrases[phrase];
  size_t of = p->last + 1;
  if (p->mention >= 0 || p->pronoun || of + 1 >= doc->ntokens || strcmp(doc->tokens[of].norm, "of")) return -1;
  const NgVocab *head = doc->tokens[p->head].vocab;
  if (!head || head->nclass == NG_NC_PERSON || head->nclass == NG_NC_GROUP || head->gender) return -1;
  int32_t q = doc->tokens[of + 1].np;
  if (q < 0 || doc->phrases[q].first != of + 1) return -1;
  const NgPhrase *owner = &doc->phrases[q];
  if (owner->pronoun) return -1;
  if (owner->mention < 0) { /* a name the lexicon lacks, with a title: "Ms Hutt" */
    const NgVocab *title = doc->tokens[owner->first].vocab;
    return title && title->title && owner->first < owner->last && phrase_is_name(doc, owner) ? q : -1;
  }
  const NgMention *m = &doc->mentions[owner->mention];
  return m->person || m->kind == NG_KIND_PERSON ? q : -1;
}

/* The target of one source-target pair, with the fallbacks above. */
static NgStatus target_of(NgDocument *doc, const EmitCtx *c, int32_t phrase, const Participant *src,
                          Participant *tgt) {
  int32_t owner = phrase >= 0 ? owner_of_thing(doc, c->g, phrase) : -1;
  if (owner >= 0) phrase = owner;
  NgStatus st = participant_of(doc, phrase, tgt);
  if (st || !c->r->code[0] || (tgt->ref.code[0] && !role_only(tgt->ref.code))) return st;
  int32_t loc = locative_target(doc, c->g, c->r->code, src->ref.code, c->r->source, c->r->target);
  if (loc >= 0 && loc != phrase) {
    st = participant_of(doc, loc, tgt);
    tgt->confidence *= 0.8f;
    return st;
  }
  return NG_SUCCESS;
}

static NgStatus emit_reading(NgDocument *doc, const EmitCtx *c) {
  const Reading *r = c->r;
  int32_t srcs[8], tgts[8];
  size_t ns = r->source >= 0 ? conjuncts(doc, r->source, srcs, 8) : 0;
  size_t nt = r->target >= 0 ? conjuncts(doc, r->target, tgts, 8) : 0;
  if (!ns) srcs[ns++] = -1;
  if (!nt) tgts[nt++] = -1;
  NgStatus st = NG_SUCCESS;
  Participant sp, tp;
  if (r->symmetric && r->target < 0 && ns > 1) { /* "the US, Russia and Switzerland met" */
    for (size_t i = 0; i < ns && !st; ++i)
      for (size_t j = 0; j < ns && !st; ++j) {
        if (i == j) continue;
        if (!(st = participant_of(doc, srcs[i], &sp)) && !(st = participant_of(doc, srcs[j], &tp)))
          st = emit_one(doc, c, &sp, &tp);
      }
    return st;
  }
  /* "Germany and France have called for the embargo to be lifted": a
   * co-actor is never the target (it was: Germany - France and back) */
  bool target_is_source = false;
  for (size_t i = 0; i < ns; ++i)
    for (size_t j = 0; j < nt; ++j) target_is_source |= srcs[i] >= 0 && srcs[i] == tgts[j];
  if (target_is_source && ns > 1) nt = 1, tgts[0] = -1;
  for (size_t i = 0; i < ns && !st; ++i)
    for (size_t j = 0; j < nt && !st; ++j) {
      if (srcs[i] >= 0 && srcs[i] == tgts[j]) continue;
      if (!(st = participant_of(doc, srcs[i], &sp)) && !(st = target_of(doc, c, tgts[j], &sp, &tp)))
        st = emit_one(doc, c, &sp, &tp);
    }
  return st;
}

/* "will meet in Zurich to discuss": a purpose infinitive of the same kind
 * as the verb it serves adds no event of its own. */
static bool repeats_governor(NgDocument *doc, size_t sentence, NgShadow *sh, const NgVerbGroup *g,
                             const Reading *r) {
  if (g->governor < 0 || !r->code[0]) return false;
  const NgVerbGroup *gov = &doc->groups[g->governor];
  if (gov->verb && gov->verb->modality) return false;
  Reading own;
  if (!read_group(doc, sentence, sh, gov, &own) || !own.code[0]) return false;
  return own.code[0] == r->code[0] && own.code[1] == r->code[1];
}

/* ------------------------------------------------------ what is an event */

static bool is_action_class(unsigned c) {
  return c == NG_VC_COMMUNICATION || c == NG_VC_SOCIAL || c == NG_VC_POSSESSION ||
         c == NG_VC_COMPETITION || c == NG_VC_CONTACT || c == NG_VC_CREATION ||
         c == NG_VC_CONSUMPTION || c == NG_VC_MOTION;
}

/* What an uncoded verb reports: verbs.txt's class option, else WordNet's
 * classes of the verb's first two senses - an action if either is one
 * ("revealed": perception, then communication), else an opinion, a change
 * or a state by the first ("believes", "grew", "remains"). */
static NgVerbNature verb_nature(const NgDocument *doc, const NgVerbGroup *g) {
  if (g->verb && g->verb->nature) return (NgVerbNature)g->verb->nature;
  const NgVocab *lv = ng_lexicon_word(doc->lex, g->lemma, strlen(g->lemma));
  unsigned first = lv ? lv->vclass & 15u : NG_VC_UNKNOWN, second = lv ? lv->vclass >> 4 : 0;
  if (first == NG_VC_UNKNOWN || is_action_class(first) || is_action_class(second))
    return NG_NATURE_ACTION;
  if (first == NG_VC_COGNITION || first == NG_VC_EMOTION) return NG_NATURE_OPINION;
  return first == NG_VC_CHANGE ? NG_NATURE_AMOUNT : NG_NATURE_STATE;
}

/* Whether token t of the sentence is inside quotation marks (the marks of
 * the sentence before it, counted), and where that quotation ends. */
static bool in_quote(const NgDocument *doc, const NgSentence *s, size_t t, size_t *quote_end) {
  bool inside = false;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < t; ++i)
    if (doc->tokens[i].flags & NG_TOK_QUOTE) inside = !inside;
  *quote_end = end;
  if (!inside) return false;
  for (size_t i = t; i < end; ++i)
    if (doc->tokens[i].flags & NG_TOK_QUOTE) {
      *quote_end = i;
      break;
    }
  return true;
}

/* Is the verb asked about?  The last mark before the end of its quotation
 * (or, outside quotes, of the sentence) is a question mark. */
static bool asked(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  size_t end;
  bool quoted = in_quote(doc, s, g->head, &end);
  for (size_t i = end; i-- > g->head;) {
    const NgToken *t = &doc->tokens[i];
    /* 'He added: "How can there be ...?"': the question is the quotation's,
     * the saying is told */
    if (!quoted && (t->flags & NG_TOK_QUOTE)) return false;
    if (!(t->flags & NG_TOK_PUNCT)) return false;
    if (t->norm[0] == '?') return true;
  }
  return false;
}

/* The modal verb of the group ("would", "could"; not the "will" of the
 * future), or NULL. */
static const char *modal_word(const NgDocument *doc, const NgVerbGroup *g) {
  for (size_t i = g->first; i < g->head; ++i) {
    const char *w = doc->tokens[i].norm;
    if (doc->tokens[i].pos == NG_POS_MODAL && strcmp(w, "will") && strcmp(w, "shall") && strcmp(w, "'ll"))
      return w;
  }
  return NULL;
}

/* "a pact which could see India invest $20bn": the verb that lets, makes
 * or sees the subject of g do it, right before that subject; its modal is
 * g's (audit O read the investment as done).  NULL if none. */
static const NgVerbGroup *causer_of(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const causing[] = {"see", "let", "make", "help", "watch"};
  if (g->subject < 0 || (g->flags & NG_VG_INFINITIVE)) return NULL;
  size_t before = doc->phrases[g->subject].first;
  for (size_t k = (size_t)(g - doc->groups); k-- > 0;) {
    const NgVerbGroup *c = &doc->groups[k];
    if (c->head + 1 == before && c->lemma && one_of(c->lemma, causing, NG_COUNTOF(causing))) return c;
    if (c->head + 1 < before) break;
  }
  return NULL;
}

/* "if", "unless" opening the verb's own clause: "If the EU imposes
 * sanctions, ..." */
static bool in_condition(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  static const char *const conds[] = {"if", "unless", "whether", "provided", "providing", "lest"};
  /* (the word that opens the clause is at its edge, just before it) */
  for (size_t i = g->clause_begin > s->first ? g->clause_begin - 1 : s->first; i < g->first; ++i)
    for (size_t k = 0; k < NG_COUNTOF(conds); ++k)
      if (!strcmp(doc->tokens[i].norm, conds[k])) return true;
  return false;
}

/* The verbs this one depends on - its governor ("plans to"), the verb that
 * reports it ("said") - up to a few steps up. */
/* Verbs whose reported clause is a contested or expected thing, not a
 * fact the article vouches for: "Deutsche Bank claimed Yukos had
 * manufactured a case", "he warned that concerns were clouding the
 * outlook".  The claiming is the event; what is claimed is an opinion. */
static bool claims_content(const char *lemma) {
  static const char *const claiming[] = {"claim", "allege", "argue", "insist", "suggest", "contend",
                                         "maintain", "reckon", "fear", "hope", "predict", "warn",
                                         "speculate", "assert", "accuse", "believe", "think", "feel",
                                         /* what is denied or rejected did not happen, as far
                                          * as the article tells: "denied Yeo said the plans
                                          * stink", "rejected the idea he posed a threat" */
                                         "deny", "reject", "dismiss", "dispute", "doubt", "query"};
  return one_of(lemma, claiming, NG_COUNTOF(claiming));
}

static bool under_opinion(const NgDocument *doc, const NgVerbGroup *g) {
  for (int hops = 0; hops < 4; ++hops) {
    int32_t up = g->governor >= 0 ? g->governor : g->attribution;
    if (up < 0) return false;
    g = &doc->groups[up];
    if (verb_nature(doc, g) == NG_NATURE_OPINION && !(g->verb && g->verb->modality)) return true;
    if (claims_content(g->lemma) && !(g->verb && g->verb->modality)) return true;
  }
  return false;
}

/* "is expected to reach a verdict", "the company tipped to buy", "likely
 * to raise rates": what others forecast of the subject, not what it said
 * it would do.  A passive verb of expecting, or an adjective of
 * likelihood, governs the verb. */
static bool forecast(const NgDocument *doc, const NgVerbGroup *g, const NgVerbGroup *gov) {
  static const char *const expecting[] = {"expect", "tip", "forecast", "predict", "project", "anticipate",
                                          "believe", "think", "suppose", "rumour", "rumor", "fancy",
                                          /* hearsay: "are said to have declared war" */
                                          "say", "report", "allege", "understand", "claim"};
  static const char *const likely[] = {"likely", "unlikely"};
  if (g->gov_word) {
    const char *w = doc->tokens[g->gov_word].norm;
    if (one_of(w, likely, NG_COUNTOF(likely))) return true;
  }
  bool passive = gov && ((gov->flags & NG_VG_PASSIVE) ||
                          ((gov->flags & NG_VG_PARTICIPLE) && doc->tokens[gov->head].vform == NG_VF_VBN));
  if (!passive || !gov->lemma) return false;
  return one_of(gov->lemma, expecting, NG_COUNTOF(expecting));
}

/* "to V" reports an act only under a verb that says it was done ("managed
 * to", "proceeded to", "went on to") or not done ("failed to", "refused
 * to"); under one of wanting, planning or agreeing it is what is meant to
 * happen, and under any other verb, a noun or an adjective ("needs to",
 * "trying to", "the commitment to cut", "free to") what might.  The
 * audit judged these junk when reported as done. */
static NgFactuality infinitive_factuality(const NgVerbGroup *gov, bool negated) {
  /* (with the causatives: "prompted Sir Stanley Odell to resign") */
  static const char *const done[] = {"manage", "proceed", "go", "begin", "start", "continue", "get",
                                     "happen", "dare", "bother", "remember", "come", "use", "prompt",
                                     "force", "compel", "cause", "help", "enable", "lead", "turn"};
  static const char *const not_done[] = {"fail", "refuse", "decline", "neglect", "forget", "omit"};
  static const char *const meant[] = {"plan", "intend", "agree", "promise", "vow", "pledge", "decide",
                                      "vote", "move", "prepare", "aim", "offer", "threaten", "resolve",
                                      "undertake", "commit", "schedule", "set", "arrange", "elect"};
  const char *lemma = gov && gov->lemma ? gov->lemma : "";
  if (one_of(lemma, done, NG_COUNTOF(done))) return negated ? NG_FACT_NEGATED : NG_FACT_ASSERTED;
  if (one_of(lemma, not_done, NG_COUNTOF(not_done))) return negated ? NG_FACT_ASSERTED : NG_FACT_NEGATED;
  if (one_of(lemma, meant, NG_COUNTOF(meant))) return NG_FACT_FUTURE;
  /* "had to accept": an obligation of the past was met; "has to" is one */
  if (!strcmp(lemma, "have") && (gov->flags & NG_VG_PAST) && !(gov->flags & NG_VG_MODAL))
    return negated ? NG_FACT_NEGATED : NG_FACT_ASSERTED;
  return NG_FACT_HYPOTHETICAL;
}

/* "had planned to visit": a plan of the past is no announcement; it did
 * not happen, as far as the sentence tells.  (Past wishes - "the carrier
 * had wanted to use the money" - are wishes, which wished() below reads
 * as hypothetical in any tense.) */
static bool past_plan(const NgVerbGroup *gov) {
  return gov && gov->lemma && (gov->flags & (NG_VG_PAST | NG_VG_PERFECT)) && !(gov->flags & NG_VG_FUTURE) &&
         !strcmp(gov->lemma, "plan");
}

/* "said it wants to boost coverage", "hopes to develop a sector", "was
 * keen to play down": what is wished is no announcement (the blind audits
 * judged 12 of 13 such events junk); "plans to", "agreed to" stay. */
static bool wished(const NgDocument *doc, const NgVerbGroup *g, const NgVerbGroup *gov) {
  static const char *const wishing[] = {"want", "hope", "wish", "expect", "intend", "mean", "aim", "like",
                                        "love", "desire", "keen", "eager", "anxious", "determined"};
  if (g->gov_word && one_of(doc->tokens[g->gov_word].norm, wishing, NG_COUNTOF(wishing))) return true;
  return gov && gov->lemma && one_of(gov->lemma, wishing, NG_COUNTOF(wishing));
}

/* "Standard Chartered expects about 16% of revenue to come from KFB", "Mr
 * Thorpe's colleagues wanted electoral reform": a verb of wanting or
 * expecting that governs no act tells a wish or a forecast. */
static bool wish_alone(const NgVerbGroup *g) {
  static const char *const wishing[] = {"want", "hope", "wish", "expect", "mean", "aim", "anticipate",
                                        "forecast"};
  return g->lemma && one_of(g->lemma, wishing, NG_COUNTOF(wishing));
}

/* "reports that the party had repaid £500,000", "rumours he was starting a
 * new party", "the idea Mr Kilroy-Silk posed a threat": a clause that
 * completes a noun of saying or supposing is what is said or supposed. */
static bool completes_noun_of_saying(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  static const char *const nouns[] = {"claim", "claims", "idea", "report", "reports", "rumour", "rumours",
                                      "rumor", "rumors", "suggestion", "suggestions", "allegation",
                                      "allegations", "speculation", "belief", "notion", "impression",
                                      "assertion", "accusation", "accusations", "theory", "prediction",
                                      "predictions", "expectation", "expectations", "fears", "hopes"};
  size_t t = g->subject >= 0 ? doc->phrases[g->subject].first : g->first;
  if (t <= s->first) return false;
  t--;
  bool that = !strcmp(doc->tokens[t].norm, "that");
  if (that && t > s->first) t--;
  /* "a claim by Peter Hain that ...": a short phrase between noun and "that" */
  for (int back = 0; back < (that ? 5 : 1); ++back, --t) {
    const NgToken *w = &doc->tokens[t];
    if (w->pos == NG_POS_NOUN && one_of(w->norm, nouns, NG_COUNTOF(nouns))) return true;
    if (w->pos == NG_POS_VERB || (w->flags & NG_TOK_PUNCT) || t == s->first) return false;
  }
  return false;
}

/* Do two phrases name the same actor ("Nestle ... said it would")? */
static bool same_referent(const NgDocument *doc, int32_t a, int32_t b) {
  if (a < 0 || b < 0) return false;
  int32_t ma = doc->phrases[a].mention, mb = doc->phrases[b].mention;
  if (ma < 0 || mb < 0) return false;
  const char *ka = doc->mentions[ma].key, *kb = doc->mentions[mb].key;
  return ka && kb && ka[0] && !strcmp(ka, kb);
}

/* "demanded (that) Heath quit", "recommends that countries reduce tariffs":
 * what is demanded or proposed has not happened. */
static bool mandated(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const mandating[] = {"demand", "insist", "propose", "recommend", "suggest",
                                          "request", "require", "urge", "ask", "order", "advise"};
  int32_t ups[2] = {g->governor, g->attribution};
  for (int k = 0; k < 2; ++k) {
    if (ups[k] < 0) continue;
    const char *lemma = doc->groups[ups[k]].lemma;
    if (one_of(lemma, mandating, NG_COUNTOF(mandating))) return true;
  }
  return false;
}

/* "Mr Straw is due to hold talks in Delhi on Friday", "is set to sign":
 * what is scheduled - announced, not foreseen. */
static bool scheduled(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const words[] = {"due", "set", "scheduled", "poised", "slated"};
  /* "Tory MP Jonathan Sayeed is to stand down": British news's future */
  if ((g->flags & NG_VG_INFINITIVE) && g->governor >= 0) {
    const NgVerbGroup *be = &doc->groups[g->governor];
    if (be->lemma && !strcmp(be->lemma, "be") && be->head + 1 == g->first && !g->gov_word &&
        !(be->flags & NG_VG_NEG))
      return true;
  }
  if (!g->gov_word) return false;
  return one_of(doc->tokens[g->gov_word].norm, words, NG_COUNTOF(words));
}

/* "Yukos has said it will be seeking damages", "Jamieson has decided to
 * drop the plans": a future the actor itself announced or decided, not one
 * the reporter foresees ("Mr Brown will undoubtedly claim"). */
static bool announced_by_actor(const NgDocument *doc, const NgVerbGroup *g) {
  if (scheduled(doc, g)) return true;
  if (g->attribution >= 0 && same_referent(doc, g->subject, doc->groups[g->attribution].subject)) return true;
  return g->governor >= 0 && g->subject >= 0 && g->subject == doc->groups[g->governor].subject;
}

static unsigned double_marks(const NgDocument *doc, size_t first, size_t end) {
  unsigned n = 0;
  for (size_t i = first; i < end; ++i) n += ng_double_quote_mark(doc, i);
  return n;
}

/* Is token t inside a quotation in double quotation marks?  One that
 * opened in its sentence, or one that goes on from the sentences before
 * it ('He said: "I feel fortunate. We had what Ken Livingstone said ..."'):
 * coref.c follows the quotations of the article. */
static bool in_double_quote(const NgDocument *doc, const NgSentence *s, size_t t) {
  return ng_in_quotation(doc, s, t);
}

/* '"We agreed on the strategy," Mr Blair said': the speaker's own act. */
static bool speaker_reports_own_act(const NgDocument *doc, const NgVerbGroup *g) {
  if (g->subject < 0) return false;
  const NgToken *h = &doc->tokens[doc->phrases[g->subject].head];
  return h->pos == NG_POS_PRON && (!strcmp(h->norm, "we") || !strcmp(h->norm, "i"));
}

/* "the withdrawal did not mean that Libya had cut its ties", "the report
 * did not say that ...": a clause that a negated verb of meaning or saying
 * opens with "that" is not asserted (audit P read the ties as cut). */
static bool under_negated_claim(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const claiming[] = {"mean", "say", "show", "indicate", "suggest", "prove", "imply",
                                         "signal", "confirm", "claim"};
  if (g->subject < 0) return false;
  size_t that = doc->phrases[g->subject].first;
  if (that < 2 || strcmp(doc->tokens[that - 1].norm, "that")) return false;
  for (size_t k = (size_t)(g - doc->groups); k-- > 0;) {
    const NgVerbGroup *c = &doc->groups[k];
    if (c->head + 2 < that) return false;
    if (c->head + 2 == that)
      return (c->flags & NG_VG_NEG) && c->lemma && one_of(c->lemma, claiming, NG_COUNTOF(claiming));
  }
  return false;
}

/* "published what they say are the full costings", "what he calls
 * reform": a saying inside a noun phrase hedges a word, it reports no
 * statement (audit P). */
static bool hedging_saying(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const hedges[] = {"say", "claim", "call", "describe", "term"};
  if (g->subject < 0 || !g->lemma || !one_of(g->lemma, hedges, NG_COUNTOF(hedges))) return false;
  size_t f = doc->phrases[g->subject].first;
  return f > 0 && !strcmp(doc->tokens[f - 1].norm, "what") && doc->phrases[g->subject].pronoun;
}

/* "review how it accounts for its leases", "explained how it had accounted
 * for the repurchase": a clause that "how" opens tells a manner, a practice
 * or a question, not an event the article reports (audit R: three such
 * judged no event). */
static bool in_how_clause(const NgDocument *doc, const NgVerbGroup *g) {
  if (g->subject < 0) return false;
  size_t f = doc->phrases[g->subject].first;
  return f > 0 && f < g->head && !strcmp(doc->tokens[f - 1].norm, "how");
}

/* How the article puts the event read from group g. */
static NgFactuality factuality_of(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g,
                                  const Reading *r, bool coded) {
  const NgVerbGroup *gov = g->governor >= 0 ? &doc->groups[g->governor] : NULL;
  if (forecast(doc, g, gov) || under_negated_claim(doc, g) || in_how_clause(doc, g)) return NG_FACT_HYPOTHETICAL;
  if (asked(doc, s, g) || (gov && asked(doc, s, gov))) return NG_FACT_QUESTION;
  if (in_condition(doc, s, g) || (gov && in_condition(doc, s, gov)) ||
      conditional(doc, g, s->first + s->count))
    return NG_FACT_CONDITIONAL;
  /* (a coded verb is an act whatever WordNet says: "rejected" is no thought) */
  if ((!coded && verb_nature(doc, g) == NG_NATURE_OPINION) || under_opinion(doc, g) ||
      completes_noun_of_saying(doc, s, g) || (!coded && wish_alone(g)))
    return NG_FACT_OPINION;
  /* the modal of the verb, or of the verb that governs it ("could agree to") */
  const char *modal = modal_word(doc, g);
  if (!modal && gov) modal = modal_word(doc, gov);
  const NgVerbGroup *causer = modal ? NULL : causer_of(doc, g);
  if (causer) modal = modal_word(doc, causer);
  /* "will not let them wreck the economy", "did not let him speak": what
   * is not let, or will be, has not happened */
  if (causer && !modal && (causer->flags & (NG_VG_NEG | NG_VG_FUTURE))) return NG_FACT_HYPOTHETICAL;
  if (modal) {
    /* "X said it would ...": the future X announces; what X says someone
     * else would do ("said off-loading AEFA would boost profits") is a
     * forecast */
    /* ("said it would co-operate fully", "have said they would welcome":
     * the blind audits judged such promises of the conditional junk) */
    if (!strcmp(modal, "would") && g->attribution >= 0 && (r->negated || coded) &&
        same_referent(doc, g->subject, doc->groups[g->attribution].subject))
      return r->negated ? NG_FACT_NEGATED : NG_FACT_FUTURE; /* "said it would not prosecute": a refusal;
                                                             * "said it would attack": a threat */
    /* "could not find evidence": it did not happen */
    if (!strcmp(modal, "could") && r->negated) return NG_FACT_NEGATED;
    return NG_FACT_HYPOTHETICAL;
  }
  if ((g->flags & NG_VG_FUTURE) || (gov && (gov->flags & NG_VG_FUTURE)))
    return r->negated ? NG_FACT_NEGATED : NG_FACT_FUTURE; /* "will not attend": a refusal */
  if (!coded && !r->modality[0] && !(g->flags & NG_VG_INFINITIVE) && mandated(doc, g))
    return NG_FACT_HYPOTHETICAL;
  if (scheduled(doc, g)) return r->negated ? NG_FACT_NEGATED : NG_FACT_FUTURE;
  /* (a coded act under "no plans for X to" is not done either; an attempt
   * at one is what event coders count: "has tried to hack into computers") */
  static const char *const attempting[] = {"try", "attempt", "seek"};
  if (coded && gov && !g->gov_word && one_of(gov->lemma, attempting, NG_COUNTOF(attempting)))
    return r->negated ? NG_FACT_NEGATED : NG_FACT_ASSERTED;
  if ((g->flags & NG_VG_INFINITIVE) && !r->modality[0] && (!coded || gov || g->gov_word))
    return infinitive_factuality(g->gov_word ? NULL : gov, r->negated);
  /* (not in reported speech, whose past is the speaker's present: "said he
   * planned to add a disclaimer") */
  if (r->modality[0] && !strcmp(r->modality, "intent") && !coded && past_plan(gov) &&
      ((g->attribution < 0 && gov->attribution < 0) || in_double_quote(doc, s, g->head)))
    return NG_FACT_HYPOTHETICAL;
  /* "plans to buy", "urged X to sell": the act that is wanted, asked for
   * or threatened has not happened - unless coding made the wanting,
   * asking or threatening itself the event ("threatened sanctions": 138) */
  if (r->modality[0] && !coded) {
    if (!strcmp(r->modality, "refuse")) return NG_FACT_NEGATED;
    if (wished(doc, g, gov)) return NG_FACT_HYPOTHETICAL;
    if (!strcmp(r->modality, "intent") || !strcmp(r->modality, "threat")) return NG_FACT_FUTURE;
    return NG_FACT_HYPOTHETICAL;
  }
  return r->negated ? NG_FACT_NEGATED : NG_FACT_ASSERTED;
}

/* "..., Russia's ambassador to Belarus, Dmitry Mezentsev, said": when a
 * sentence reports nothing a code applies to, the statement of a coded actor
 * is the event (CAMEO 010, as human coders have it); where the reported
 * clause carries a coded event, that event is the news and the saying
 * stays an open one. */
/* A statement is news as the words of a person (an official, a
 * spokesman): "Ukraine says it has evidence" is how a country's claims are
 * reported, and the claim is the event if there is one. */
static bool speaker_is_person(const NgDocument *doc, const NgVerbGroup *g) {
  if (g->subject < 0) return false;
  int32_t m = doc->phrases[g->subject].mention;
  if (m < 0) return false;
  const NgMention *mm = &doc->mentions[m];
  if (mm->antecedent >= 0) mm = &doc->mentions[mm->antecedent];
  return mm->person || mm->kind == NG_KIND_PERSON;
}

static void code_plain_statement(NgDocument *doc, size_t first_event, size_t statement_event) {
  if (statement_event >= doc->nevents) return;
  for (size_t i = first_event; i < doc->nevents; ++i)
    if (doc->events[i].cameo[0]) return;
  NgEvent *statement = &doc->events[statement_event];
  if (!statement->actor.code[0] || role_only(statement->actor.code) ||
      statement->factuality != NG_FACT_ASSERTED || statement->negated)
    return;
  const NgCameo *c = ng_lexicon_cameo(doc->lex, "010");
  statement->cameo = "010";
  if (c) statement->action = c->label;
}

static bool used_to(const NgDocument *doc, const NgVerbGroup *g) {
  if (!g->lemma || strcmp(g->lemma, "use") || g->head + 2 >= doc->ntokens) return false;
  const NgToken *to = &doc->tokens[g->head + 1], *v = &doc->tokens[g->head + 2];
  return !strcmp(to->norm, "to") && v->vocab && (v->vocab->wf & NG_WF_VB) && !(g->flags & NG_VG_PASSIVE);
}

/* "does", "do": the auxiliary of the present ("does not respond"). */
static bool do_support(const NgToken *t) { return !strcmp(t->norm, "does") || !strcmp(t->norm, "do"); }

/* "Barclays employs 76,200 staff", "the company now sells salads", "Ms
 * Robinson, who presents The Weakest Link": outside a headline, a verb in
 * the simple present says what someone does as a rule, not what happened
 * (news reports what happened in the past tenses) - unless it reports
 * speech ("says"), is reported speech or a code makes it news.  A headline is the opening
 * sentence or one without a full stop. */

/* The simple present of a relative clause describes its noun, coded or
 * not: "the IEA, which advises industrialised nations", "the communist
 * parties, which give crucial support to the coalition", "pupils who
 * sexually abuse other pupils" (audit L: all judged no events). */
static bool relative_present(const NgDocument *doc, const NgVerbGroup *g) {
  const NgToken *head = &doc->tokens[g->head];
  return (g->flags & NG_VG_RELATIVE) && g->first == g->head &&
         (head->vform == NG_VF_VBZ || head->vform == NG_VF_VBP) && !(g->verb && g->verb->attribution);
}

static bool habitual_present(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  const NgToken *head = &doc->tokens[g->head];
  bool do_present = false;
  for (size_t t = g->first; t < g->head; ++t) do_present |= do_support(&doc->tokens[t]);
  if (head->vform != NG_VF_VBZ && head->vform != NG_VF_VBP && !do_present) return false;
  if (g->verb && (g->verb->attribution || g->verb->modality)) return false;
  if (claims_content(g->lemma) || object_is_content(g)) return false; /* "Deutsche Bank contends" */
  /* wire copy reports news in the present: "said Pope succeeds Leventhal";
   * not in a relative clause, which describes its noun ("Ian Gibson, who
   * chairs the science committee, said": a post, no act) */
  if (g->attribution >= 0 && !(g->flags & NG_VG_RELATIVE)) return false;
  /* (and with "do": "Barclays does not respond to speculation", "the
   * nation does face threats") */
  for (size_t t = g->first; t < g->head; ++t)
    if (doc->tokens[t].pos != NG_POS_ADV && doc->tokens[t].pos != NG_POS_NEG && !do_support(&doc->tokens[t]))
      return false; /* "has", "will" */
  const NgSentence *s = &doc->sents[sentence];
  if (sentence == 0) return false;
  const NgToken *last = &doc->tokens[s->first + s->count - 1];
  if (!(last->flags & NG_TOK_END) && !(last->flags & NG_TOK_QUOTE)) return false;
  return true;
}

/* "Mr Botin continues to lead Santander", "remains to be seen": what the
 * subject goes on doing, in the simple present, is a state (audit N); a
 * coded act goes on being news ("continues to shell Kharkiv"), and so does
 * the past ("continued to lead the talks"). */
static bool continuing_state(const NgDocument *doc, const NgVerbGroup *gov) {
  if (!gov->lemma || (strcmp(gov->lemma, "continue") && strcmp(gov->lemma, "remain"))) return false;
  NgVerbForm vf = doc->tokens[gov->head].vform;
  return (vf == NG_VF_VBZ || vf == NG_VF_VBP) && gov->head == gov->first;
}

/* The title, or a first line without a full stop (BBC and wire copy put
 * the headline at the top of the text). */
static bool is_headline(const NgDocument *doc, size_t si) {
  const NgSentence *s = &doc->sents[si];
  if (s->is_title) return true;
  if (si != 0 || !s->count) return false;
  return !(doc->tokens[s->first + s->count - 1].flags & NG_TOK_END);
}

/* A verb of saying or claiming, whose clause is what it reports. */
/* "said to media representatives", "had recounted the story to the
 * assembly": whom a statement is made to, after "to" right after the verb
 * or its object - a named actor or a role, not "to 2010" or "to help". */
static int32_t addressee(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count, t = g->head + 1;
  if (!g->lemma || !strcmp(g->lemma, "add")) return -1; /* "adds media playing to DS" */
  /* (an object of saying is its clause's subject: "said the move to Windows was risky") */
  if (g->object >= 0 && doc->phrases[g->object].first == t) {
    if (object_is_content(g)) return -1;
    t = doc->phrases[g->object].last + 1;
  }
  if (t + 1 >= end || strcmp(tok[t].norm, "to")) return -1;
  int32_t q = tok[t + 1].np;
  if (q < 0 || doc->phrases[q].first != t + 1 || doc->phrases[q].pronoun) return -1;
  const NgPhrase *p = &doc->phrases[q];
  if (tok[p->head].flags & (NG_TOK_TIMEX | NG_TOK_DIGIT)) return -1;
  if (p->mention >= 0 || tok[p->head].pos == NG_POS_PROPN ||
      (tok[p->head].vocab && (tok[p->head].vocab->wf & NG_WF_AGENT)))
    return q;
  return -1;
}

/* Whom a statement is about: the named actor that is the subject of the
 * first clause it reports ("Howard said Blair had failed": Howard - says -
 * Blair), as event coders record a statement's target.  Not a pronoun,
 * a kind of people or a thing ("said prices would rise": no target), nor
 * the speaker again ("Blair said the government would act", Blair being
 * the government's head, is left alone only when the keys match). */
static bool speakers_own_country(const NgDocument *doc, int32_t speaker, const NgMention *country) {
  if (speaker < 0 || doc->phrases[speaker].mention < 0 || strlen(country->code) != 3) return false;
  const char *code = doc->mentions[doc->phrases[speaker].mention].code;
  return strlen(code) >= 3 && !strncmp(code, country->code, 3);
}

/* Does the clause of group h find fault with its subject: a wrong it did
 * ("Labour had lied", "the government has failed"), a fault it has ("Mr Straw
 * was naive beyond belief", "the plans are wrong"), or what it must do to
 * make amends ("Mr Blair should apologise")?  A statement that does is made
 * against that subject - its target; one that tells what someone did ("the
 * Russian government said Rosneft had signed a contract") has none: audits
 * P and Q judged 11 such targets wrong, R and S's readers missed the ones
 * criticised.  (The words are English's common verbs of blame, not a
 * sentiment lexicon.) */
static bool critical_of(const NgDocument *doc, const NgVerbGroup *h) {
  static const char *const wrongs[] = {"lie", "mislead", "fail", "betray", "deceive", "cheat", "waste",
                                       "renege", "bully", "smear", "squander", "botch", "mismanage",
                                       "neglect", "insult", "undermine", "wreck", "ruin", "abandon",
                                       "ignore", "bungle", "breach", "flout", "snub"};
  static const char *const faults[] = {"wrong", "naive", "incompetent", "irresponsible", "dishonest",
                                       "arrogant", "complacent", "hypocritical", "misleading", "disgraceful",
                                       "shameful", "reckless", "untrustworthy", "deceitful", "culpable",
                                       "guilty", "unfit", "chaotic", "inept", "negligent", "outrageous",
                                       "scandalous", "disgrace", "shambles", "mistake", "failure"};
  static const char *const amends[] = {"apologise", "apologize", "resign", "quit", "withdraw", "explain"};
  if (!h->lemma) return false;
  if (one_of(h->lemma, wrongs, NG_COUNTOF(wrongs))) return true;
  const char *modal = modal_word(doc, h);
  if (modal && (!strcmp(modal, "should") || !strcmp(modal, "must")) && one_of(h->lemma, amends, NG_COUNTOF(amends)))
    return true;
  if (strcmp(h->lemma, "be")) return false;
  /* "was naive beyond belief", "is a disgrace", "were utterly wrong" */
  for (size_t t = h->head + 1; t < h->head + 5 && t < doc->ntokens; ++t) {
    const NgToken *w = &doc->tokens[t];
    if (w->flags & NG_TOK_PUNCT) break;
    if (one_of(w->norm, faults, NG_COUNTOF(faults))) return true;
  }
  return false;
}

/* The named actor whose act the clause reported by group k tells ("Lord
 * Butler said Mr Blair bypassed the Cabinet": Mr Blair), or -1. */
static int32_t reported_actor(const NgDocument *doc, size_t first_group, size_t last_group, size_t k) {
  for (size_t m = first_group; m < last_group; ++m) {
    const NgVerbGroup *h = &doc->groups[m];
    if (h->attribution != (int32_t)k) continue;
    if (h->subject < 0) return -1;
    const NgPhrase *p = &doc->phrases[h->subject];
    if (p->pronoun || p->mention < 0) return -1;
    const NgMention *mm = &doc->mentions[p->mention];
    /* the actor itself, not its things ("Britain's retailers had endured"),
     * doing something, not being something ("440 Britons were missing") */
    if (p->head < mm->first || p->head >= mm->first + mm->count) return -1;
    for (size_t t = p->first; t <= p->last; ++t) /* "about 440 Britons": a count */
      if (doc->tokens[t].pos == NG_POS_NUM || (doc->tokens[t].flags & NG_TOK_DIGIT)) return -1;
    /* "the United States and Russia will hold talks": that event says who */
    if (p->coord_next >= 0) return -1;
    NgVerbNature nature = verb_nature(doc, h);
    if (!h->lemma || (!strcmp(h->lemma, "be") && !critical_of(doc, h)) || !strcmp(h->lemma, "have") ||
        ((nature == NG_NATURE_STATE || nature == NG_NATURE_AMOUNT || nature == NG_NATURE_OPINION) &&
         !critical_of(doc, h)))
      return -1;
    if (!mm->label || !mm->label[0] || !mm->key || !mm->key[0]) return -1;
    if (!phrase_is_name(doc, p) && !(mm->code[0] && !is_role_only(mm->code))) return -1;
    if (same_referent(doc, h->subject, doc->groups[k].subject)) return -1;
    /* "The Ukrainian army said its troops ...": the speaker's own people */
    if (doc->tokens[p->first].pos == NG_POS_POSS) return -1;
    /* "Mr Howard said Britain ...", "the Libyan central bank said Libya
     * ...": the speaker's own country is what is spoken of, not to (audits
     * K and P: four such targets judged wrong, none right) */
    if (speakers_own_country(doc, doc->groups[k].subject, mm)) return -1;
    return h->subject;
  }
  return -1;
}

/* The one a statement is made against: the named actor its reported clause
 * finds fault with (critical_of), or -1.  One whose act it only tells is
 * no target (audits P and Q). */
static int32_t statement_about(const NgDocument *doc, size_t first_group, size_t last_group, size_t k) {
  int32_t p = reported_actor(doc, first_group, last_group, k);
  if (p < 0) return -1;
  for (size_t m = first_group; m < last_group; ++m)
    if (doc->groups[m].attribution == (int32_t)k && doc->groups[m].subject == p)
      return critical_of(doc, &doc->groups[m]) ? p : -1;
  return -1;
}

static bool reports_speech(const NgVerbGroup *g) {
  return (g->verb && g->verb->attribution) || claims_content(g->lemma) || object_is_content(g);
}

/* "leading economists", "binge drinking", "With United battling
 * bankruptcy", "the pipeline will run ..., crossing Macedonia": an -ing
 * form with no auxiliary is a modifier, a noun or a clause of background
 * (the blind audits judged 15 of 22 such events junk).  It reports an act
 * after a preposition ("by accusing the prime minister") or as the saying
 * that follows its clause ("..., saying it would appeal"). */
static bool bare_participle(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  static const char *const preps[] = {"by", "after", "before", "while", "when", "since", "on", "through",
                                      "without", "upon"};
  if (doc->tokens[g->head].vform != NG_VF_VBG || (g->flags & NG_VG_INFINITIVE)) return false;
  for (size_t t = g->first; t < g->head; ++t)
    if (doc->tokens[t].pos != NG_POS_ADV && doc->tokens[t].pos != NG_POS_NEG) return false;
  if (reports_speech(g)) return false;
  if (g->first > s->first && one_of(doc->tokens[g->first - 1].norm, preps, NG_COUNTOF(preps))) return false;
  return true;
}

/* "Japan's economy teetered on the brink", "the data suggests growth of
 * 0.2%", "Dollar hits new low": an economy, a market or a figure does
 * nothing; what it "does" is a statistic (the blind audits judged them
 * junk), however the actor named in it is read. */
static bool amount_subject(const NgDocument *doc, const Reading *r) {
  static const char *const figures[] = {
      "economy", "economies", "growth", "sales", "shares", "profits", "profit", "output", "exports",
      "imports", "prices", "inflation", "data", "figures", "market", "markets", "index", "dollar", "euro",
      "pound", "yen", "currency", "stocks", "earnings", "revenue", "revenues", "demand", "unemployment",
      "borrowing", "deficit", "surplus", "spending", "investment", "confidence", "turnover"};
  if (r->source < 0) return false;
  /* (of conjoined ones, any: the last carries the head they share -
   * "Indonesian, Indian and Hong Kong stock markets reached record highs",
   * audit AA) */
  int32_t q = r->source;
  for (int hops = 0; q >= 0 && hops < 16; ++hops, q = doc->phrases[q].coord_next) {
    const NgPhrase *p = &doc->phrases[q];
    const NgToken *head = &doc->tokens[p->head];
    /* (not a name: "Labour MP Stephen Pound") */
    if (p->mention >= 0 && doc->mentions[p->mention].person) continue;
    if ((head->flags & NG_TOK_CAP) && p->head > 0 && !(doc->tokens[p->head - 1].flags & (NG_TOK_END | NG_TOK_PARA)) &&
        p->head != doc->sents[0].first)
      continue;
    if (one_of(head->norm, figures, NG_COUNTOF(figures))) return true;
  }
  return false;
}

/* "Share prices in London, Frankfurt and Paris also closed higher",
 * "the FTSE closed down 12 points": a market's close is a figure, whoever
 * the clause seems to name (audit W: London, Frankfurt and Paris as actors). */
static bool market_close(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  static const char *const ways[] = {"higher", "lower", "flat", "unchanged", "firmer", "weaker"};
  static const char *const by[] = {"up", "down", "at"}; /* with a figure: "closed down 18%" ("forced to close down") */
  const NgSentence *s = &doc->sents[sentence];
  size_t end = s->first + s->count, next = g->head + 1;
  if (!g->lemma || strcmp(g->lemma, "close") || (g->flags & NG_VG_PASSIVE) || next >= end) return false;
  if (one_of(doc->tokens[next].norm, ways, NG_COUNTOF(ways))) return true;
  return one_of(doc->tokens[next].norm, by, NG_COUNTOF(by)) && next + 1 < end &&
         (doc->tokens[next + 1].flags & NG_TOK_DIGIT);
}

/* "the Venezuelan government has steadily expanded the state's
 * involvement", "the Bank has usually warned": an adverb of a trend or a
 * habit makes the verb tell what goes on over time, not an act.  Of a
 * saying, "repeatedly" and "consistently" too ("has repeatedly said"); of
 * acts they count them ("troops repeatedly fired"). */
static bool trend(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  static const char *const over_time[] = {"steadily", "gradually", "increasingly", "continually",
                                          "constantly", "traditionally", "usually", "regularly",
                                          "frequently", "often", "always", "long", "generally", "typically"};
  static const char *const said_over[] = {"repeatedly", "consistently"};
  bool saying = reports_speech(g);
  const NgSentence *s = &doc->sents[sentence];
  /* (after a saying, an adverb is the said clause's: "which the party says
   * often makes it too expensive") */
  size_t last = g->head + 1 < s->first + s->count && !saying ? g->head + 1 : g->head;
  /* (and the adverb right before it: "Mr Ebbers often passed over") */
  size_t first = g->first > s->first ? g->first - 1 : g->first;
  for (size_t t = first; t <= last; ++t) {
    const char *w = doc->tokens[t].norm;
    if (doc->tokens[t].pos == NG_POS_ADV && (one_of(w, over_time, NG_COUNTOF(over_time)) ||
                                              (saying && one_of(w, said_over, NG_COUNTOF(said_over)))))
      return true;
  }
  return false;
}

/* "Under the settlement announced in January, Marsh took a charge": a bare
 * past form right after the object of a preposition describes that noun,
 * which did nothing (audit AA: "the settlement announces"). */
static bool participle_after_preposition(const NgDocument *doc, const NgVerbGroup *g) {
  if (g->subject < 0 || g->first != g->head) return false;
  const NgToken *v = &doc->tokens[g->head];
  if (v->vform != NG_VF_VBD && v->vform != NG_VF_VBN) return false;
  const NgPhrase *subj = &doc->phrases[g->subject];
  if (subj->last + 1 != g->head || subj->first == 0 || subj->pronoun || subj->mention >= 0) return false;
  /* (a common noun: "In the fourth quarter alone Ford reported" is Ford's
   * report, the phrase run together) */
  if (doc->tokens[subj->head].pos != NG_POS_NOUN) return false;
  return doc->tokens[subj->first - 1].pos == NG_POS_PREP;
}

/* "the deals reached by Qatar", "a statement signed by William Sharpe": a
 * participle whose agent is named after "by" reports that actor's act;
 * "the loans made by private banks" names nobody and stays background. */
static bool named_agent(const NgDocument *doc, const NgVerbGroup *g, const Reading *r) {
  if (!(g->flags & NG_VG_PASSIVE) && doc->tokens[g->head].vform != NG_VF_VBN) return false;
  if (r->source < 0 || r->source == g->subject) return false;
  const NgPhrase *p = &doc->phrases[r->source];
  if (p->first == 0 || strcmp(doc->tokens[p->first - 1].norm, "by")) return false;
  if (!phrase_is_name(doc, p) || p->mention < 0) return false;
  /* the noun it describes is an act ("deals reached by Qatar"), not a thing
   * ("the legal advice given by the Attorney General", "evidence obtained
   * by MI5": background) */
  static const char *const acts[] = {"deal", "deals", "agreement", "agreements", "accord", "treaty", "pact",
                                     "statement", "letter", "bid", "offer", "contract", "contracts",
                                     "order", "ruling", "decision", "attack", "attacks", "raid", "raids",
                                     "strike", "strikes", "sanctions", "ban", "law", "bill", "plan", "plans"};
  if (g->first == 0) return false;
  size_t n = g->first - 1;
  while (n > 0 && doc->tokens[n].pos == NG_POS_ADV) n--;
  return one_of(doc->tokens[n].norm, acts, NG_COUNTOF(acts));
}

/* "BNP leader Nick Griffin arrested", "Irish company hit by Iraqi report":
 * headlines tell acts in the present ("Kilroy unveils immigration
 * policy"), so a past form with no auxiliary in a headline is a passive
 * whose subject is what was done to - and the agent is not named. */
static bool headline_passive(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  const NgSentence *s = &doc->sents[sentence];
  /* (a record of one sentence without a full stop, as event coders' test
   * sentences are, is no headline: a headline has a story below it) */
  bool headline = is_headline(doc, sentence) && (s->is_title || doc->nsents > 1);
  if (!headline || (g->flags & (NG_VG_INFINITIVE | NG_VG_FUTURE | NG_VG_MODAL))) return false;
  NgVerbForm vf = doc->tokens[g->head].vform;
  if (vf != NG_VF_VBD && vf != NG_VF_VBN) return false;
  for (size_t t = g->first; t < g->head; ++t)
    if (doc->tokens[t].pos != NG_POS_ADV) return false; /* "has quit", "was attacked" */
  /* an object makes it active: "Apple Inc. doubled its profits" */
  size_t next = g->head + 1;
  return next >= s->first + s->count || doc->tokens[next].pos == NG_POS_PREP ||
         doc->tokens[next].pos == NG_POS_PUNCT || doc->tokens[next].pos == NG_POS_ADV;
}

/* A coded -ing form with no auxiliary is an act after the comma that
 * closes its actor's clause ("..., killing five civilians") or as the noun
 * of a nation's act ("killed in Israeli tank shelling in the east of Gaza":
 * no object follows, the actor is an adjective of nationality). */
static bool coded_participle_kept(const NgDocument *doc, const NgSentence *s, const NgVerbGroup *g) {
  if (g->first > s->first && doc->tokens[g->first - 1].norm[0] == ',') return true;
  if (g->subject < 0 || doc->phrases[g->subject].mention < 0) return false;
  if (!doc->mentions[doc->phrases[g->subject].mention].demonym) return false;
  size_t next = g->head + 1;
  return next >= s->first + s->count || doc->tokens[next].pos == NG_POS_PREP ||
         doc->tokens[next].pos == NG_POS_PUNCT;
}

/* "Liberia is recovering from a civil war", "Iraq is seeking to award
 * contracts", "the EU is putting commerce above abuse concerns": outside a
 * headline the present progressive tells what is going on, not what
 * happened (judged junk 10 times in 14).  Speech is exempt ("is calling
 * for"), and so is what a code makes news. */
/* "Independent News & Media is buying up a 26% stake in Jagran", "is suing
 * Microsoft": the progressive of a deal, a lawsuit or a cut with its
 * object is news under way, where "Liberia is recovering" or "is
 * struggling with a deficit" is a state. */
static bool dealing_now(const NgVerbGroup *g) {
  static const char *const deals[] = {"buy", "sell", "acquire", "purchase", "sue", "cut", "axe", "close",
                                      "shut", "launch", "bid", "offer", "hire", "recruit",
                                      "investigate", "probe", "negotiate", "appeal", "challenge", "raise",
                                      "invest", "open", "withdraw", "recall", "fine", "ban"};
  return g->object >= 0 && g->lemma && one_of(g->lemma, deals, NG_COUNTOF(deals));
}

static bool present_progressive(const NgDocument *doc, size_t sentence, const NgVerbGroup *g) {
  static const char *const be[] = {"is", "are", "am", "'s", "'re", "'m"};
  if (doc->tokens[g->head].vform != NG_VF_VBG || (g->flags & (NG_VG_PASSIVE | NG_VG_FUTURE | NG_VG_MODAL)))
    return false;
  bool present = false;
  for (size_t t = g->first; t < g->head; ++t) present |= one_of(doc->tokens[t].norm, be, NG_COUNTOF(be));
  return present && !reports_speech(g) && !is_headline(doc, sentence) && !dealing_now(g);
}

/* "LVMH has been selling non-core businesses", "Boeing and Airbus have
 * been taking orders": what has been going on is background (audit H's
 * reader judged all five such events junk). */
static bool perfect_progressive(const NgDocument *doc, const NgVerbGroup *g) {
  return (g->flags & NG_VG_PERFECT) && !(g->flags & NG_VG_PASSIVE) && doc->tokens[g->head].vform == NG_VF_VBG &&
         !reports_speech(g);
}

/* Is a noun, or its singular ("cars", "copies"), one of the words? */
static bool noun_one_of(const char *w, const char *const *words, size_t n) {
  if (one_of(w, words, n)) return true;
  char one[64];
  size_t len = strlen(w);
  if (len < 3 || len >= sizeof one || w[len - 1] != 's') return false;
  memcpy(one, w, len - 1);
  one[len - 1] = 0;
  if (one_of(one, words, n)) return true;
  if (len > 4 && !strcmp(w + len - 3, "ies")) { /* "copies" */
    strcpy(one + len - 3, "y");
    return one_of(one, words, n);
  }
  return false;
}

/* "BMW sold nearly 95,000 cars", "registering record sales", "took third
 * place": a figure of business or of a contest, not an act on anyone. */
static bool figure_object(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const figures[] = {"sales", "profit", "profits", "loss", "losses", "revenue",
                                        "revenues", "turnover", "earnings", "figure", "figures", "result",
                                        "results", "growth", "place", "share",
                                        /* forecasts are no acts: "raised its estimate of demand" */
                                        "estimate", "estimates", "forecast", "forecasts", "outlook",
                                        "projection", "projections", "guidance",
                                        /* nor what is beaten or missed: "beat market expectations",
                                         * "missed its sales target" (audit R: statistics) */
                                        "expectations", "target", "targets",
                                        /* nor what a market gives: "lost value", "gave up ground" */
                                        "value", "ground"};
  static const char *const selling[] = {"sell", "ship", "deliver", "produce", "make"};
  static const char *const products[] = {"car", "vehicle", "unit", "copy", "album", "record", "ticket",
                                         "phone", "handset", "computer", "item", "product", "model",
                                         "console", "player", "barrel", "tonne", "ton"};
  /* what is done to the figures is an act: "stopped sales", "inflated
   * sales", "massaged earnings", "restated its results" */
  static const char *const handling[] = {"stop", "halt", "suspend", "ban", "resume", "block", "freeze",
                                         "restrict", "inflate", "massage", "overstate", "understate",
                                         "restate", "misstate", "falsify", "hide", "conceal", "manipulate", "fiddle",
                                         "cook", "fake",
                                         /* publishing them is a firm's act: "posted record losses" */
                                         "announce", "post", "report", "publish", "unveil", "release"};
  if (g->object < 0 || !g->lemma || reports_speech(g) || one_of(g->lemma, handling, NG_COUNTOF(handling)))
    return false;
  const NgPhrase *o = &doc->phrases[g->object];
  const char *noun = head_noun(doc, g->object);
  if (o->mention >= 0 && doc->mentions[o->mention].code[0]) return false; /* "sold Zomba" */
  if (one_of(noun, figures, NG_COUNTOF(figures))) {
    /* ("issued guidance to forces on the new rules": advice, not a firm's outlook) */
    if (!strcmp(noun, "guidance") && o->last + 1 < doc->ntokens &&
        (!strcmp(doc->tokens[o->last + 1].norm, "to") || !strcmp(doc->tokens[o->last + 1].norm, "on")))
      return false;
    /* ("took a 26% share in": a stake is a deal, "market share" a figure) */
    if (!strcmp(noun, "share") && strcmp(doc->tokens[o->head > o->first ? o->head - 1 : o->head].norm, "market"))
      return false;
    return true;
  }
  if (!one_of(g->lemma, selling, NG_COUNTOF(selling))) return false;
  /* "sold more than 100 of the iconic models": a count of units */
  const NgToken *h = &doc->tokens[o->head];
  if ((h->pos == NG_POS_NUM || (h->flags & NG_TOK_DIGIT)) &&
      !(o->head + 1 < doc->ntokens && (!strcmp(doc->tokens[o->head + 1].norm, "%") ||
                                       !strcmp(doc->tokens[o->head + 1].norm, "percent"))))
    return true;
  if (!noun_one_of(noun, products, NG_COUNTOF(products))) return false;
  for (size_t t = o->first; t <= o->last; ++t)
    if (doc->tokens[t].pos == NG_POS_NUM || (doc->tokens[t].flags & NG_TOK_DIGIT)) return true;
  return false;
}

/* "The dam has drawn criticism", "Monsanto was facing stiff opposition":
 * the subject is the one others act on; the verb names no act of its own. */
static bool suffers_act(const NgDocument *doc, const NgVerbGroup *g) {
  static const char *const suffering[] = {"draw", "attract", "face", "receive", "earn", "invite"};
  static const char *const acts[] = {"criticism", "opposition", "condemnation", "charge", "accusation",
                                     "pressure", "protest", "anger", "fury", "complaint", "flak", "scrutiny",
                                     "investigation", "probe", "lawsuit", "backlash", "outcry", "call",
                                     "question", "challenge", "threat"}; /* (plurals: noun_one_of) */
  if (g->object < 0 || !g->lemma || !one_of(g->lemma, suffering, NG_COUNTOF(suffering))) return false;
  return noun_one_of(head_noun(doc, g->object), acts, NG_COUNTOF(acts));
}

/* A subject opened by "neither" ("Neither Rover nor Shanghai Automotive
 * commented"): none of them did it. */
static bool neither_nor(const NgDocument *doc, int32_t phrase) {
  if (phrase < 0) return false;
  size_t first = doc->phrases[phrase].first;
  if (!strcmp(doc->tokens[first].norm, "neither") || (first > 0 && !strcmp(doc->tokens[first - 1].norm, "neither")))
    return true;
  /* (the subject found may be the conjunct after "nor") */
  if (first == 0 || strcmp(doc->tokens[first - 1].norm, "nor")) return false;
  for (size_t t = first - 1; t-- > 0 && t + 8 > first;)
    if (!strcmp(doc->tokens[t].norm, "neither")) return true;
  return false;
}

/* "have made school discipline one of their priorities", "has made poverty
 * a key theme": make with an object and its complement says what the
 * object is to the subject - a stance, not an act (audits K and L). */
static bool made_into(const NgDocument *doc, const NgVerbGroup *g) {
  if (!g->lemma || strcmp(g->lemma, "make") || g->object < 0) return false;
  size_t after = doc->phrases[g->object].last + 1;
  /* (past the object's own phrases: "poverty in the poorest nations") */
  for (int hops = 0; hops < 3 && after + 1 < doc->ntokens && doc->tokens[after].pos == NG_POS_PREP; ++hops) {
    int32_t pp = doc->tokens[after + 1].np;
    if (pp < 0 || doc->phrases[pp].first != after + 1) break;
    after = doc->phrases[pp].last + 1;
  }
  if (after >= doc->ntokens) return false;
  const NgToken *t = &doc->tokens[after];
  if (t->pos == NG_POS_NUM || t->pos == NG_POS_DET || t->pos == NG_POS_POSS) return true;
  int32_t q = t->np;
  return q >= 0 && doc->phrases[q].first == after && !doc->phrases[q].pronoun;
}

/* 'He called on Congress to cut benefits': a sentence without marks that
 * calls the speaker "he" is told about the speaker, not by him (the marks
 * that would have closed the quotation before it went missing). */
static bool speaker_in_third_person(const NgDocument *doc, const NgSentence *s, int32_t speaker) {
  for (size_t t = s->first; t < s->first + s->count; ++t) {
    int32_t np = doc->tokens[t].np;
    if (np < 0 || doc->phrases[np].first != t || !doc->phrases[np].pronoun) continue;
    const char *w = doc->tokens[doc->phrases[np].head].norm;
    bool third = !strcmp(w, "he") || !strcmp(w, "she") || !strcmp(w, "him") || !strcmp(w, "her") ||
                 !strcmp(w, "his") || !strcmp(w, "they") || !strcmp(w, "it");
    if (third && same_referent(doc, np, speaker)) return true;
  }
  return false;
}

/* Words on their own ('"They have no plan for schools."') that go on a
 * quotation of a speaker named before (coref.c: quoted_speaker) are that
 * speaker's statement, as a reader takes them (every recall reader of audits
 * K-Q listed them, and none was found).  The words are the quotation; the
 * actor is the phrase of the sentence that named the speaker.  Where the
 * speaker's statement is kept in the sentences just before, this one
 * becomes its further mention (goes_on_statement: one utterance). */
static NgStatus quoted_statement(NgDocument *doc, size_t sentence, size_t *statement_event) {
  const NgSentence *s = &doc->sents[sentence];
  int32_t speaker = doc->coref.quoted_speaker;
  if (speaker < 0 || s->is_title || s->count < 4) return NG_SUCCESS;
  if (!(doc->factualities & NG_FACT_ASSERTED)) return NG_SUCCESS;
  Participant src;
  NgStatus st = participant_of(doc, speaker, &src);
  if (st) return st;
  /* someone a reader can name, or one unnamed source ("a spokesman") */
  if (!src.agent || !src.ref.key[0] || (src.generic && (src.plural || !src.known))) return NG_SUCCESS;
  size_t last = s->first + s->count - 1;
  if (!double_marks(doc, s->first, last + 1) && speaker_in_third_person(doc, s, speaker)) return NG_SUCCESS;
  NgEvent *e = ng_doc_add_event(doc);
  if (!e) return NG_ERR_NOMEM;
  memset(e, 0, sizeof *e);
  e->sentence = sentence;
  e->sentence_begin = NG_TOK_CBEGIN(doc, s->first);
  e->sentence_end = NG_TOK_CEND(doc, last);
  e->sentence_text = e->action_text = ng_doc_span_text(doc, s->first, last);
  if (!e->sentence_text) return NG_ERR_NOMEM;
  e->action_begin = e->sentence_begin;
  e->action_end = e->sentence_end;
  e->actor = src.ref;
  e->target.label = e->target.code = e->target.text = e->target.key = "";
  const NgCameo *says = ng_lexicon_cameo(doc->lex, "010");
  e->action = "says";
  e->cameo = "";
  e->modality = "";
  e->rule = "say#quote";
  e->factuality = NG_FACT_ASSERTED;
  e->date = doc->date[0] ? doc->date : "";
  e->date_source = doc->date[0] ? "article" : "";
  e->confidence = (double)src.confidence * 0.8;
  int32_t m = doc->phrases[speaker].mention;
  const NgMention *mm = m >= 0 ? &doc->mentions[m] : NULL;
  if (mm && mm->antecedent >= 0) mm = &doc->mentions[mm->antecedent];
  if (mm && (mm->person || mm->kind == NG_KIND_PERSON) && says) *statement_event = doc->nevents - 1;
  return NG_SUCCESS;
}

/* "managed to win", "went on to complete a PhD", "began to sell": the verb
 * says only that (or how) the act of its infinitive was done, which is the
 * event; on its own it made a second one ("manages", "goes": audit Z read
 * "went on to complete" as going). */
static bool only_aspect(const NgDocument *doc, size_t k, size_t last_group) {
  static const char *const aspect[] = {"manage", "proceed", "go", "begin", "start", "happen", "dare",
                                       "bother"};
  const NgVerbGroup *g = &doc->groups[k];
  if (!g->lemma || !one_of(g->lemma, aspect, NG_COUNTOF(aspect))) return false;
  for (size_t j = k + 1; j < last_group; ++j) {
    const NgVerbGroup *inf = &doc->groups[j];
    if (inf->governor != (int32_t)k || !(inf->flags & NG_VG_INFINITIVE)) continue;
    /* right after the verb ("went on to", "began quickly to"): not the
     * purpose of its object ("began a four-day tour to assess ...") */
    size_t t = g->last + 1;
    while (t < inf->first && (doc->tokens[t].pos == NG_POS_ADV || !strcmp(doc->tokens[t].norm, "on")))
      t++;
    return t == inf->first;
  }
  return false;
}

NgStatus ng_find_events(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  size_t first_event = doc->nevents, statement_event = SIZE_MAX;
  size_t first_group = doc->ngroups, last_group = doc->ngroups;
  /* the groups of this sentence are the last ones added */
  while (first_group > 0 && doc->groups[first_group - 1].head >= s->first) first_group--;
  NgStatus st = quoted_statement(doc, sentence, &statement_event);
  if (st || first_group == last_group) {
    if (!st) code_plain_statement(doc, first_event, statement_event);
    return st;
  }
  NgShadow *sh = &doc->shadow;
  sh->built_for = 0;
  /* the shadow costs a pass over the sentence: only for verbs with patterns */
  for (size_t k = first_group; k < last_group && !st && !sh->built_for; ++k)
    if (doc->groups[k].verb && doc->groups[k].verb->npatterns) st = ng_shadow_build(doc, sentence, sh);
  const char *sentence_text = st ? NULL : ng_doc_span_text(doc, s->first, s->first + s->count - 1);
  if (!st && !sentence_text) st = NG_ERR_NOMEM;
  size_t covered = 0; /* verbs inside a pattern's match ("to include") are its words */
  for (size_t k = first_group; k < last_group && !st; ++k) {
    const NgVerbGroup *g = &doc->groups[k];
    if (skip_lemma(g->lemma) || g->head <= covered) continue;
    /* "he used to play truant": a habit of the past, no event (neither the
     * using nor the playing) */
    if (used_to(doc, g) || (g->governor >= 0 && used_to(doc, &doc->groups[g->governor]))) continue;
    /* "... from Congress to help Iran": an infinitive attached to nothing
     * has an agent we did not find; no event rather than one without it */
    if ((g->flags & NG_VG_INFINITIVE) && g->governor < 0 && g->subject < 0) continue;
    /* "The song was written by Lionel Richie": authorship, not a statement */
    if ((g->flags & (NG_VG_PASSIVE | NG_VG_PARTICIPLE)) && g->lemma && !strcmp(g->lemma, "write")) continue;
    /* a governor of modality speaks through its complement */
    bool governs = false;
    for (size_t j = k + 1; j < last_group; ++j)
      if (doc->groups[j].governor == (int32_t)k && g->verb && g->verb->modality) governs = true;
    if (governs || only_aspect(doc, k, last_group)) continue;
    Reading r;
    if (!read_group(doc, sentence, sh, g, &r)) continue;
    if (neither_nor(doc, r.source)) r.negated = !r.negated; /* "Neither Rover nor SAIC commented" */
    if (r.match_end > covered) covered = r.match_end;
    if (repeats_governor(doc, sentence, sh, g, &r)) continue;
    if (g->governor >= 0) apply_governor(doc, sentence, sh, &doc->groups[g->governor], g, &r);
    /* an uncoded verb of a state ("remains"), or of an amount that nobody
     * changes ("shares fell", not "Apple cut prices"), is no event */
    NgVerbNature nature = r.code[0] ? NG_NATURE_ACTION : verb_nature(doc, g);
    /* "is to look into a complaint": the particle makes an act of a state */
    if (nature == NG_NATURE_STATE && phrasal_particle(doc, sentence, g)) nature = NG_NATURE_ACTION;
    bool acts_on = r.target >= 0 && !phrase_is_amount(doc, &doc->phrases[r.target]);
    if (nature == NG_NATURE_STATE || (nature == NG_NATURE_AMOUNT && !acts_on)) continue;
    if (!r.code[0] && g->governor >= 0 && continuing_state(doc, &doc->groups[g->governor])) continue;
    if (!r.code[0] && (habitual_present(doc, sentence, g) || present_progressive(doc, sentence, g) ||
                       perfect_progressive(doc, g) || figure_object(doc, g) || suffers_act(doc, g)))
      continue;
    if (bare_participle(doc, s, g) && !(r.code[0] && coded_participle_kept(doc, s, g))) continue;
    /* (a statement is news in any tense: "Labour, which denies engaging in ...") */
    if (relative_present(doc, g) && !is_headline(doc, sentence) && strncmp(r.code, "01", 2)) continue;
    if (!r.code[0] && made_into(doc, g)) continue;
    if (hedging_saying(doc, g)) continue;
    if (headline_passive(doc, sentence, g)) continue;
    if (!r.code[0] && (amount_subject(doc, &r) || market_close(doc, sentence, g) ||
                       (trend(doc, sentence, g) && !reports_speech(g))))
      continue;
    /* "the loans made by private banks", "people coming to the UK": a
     * participle that describes a noun is background, unless a code says
     * the act is news ("civilians killed by shelling") */
    if ((g->flags & NG_VG_PARTICIPLE) && !r.code[0] && !named_agent(doc, g, &r)) continue;
    /* (one whose doer is named is that one's act: "a special music event
     * hosted by Apple") */
    if (participle_after_preposition(doc, g) && (r.source < 0 || r.source == g->subject)) continue;
    NgFactuality fact = factuality_of(doc, s, g, &r, r.code[0] != '\0');
    int root = r.code[0] && r.code[1] ? (r.code[0] - '0') * 10 + (r.code[1] - '0') : 0;
    /* "Israel will evacuate": announced, not done.  A future someone is
     * reported to announce ("the rebels said they will release") is their
     * stated intent - or threat - as human CAMEO coders read it; a bare
     * future keeps the act's code and says it is in the future */
    if ((g->flags & NG_VG_FUTURE) && !r.modality[0] && root) {
      r.modality = "future";
      const char *intent = g->attribution >= 0 && !r.negated ? ng_lexicon_transform(doc->lex, NG_MOD_INTENT, r.code) : NULL;
      if (intent) { /* the statement of intent is what happened */
        fact = NG_FACT_ASSERTED;
        r.code = intent;
        r.modality = root >= 14 ? "threat" : "intent";
        const NgCameo *cc = ng_lexicon_cameo(doc->lex, intent);
        if (cc) r.label = cc->label;
      }
    }
    if (root >= 12 && root != 13 && (!r.modality[0] || !strcmp(r.modality, "future")) &&
        conditional(doc, g, s->first + s->count)) {
      const char *threat = ng_lexicon_transform(doc->lex, NG_MOD_THREAT, r.code);
      if (threat) { /* the threat is what happened */
        fact = NG_FACT_ASSERTED;
        r.code = threat;
        r.modality = "threat";
        const NgCameo *cc = ng_lexicon_cameo(doc->lex, threat);
        if (cc) r.label = cc->label;
      }
    }
    if (r.negated && r.code[0]) { /* "did not provide aid" is a refusal of aid */
      const char *neg = ng_lexicon_negate(doc->lex, r.code);
      if (neg) {
        /* the refusal is what happened: flagged negated too, it read as no
         * refusal (audit M's reader: "will not accept" as "rejects", negated) */
        r.negated = false;
        if (fact == NG_FACT_NEGATED) fact = NG_FACT_ASSERTED;
        r.code = neg;
        const NgCameo *c = ng_lexicon_cameo(doc->lex, neg);
        if (c) r.label = c->label;
      }
    }
    if ((r.target < 0 || (r.target == g->object && object_is_content(g))) && g->verb && g->verb->attribution &&
        !r.code[0]) {
      int32_t to = addressee(doc, s, g);
      if (to == r.source) to = -1; /* "according to X": X speaks, to no one */
      r.target = to >= 0 ? to : statement_about(doc, first_group, last_group, k);
      r.reported = reported_actor(doc, first_group, last_group, k);
      /* "Michael Ancram said Jack Straw was naive beyond belief": finding
       * fault with someone is criticism (111) of that one */
      const NgCameo *criticises = to < 0 && r.target >= 0 ? ng_lexicon_cameo(doc->lex, "111") : NULL;
      if (criticises) {
        r.code = "111";
        r.label = criticises->label;
      }
    }
    EmitCtx c = {sentence, sentence_text, g, &r, "", "", fact};
    event_date(doc, sentence, g, &c.date, &c.date_source);
    /* What a quotation tells is the speaker's account, the quotation itself
     * (its statement) the event: an act told in it ('"the Liberal Democrats
     * would restrict access ..."', '"We welcome the report"', '"I have, so
     * far, failed to reach an agreement"', '"We have fought a very positive
     * campaign"') is the speaker's opinion - the blind audits judged 20 of
     * 26 open ones junk, and U-Z 36 of 39 coded ones or the speaker's own
     * (2 good) - and so is an open saying in it ('"he says he is
     * innocent"') unless the speaker tells of his own ('"We told them no"').
     * A quotation that dates a past act tells it ('"The bill, which was
     * passed by the House of Representatives on November 18, ..."'). */
    bool past = g->flags & (NG_VG_PAST | NG_VG_PERFECT | NG_VG_PASSIVE);
    bool told = fact == NG_FACT_ASSERTED || fact == NG_FACT_NEGATED || fact == NG_FACT_FUTURE;
    if (told && in_double_quote(doc, s, g->head) && !(past && !strcmp(c.date_source, "text"))) {
      bool own_saying = past && speaker_reports_own_act(doc, g);
      if (!reports_speech(g) || (!r.code[0] && fact != NG_FACT_FUTURE && !own_saying))
        fact = c.factuality = NG_FACT_OPINION;
    }
    /* "Liam Fox said Labour had broken promises", '"Tony Blair has broken
     * the pledges he made"': a breach of norms that someone reports or
     * quotes is their accusation - the statement is the event, the breach
     * an opinion (audit I's reader judged all four such junk) - and so is
     * a speaker's own denial of one ('"We haven't broken any rules"') */
    if ((!strncmp(r.code, "128", 3) || (!r.code[0] && critical_of(doc, g))) &&
        (fact == NG_FACT_ASSERTED || fact == NG_FACT_NEGATED) &&
        (g->attribution >= 0 || in_double_quote(doc, s, g->head)))
      fact = c.factuality = NG_FACT_OPINION;
    /* a paragraph in someone's own voice ("I welcome the increase ... Mr
     * Blair wins"): that one's view, not a report (mark_personal_paragraphs) */
    if ((fact == NG_FACT_ASSERTED || fact == NG_FACT_NEGATED) && s->personal && !in_double_quote(doc, s, g->head))
      fact = c.factuality = NG_FACT_OPINION;
    if (fact == NG_FACT_ASSERTED && told_as_background(doc, s, g, c.date, c.date_source))
      fact = c.factuality = NG_FACT_BACKGROUND;
    /* "has always denied this", "has repeatedly said": what one says over
     * and over is one's standing position, told as background (audit X
     * judged both junk as news) */
    if (fact == NG_FACT_ASSERTED && reports_speech(g) && trend(doc, sentence, g))
      fact = c.factuality = NG_FACT_BACKGROUND;
    bool coded_future = fact == NG_FACT_FUTURE && (doc->factualities & NG_FACT_FUTURE_CODED) &&
                        (r.code[0] || announced_by_actor(doc, g));
    if (!(doc->factualities & fact) && !coded_future) continue;
    size_t before = doc->nevents;
    st = emit_reading(doc, &c);
    if (statement_event == SIZE_MAX && doc->nevents > before && g->verb && g->verb->attribution && !r.code[0] &&
        speaker_is_person(doc, g))
      statement_event = before;
  }
  if (!st) code_plain_statement(doc, first_event, statement_event);
  return st;
}

/* ------------------------------------------------- one event, one row */

/* Does event h (of the headline) report what e (of the text) reports: the
 * same actor doing the same act (the same words, or the same CAMEO root) to
 * the same target, or to one the headline leaves out? */
/* What an event is done to: its target, or the words of a thing it acts on
 * (an object that is no participant has no key: emit_one). */
static const char *acted_on(const NgEvent *e) { return e->target.key[0] ? e->target.key : e->target.text; }

static bool restates(const NgEvent *h, const NgEvent *e) {
  if (!h->actor.key[0] || strcmp(h->actor.key, e->actor.key)) return false;
  bool same_act = !strcmp(h->action, e->action) ||
                  (h->cameo[0] && e->cameo[0] && !strncmp(h->cameo, e->cameo, 2));
  if (!same_act) return false;
  return !acted_on(h)[0] || !strcmp(acted_on(h), acted_on(e));
}

/* The same words read twice into the same event (one verb, two readings). */
static bool repeats_kept(const NgDocument *doc, size_t kept, const NgEvent *e) {
  for (size_t k = kept; k-- > 0;) {
    const NgEvent *p = &doc->events[k];
    if (p->sentence != e->sentence) return false;
    if (p->action_begin == e->action_begin && !strcmp(p->action, e->action) &&
        !strcmp(p->actor.key, e->actor.key) && !strcmp(acted_on(p), acted_on(e)))
      return true;
  }
  return false;
}

/* The verb lemma of an event, from its rule ("open+speak"): *len bytes. */
static const char *rule_lemma(const NgEvent *e, size_t *len) {
  const char *lemma = strrchr(e->rule, '+');
  lemma = lemma ? lemma + 1 : e->rule;
  *len = strcspn(lemma, "#");
  return lemma;
}

/* Is e a statement: a verb of saying's event (its rule's last lemma reports
 * statements: "say#0", "argue+say#1"), coded 010 or open? */
static bool is_statement(const NgDocument *doc, const NgEvent *e) {
  if (e->cameo[0] && strcmp(e->cameo, "010")) return false;
  size_t len;
  const char *lemma = rule_lemma(e, &len);
  const NgVocab *v = ng_lexicon_word(doc->lex, lemma, len);
  return v && v->verb && v->verb->attribution;
}

/* "Vivendi has rejected the charge, saying ...": a verb of saying in the
 * -ing form after its actor's act tells what the act said - one event
 * (audit U's reader judged both such rows duplicates). */
static bool says_while_acting(const NgEvent *e) {
  size_t n = strcspn(e->action_text, " ");
  if (n < 5 || n > 40 || strncmp(e->action_text + n - 3, "ing", 3)) return false;
  /* "won over critics by announcing he would ...": the means is the news */
  char by[48];
  snprintf(by, sizeof by, "by %.*s", (int)n, e->action_text);
  return !strstr(e->sentence_text, by);
}

/* A second verb of saying of one speaker in one sentence reports the same
 * utterance ("argued that ... and said", "he added, saying", "said ...,
 * which he said"): one statement.  The first is kept; it takes the
 * second's target when it has none. */
static bool restates_utterance(NgDocument *doc, size_t kept, const NgEvent *e) {
  if (!e->actor.key[0] || e->negated || !is_statement(doc, e)) return false;
  bool gerund = says_while_acting(e);
  for (size_t k = kept; k-- > 0;) {
    NgEvent *p = &doc->events[k];
    if (p->sentence != e->sentence) return false;
    if (gerund && !p->negated && !strcmp(p->actor.key, e->actor.key) && p->action_begin < e->action_begin)
      return true;
    if (p->negated || strcmp(p->actor.key, e->actor.key) || !is_statement(doc, p)) continue;
    if (!p->target.key[0] && e->target.key[0]) p->target = e->target;
    return true;
  }
  return false;
}

/* The last sentence that tells event p (its own or a further mention's). */
static size_t last_told(const NgEvent *p) {
  return p->nfurther ? p->further[p->nfurther - 1].sentence : p->sentence;
}

/* Events counted once a story, as ICEWS counts them: the same actor doing
 * the same coded act to the same target on the same date in another
 * sentence of the article is the same event told again, and becomes its
 * further mention.  Statements are not merged: two statements of one
 * speaker say two things.  (Merging a speaker's statements in a story was
 * measured on the judgements of audits U and V: of the rows it folded, 17
 * of 26 and 25 of 27 had been judged GOOD, events of their own; so was a
 * narrower rule, a quotation right after its paraphrase.) */
static NgEvent *told_again(NgDocument *doc, size_t kept, const NgEvent *e) {
  if (!e->cameo[0] || !strcmp(e->cameo, "010") || !e->actor.key[0] || !e->target.key[0]) return NULL;
  /* (the last 256 events: a story tells an event again within a few
   * paragraphs, and a scan of all of them made long text quadratic) */
  size_t floor = kept > 256 ? kept - 256 : 0;
  for (size_t k = kept; k-- > floor;) {
    NgEvent *p = &doc->events[k];
    if (p->sentence == e->sentence) continue;
    if (!strcmp(p->cameo, e->cameo) && !strcmp(p->actor.key, e->actor.key) &&
        !strcmp(p->target.key, e->target.key) && !strcmp(p->date, e->date) &&
        p->negated == e->negated && p->factuality == e->factuality)
      return p;
  }
  return NULL;
}


/* m, another sentence telling event first, as first's further mention (a
 * second one of the same sentence adds nothing). */
static NgStatus add_one_mention(NgDocument *doc, NgEvent *first, const NgEventMention *m) {
  size_t n = first->nfurther;
  /* (mentions come in the order of the text: the last says if m is told) */
  if (m->sentence == first->sentence || (n && first->further[n - 1].sentence == m->sentence)) return NG_SUCCESS;
  NgEventMention *all = (NgEventMention *)first->further;
  /* room doubles at each power of two: the arena cannot grow a block, and
   * a speaker quoted in thousands of sentences of one text must not cost
   * their square (the 16 MB article of tests/e2e/input-limits.sh) */
  if (!(n & (n - 1))) {
    all = ng_arena_alloc(&doc->arena, (n ? 2 * n : 1) * sizeof *all);
    if (!all) return NG_ERR_NOMEM;
    if (n) memcpy(all, first->further, n * sizeof *all);
  }
  all[n] = *m;
  first->further = all;
  first->nfurther = n + 1;
  return NG_SUCCESS;
}

/* Event again, told again, becomes first's mention - with the mentions
 * it had gathered (a headline that restated it). */
static NgStatus add_mention(NgDocument *doc, NgEvent *first, const NgEvent *again) {
  NgEventMention m = {again->sentence,      again->sentence_begin, again->sentence_end,
                      again->sentence_text, again->actor.text,     again->action_text,
                      again->target.text ? again->target.text : ""};
  NgStatus st = add_one_mention(doc, first, &m);
  for (size_t k = 0; k < again->nfurther && !st; ++k) st = add_one_mention(doc, first, &again->further[k]);
  return st;
}

/* '"...," Mr Blair said. "They have no plan."': quoted words that go on
 * are the statement their speaker began, one utterance - its further
 * mention, not an event of its own (audit R's reader judged all eight such
 * rows duplicates).  The statement is the speaker's last one kept, in the
 * sentences just before; none there, the words stand on their own. */
static NgEvent *goes_on_statement(NgDocument *doc, size_t kept, const NgEvent *e) {
  if (strcmp(e->rule, "say#quote")) return NULL;
  for (size_t k = kept; k-- > 0;) {
    NgEvent *p = &doc->events[k];
    if (last_told(p) + 4 < e->sentence) return NULL;
    /* ('Tapsfield criticised the existing system. "There is just no logic
     * ...': the words of the act just told) */
    bool act_just_told = last_told(p) + 1 == e->sentence && p->factuality == NG_FACT_ASSERTED;
    if (p->negated || strcmp(p->actor.key, e->actor.key) || !(is_statement(doc, p) || act_just_told)) continue;
    return p;
  }
  return NULL;
}

/* "Gordon Brown has said ... He was speaking at a conference in London",
 * "Mr Ebbers was giving evidence": where and to whom a statement was made,
 * told after it - the statement's further mention (audit Z's reader judged
 * such rows duplicates of the statement).  The speaker's statement in the
 * sentences just before; none there, the act stands on its own. */
static NgEvent *occasion_of_statement(NgDocument *doc, size_t kept, const NgEvent *e) {
  static const char *const speaking[] = {"speak", "talk", "address", "give", "testify"};
  size_t len;
  const char *lemma = rule_lemma(e, &len);
  bool speaks = false;
  for (size_t i = 0; i < NG_COUNTOF(speaking) && !speaks; ++i)
    speaks = strlen(speaking[i]) == len && !strncmp(lemma, speaking[i], len);
  if (!speaks || e->negated || !e->actor.key[0] || e->cameo[0]) return NULL;
  /* the past progressive of the occasion: "was speaking", "were giving" */
  if (strncmp(e->action_text, "was ", 4) && strncmp(e->action_text, "were ", 5)) return NULL;
  if (len == 4 && !strncmp(lemma, "give", 4) && !strstr(e->sentence_text, "evidence")) return NULL;
  for (size_t k = kept; k-- > 0;) {
    NgEvent *p = &doc->events[k];
    if (last_told(p) + 4 < e->sentence) return NULL;
    if (!p->negated && !strcmp(p->actor.key, e->actor.key) && p->sentence < e->sentence && is_statement(doc, p))
      return p;
  }
  return NULL;
}

/* The event that headline event h restates (after h: not moved yet), or
 * NULL: one of the same actor doing the same act in the text; else, for
 * an open event, the first event of the same actor in the lead (its first
 * two sentences), whatever the words ("Circuit City gets takeover offer" over "Circuit City
 * has received a $3.25bn takeover offer"): the readers of audits Q-W judged
 * all 25 headline events that stood as events of their own duplicates of
 * the lead or misreadings. */
static NgEvent *headline_twin(NgDocument *doc, size_t i) {
  const NgEvent *h = &doc->events[i];
  if (!is_headline(doc, h->sentence)) return NULL;
  for (size_t j = i + 1; j < doc->nevents; ++j)
    if (!is_headline(doc, doc->events[j].sentence) && restates(h, &doc->events[j])) return &doc->events[j];
  if (h->cameo[0]) return NULL; /* ("EU widens Belarus sanctions": a coded act the lead may not tell) */
  size_t lead = SIZE_MAX; /* the first sentence after the headline */
  for (size_t j = i + 1; j < doc->nevents; ++j) {
    NgEvent *e = &doc->events[j];
    if (is_headline(doc, e->sentence)) continue;
    if (lead == SIZE_MAX) lead = e->sentence;
    if (e->sentence > lead + 1) break;
    if (h->actor.key[0] && !strcmp(h->actor.key, e->actor.key) && !e->negated) return e;
  }
  return NULL;
}

NgStatus ng_merge_restated_events(NgDocument *doc) {
  size_t kept = 0;
  NgStatus st = NG_SUCCESS;
  for (size_t i = 0; i < doc->nevents && !st; ++i) {
    NgEvent *h = &doc->events[i];
    if (repeats_kept(doc, kept, h) || restates_utterance(doc, kept, h)) continue;
    NgEvent *first = goes_on_statement(doc, kept, h);
    if (!first) first = occasion_of_statement(doc, kept, h);
    if (!first && !is_headline(doc, h->sentence)) first = told_again(doc, kept, h);
    if (!first) first = headline_twin(doc, i);
    if (first) {
      st = add_mention(doc, first, h);
      continue;
    }
    doc->events[kept++] = *h;
  }
  doc->nevents = kept;
  return st;
}
