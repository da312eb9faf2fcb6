/* rdfmap.c - the RDF of an extracted article (its named graph), in the
 * vocabulary of ontology/newsgraph.ttl.  IRIs are made from the article key
 * and positions only, so the same article always gives the same graph. */
#include "pipeline.h"
#include "iri.h"

#include <stdlib.h>
#include <string.h>

/* An actor's preferred label in this article: the first it was given. */
typedef struct {
  const char *key, *label;
} PrefLabel;

typedef struct {
  NgGraph *g;       /* the article's graph */
  NgGraph *shared;  /* actors and open actions, or NULL to leave them out */
  NgArena *arena;
  NgStatus st;
  PrefLabel *pref;  /* the actors labelled so far (tens in an article: a list) */
  size_t npref, cap_pref;
} Builder;

static NgTerm iri(const char *value) { return (NgTerm){NG_TERM_IRI, value, NULL, NULL}; }
static NgTerm lit(const char *value) { return (NgTerm){NG_TERM_LITERAL, value, NULL, NULL}; }
static NgTerm typed(const char *value, const char *dt) { return (NgTerm){NG_TERM_LITERAL, value, dt, NULL}; }

static void add_to(Builder *b, NgGraph *g, NgTerm s, const char *p, NgTerm o) {
  if (b->st || !g || !s.value || !o.value) {
    if (!b->st && (!s.value || !o.value)) b->st = NG_ERR_NOMEM;
    return;
  }
  NgTerm pt = iri(p);
  b->st = ng_graph_add(g, &s, &pt, &o);
}

static void add(Builder *b, NgTerm s, const char *p, NgTerm o) { add_to(b, b->g, s, p, o); }
static void share(Builder *b, NgTerm s, const char *p, NgTerm o) { add_to(b, b->shared, s, p, o); }

/* The IRI ns + local (NULL when local is: out of memory before).  Not
 * ng_arena_printf: parsing the format for every IRI of every event was 2%
 * of extract into a store. */
static const char *cat(Builder *b, const char *ns, const char *local) {
  return local ? ng_arena_join(b->arena, ns, strlen(ns), local) : NULL;
}

/* v in decimal, written leftwards from end; its first digit. */
static char *digits_before(char *end, size_t v) {
  do
    *--end = (char)('0' + v % 10);
  while (v /= 10);
  return end;
}

static const char *integer(Builder *b, size_t v) {
  char d[24], *first = digits_before(d + sizeof d, v);
  return ng_arena_strndup(b->arena, first, (size_t)(d + sizeof d - first));
}

/* head, then sep and v in decimal: "KEY/3", "KEY/3-1", "KEY/3-1-7". */
static const char *numbered(Builder *b, const char *head, char sep, size_t v) {
  char d[24], *first = digits_before(d + sizeof d - 1, v);
  d[sizeof d - 1] = '\0';
  *--first = sep;
  return ng_arena_join(b->arena, head, strlen(head), first);
}

/* The first n bytes of s at most (a code's country, role, root). */
static const char *prefix(Builder *b, const char *s, size_t n) {
  return ng_arena_strndup(b->arena, s, strnlen(s, n));
}

/* Roles and international prefixes: a code whose first three letters are
 * not one of these starts with a country. */
static bool has_country(const char *code) {
  static const char *const not_countries[] = {"IGO", "NGO", "IMG", "MNC", "GOV", "MIL", "COP", "JUD",
                                              "LEG", "OPP", "REB", "PTY", "BUS", "MED", "CVL", "EDU",
                                              "LAB", "REL", "REF", "SPY", "CRM", "HLH", "ELI", "AGR",
                                              "UAF", "INS"};
  if (strlen(code) < 3) return false;
  for (size_t i = 0; i < NG_COUNTOF(not_countries); ++i)
    if (!strncmp(code, not_countries[i], 3)) return false;
  return true;
}

/* One skos:prefLabel per actor: the first label the article gives it (for
 * an actor of the lexicon its canonical name, the same in every article),
 * every other as skos:altLabel, so that a join on prefLabel gives one row
 * an actor.  (The store keeps the first prefLabel it was given, across
 * articles: query/store.c.)  rdfs:label still carries every label. */
static void label_actor(Builder *b, NgTerm node, const NgActorRef *a) {
  for (size_t i = 0; i < b->npref; ++i) {
    if (strcmp(b->pref[i].key, a->key)) continue;
    if (strcmp(b->pref[i].label, a->label)) share(b, node, NG_NS_SKOS "altLabel", lit(a->label));
    return;
  }
  if (b->npref == b->cap_pref) {
    size_t cap = b->cap_pref ? 2 * b->cap_pref : 16;
    PrefLabel *p = realloc(b->pref, cap * sizeof *p);
    if (!p) {
      b->st = NG_ERR_NOMEM;
      return;
    }
    b->pref = p;
    b->cap_pref = cap;
  }
  b->pref[b->npref++] = (PrefLabel){a->key, a->label};
  share(b, node, NG_NS_SKOS "prefLabel", lit(a->label));
}

