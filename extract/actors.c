/* actors.c - find the actors a sentence names.
 *
 * First the lexicon: the longest surface form from each token (a trie walk
 * over vocabulary ids), checked against its case rule.  Then composition,
 * the way news names actors:
 *   demonym/country + role      "Russian officials", "Belarusian opposition"  -> RUSGOV, BLROPP
 *   country 's role             "Russia's ambassador to Belarus"             -> RUSGOV
 *   role of/in/from country     "the government of Sudan", "police in Minsk"  -> SDNGOV, BLRCOP
 *   [country] title Name        "Russian President Vladimir Putin"           -> person, RUSGOV
 *   role , Name ,               "Russia's ambassador, Dmitry Mezentsev,"      -> person, RUSGOV
 * A capital stands for its country's government ("Minsk said"), a metonym
 * for the role it names ("the Kremlin": RUSGOV). */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
  size_t first, count;
  const NgFormInfo *form;
} RawMatch;

static const char *role_name(const char *role) {
  static const struct {
    const char *code, *name;
  } names[] = {{"GOV", "government"}, {"MIL", "military"},   {"COP", "police"},
               {"JUD", "judiciary"},  {"LEG", "legislature"}, {"OPP", "opposition"},
               {"REB", "rebels"},     {"PTY", "party"},      {"BUS", "business"},
               {"MED", "media"},      {"CVL", "civilians"},  {"EDU", "education"},
               {"LAB", "labour"},     {"REL", "religion"},   {"REF", "refugees"},
               {"SPY", "intelligence"}, {"CRM", "criminals"}, {"HLH", "health"},
               {"ELI", "elites"},     {"AGR", "agriculture"}, {"UAF", "armed forces"},
               {"INS", "insurgents"}, {"IGO", "organisation"}, {"NGO", "organisation"}};
  for (size_t i = 0; i < NG_COUNTOF(names); ++i)
    if (!strcmp(role, names[i].code)) return names[i].name;
  return "actors";
}

static bool name_token(const NgToken *t);

/* A surname alone must stand alone: "Ahmed" in "Ahmed Ben Bella" is part of
 * another name, not Abiy Ahmed. */
static bool surname_alone(const NgDocument *doc, size_t first, size_t count) {
  size_t s_first = 0, s_end = doc->ntokens;
  /* sentences are non-empty and in text order: a binary search for the
   * last one starting at or before the token (a scan of all of them made
   * text of many short sentences naming people quadratic) */
  size_t lo = 0, hi = doc->nsents;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (doc->sents[mid].first <= first)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > 0 && first < doc->sents[lo - 1].first + doc->sents[lo - 1].count) {
    s_first = doc->sents[lo - 1].first;
    s_end = s_first + doc->sents[lo - 1].count;
  }
  const NgToken *tok = doc->tokens;
  /* (a word before it that is a lexicon form of its own - a title, a role,
   * a country - does not make it part of a longer name: "President Putin";
   * a first name does, even one that starts other names: "Michael Howard"
   * is not John Howard) */
  const NgVocab *pv = first > s_first ? tok[first - 1].vocab : NULL;
  /* (a given name is never such a form, though it starts lexicon names:
   * "analyst David Kim" is not Kim Jong Un) */
  bool given = pv && pv->gender && !pv->title && (tok[first - 1].flags & NG_TOK_CAP) && pv->nfreq == 0;
  /* "Sir Howard said": a knight or a dame named alone is named by a given name */
  if (first > s_first && (!strcmp(tok[first - 1].norm, "sir") || !strcmp(tok[first - 1].norm, "dame"))) return false;
  bool form_before = pv && !given && ((pv->trie_start && ng_lexicon_trie_forms(doc->lex, pv->trie_root)) || pv->title);
  bool before = first > s_first && name_token(&tok[first - 1]) && (tok[first - 1].flags & NG_TOK_CAP) &&
                !form_before;
  bool after = first + count < s_end && name_token(&tok[first + count]) && (tok[first + count].flags & NG_TOK_CAP);
  return !before && !after;
}

/* Does the article name someone else by this surname in full?  "Howard" in
 * a headline over "Michael Howard pledged ..." is not John Howard, the
 * lexicon's only Howard: a surname alone links to the lexicon's person
 * only when the article gives no other first name with it.  (The scan is
 * bounded: surnames alone are few, articles are read once.) */
static bool surname_of_another(const NgDocument *doc, const NgFormInfo *f, size_t first, size_t count) {
  if (count != 1 || !f->actor || !f->actor->label) return false;
  const char *label = f->actor->label, *space = strchr(label, ' ');
  if (!space) return false;
  size_t given_len = (size_t)(space - label);
  const NgToken *tok = doc->tokens, *sur = &tok[first];
  size_t end = doc->ntokens < 20000 ? doc->ntokens : 20000;
  for (size_t i = 1; i < end; ++i) {
    if (tok[i].norm_len != sur->norm_len || strcmp(tok[i].norm, sur->norm) || !(tok[i].flags & NG_TOK_CAP)) continue;
    const NgToken *g = &tok[i - 1];
    if (!(g->flags & NG_TOK_CAP) || !name_token(g) || (g->vocab && g->vocab->title)) continue;
    if (g->vocab && g->vocab->trie_start && ng_lexicon_trie_forms(doc->lex, g->vocab->trie_root)) continue;
    if (g->norm_len != given_len || strncasecmp(g->norm, label, given_len)) return true;
  }
  return false;
}

static bool has_small_letter(const NgDocument *doc, const NgToken *t) {
  for (uint32_t b = t->begin; b < t->end; ++b)
    if (doc->text[b] >= 'a' && doc->text[b] <= 'z') return true;
  return false;
}

static bool case_ok(const NgDocument *doc, const NgFormInfo *f, size_t first, size_t count) {
  const NgToken *t = &doc->tokens[first];
  switch (f->case_rule) {
  case NG_CASE_ANY: return true;
  case NG_CASE_CAPITALIZED: return (t->flags & NG_TOK_CAP) != 0;
  case NG_CASE_EXACT:
    for (size_t i = 0; i < count; ++i) {
      const NgToken *u = &doc->tokens[first + i];
      /* (no small letter in it: "G7" as "G7", but "Rt Rev" is no RT) */
      if ((u->flags & NG_TOK_WORD) && !(u->flags & NG_TOK_ALLCAPS) &&
          !((u->flags & NG_TOK_CAP) && u->end - u->begin <= 2 && !has_small_letter(doc, u)))
        return false;
    }
    return true;
  }
  return false;
}


/* How many of the article's last mentions are placed in the country of
 * code (its first three letters): what decides between two people of one
 * surname when both held office then ("Mr Howard" in news of British
 * politics is Michael Howard, not John Howard of Australia).  (The last
 * 512: a surname is matched often in a long text.) */
static size_t country_affinity(const NgDocument *doc, const char *code) {
  if (!code || strlen(code) < 3) return 0;
  size_t n = 0, floor = doc->nmentions > 512 ? doc->nmentions - 512 : 0;
  for (size_t k = doc->nmentions; k-- > floor;)
    n += doc->mentions[k].code && !strncmp(doc->mentions[k].code, code, 3);
  if (doc->dateline_country) n += !strncmp(doc->dateline_country->code, code, 3);
  return n;
}

/* "Lord Justice Clarke", "Lord Justices Clarke and Rix", "Judge Davis": a
 * judge named by surname is no lexicon person of another sector (audit Z:
 * Lord Justices Clarke and Rix were Charles Clarke, the Home Secretary). */
static bool judge_named(const NgDocument *doc, const NgFormInfo *f, size_t first) {
  if (first == 0 || !f->actor || !f->actor->code) return false;
  const NgToken *t = &doc->tokens[first - 1];
  bool judge = !strcmp(t->norm, "justice") || !strcmp(t->norm, "justices") || !strcmp(t->norm, "judge");
  if (!(t->flags & NG_TOK_CAP) || !judge) return false;
  size_t n = strlen(f->actor->code);
  return n < 3 || strcmp(f->actor->code + n - 3, "JUD");
}

/* The reading to use among several of one surface form. */
static const NgFormInfo *choose_form(const NgDocument *doc, const NgFormInfo *forms, size_t first,
                                     size_t count, bool any_case) {
  const NgFormInfo *best = NULL;
  int best_score = -100; /* out of every period still beats no reading */
  for (const NgFormInfo *f = forms; f; f = f->next) {
    if (!any_case && !case_ok(doc, f, first, count)) continue;
    /* (a person's one-word alias is a surname too: "Kim" of Kim Jong Un is
     * not "analyst David Kim") */
    bool one_word_person = count == 1 && f->actor && f->actor->kind == NG_KIND_PERSON;
    if ((f->form == NG_FORM_SURNAME || one_word_person) && !surname_alone(doc, first, count)) continue;
    if (f->form == NG_FORM_SURNAME && surname_of_another(doc, f, first, count)) continue;
    if ((f->form == NG_FORM_SURNAME || one_word_person) && judge_named(doc, f, first)) continue;
    int score = f->form == NG_FORM_NAME ? 4 : f->form == NG_FORM_SURNAME ? 2 : 1;
    /* of an actor's periods ("Trump" 2017-2021 and 2025-), the one that holds */
    if (f->actor && (f->actor->from.year || f->actor->to.year))
      score += ng_actor_in_period(f->actor, doc->ref) ? 3 : -3;
    bool better = score > best_score;
    /* two people of one surname, equally likely: the one of the country the article is about */
    if (score == best_score && best && f->form == NG_FORM_SURNAME && best->form == NG_FORM_SURNAME &&
        f->actor && best->actor)
      better = country_affinity(doc, f->actor->code) > country_affinity(doc, best->actor->code);
    if (better) {
      best = f;
      best_score = score;
    }
  }
  return best;
}

/* Longest lexicon match starting at token i (within [i, end)); any_case
 * ignores the forms' case rules. */
static bool longest_match_case(const NgDocument *doc, size_t i, size_t end, RawMatch *m, bool any_case) {
  const NgLexicon *lex = doc->lex;
  uint32_t node = 0;
  bool found = false;
  for (size_t j = i; j < end; ++j) {
    const NgVocab *v = doc->tokens[j].vocab;
    if (!v || (j == i && !v->trie_start)) break;
    node = j == i ? v->trie_root : ng_lexicon_trie_step(lex, node, v->id);
    if (!node) break;
    const NgFormInfo *forms = ng_lexicon_trie_forms(lex, node);
    if (!forms) continue;
    const NgFormInfo *f = choose_form(doc, forms, i, j - i + 1, any_case);
    if (f) {
      m->first = i;
      m->count = j - i + 1;
      m->form = f;
      found = true;
    }
  }
  return found;
}

/* A lower-case content word that may modify a role noun. */
static bool is_modifier(const NgToken *t) {
  if ((t->flags & (NG_TOK_CAP | NG_TOK_CLITIC)) || !(t->flags & NG_TOK_WORD)) return false;
  const NgVocab *v = t->vocab;
  if (!v) return true; /* unknown words are mostly nouns */
  if (v->fw & NG_FW_CLOSED) return false;
  return !(v->wf & NG_WF_VERB) || (v->wf & (NG_WF_JJ | NG_WF_NN));
}

static bool longest_match(const NgDocument *doc, size_t i, size_t end, RawMatch *m) {
  return longest_match_case(doc, i, end, m, false);
}

static bool is_gen(const NgToken *t) { return (t->flags & NG_TOK_CLITIC) && !strcmp(t->norm, "'s"); }
static bool is_word(const NgToken *t, const char *w) { return !strcmp(t->norm, w); }

/* A token that can be part of a person's name after a title. */
static bool name_token(const NgToken *t) {
  if (!(t->flags & NG_TOK_WORD) || (t->flags & NG_TOK_CLITIC)) return false;
  if (t->flags & NG_TOK_CAP) return !(t->vocab && (t->vocab->month || t->vocab->weekday));
  /* (the particles inside names: "Nick Van den Brul" was "Nick Van", audit AA) */
  static const char *const particles[] = {"bin", "al", "van", "der", "den", "de", "von", "da", "el", "ibn",
                                          "la", "du", "del", "della", "di", "dos", "das", "ter"};
  if (!t->vocab) return false;
  for (size_t i = 0; i < NG_COUNTOF(particles); ++i)
    if (is_word(t, particles[i])) return true;
  return false;
}

/* ------------------------------------------------------------ building */

static NgStatus set_strings(NgDocument *doc, NgMention *m, const char *code, const char *label,
                            const char *key) {
  m->code = ng_arena_strdup(&doc->arena, code ? code : "");
  m->label = ng_arena_strdup(&doc->arena, label ? label : "");
  m->key = ng_arena_strdup(&doc->arena, key ? key : "");
  return m->code && m->label && m->key ? NG_SUCCESS : NG_ERR_NOMEM;
}

static NgMention *new_mention(NgDocument *doc, size_t first, size_t count, NgActorKind kind) {
  NgMention *m = ng_doc_add_mention(doc);
  if (!m) return NULL;
  memset(m, 0, sizeof *m);
  m->first = first;
  m->count = count;
  m->kind = kind;
  m->antecedent = -1;
  m->confidence = 1.0f;
  return m;
}

/* A mention of an actor the lexicon does not know, named by the words
 * first..last themselves ("Dillon Read and Co Inc", "War on Want"). */
static NgStatus add_named_mention(NgDocument *doc, size_t first, size_t last, NgActorKind kind, const char *code,
                                  float confidence) {
  NgMention *m = new_mention(doc, first, last - first + 1, kind);
  if (!m) return NG_ERR_NOMEM;
  const char *label = ng_doc_span_text(doc, first, last);
  char *slug = label ? ng_slug_new(label, strlen(label)) : NULL;
  NgStatus st = slug ? set_strings(doc, m, code, label, slug) : NG_ERR_NOMEM;
  free(slug);
  m->confidence = confidence;
  return st;
}

/* country (entry) + role -> "RUSGOV", "Russia government", "russia-gov". */
static NgStatus compose_country_role(NgDocument *doc, NgMention *m, const NgActorEntry *country,
                                     const char *role) {
  char code[32], key[128], label[256];
  snprintf(code, sizeof code, "%.3s%s", country->code, role);
  snprintf(key, sizeof key, "%s-%s", country->key, role);
  for (char *k = key; *k; ++k)
    if (*k >= 'A' && *k <= 'Z') *k = (char)(*k + 32);
  snprintf(label, sizeof label, "%s %s", country->label, role_name(role));
  m->entry = country;
  return set_strings(doc, m, code, label, key);
}

/* A mention straight from one lexicon match. */
static NgStatus mention_from_match(NgDocument *doc, const RawMatch *r, NgMention *m) {
  const NgFormInfo *f = r->form;
  const NgActorEntry *e = f->actor;
  m->plural = f->plural;
  if (!e) { /* a role alone: "police", "the government" */
    m->kind = NG_KIND_ROLE;
    char key[32];
    snprintf(key, sizeof key, "%s", role_name(f->role));
    for (char *k = key; *k; ++k)
      if (*k == ' ') *k = '-';
    return set_strings(doc, m, f->role, role_name(f->role), key);
  }
  m->entry = e;
  m->kind = e->kind;
  m->person = e->kind == NG_KIND_PERSON;
  m->demonym = f->form == NG_FORM_DEMONYM && !f->plural; /* "Russian" modifies a noun */
  if (f->form == NG_FORM_METONYM && f->role[0]) return compose_country_role(doc, m, e, f->role);
  if (f->form == NG_FORM_CAPITAL) {
    m->confidence = 0.9f; /* "Minsk said": the government, by metonymy */
    return compose_country_role(doc, m, e, "GOV");
  }
  if (m->person && !ng_actor_in_period(e, doc->ref)) {
    char code[8];
    snprintf(code, sizeof code, "%.3s", e->code);
    return set_strings(doc, m, code, e->label, e->key);
  }
  return set_strings(doc, m, e->code, e->label, e->key);
}

/* ---------------------------------------------------------- composition */

typedef struct {
  RawMatch *raw;
  size_t n;
} Matches;

static const RawMatch *match_at(const Matches *ms, size_t tok) {
  for (size_t i = 0; i < ms->n; ++i)
    if (ms->raw[i].first == tok) return &ms->raw[i];
  return NULL;
}

static bool is_country_form(const RawMatch *r) {
  return r && r->form->actor && r->form->actor->kind == NG_KIND_COUNTRY &&
         (r->form->form == NG_FORM_NAME || r->form->form == NG_FORM_DEMONYM ||
          r->form->form == NG_FORM_CAPITAL);
}