static void describe_actor(Builder *b, const NgActorRef *a) {
  if (!b->shared) return;
  NgTerm node = iri(cat(b, NG_NS_ACTOR, a->key));
  share(b, node, NG_NS_RDF "type", iri(NG_NS_ONTO "Actor"));
  if (a->label[0]) share(b, node, NG_NS_RDFS "label", lit(a->label));
  if (a->label[0] && !b->st) label_actor(b, node, a);
  if (!a->code[0]) return;
  share(b, node, NG_NS_ONTO "actorCode", lit(a->code));
  if (has_country(a->code)) {
    share(b, node, NG_NS_ONTO "countryCode", lit(prefix(b, a->code, 3)));
    if (strlen(a->code) >= 6) share(b, node, NG_NS_ONTO "role", lit(prefix(b, a->code + 3, 3)));
  } else if (strlen(a->code) == 3) {
    share(b, node, NG_NS_ONTO "role", lit(a->code));
  }
}

/* ng:date with the datatype of its precision, and the days it covers. */
static void add_date(Builder *b, NgTerm ev, const char *value) {
  NgDate d;
  size_t n = strlen(value);
  NgDate first, last;
  const char *dt;
  if (n == 8 && value[5] == 'W') {
    int y = atoi(value), w = atoi(value + 6);
    NgDate jan4 = {y, 1, 4};
    first = ng_date_add_days(jan4, -(long)ng_date_weekday(jan4) + 7L * (w - 1));
    last = ng_date_add_days(first, 6);
    dt = NG_NS_ONTO "isoWeek";
  } else if (ng_date_parse(value, &d)) {
    first = last = d;
    if (!d.month) {
      first.month = 1, first.day = 1, last.month = 12, last.day = 31;
      dt = NG_NS_XSD "gYear";
    } else if (!d.day) {
      first.day = 1, last.day = ng_days_in_month(d.year, d.month);
      dt = NG_NS_XSD "gYearMonth";
    } else {
      dt = NG_NS_XSD "date";
    }
  } else {
    return;
  }
  char fs[11], ls[11];
  ng_date_format(first, fs);
  ng_date_format(last, ls);
  add(b, ev, NG_NS_ONTO "date", typed(value, dt));
  add(b, ev, NG_NS_SEM "hasBeginTimeStamp", typed(ng_arena_strdup(b->arena, fs), NG_NS_XSD "date"));
  add(b, ev, NG_NS_SEM "hasEndTimeStamp", typed(ng_arena_strdup(b->arena, ls), NG_NS_XSD "date"));
}

/* The verb of an open event, from its rule ("release#open", "want+release#open"). */
static const char *rule_lemma(Builder *b, const char *rule) {
  const char *start = strrchr(rule, '+');
  start = start ? start + 1 : rule;
  const char *hash = strchr(start, '#');
  size_t n = hash ? (size_t)(hash - start) : strlen(start);
  char *slug = ng_slug_new(start, n);
  const char *s = slug ? ng_arena_strdup(b->arena, slug) : NULL;
  free(slug);
  return s;
}


/* The concept of ng:FactualityScheme that says how an event is put. */
static const char *factuality_iri(NgFactuality f) {
  switch (f) {
  case NG_FACT_NEGATED: return NG_NS_ONTO "Negated";
  case NG_FACT_FUTURE: return NG_NS_ONTO "Future";
  case NG_FACT_CONDITIONAL: return NG_NS_ONTO "Conditional";
  case NG_FACT_HYPOTHETICAL: return NG_NS_ONTO "Hypothetical";
  case NG_FACT_QUESTION: return NG_NS_ONTO "Question";
  case NG_FACT_OPINION: return NG_NS_ONTO "Opinion";
  case NG_FACT_BACKGROUND: return NG_NS_ONTO "Background";
  case NG_FACT_ASSERTED:
  default: return NG_NS_ONTO "Asserted";
  }
}

static void add_event(Builder *b, const NgDocument *doc, const NgEvent *e, size_t n_in_sentence,
                      NgTerm article) {
  const char *sentence = numbered(b, doc->key, '/', e->sentence);
  const char *local = sentence ? numbered(b, sentence, '-', n_in_sentence) : NULL;
  if (!local) {
    b->st = NG_ERR_NOMEM;
    return;
  }
  NgTerm ev = iri(cat(b, NG_NS_EVENT, local)), mention = iri(cat(b, NG_NS_MENTION, local));
  add(b, ev, NG_NS_RDF "type", iri(NG_NS_ONTO "Event"));
  bool actor = e->actor.key[0], target = e->target.key[0];
  if (actor) {
    add(b, ev, NG_NS_ONTO "actor", iri(cat(b, NG_NS_ACTOR, e->actor.key)));
    describe_actor(b, &e->actor);
  }
  if (target) {
    add(b, ev, NG_NS_ONTO "target", iri(cat(b, NG_NS_ACTOR, e->target.key)));
    describe_actor(b, &e->target);
  }
  if (e->cameo[0]) {
    add(b, ev, NG_NS_ONTO "action", iri(cat(b, NG_NS_CAMEO, e->cameo)));
    add(b, ev, NG_NS_ONTO "cameoCode", lit(e->cameo));
    add(b, ev, NG_NS_ONTO "cameoRoot", lit(prefix(b, e->cameo, 2)));
  } else {
    NgTerm action = iri(cat(b, NG_NS_ACTION, rule_lemma(b, e->rule)));
    add(b, ev, NG_NS_ONTO "action", action);
    share(b, action, NG_NS_RDF "type", iri(NG_NS_ONTO "OpenAction"));
    share(b, action, NG_NS_SKOS "prefLabel", (NgTerm){NG_TERM_LITERAL, e->action, NULL, "en"});
  }
  add(b, ev, NG_NS_ONTO "actionLabel", lit(e->action));
  if (e->date[0]) {
    add_date(b, ev, e->date);
    add(b, ev, NG_NS_ONTO "dateSource", lit(e->date_source));
  }
  add(b, ev, NG_NS_ONTO "confidence", typed(ng_arena_printf(b->arena, "%.2f", e->confidence), NG_NS_XSD "decimal"));
  add(b, ev, NG_NS_ONTO "negated", typed(e->negated ? "true" : "false", NG_NS_XSD "boolean"));
  if (e->modality[0]) add(b, ev, NG_NS_ONTO "modality", lit(e->modality));
  add(b, ev, NG_NS_ONTO "factuality", iri(factuality_iri(e->factuality)));
  add(b, ev, NG_NS_ONTO "article", article);
  add(b, ev, NG_NS_ONTO "mention", mention);
  /* the passage that reports it */
  add(b, mention, NG_NS_RDF "type", iri(NG_NS_ONTO "Mention"));
  add(b, mention, NG_NS_ONTO "article", article);
  add(b, mention, NG_NS_ONTO "sentenceIndex", typed(integer(b, e->sentence), NG_NS_XSD "integer"));
  add(b, mention, NG_NS_ONTO "sentenceText", lit(e->sentence_text));
  add(b, mention, NG_NS_ONTO "beginIndex", typed(integer(b, e->sentence_begin), NG_NS_XSD "integer"));
  add(b, mention, NG_NS_ONTO "endIndex", typed(integer(b, e->sentence_end), NG_NS_XSD "integer"));
  if (e->actor.text[0]) add(b, mention, NG_NS_ONTO "actorText", lit(e->actor.text));
  add(b, mention, NG_NS_ONTO "actionText", lit(e->action_text));
  if (e->target.text[0]) add(b, mention, NG_NS_ONTO "targetText", lit(e->target.text));
  add(b, mention, NG_NS_ONTO "rule", lit(e->rule));
  for (size_t k = 0; k < e->nfurther; ++k) { /* the other sentences that tell it */
    const NgEventMention *m = &e->further[k];
    NgTerm also = iri(cat(b, NG_NS_MENTION, numbered(b, local, '-', m->sentence)));
    add(b, ev, NG_NS_ONTO "mention", also);
    add(b, also, NG_NS_RDF "type", iri(NG_NS_ONTO "Mention"));
    add(b, also, NG_NS_ONTO "article", article);
    add(b, also, NG_NS_ONTO "sentenceIndex", typed(integer(b, m->sentence), NG_NS_XSD "integer"));
    add(b, also, NG_NS_ONTO "sentenceText", lit(m->text));
    add(b, also, NG_NS_ONTO "beginIndex", typed(integer(b, m->begin), NG_NS_XSD "integer"));
    add(b, also, NG_NS_ONTO "endIndex", typed(integer(b, m->end), NG_NS_XSD "integer"));
    if (m->actor_text[0]) add(b, also, NG_NS_ONTO "actorText", lit(m->actor_text));
    add(b, also, NG_NS_ONTO "actionText", lit(m->action_text));
    if (m->target_text[0]) add(b, also, NG_NS_ONTO "targetText", lit(m->target_text));
  }
  /* the plain triple view: EU sanctions Lukashenko - of what happened only:
   * "did not respond to the demand" and "will meet" make no edge that a
   * tool reading rel: alone would take for a fact */
  bool happened = !e->negated && e->factuality == NG_FACT_ASSERTED;
  if (actor && target && happened && strcmp(e->actor.key, e->target.key)) {
    char *rel = ng_slug_new(e->action, strlen(e->action));
    if (!rel) {
      b->st = NG_ERR_NOMEM;
      return;
    }
    add(b, iri(cat(b, NG_NS_ACTOR, e->actor.key)), cat(b, NG_NS_REL, rel),
        iri(cat(b, NG_NS_ACTOR, e->target.key)));
    free(rel);
  }
}