static bool is_role(const RawMatch *r) { return r && !r->form->actor && r->form->form == NG_FORM_ROLE; }

/* After a title, the name: capitalised tokens (at most 4). */
static size_t name_length(const NgDocument *doc, size_t i, size_t end) {
  size_t n = 0;
  while (i + n < end && n < 4 && name_token(&doc->tokens[i + n])) n++;
  /* A name does not end with a particle ("bin"). */
  while (n && !(doc->tokens[i + n - 1].flags & NG_TOK_CAP)) n--;
  return n;
}

/* A person named after a title: a lexicon person if the name is known. */
static NgStatus add_titled_person(NgDocument *doc, size_t first, size_t name_first, size_t name_count,
                                  const NgActorEntry *country, const char *role, bool look_up) {
  RawMatch known;
  NgMention *m = new_mention(doc, first, name_first + name_count - first, NG_KIND_PERSON);
  if (!m) return NG_ERR_NOMEM;
  m->person = true;
  if (look_up && longest_match(doc, name_first, name_first + name_count, &known) && known.form->actor &&
      known.form->actor->kind == NG_KIND_PERSON && known.first + known.count == name_first + name_count)
    return mention_from_match(doc, &known, m);
  const char *name = ng_doc_span_text(doc, name_first, name_first + name_count - 1);
  if (!name) return NG_ERR_NOMEM;
  char code[32];
  if (country) snprintf(code, sizeof code, "%.3s%s", country->code, role);
  else snprintf(code, sizeof code, "%s", role);
  char *slug = ng_slug_new(name, strlen(name));
  if (!slug) return NG_ERR_NOMEM;
  NgStatus st = set_strings(doc, m, code, name, slug);
  free(slug);
  m->entry = country;
  m->confidence = 0.9f;
  return st;
}

/* The organisation named right before role match k ("Labour MP Frank
 * Field", "US Treasury Secretary John Snow", "Sunday Telegraph journalist
 * Robert Peston"), when it has a country and no country word comes before
 * it but its own ("German Labour Minister Wolfgang Clement" is no Briton):
 * the person the role names is of that country. */
static const RawMatch *organisation_before(const NgDocument *doc, const Matches *ms, size_t k,
                                           const NgActorEntry **country) {
  if (k == 0) return NULL;
  const RawMatch *org = &ms->raw[k - 1];
  if (org->first + org->count != ms->raw[k].first || !org->form->actor) return NULL;
  NgActorKind kind = org->form->actor->kind;
  if (kind == NG_KIND_COUNTRY || kind == NG_KIND_PERSON || ng_code_is_role(org->form->actor->code)) return NULL;
  const RawMatch *before = k >= 2 ? &ms->raw[k - 2] : NULL;
  if (is_country_form(before) && before->first + before->count == org->first &&
      strncmp(before->form->actor->code, org->form->actor->code, 3))
    return NULL;
  *country = ng_lexicon_country(doc->lex, org->form->actor->code);
  return *country ? org : NULL;
}

/* Try the compositions at raw match k; returns the tokens consumed (0 if
 * none applied). */
/* The code an office that starts at token first takes from a word before it
 * in its noun phrase: "former" or "ex" - one its holder has left - is an
 * elite of the country (CAMEO ELI: "The former UN commissioner for human
 * rights and Irish president"), "shadow" the opposition ("shadow chief
 * secretary George Osborne": OPP, was GOV); NULL for neither. */
static const char *office_changed(const NgDocument *doc, size_t first) {
  const NgToken *tok = doc->tokens;
  for (size_t back = 1; back <= 8 && back <= first; ++back) {
    const NgToken *t = &tok[first - back];
    if (is_word(t, "former") || is_word(t, "ex")) return "ELI";
    if (is_word(t, "shadow")) return "OPP";
    if ((t->flags & NG_TOK_PUNCT) && !(t->flags & NG_TOK_HYPHEN)) return NULL;
    if (is_word(t, "the") || is_word(t, "a") || is_word(t, "an")) return NULL;
  }
  return NULL;
}

static size_t compose_at(NgDocument *doc, const Matches *ms, size_t k, size_t end, NgStatus *st) {
  const RawMatch *r = &ms->raw[k];
  size_t after = r->first + r->count;
  const NgToken *tok = doc->tokens;
  const NgActorEntry *country = NULL;
  const RawMatch *role = NULL;
  size_t span_first = r->first, role_end = after;
  if (is_country_form(r)) {
    country = r->form->actor;
    size_t j = after;
    if (j < end && is_gen(&tok[j])) j++; /* Russia 's */
    /* modifiers may stand between: "Russian foreign ministry", "U.S. defence
     * companies" - lower-case words that are no verbs and no function words */
    for (size_t skip = 0; skip < 2 && j < end && !match_at(ms, j) && is_modifier(&tok[j]); ++skip) j++;
    role = match_at(ms, j);
    if (!is_role(role)) return 0;
    role_end = role->first + role->count;
    /* "Russia's ambassador to Belarus": the host country is not the actor's */
    if (role_end + 1 < end && is_word(&tok[role_end], "to") && is_country_form(match_at(ms, role_end + 1))) {
      const RawMatch *host = match_at(ms, role_end + 1);
      role_end = host->first + host->count;
    }
  } else if (is_role(r)) {
    role = r;
    /* role of/in country; "from" only for people, not officials or troops
     * ("dissidents from Egypt", but "withdrew its troops from Mali") */
    bool from_ok = !strcmp(r->form->role, "OPP") || !strcmp(r->form->role, "CVL") ||
                   !strcmp(r->form->role, "REF") || !strcmp(r->form->role, "LAB") ||
                   !strcmp(r->form->role, "HLH") || !strcmp(r->form->role, "EDU");
    if (after + 1 < end && (is_word(&tok[after], "of") || is_word(&tok[after], "in") ||
                            (from_ok && is_word(&tok[after], "from")))) {
      const RawMatch *c = match_at(ms, after + 1);
      if (!c && after + 2 < end && is_word(&tok[after + 1], "the")) c = match_at(ms, after + 2);
      if (is_country_form(c) && c->form->form != NG_FORM_DEMONYM) {
        country = c->form->actor;
        role_end = c->first + c->count;
      }
    }
  } else {
    return 0;
  }
  /* title + Name: a person; any role word before a whole name (first and
   * last) names its holder too: "Conservative leader Michael Howard" */
  size_t full_name = name_length(doc, role_end, end);
  if (role->form->title || (full_name >= 2 && !role->form->plural)) {
    size_t nl = full_name;
    const RawMatch *known = match_at(ms, role_end);
    /* "King Hassan of Morocco": the country named after the person decides
     * who it is, whatever other Hassan the lexicon knows */
    const RawMatch *of = nl && role_end + nl + 1 < end && is_word(&tok[role_end + nl], "of")
                             ? match_at(ms, role_end + nl + 1) : NULL;
    if (!country && is_country_form(of) && of->form->form != NG_FORM_DEMONYM &&
        !(known && known->form->actor && !strncmp(known->form->actor->code, of->form->actor->code, 3))) {
      *st = add_titled_person(doc, span_first, role_end, nl, of->form->actor, role->form->role, false);
      /* the mention covers "of Morocco" too */
      if (!*st) doc->mentions[doc->nmentions - 1].count = of->first + of->count - span_first;
      return of->first + of->count - span_first;
    }
    if (nl && !known) {
      const NgActorEntry *of_country = country;
      const RawMatch *org = country ? NULL : organisation_before(doc, ms, k, &of_country);
      const char *code = role->form->role;
      /* a leader, chairman or secretary of a body has the body's role ("UKIP
       * leader": PTY, "TUC General Secretary": LAB), an MP or a journalist
       * keeps the role's own */
      if (org && (!strcmp(code, "GOV") || !strcmp(code, "PTY")) && org->form->actor->code[3])
        code = org->form->actor->code + 3;
      const char *changed = office_changed(doc, span_first);
      if (changed && !strcmp(code, "GOV")) code = changed; /* "shadow chief secretary George Osborne" */
      *st = add_titled_person(doc, span_first, role_end, nl, of_country, code, true);
      return role_end + nl - span_first;
    }
    /* "President obama": after a title, a known person's name in any case -
     * not a word of the language ("the spokesman said": not Qaboos bin Said) */
    RawMatch loose;
    const NgVocab *lv = role_end < end ? tok[role_end].vocab : NULL;
    bool word = lv && ((lv->fw & ~NG_FW_MEDIA) || (lv->wf & (NG_WF_VERB | NG_WF_NN | NG_WF_NNS | NG_WF_JJ | NG_WF_RB)));
    if (!known && role_end < end && !(tok[role_end].flags & NG_TOK_CAP) && !word &&
        longest_match_case(doc, role_end, end, &loose, true) && loose.form->actor &&
        loose.form->actor->kind == NG_KIND_PERSON) {
      NgMention *m = new_mention(doc, span_first, loose.first + loose.count - span_first, NG_KIND_PERSON);
      if (!m) {
        *st = NG_ERR_NOMEM;
        return 0;
      }
      *st = mention_from_match(doc, &loose, m);
      m->confidence = 0.8f;
      return m->count;
    }
    if (known && known->form->actor && known->form->actor->kind == NG_KIND_PERSON) {
      NgMention *m = new_mention(doc, span_first, known->first + known->count - span_first, NG_KIND_PERSON);
      if (!m) {
        *st = NG_ERR_NOMEM;
        return 0;
      }
      *st = mention_from_match(doc, known, m);
      return m->count;
    }
  }
  if (!country) return 0;
  /* "the former Irish president": an elite of the country, not its
   * government (CAMEO: former officials are ELI; audit Q's reader judged
   * Mary Robinson as the Irish government wrong) */
  const char *changed = office_changed(doc, span_first);
  const char *role_code = changed ? changed : role->form->role;
  /* role , Name , : apposition names the person holding the role */
  if (role_end + 2 < end && is_word(&tok[role_end], ",")) {
    size_t nl = name_length(doc, role_end + 1, end);
    if (nl && role_end + 1 + nl < end && is_word(&tok[role_end + 1 + nl], ",")) {
      *st = add_titled_person(doc, span_first, role_end + 1, nl, country, role_code, true);
      return role_end + 1 + nl - span_first;
    }
  }
  NgMention *m = new_mention(doc, span_first, role_end - span_first, NG_KIND_ROLE);
  if (!m) {
    *st = NG_ERR_NOMEM;
    return 0;
  }
  m->plural = role->form->plural;
  *st = compose_country_role(doc, m, country, role_code);
  return m->count;
}

/* A one-word role that can be an adjective, before a noun, modifies it:
 * "military aid", "official contact", "civilian buildings". */
static bool role_as_adjective(const NgDocument *doc, const RawMatch *r, size_t end) {
  if (r->form->actor || r->count != 1 || r->first + 1 >= end) return false;
  const NgToken *t = &doc->tokens[r->first], *next = &doc->tokens[r->first + 1];
  if ((t->flags & NG_TOK_CAP) || !t->vocab || !(t->vocab->wf & NG_WF_JJ) || r->form->plural) return false;
  const NgVocab *nv = next->vocab;
  if (!(next->flags & NG_TOK_WORD) || (next->flags & NG_TOK_CAP)) return false;
  if (nv && ((nv->fw & ~NG_FW_MEDIA) || ((nv->wf & NG_WF_VERB) && !(nv->wf & (NG_WF_NN | NG_WF_NNS))))) return false;
  return true;
}

static NgStatus collect_matches(const NgDocument *doc, const NgSentence *s, RawMatch **out, size_t *n) {
  size_t cap = 0, end = s->first + s->count;
  *out = NULL;
  *n = 0;
  for (size_t i = s->first; i < end;) {
    RawMatch m;
    if (!longest_match(doc, i, end, &m)) {
      i++;
      continue;
    }
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      RawMatch *p = realloc(*out, cap * sizeof *p);
      if (!p) return NG_ERR_NOMEM;
      *out = p;
    }
    (*out)[(*n)++] = m;
    i += m.count;
  }
  return NG_SUCCESS;
}

/* "US-led", "Saudi-backed", "Iranian-sponsored": a country leading or
 * backing something names it as the actor behind it. */
static NgStatus hyphen_country(NgDocument *doc, size_t i) {
  static const char *const backers[] = {"led", "backed", "sponsored", "funded", "brokered", "controlled",
                                        "supported", "run", "dominated", "armed", "trained"};
  const NgToken *t = &doc->tokens[i];
  const char *dash = strchr(t->norm, '-');
  if (!dash || !(t->flags & NG_TOK_CAP)) return NG_SUCCESS;
  bool known = false;
  for (size_t k = 0; k < NG_COUNTOF(backers) && !known; ++k) known = !strcmp(dash + 1, backers[k]);
  if (!known) return NG_SUCCESS;
  const NgVocab *v = ng_lexicon_word(doc->lex, t->norm, (size_t)(dash - t->norm));
  const NgFormInfo *f = v ? ng_lexicon_trie_forms(doc->lex, ng_lexicon_trie_step(doc->lex, 0, v->id)) : NULL;
  for (; f; f = f->next) {
    if (!f->actor || f->actor->kind != NG_KIND_COUNTRY || f->form == NG_FORM_CAPITAL) continue;
    NgMention *m = new_mention(doc, i, 1, NG_KIND_COUNTRY);
    if (!m) return NG_ERR_NOMEM;
    m->entry = f->actor;
    m->confidence = 0.9f;
    return set_strings(doc, m, f->actor->code, f->actor->label, f->actor->key);
  }
  return NG_SUCCESS;
}

static bool is_corp_word(const NgToken *t) {
  return (t->flags & NG_TOK_CAP) && t->vocab && (t->vocab->fw & NG_FW_CORP);
}

/* "&", "and", "of" between capitalised words of a company's name ("Dillon
 * Read and Co Inc", "Bank of Montreal Capital"). */
static bool name_joiner(const NgToken *t) {
  return is_word(t, "&") || is_word(t, "and") || is_word(t, "of");
}

static NgStatus replace_by_name(NgDocument *doc, size_t start, size_t first, size_t last, NgActorKind kind,
                                const char *code, float confidence);

/* "The Japan Fund Inc", "Dillon Read and Co Inc": capitalised words that
 * end in a company's legal form or head word are one company, whatever the
 * countries or people its words name; the mentions inside give way.  A
 * name the lexicon has whole ("International Monetary Fund") stays as it is. */
static NgStatus company_names(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    if (!is_corp_word(&tok[i])) continue;
    size_t last = i;
    while (last + 1 < end && is_corp_word(&tok[last + 1])) last++; /* "Co Inc" */
    size_t first = i;
    while (first > s->first) {
      const NgToken *p = &tok[first - 1];
      if (name_token(p) && (p->flags & NG_TOK_CAP) && !is_word(p, "the")) first--;
      else if (first - 1 > s->first && name_joiner(p) && name_token(&tok[first - 2]) &&
               (tok[first - 2].flags & NG_TOK_CAP))
        first -= 2;
      else break;
    }
    i = last;
    if (last == first) continue; /* "Group" alone names no company */
    bool whole = false, organisation = false;
    for (size_t k = start; k < doc->nmentions; ++k) {
      const NgMention *m = &doc->mentions[k];
      if (m->first <= first && m->first + m->count > last) whole = true;
      else if (m->first <= last && m->first + m->count > first) {
        /* "Federal Reserve Bank of New York" is the Federal Reserve's: only
         * the names of places and people give way ("The Japan Fund Inc") */
        organisation |= m->kind != NG_KIND_COUNTRY && m->kind != NG_KIND_PERSON && m->kind != NG_KIND_ROLE &&
                        m->kind != NG_KIND_NONE;
      }
    }
    if (whole || organisation) continue;
    /* (the mentions overlapping the name go) */
    NgStatus st = replace_by_name(doc, start, first, last, NG_KIND_COMPANY, "BUS", 0.9f);
    if (st) return st;
  }
  return NG_SUCCESS;
}

/* Do the capitalised words of first..last have the letters as initials?
 * Joiners ("and", "&", "of", "the") take no letter. */
static bool initials_match(const NgToken *tok, size_t first, size_t last, const char *letters, size_t n) {
  size_t k = 0;
  for (size_t i = first; i <= last; ++i) {
    if (name_joiner(&tok[i]) || is_word(&tok[i], "the")) continue;
    if (k == n || tok[i].norm[0] != letters[k]) return false;
    k++;
  }
  return k == n;
}

/* "Scottish and Newcastle (S&N)", "Dillon Read (DR)": capitalised words
 * right before an acronym in brackets whose letters are their initials are
 * one name, whatever the words name alone (audit O: "Scottish" was
 * Scotland and "Newcastle" a second buyer). */