static void add_article(Builder *b, const NgDocument *doc, NgTerm article) {
  add(b, article, NG_NS_RDF "type", iri(NG_NS_ONTO "Article"));
  add(b, article, NG_NS_DCT "identifier", lit(doc->id));
  if (doc->title[0]) add(b, article, NG_NS_DCT "title", lit(doc->title));
  if (doc->date[0]) {
    add(b, article, NG_NS_DCT "date", typed(doc->date, NG_NS_XSD "date"));
    add(b, article, NG_NS_ONTO "dateSource", lit(doc->date_source));
  }
  if (doc->url[0]) add(b, article, NG_NS_SCHEMA "url", typed(doc->url, NG_NS_XSD "anyURI"));
  if (doc->origin[0]) add(b, article, NG_NS_ONTO "sourceFile", lit(doc->origin));
}

char *ng_article_iri_new(const char *key) {
  size_t n = strlen(NG_NS_ARTICLE) + strlen(key) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s", NG_NS_ARTICLE, key);
  return s;
}

/* Build the article graph and/or the shared graph (either may be NULL). */
static NgStatus build(const NgDocument *doc, NgGraph *g, NgGraph *shared) {
  char *name = ng_article_iri_new(doc->key);
  NgArena arena = NG_ARENA_INIT;
  NgGraph *scratch = g ? NULL : ng_graph_new(name); /* article triples nobody wants */
  Builder b = {g ? g : scratch, shared, &arena, name && (g || scratch) ? NG_SUCCESS : NG_ERR_NOMEM,
               NULL, 0, 0};
  NgTerm article = iri(name);
  if (!b.st) add_article(&b, doc, article);
  size_t n_in_sentence = 0;
  for (size_t i = 0; i < doc->nevents && !b.st; ++i) {
    const NgEvent *e = &doc->events[i];
    n_in_sentence = i > 0 && doc->events[i - 1].sentence == e->sentence ? n_in_sentence + 1 : 0;
    add_event(&b, doc, e, n_in_sentence, article);
  }
  ng_arena_free(&arena); /* the graphs copy what they keep */
  free(b.pref);
  ng_graph_free(scratch);
  free(name);
  return b.st;
}

NgGraph *ng_document_to_graph(const NgDocument *doc, NgStatus *status) {
  char *name = ng_article_iri_new(doc->key);
  NgGraph *g = name ? ng_graph_new(name) : NULL;
  free(name);
  NgStatus st = g ? build(doc, g, NULL) : NG_ERR_NOMEM;
  if (st) {
    ng_graph_free(g);
    g = NULL;
  }
  *status = st;
  return g;
}

NgGraph *ng_document_to_shared_graph(const NgDocument *doc, NgStatus *status) {
  NgGraph *shared = ng_graph_new(NG_SHARED_GRAPH);
  NgStatus st = shared ? build(doc, NULL, shared) : NG_ERR_NOMEM;
  if (st) {
    ng_graph_free(shared);
    shared = NULL;
  }
  *status = st;
  return shared;
}

/* Both in one pass: the two functions above each build the whole article
 * (the shared graph's builder makes the article's triples too, and drops
 * them), which was a sixth of extract's time into a store. */
NgStatus ng_document_to_graphs(const NgDocument *doc, NgGraph **graph, NgGraph **shared) {
  char *name = ng_article_iri_new(doc->key);
  *graph = name ? ng_graph_new(name) : NULL;
  *shared = ng_graph_new(NG_SHARED_GRAPH);
  free(name);
  NgStatus st = *graph && *shared ? build(doc, *graph, *shared) : NG_ERR_NOMEM;
  if (st) {
    ng_graph_free(*graph);
    ng_graph_free(*shared);
    *graph = *shared = NULL;
  }
  return st;
}