static NgStatus acronym_names(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t a = s->first + 3; a + 1 < end; ++a) {
    if (!(tok[a].flags & NG_TOK_ALLCAPS) || !is_word(&tok[a - 1], "(") || !is_word(&tok[a + 1], ")")) continue;
    char letters[16];
    size_t n = 0;
    for (const char *c = tok[a].norm; *c && n < sizeof letters; ++c)
      if (*c >= 'a' && *c <= 'z') letters[n++] = *c;
    if (n < 2 || n >= sizeof letters) continue;
    /* the words before the bracket, back to the first whose initial opens the acronym */
    size_t first = a - 1, words = 0;
    while (first > s->first && words < n) {
      const NgToken *p = &tok[first - 1];
      if (name_token(p) && (p->flags & NG_TOK_CAP)) words++;
      else if (!(name_joiner(p) && words > 0)) break;
      first--;
    }
    if (words != n || !initials_match(tok, first, a - 2, letters, n)) continue;
    bool whole = false;
    for (size_t k = start; k < doc->nmentions && !whole; ++k)
      whole = doc->mentions[k].first <= first && doc->mentions[k].first + doc->mentions[k].count >= a - 1;
    if (whole) continue;
    NgStatus st = replace_by_name(doc, start, first, a - 2, NG_KIND_NGO, "", 0.8f); /* the mentions inside go */
    if (st) return st;
  }
  return NG_SUCCESS;
}

/* "agrochemical giant Monsanto", "budget airline Ryanair", "publishing
 * group Independent News & Media": capitalised words the lexicon does not
 * know, right after a noun for a business, name a company - of the country
 * named just before that noun ("The US agrochemical giant Monsanto":
 * USABUS), not the country itself. */
static bool business_noun(const NgToken *t) {
  static const char *const nouns[] = {
      "giant", "firm", "company", "group", "maker", "carmaker", "bank", "carrier", "airline", "retailer",
      "insurer", "reinsurer", "publisher", "broadcaster", "operator", "conglomerate", "chain",
      "manufacturer", "producer", "supplier", "broker", "lender", "supermarket", "brewer", "chipmaker",
      "drugmaker", "subsidiary", "newspaper", "network", "watchdog", "regulator", "agency", "fund"};
  if (t->flags & NG_TOK_CAP) return false;
  for (size_t i = 0; i < NG_COUNTOF(nouns); ++i)
    if (is_word(t, nouns[i])) return true;
  return false;
}

/* The end of a run of capitalised name words from first ("Cairn Energy",
 * "Marks and Spencer"), or first - 1 when first opens none. */
static size_t name_run_end(const NgToken *tok, size_t first, size_t end) {
  if (first >= end || !name_token(&tok[first]) || !(tok[first].flags & NG_TOK_CAP) ||
      (tok[first].flags & NG_TOK_TIMEX))
    return first - 1;
  size_t last = first;
  while (last + 1 < end && ((name_token(&tok[last + 1]) && (tok[last + 1].flags & NG_TOK_CAP)) ||
                            (last + 2 < end && name_joiner(&tok[last + 1]) && name_token(&tok[last + 2]) &&
                             (tok[last + 2].flags & NG_TOK_CAP))))
    last += name_joiner(&tok[last + 1]) ? 2 : 1;
  return last;
}

/* Tokens first..last as a company the lexicon does not know, unless a
 * mention holds them already ("carmaker BMW", "Fiat chairman"); placed in
 * the country named just before the business noun at noun_at, if any. */
static NgStatus add_business(NgDocument *doc, size_t start, size_t first, size_t last, size_t noun_at) {
  for (size_t k = start; k < doc->nmentions; ++k)
    if (doc->mentions[k].first <= last && doc->mentions[k].first + doc->mentions[k].count > first &&
        doc->mentions[k].kind != NG_KIND_ROLE && doc->mentions[k].kind != NG_KIND_NONE)
      return NG_SUCCESS;
  const NgActorEntry *country = NULL;
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    if (m->kind == NG_KIND_COUNTRY && m->first + m->count <= noun_at && m->first + m->count + 3 > noun_at)
      country = ng_lexicon_country(doc->lex, m->code);
  }
  char code[8];
  snprintf(code, sizeof code, "%sBUS", country ? country->code : "");
  return add_named_mention(doc, first, last, NG_KIND_COMPANY, code, 0.85f);
}

/* "shares in Cairn Energy", "shares of Yukos": only a company has shares. */
static bool shares_of(const NgToken *tok, size_t i, size_t end) {
  return i + 2 < end && (is_word(&tok[i], "shares") || is_word(&tok[i], "stock")) &&
         (is_word(&tok[i + 1], "in") || is_word(&tok[i + 1], "of"));
}

/* The start of the name that "shares" or "share price" at i belongs to
 * ("Cairn shares", "Cairn's share price"), or i when none does. */
static bool possessive(const NgToken *t) { return is_word(t, "'s") || is_word(t, "’s"); }

static size_t name_before_shares(const NgToken *tok, size_t sfirst, size_t i, size_t end) {
  bool share_word = is_word(&tok[i], "shares") || (is_word(&tok[i], "share") && i + 1 < end &&
                                                   is_word(&tok[i + 1], "price"));
  if (!share_word || (tok[i].flags & NG_TOK_CAP)) return i;
  size_t last = i;
  if (last > sfirst && possessive(&tok[last - 1])) last--;
  if (last == sfirst || !name_token(&tok[last - 1]) || !(tok[last - 1].flags & NG_TOK_CAP)) return i;
  size_t first = last - 1;
  while (first > sfirst && name_token(&tok[first - 1]) && (tok[first - 1].flags & NG_TOK_CAP)) first--;
  /* the sentence's first word is capitalised anyway ("Bank shares rose") */
  const NgVocab *v = tok[first].vocab;
  if (first == sfirst && v && (v->wf & (NG_WF_NN | NG_WF_NNS | NG_WF_JJ))) return first + 1 < last ? first + 1 : i;
  return first;
}

static NgStatus named_businesses(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  NgStatus st = NG_SUCCESS;
  for (size_t i = s->first; i + 1 < end && !st; ++i) {
    size_t first = business_noun(&tok[i]) ? i + 1 : shares_of(tok, i, end) ? i + 2 : end;
    size_t last = first < end ? name_run_end(tok, first, end) : first - 1;
    if (first < end && last >= first) {
      st = add_business(doc, start, first, last, i);
      i = last;
      continue;
    }
    size_t nf = name_before_shares(tok, s->first, i, end);
    if (nf < i) {
      size_t nl = i - 1;
      if (nl > nf && possessive(&tok[nl])) nl--;
      st = add_business(doc, start, nf, nl, nf);
    }
  }
  return st;
}

static bool is_media_word(const NgToken *t) {
  return (t->flags & NG_TOK_CAP) && t->vocab && (t->vocab->fw & NG_FW_MEDIA);
}

/* The code of a media name first..last from the mentions inside it: a
 * broadcaster's own ("BBC Radio Scotland" GBRMED), the country of a place
 * ("The Beijing News" CHNMED), or "MED"; NULL when another actor is part of
 * it (a company: "Dow Jones Newswires") and the name is left as it is. */
static const char *media_code(NgDocument *doc, size_t start, size_t first, size_t last) {
  const char *code = "MED";
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    if (!(m->first <= last && m->first + m->count > first)) continue;
    if (m->first <= first && m->first + m->count > last) return NULL; /* the lexicon's whole name */
    if (m->kind == NG_KIND_MEDIA) code = m->code;
    else if (m->kind == NG_KIND_COUNTRY && m->code[0] && strlen(m->code) >= 3)
      code = ng_arena_printf(&doc->arena, "%.3sMED", m->code);
    else if (m->kind != NG_KIND_ROLE && m->kind != NG_KIND_NONE) return NULL;
    if (!code) return NULL;
  }
  return code;
}

/* A word that goes on the name of a station after its word of media:
 * "Radio 4", "BBC Radio Scotland", "BBC Radio Five Live", "BBC News Online". */
static bool station_word(const NgDocument *doc, size_t start, size_t t) {
  static const char *const words[] = {"one", "two", "three", "four", "five", "live", "online"};
  const NgToken *tok = &doc->tokens[t];
  if ((tok->flags & NG_TOK_DIGIT) || (tok->norm[0] >= '0' && tok->norm[0] <= '9')) return true;
  if (!(tok->flags & NG_TOK_CAP) || (tok->flags & NG_TOK_TIMEX)) return false;
  for (size_t i = 0; i < NG_COUNTOF(words); ++i)
    if (!strcasecmp(tok->norm, words[i])) return true;
  for (size_t k = start; k < doc->nmentions; ++k) { /* a place: "Radio Scotland" */
    const NgMention *m = &doc->mentions[k];
    if (m->first <= t && t < m->first + m->count) return m->kind == NG_KIND_COUNTRY;
  }
  return false;
}

/* "told BBC Radio Scotland's Sunday Live programme", "said the Beijing
 * News", "told Radio 4's Today": capitalised words around a word of media
 * name a newspaper or a broadcaster, not the place in them (audit Q's
 * reader found Scotland told, China's government saying). */
static NgStatus media_names(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    if (!is_media_word(&tok[i])) continue;
    size_t first = i, last = i;
    while (first > s->first && name_token(&tok[first - 1]) && (tok[first - 1].flags & NG_TOK_CAP) &&
           !is_word(&tok[first - 1], "the"))
      first--;
    while (last + 1 < end && station_word(doc, start, last + 1)) last++;
    i = last;
    if (first == last) continue; /* "News of the deal", "Radio" alone */
    /* "Capital Radio DJ Margherita Taylor", "British radio comedy": a
     * modifier of the noun after it, not the name of the one who acts */
    if (last + 1 < end && (tok[last + 1].flags & NG_TOK_WORD) && !(tok[last + 1].flags & NG_TOK_CLITIC) &&
        tok[last + 1].vocab && (tok[last + 1].vocab->wf & (NG_WF_NN | NG_WF_NNS)) && !(tok[last + 1].vocab->fw & NG_FW_CLOSED))
      continue;
    const char *code = media_code(doc, start, first, last);
    if (!code) continue;
    NgStatus st = replace_by_name(doc, start, first, last, NG_KIND_MEDIA, code, 0.85f);
    if (st) return st;
  }
  return NG_SUCCESS;
}

/* "The Refugee Council", "Leeds City Council", "the Cabinet Office":
 * capitalised words that end in the head word of a body name one body,
 * labelled by its name, not by the lexicon's role for the head word alone
 * (audit Q: the Refugee Council, a charity, was "government").  The role's
 * code stays where the head word says the state ("Office", "Ministry",
 * "Court") or the name says it is local ("Leeds City Council"), placed in
 * the country right before the name ("Iraq's Oil Ministry": IRQGOV); any
 * other is a body the lexicon does not know, with no code.  Names with a
 * place or another actor inside ("Scottish Parliament", "Federal Reserve
 * Board") and names the lexicon has whole stay as they are. */
static bool state_head(const NgToken *head, const NgToken *first, size_t words) {
  static const char *const state[] = {"court", "ministry", "department", "office", "parliament", "assembly",
                                      "senate", "tribunal", "cabinet", "agency", "commission", "authority",
                                      "bureau"};
  static const char *const local[] = {"city", "county", "borough", "district", "town", "parish",
                                      "metropolitan"};
  for (size_t w = 0; w < NG_COUNTOF(state); ++w)
    if (is_word(head, state[w])) return true;
  for (size_t t = 0; t + 1 < words; ++t)
    for (size_t w = 0; w < NG_COUNTOF(local); ++w)
      if (is_word(&first[t], local[w])) return true;
  return false;
}

/* The country named right before token first ("Iraq's", "the US"), or NULL. */
static const NgActorEntry *country_before(NgDocument *doc, size_t start, size_t first) {
  size_t at = first;
  if (at > 0 && (is_gen(&doc->tokens[at - 1]) || is_word(&doc->tokens[at - 1], "'s"))) at--;
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    if (m->kind == NG_KIND_COUNTRY && m->first + m->count == at) return ng_lexicon_country(doc->lex, m->code);
  }
  return NULL;
}

static bool name_preposition(const NgToken *t);

static NgStatus headed_bodies(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first + 1; i < end; ++i) {
    const NgVocab *v = tok[i].vocab;
    if (!(tok[i].flags & NG_TOK_CAP) || !v || !(v->fw & NG_FW_BODY)) continue;
    if (i + 1 < end && name_preposition(&tok[i + 1])) continue; /* "Council of Europe": joined_names */
    size_t first = i;
    while (first > s->first && name_token(&tok[first - 1]) && (tok[first - 1].flags & NG_TOK_CAP) &&
           !(tok[first - 1].vocab && (tok[first - 1].vocab->fw & NG_FW_CLOSED)) &&
           !(tok[first - 1].flags & NG_TOK_TIMEX))
      first--;
    if (first == i) continue; /* the head word alone: "the Council" */
    const char *code = "";
    bool other = false, place = false;
    for (size_t k = start; k < doc->nmentions; ++k) {
      const NgMention *m = &doc->mentions[k];
      if (!(m->first <= i && m->first + m->count > first)) continue;
      if (m->first <= first && m->first + m->count > i) other = true; /* the lexicon's whole name */
      else if (m->kind == NG_KIND_COUNTRY) place = true;
      else if (m->kind == NG_KIND_ROLE || m->kind == NG_KIND_NONE) code = m->code;
      else other = true;
    }
    if (other || place) continue; /* "Scottish Parliament": the country's body, as composed */
    /* "Labour's National Executive Committee": the possessor's body, as it was */
    const NgActorEntry *country = country_before(doc, start, first);
    if (!country && first > s->first + 1 && is_gen(&tok[first - 1])) continue;
    code = state_head(&tok[i], &tok[first], i - first + 1) ? (code[0] ? code : "GOV") : "";
    if (country && strlen(code) <= 3) code = ng_arena_printf(&doc->arena, "%.3s%s", country->code, code);
    if (!code) return NG_ERR_NOMEM;
    NgStatus st = replace_by_name(doc, start, first, i, NG_KIND_GROUP, code, 0.8f);
    if (st) return st;
  }
  return NG_SUCCESS;
}

/* "Friends of the Earth", "War on Want", "Commission for Racial Equality",
 * "National Bureau of Statistics": capitalised words joined by "of", "on"
 * or "for" (with "the", "and" between) that the lexicon does not know name
 * one organisation; the phrase after the preposition ("the Earth") is no
 * actor of its own.  A run that holds a known mention (a title: "Secretary
 * of State for Trade and Industry Patricia Hewitt") is left alone. */
static bool run_joiner(const NgToken *t) {
  return is_word(t, "of") || is_word(t, "on") || is_word(t, "for") || is_word(t, "the") || is_word(t, "and") ||
         is_word(t, "&");
}

static bool run_word(const NgToken *t) {
  return name_token(t) && (t->flags & NG_TOK_CAP) && !(t->flags & NG_TOK_TIMEX);
}

/* "of", "on", "for" inside a name ("Friends of the Earth", "War on Want") */
static bool name_preposition(const NgToken *t) {
  return is_word(t, "of") || is_word(t, "on") || is_word(t, "for");
}

/* "Royal College of Physicians", "National Bank of Iraq", "International
 * Federation of the Red Cross and Red Crescent Societies": the head of a
 * body's name (lexicon/function-words.txt, BODY) right before the run's
 * first preposition opens one name, whatever the words in it name alone (a
 * role: "College" was education; a country; another body).  Not when the
 * lexicon knows the whole run, a name spans the preposition ("US House of
 * Representatives", "Bank of England"), or a person is named in it.
 * Returns the preposition's token, 0 when the run names no body. */
static size_t body_name(const NgDocument *doc, size_t start, size_t first, size_t last) {
  const NgToken *tok = doc->tokens;
  size_t pp = first + 1;
  while (pp < last && !name_preposition(&tok[pp])) pp++;
  const NgVocab *head = tok[pp - 1].vocab;
  if (pp >= last || !(tok[pp - 1].flags & NG_TOK_CAP) || !head || !(head->fw & NG_FW_BODY)) return 0;
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    size_t m_end = m->first + m->count; /* one past */
    if (m->first > last || m_end <= first) continue;
    if ((m->first <= first && m_end > last) || m->person || (m->first < pp && m_end > pp)) return 0;
  }
  return pp;
}

/* The mentions of this sentence (from start) overlapping first..last give
 * way to one named by those words. */
static NgStatus replace_by_name(NgDocument *doc, size_t start, size_t first, size_t last, NgActorKind kind,
                                const char *code, float confidence) {
  size_t kept = start;
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    if (!(m->first <= last && m->first + m->count > first)) doc->mentions[kept++] = *m;
  }
  doc->nmentions = kept;
  return add_named_mention(doc, first, last, kind, code, confidence);
}

/* The code of the role a body's head word names ("Court" JUD, "Royal
 * College" EDU), placed already where a country's possessive came before
 * it ("Iraq's Ministry" IRQGOV), so that "the Court of Appeal" stays a
 * court; "" when none. */
static const char *body_role(const NgDocument *doc, size_t start, size_t first, size_t last) {
  for (size_t k = start; k < doc->nmentions; ++k) {
    const NgMention *m = &doc->mentions[k];
    size_t m_last = m->first + m->count - 1;
    const NgVocab *v = doc->tokens[m_last].vocab;
    if (m_last >= first && m_last <= last && v && (v->fw & NG_FW_BODY) && m->code[0] &&
        (m->kind == NG_KIND_ROLE || ng_code_is_role(m->code)))
      return m->code;
  }
  return "";
}

static NgStatus joined_names(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    /* (a run starts at its first capitalised word, or right after "The") */
    if (!run_word(&tok[i]) || (i > s->first && run_word(&tok[i - 1]) && !is_word(&tok[i - 1], "the"))) continue;
    if (i > s->first && run_joiner(&tok[i - 1]) && i > s->first + 1 && run_word(&tok[i - 2])) continue;
    if (is_word(&tok[i], "the")) continue;
    /* "John Hilary of War on Want", "Li Deshui of the National Bureau of
     * Statistics": a person of an organisation (the word before the
     * preposition is no common noun) - the organisation starts after it */
    size_t before_prep = i;
    while (before_prep + 1 < end && run_word(&tok[before_prep + 1])) before_prep++;
    const NgVocab *bv = tok[before_prep].vocab;
    bool org_head = bv && (bv->wf & (NG_WF_NN | NG_WF_NNS)) && !bv->gender;
    if ((tok[i].vocab && tok[i].vocab->gender) || !org_head) {
      size_t j = i + 1;
      while (j < end && run_word(&tok[j])) j++;
      if (j + 1 < end && (is_word(&tok[j], "of") || is_word(&tok[j], "for"))) {
        i = j; /* the loop's ++i lands after the preposition */
        if (i + 1 < end && is_word(&tok[i + 1], "the")) i++;
      } else {
        i = j - 1;
      }
      continue;
    }
    size_t last = i, words = 1;
    bool preposition = false;
    for (size_t j = i + 1; j < end; ++j) {
      if (run_word(&tok[j])) {
        last = j;
        words++;
      } else if (run_joiner(&tok[j]) && !is_word(&tok[j], "the") && !(tok[j].flags & NG_TOK_CAP)) {
        preposition |= !is_word(&tok[j], "and") && !is_word(&tok[j], "&");
      } else if (!is_word(&tok[j], "the")) {
        break;
      }
    }
    /* (the run ends at its last capitalised word; a preposition must lie inside it) */
    bool inside = false;
    for (size_t j = i + 1; j < last; ++j) inside |= name_preposition(&tok[j]);
    if (!preposition || !inside || words < 2) {
      i = last;
      continue;
    }
    size_t body_of = body_name(doc, start, i, last);
    if (body_of) {
      /* "the Electoral Commission and National Union of Students": two bodies */
      size_t name_first = i;
      for (size_t j = i + 1; j < body_of; ++j)
        if ((is_word(&tok[j], "and") || is_word(&tok[j], "&")) && tok[j - 1].vocab &&
            (tok[j - 1].vocab->fw & NG_FW_BODY))
          name_first = j + 1;
      NgStatus st = replace_by_name(doc, start, name_first, last, NG_KIND_NGO,
                                    body_role(doc, start, name_first, last), 0.8f);
      if (st) return st;
      i = last;
      continue;
    }
    /* "Shares of IPC", "Trades on the LSE": a common noun capitalised
     * because it opens the sentence, of an actor with a name of its own, is
     * that actor's thing ("Friends of the Earth" ends in a common word) */
    bool opens = i == s->first || (tok[i].flags & (NG_TOK_PARA | NG_TOK_NEWLINE)) ||
                 (tok[i - 1].flags & (NG_TOK_END | NG_TOK_QUOTE));
    if (opens && ((tok[last].flags & NG_TOK_ALLCAPS) || !tok[last].vocab ||
                  !(tok[last].vocab->wf & (NG_WF_NN | NG_WF_NNS)) || tok[last].mention >= 0)) {
      i = last;
      continue;
    }
    bool known = false;
    for (size_t k = start; k < doc->nmentions && !known; ++k) {
      NgMention *m = &doc->mentions[k];
      known = m->first <= last && m->first + m->count > i;
      /* "Secretary of State for Trade and Industry": a title goes on to
       * its department's name, which names no actor of its own */
      if (known && m->kind == NG_KIND_ROLE && m->first == i && m->first + m->count <= last &&
          (is_word(&tok[m->first + m->count], "for") || is_word(&tok[m->first + m->count], "of"))) {
        bool other = false;
        for (size_t q = start; q < doc->nmentions; ++q)
          other |= q != k && doc->mentions[q].first <= last && doc->mentions[q].first + doc->mentions[q].count > i;
        if (!other) m->count = last - i + 1;
      }
    }
    if (!known) {
      NgStatus st = add_named_mention(doc, i, last, NG_KIND_NGO, "", 0.8f);
      if (st) return st;
    }
    i = last;
  }
  return NG_SUCCESS;
}

/* The last person named earlier in the article (mentions before `before`)
 * by two words or more whose last word is the token's: "Mr Howard" after
 * "Conservative leader Michael Howard".  -1 if none. */
static int32_t earlier_full_name(const NgDocument *doc, size_t before, const NgToken *surname) {
  size_t floor = before > 400 ? before - 400 : 0; /* recent names only: no quadratic scans */
  for (size_t k = before; k-- > floor;) {
    const NgMention *m = &doc->mentions[k];
    if (!m->person || m->kind != NG_KIND_PERSON || m->pronoun || m->count < 2) continue;
    const NgToken *last = &doc->tokens[m->first + m->count - 1];
    if (last->norm_len == surname->norm_len && !strcmp(last->norm, surname->norm) && (last->flags & NG_TOK_CAP))
      return m->antecedent >= 0 ? m->antecedent : (int32_t)k;
  }
  return -1;
}

/* '"...," said Jason Daw', ', said Jason Daw': a name right after a verb of
 * saying that follows a quotation or a comma is the speaker's, whether or
 * not gender.txt knows the first name. */
static bool after_inverted_saying(const NgDocument *doc, const NgSentence *s, size_t i) {
  if (i < s->first + 2) return false;
  const NgToken *verb = &doc->tokens[i - 1], *before = &doc->tokens[i - 2];
  return ng_reporting_lemma(verb) && ((before->flags & NG_TOK_QUOTE) || is_word(before, ","));
}

/* "Michael Howard pledged": a first name the lexicon knows (gender.txt)
 * followed by capitalised name words is a person, though no actor list
 * has them - so that "Mr Howard" and "he" later find him; so is a
 * capitalised name after an inverted verb of saying, whatever its first
 * name.  Tokens another mention of this sentence covers are left alone. */
static NgStatus given_name_persons(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i + 1 < end; ++i) {
    const NgToken *g = &tok[i];
    if (!(g->flags & NG_TOK_CAP) || (g->flags & NG_TOK_ALLCAPS) || (g->vocab && g->vocab->title)) continue;
    if (!(g->vocab && g->vocab->gender) && (!after_inverted_saying(doc, s, i) || (g->vocab && (g->vocab->fw & NG_FW_CLOSED))))
      continue;
    if (i > s->first && name_token(&tok[i - 1]) && (tok[i - 1].flags & NG_TOK_CAP)) continue;
    size_t last = i;
    /* (a particle goes on a name when a capitalised word follows it: "Nick
     * Van den Brul") */
    while (last + 1 < end && last - i < 3 && name_token(&tok[last + 1]) && !(tok[last + 1].flags & NG_TOK_ALLCAPS) &&
           ((tok[last + 1].flags & NG_TOK_CAP) ||
            (last + 2 < end && name_token(&tok[last + 2]) && (tok[last + 2].flags & NG_TOK_CAP))))
      last++;
    if (last == i) continue;
    bool taken = false;
    for (size_t k = start; k < doc->nmentions && !taken; ++k) {
      const NgMention *c = &doc->mentions[k];
      taken = c->first <= last && i < c->first + c->count;
    }
    if (taken) {
      i = last;
      continue;
    }
    NgMention *m = new_mention(doc, i, last + 1 - i, NG_KIND_PERSON);
    if (!m) return NG_ERR_NOMEM;
    m->person = true;
    m->confidence = 0.9f;
    const char *name = ng_doc_span_text(doc, i, last);
    char *slug = name ? ng_slug_new(name, strlen(name)) : NULL;
    if (!slug) return NG_ERR_NOMEM;
    NgStatus st = set_strings(doc, m, "", name, slug);
    free(slug);
    if (st) return st;
    i = last;
  }
  return NG_SUCCESS;
}

/* The first-name token of the first person the article names in full
 * later by this surname ("Howard unveils ..." over "Michael Howard
 * pledged"): a headline names people by surname before the text names them
 * in full.  0 if none (a first name never opens an article). */
static size_t later_given_name(const NgDocument *doc, size_t after, const NgToken *surname) {
  const NgToken *tok = doc->tokens;
  size_t end = doc->ntokens < after + 20000 ? doc->ntokens : after + 20000;
  for (size_t i = after + 2; i < end; ++i) {
    if (tok[i].norm_len != surname->norm_len || strcmp(tok[i].norm, surname->norm) || !(tok[i].flags & NG_TOK_CAP))
      continue;
    const NgToken *g = &tok[i - 1];
    if (!(g->flags & NG_TOK_CAP) || !name_token(g) || (g->vocab && (g->vocab->title || g->vocab->gender == 0)))
      continue;
    return i - 1;
  }
  return 0;
}

/* A surname alone in the opening sentence (a headline) that the text names
 * in full later: the mention takes that full name, so that the headline,
 * "Mr Howard" and "Michael Howard" are one person. */
static NgStatus headline_surname(NgDocument *doc, size_t first, size_t i, size_t start) {
  size_t g = later_given_name(doc, i, &doc->tokens[i]);
  if (!g) return NG_SUCCESS;
  NgMention *m = NULL;
  for (size_t k = start; k < doc->nmentions && !m; ++k) {
    NgMention *c = &doc->mentions[k];
    if (c->first <= i && i < c->first + c->count) m = c;
  }
  if (m && (m->first < first || m->first + m->count > i + 1 || m->entry)) return NG_SUCCESS;
  if (!m && !(m = new_mention(doc, first, i + 1 - first, NG_KIND_PERSON))) return NG_ERR_NOMEM;
  const char *name = ng_doc_span_text(doc, g, g + 1);
  char *slug = name ? ng_slug_new(name, strlen(name)) : NULL;
  if (!slug) return NG_ERR_NOMEM;
  m->kind = NG_KIND_PERSON;
  m->person = true;
  NgStatus st = set_strings(doc, m, "", name, slug);
  free(slug);
  return st;
}

/* A surname alone, or after a title of address ("Howard", "Mr Howard"),
 * names the person the article named in full before, whoever else the
 * lexicon knows by that surname: names are resolved inside the article
 * before the global lexicon. */
static NgStatus article_surnames(NgDocument *doc, const NgSentence *s, size_t start) {
  const NgToken *tok = doc->tokens;
  size_t end = s->first + s->count;
  for (size_t i = s->first; i < end; ++i) {
    if (!(tok[i].flags & NG_TOK_CAP) || !name_token(&tok[i]) || (tok[i].vocab && tok[i].vocab->title)) continue;
    size_t first = i;
    if (first > s->first && tok[first - 1].vocab && tok[first - 1].vocab->title) first--;
    else if (first > s->first && name_token(&tok[first - 1]) && (tok[first - 1].flags & NG_TOK_CAP)) continue;
    if (i + 1 < end && name_token(&tok[i + 1]) && (tok[i + 1].flags & NG_TOK_CAP)) continue;
    int32_t full = earlier_full_name(doc, start, &tok[i]);
    bool titled = first < i; /* "Mr Hague": after a title of address, a person - never The Hague */
    if (full < 0 && titled) {
      NgMention *place = NULL;
      for (size_t k = start; k < doc->nmentions && !place; ++k) {
        NgMention *c = &doc->mentions[k];
        if (c->first <= i && i < c->first + c->count && !c->person && c->first >= first && c->first + c->count == i + 1)
          place = c;
      }
      if (place) {
        const char *name = ng_doc_span_text(doc, i, i);
        char *slug = name ? ng_slug_new(name, strlen(name)) : NULL;
        if (!slug) return NG_ERR_NOMEM;
        place->first = first;
        place->count = i + 1 - first;
        place->kind = NG_KIND_PERSON;
        place->person = true;
        place->entry = NULL;
        NgStatus st = set_strings(doc, place, "", name, slug);
        free(slug);
        if (st) return st;
        continue;
      }
    }
    if (full < 0 && s == doc->sents) {
      NgStatus st = headline_surname(doc, first, i, start);
      if (st) return st;
    }
    if (full < 0) continue;
    /* the mention over these tokens, if any, becomes the earlier person */
    NgMention *m = NULL;
    for (size_t k = start; k < doc->nmentions && !m; ++k) {
      NgMention *c = &doc->mentions[k];
      if (c->first <= i && i < c->first + c->count) m = c;
    }
    if (m && (m->first < first || m->first + m->count > i + 1)) continue; /* part of something larger */
    if (m && !m->person && !titled) continue; /* "OPEC" after "... EMERGENCY OPEC" */
    if (!m && !(m = new_mention(doc, first, i + 1 - first, NG_KIND_PERSON))) return NG_ERR_NOMEM;
    const NgMention *f = &doc->mentions[full];
    size_t m_first = first, m_count = i + 1 - first;
    *m = *f;
    m->first = m_first;
    m->count = m_count;
    m->antecedent = full;
    m->confidence = f->confidence * 0.95f;
  }
  return NG_SUCCESS;
}

NgStatus ng_find_mentions(NgDocument *doc, size_t sentence) {
  const NgSentence *s = &doc->sents[sentence];
  size_t start = doc->nmentions;
  Matches ms = {NULL, 0};
  NgStatus st = collect_matches(doc, s, &ms.raw, &ms.n);
  size_t end = s->first + s->count, covered = s->first;
  for (size_t k = 0; k < ms.n && !st; ++k) {
    const RawMatch *r = &ms.raw[k];
    if (r->first < covered) continue;
    size_t used = compose_at(doc, &ms, k, end, &st);
    if (st) break;
    if (used) {
      covered = r->first + used;
      continue;
    }
    if (!r->form->actor && r->form->title) continue; /* a bare title: "Minister" */
    if (role_as_adjective(doc, r, end)) continue;      /* "military aid" */
    NgMention *m = new_mention(doc, r->first, r->count, NG_KIND_NONE);
    if (!m) {
      st = NG_ERR_NOMEM;
      break;
    }
    st = mention_from_match(doc, r, m);
    covered = r->first + r->count;
  }
  free(ms.raw);
  for (size_t i = s->first; i < end && !st; ++i)
    if ((doc->tokens[i].flags & NG_TOK_HYPHEN) && doc->tokens[i].mention < 0) {
      bool covered_now = false;
      for (size_t k = start; k < doc->nmentions && !covered_now; ++k)
        covered_now = doc->mentions[k].first <= i && i < doc->mentions[k].first + doc->mentions[k].count;
      if (!covered_now) st = hyphen_country(doc, i);
    }
  if (!st) st = company_names(doc, s, start);
  if (!st) st = media_names(doc, s, start);
  if (!st) st = headed_bodies(doc, s, start);
  if (!st) st = acronym_names(doc, s, start);
  if (!st) st = named_businesses(doc, s, start);
  if (!st) st = joined_names(doc, s, start);
  if (!st) st = given_name_persons(doc, s, start);
  if (!st) st = article_surnames(doc, s, start);
  /* Mark the tokens of each mention of this sentence. */
  for (size_t i = start; i < doc->nmentions && !st; ++i) {
    const NgMention *m = &doc->mentions[i];
    for (size_t t = m->first; t < m->first + m->count; ++t) doc->tokens[t].mention = (int32_t)i;
  }
  return st;
}
