/* newsgraph.h - the public API of libnewsgraph.
 *
 * libnewsgraph turns news articles into events (actor, action, target, date)
 * and keeps them in a persistent RDF graph that answers SPARQL.
 *
 * Ownership, stated once for the whole API:
 *   - ng_X_new() returns memory the caller owns; ng_X_free() releases it and
 *     accepts NULL.
 *   - ng_X_get_*() borrows: the result lives as long as the object it came from.
 *   - ng_X_take_*() consumes its argument: the callee frees it, even on error.
 *   - Strings are UTF-8 and NUL-terminated unless a length is given.
 *
 * Threads: an NgExtractor is immutable once built and may be used by several
 * threads at once, each with its own NgDocument.  An NgStore belongs to one
 * thread (queries use Redland, which Debian builds without thread support).
 */
#ifndef NEWSGRAPH_H
#define NEWSGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NG_BUILDING_LIBRARY) && defined(__GNUC__)
#define NG_API __attribute__((visibility("default")))
#else
#define NG_API
#endif

/* ---------------------------------------------------------------- status */

typedef enum {
  NG_SUCCESS = 0,   /* no error */
  NG_END,           /* no more items (not an error) */
  NG_FAILURE,       /* unspecified failure */
  NG_ERR_NOMEM,     /* out of memory */
  NG_ERR_IO,        /* read or write failed, or a file is missing */
  NG_ERR_SYNTAX,    /* malformed input: article, lexicon, RDF, SPARQL */
  NG_ERR_ENCODING,  /* input is not valid UTF-8, or is binary */
  NG_ERR_TOO_LARGE, /* an input exceeds a configured limit */
  NG_ERR_BAD_ARG,   /* an argument is out of its domain */
  NG_ERR_STORE,     /* the graph store failed */
  NG_ERR_LOCKED,    /* the store is locked by another process */
  NG_ERR_QUERY,     /* a query failed while running */
  NG_ERR_NETWORK,   /* a remote endpoint could not be reached or refused */
  NG_ERR_INTERRUPTED /* stopped by a signal; what was committed is kept */
} NgStatus;

/* A short description of a status, e.g. "malformed input". Never NULL. */
NG_API const char *ng_strerror(NgStatus status);

/* A diagnostic: where (file, 1-based line and column; 0 when unknown) and what. */
typedef enum { NG_LEVEL_ERROR, NG_LEVEL_WARNING, NG_LEVEL_NOTE } NgLevel;

typedef struct {
  NgStatus status;
  NgLevel level;
  const char *file;    /* may be NULL */
  unsigned long line;  /* 0 = unknown */
  unsigned long col;   /* 0 = unknown */
  const char *message; /* one line, no trailing newline */
} NgError;

typedef void (*NgErrorSink)(void *handle, const NgError *error);

/* ----------------------------------------------------------------- world */

/* All library state hangs off a world: diagnostics, limits, the lazily
 * opened Redland world.  There are no other globals. */
typedef struct NgWorldImpl NgWorld;

NG_API NgWorld *ng_world_new(void);
NG_API void ng_world_free(NgWorld *world);

/* Diagnostics go to the sink; the default prints
 * "newsgraph: error: FILE:LINE:COL: message" to stderr. */
NG_API void ng_world_set_error_sink(NgWorld *world, NgErrorSink sink, void *handle);

/* Number of errors reported so far (warnings not counted). */
NG_API unsigned long ng_world_error_count(const NgWorld *world);

/* Largest article accepted, in bytes (default 16 MiB). */
NG_API void ng_world_set_max_article_size(NgWorld *world, size_t bytes);
NG_API size_t ng_world_get_max_article_size(const NgWorld *world);

/* Set by a signal handler to ask long operations to stop at the next
 * safe point (after the current article).  Async-signal-safe. */
NG_API void ng_world_request_stop(NgWorld *world);
NG_API bool ng_world_stop_requested(const NgWorld *world);

/* SPARQL SERVICE in ng_store_query: refused unless allowed (default:
 * refused, reported where the keyword stands, before anything runs).
 * Allowed, a service is spoken to over http:// or https:// only (also
 * after redirects), never through the RDF libraries' own fetching. */
NG_API void ng_world_set_allow_service(NgWorld *world, bool allow);
/* Seconds a network request made on a query's behalf (SERVICE) may take
 * to connect and in all (0, the default: 10 s to connect, 300 s in all). */
NG_API void ng_world_set_network_timeout(NgWorld *world, double seconds);
/* The columns of the terminal a results table (NG_RESULTS_TABLE) is shown
 * on: wider cells are cut, the widest columns first, and end in an
 * ellipsis, so that each row fits (0, the default: cells are never cut).
 * Other result formats always carry the full values. */
NG_API void ng_world_set_table_width(NgWorld *world, size_t columns);

/* The library version, e.g. "0.1.0". */
NG_API const char *ng_version(void);

/* -------------------------------------------------------------- articles */

typedef enum {
  NG_INPUT_GUESS = 0, /* ng_input_format_sniff: the file name, else the first bytes */
  NG_INPUT_TEXT,
  NG_INPUT_JSONL,
  NG_INPUT_HTML
} NgInputFormat;

/* Parse "text", "jsonl", "html" (and "txt", "json", "htm"); NG_INPUT_GUESS if unknown. */
NG_API NgInputFormat ng_input_format_from_name(const char *name, bool *ok);

/* The format of an article file from its first bytes (data, len: a few KB
 * are enough) and its name (NULL or "-" for standard input): a known
 * extension (.jsonl .json .ndjson, .html .htm .xhtml, .txt .text) decides;
 * else a first non-blank "{" is JSON Lines, a tag ("<p", "<!DOCTYPE",
 * "</") HTML, anything else text.  Never NG_INPUT_GUESS. */
NG_API NgInputFormat ng_input_format_sniff(const char *data, size_t len, const char *name);

/* One article as read from its source. All strings borrowed. */
typedef struct {
  const char *id;        /* JSONL id, else the file name; never NULL */
  const char *date;      /* publication date YYYY-MM-DD, or NULL/"" if unknown */
  const char *title;     /* may be NULL */
  const char *text;      /* the body, UTF-8 */
  size_t text_len;
  const char *url;       /* may be NULL */
  const char *origin;    /* file the article came from ("-" for stdin) */
  unsigned long line;    /* line of the article in origin (JSONL), else 1 */
  bool has_own_id;       /* false when id is only the file name */
} NgArticle;

/* Reads articles one by one from a file, streaming (JSONL never loads the
 * whole file).  A malformed record is reported (file:line:col) and skipped:
 * ng_reader_next() then returns NG_ERR_SYNTAX/NG_ERR_ENCODING/NG_ERR_TOO_LARGE
 * and the next call goes on with the following record. */
typedef struct NgReaderImpl NgReader;

/* path "-" reads standard input.  Returns NULL and sets *status on failure
 * (missing file, unreadable, binary file). */
NG_API NgReader *ng_reader_new(NgWorld *world, const char *path, NgInputFormat format,
                        NgStatus *status);
NG_API void ng_reader_free(NgReader *reader);

/* Fills *article (valid until the next call or ng_reader_free).
 * NG_SUCCESS, NG_END at the end, or an error for a skipped record. */
NG_API NgStatus ng_reader_next(NgReader *reader, NgArticle *article);

/* Bytes read from the reader's file so far (a little ahead of the articles
 * returned: it reads in 64 KiB chunks), for a progress report. */
NG_API unsigned long long ng_reader_bytes_read(const NgReader *reader);

/* ------------------------------------------------------------ extraction */

/* The compiled lexicon (actors, verbs, patterns).  Immutable once built. */
typedef struct NgExtractorImpl NgExtractor;

/* Built from the lexicon compiled into the library, plus every *.txt file
 * of extra_dir (may be NULL): extra entries add to and override built-ins.
 * Errors in lexicon files are reported file:line:col; returns NULL then. */
NG_API NgExtractor *ng_extractor_new(NgWorld *world, const char *extra_dir, NgStatus *status);

/* Flags of ng_extractor_new_with_dictionaries. */
#define NG_DICT_VERBOSE (1u << 0) /* report each pattern not mapped and each line not read */
#define NG_DICT_QUIET (1u << 1)   /* no summary note */

/* The same, plus the PETRARCH-2 dictionaries of dict_dir (may be NULL): its
 * actor, agent, verb and discard dictionaries, recognised by name and
 * content, read after the built-in and extra_dir files, whose surface forms
 * and verbs win (lexicon/README.md).  A note sums up what was read and what
 * could not be mapped.  A malformed line is an error (file:line:col), a
 * missing folder or one with no dictionary too; NULL then. */
NG_API NgExtractor *ng_extractor_new_with_dictionaries(NgWorld *world, const char *extra_dir,
                                                       const char *dict_dir, unsigned flags,
                                                       NgStatus *status);
NG_API void ng_extractor_free(NgExtractor *extractor);

/* How an article puts an event: done, not done, or not (yet) a fact. */
typedef enum {
  NG_FACT_ASSERTED = 1 << 0,     /* reported as done ("the EU imposed sanctions") */
  NG_FACT_NEGATED = 1 << 1,      /* reported as not done ("did not impose") */
  NG_FACT_FUTURE = 1 << 2,       /* announced, planned or expected ("will impose", "plans to") */
  NG_FACT_CONDITIONAL = 1 << 3,  /* depending on a condition ("would impose ... if") */
  NG_FACT_HYPOTHETICAL = 1 << 4, /* possible, wished or required ("may", "could", "should") */
  NG_FACT_QUESTION = 1 << 5,     /* asked ("Will the EU impose sanctions?") */
  NG_FACT_OPINION = 1 << 6,      /* what someone thinks, believes or feels ("I think ...") */
  NG_FACT_BACKGROUND = 1 << 8    /* done, but told as the story's past, not its news ("had bought",
                                    "moved to the US in 1999" in a 2004 story) */
} NgFactuality;

/* A mask bit, not a factuality: future events only when they carry a CAMEO
 * code ("Obama will meet Putin": event coders code announced meetings,
 * visits and sanctions), not the open ones ("Brown will argue ..."). */
#define NG_FACT_FUTURE_CODED (1u << 7)

/* What is kept unless asked otherwise: what happened or did not, and the
 * announced future of coded events - not open future events (the blind
 * audits judged most of them forecasts), nor what may, could or would
 * happen, questions, opinions, and the story's background (the readers of
 * audit U judged career histories and years-old acts "not news"). */
#define NG_FACT_DEFAULT (NG_FACT_ASSERTED | NG_FACT_NEGATED | NG_FACT_FUTURE_CODED)
#define NG_FACT_ALL (0x7f | NG_FACT_BACKGROUND)

/* "asserted", "negated", "future", "conditional", "hypothetical", "question",
 * "opinion", "background"; "" for anything else. */
NG_API const char *ng_factuality_name(NgFactuality factuality);
/* A comma-separated list of those names, or "all", or "default", as a mask
 * of NgFactuality bits.  False (and *mask untouched) on an unknown name. */
NG_API bool ng_factuality_parse(const char *list, unsigned *mask);

/* Which events extraction keeps, by factuality (a mask of NgFactuality;
 * default NG_FACT_DEFAULT).  Set before the extractor is shared. */
NG_API void ng_extractor_set_factualities(NgExtractor *extractor, unsigned mask);

/* The extraction of one article: its sentences, time expressions, events. */
typedef struct NgDocumentImpl NgDocument;

/* Extract the events of an article.  default_date (YYYY-MM-DD or NULL)
 * overrides the article's own date when non-NULL.  Thread-safe for distinct
 * documents.  Returns NULL and sets *status on failure. */
NG_API NgDocument *ng_extract(const NgExtractor *extractor, const NgArticle *article,
                       const char *default_date, NgStatus *status);
NG_API void ng_document_free(NgDocument *doc);

/* Article facts after extraction. */
NG_API const char *ng_document_get_id(const NgDocument *doc);
NG_API const char *ng_document_get_title(const NgDocument *doc);   /* may be "" */
NG_API const char *ng_document_get_url(const NgDocument *doc);     /* may be "" */
NG_API const char *ng_document_get_date(const NgDocument *doc);    /* "" if unknown */
/* Where the article date came from: "option", "metadata", "dateline", "". */
NG_API const char *ng_document_get_date_source(const NgDocument *doc);
/* The key that names the article in IRIs (the id, or a hash of the text). */
NG_API const char *ng_document_get_key(const NgDocument *doc);
NG_API size_t ng_document_sentence_count(const NgDocument *doc);

/* One participant of an event. */
typedef struct {
  const char *label; /* canonical name, "European Union"; "" if none */
  const char *code;  /* CAMEO actor code, "IGOEU", "RUSGOV"; "" if unknown */
  const char *text;  /* the article's words that name it */
  const char *key;   /* stable slug naming it in IRIs, "european-union" */
  size_t begin, end; /* character offsets (code points) in the article text */
} NgActorRef;

/* A further sentence that reports an event already told (NgEvent.further). */
typedef struct {
  size_t sentence;          /* 0-based sentence index */
  size_t begin, end;        /* character offsets of the sentence */
  const char *text;         /* the sentence */
  const char *actor_text;   /* the words that name the actor there ("he", "Mr Blair") */
  const char *action_text;  /* the words that express the act there */
  const char *target_text;  /* the words that name the target there ("" for none) */
} NgEventMention;

typedef struct {
  size_t sentence;          /* 0-based sentence index */
  size_t sentence_begin;    /* character offsets of the sentence */
  size_t sentence_end;
  const char *sentence_text;
  NgActorRef actor;
  NgActorRef target;        /* label "" when the event has no target */
  const char *action;       /* short verb label: "sanctions", "says" */
  const char *action_text;  /* the words that express it */
  size_t action_begin, action_end;
  const char *cameo;        /* CAMEO event code, "" outside CAMEO */
  const char *date;         /* ISO 8601 (day, month, year or week), "" if none */
  const char *date_source;  /* "text", "article" or "" */
  const char *modality;     /* "", "intent", "threat", "appeal", "demand", "refuse",
                               "future" (announced with "will") */
  double confidence;        /* in [0,1] */
  bool negated;
  const char *rule;         /* the rule that produced it, e.g. "impose#2" */
  NgFactuality factuality;  /* how the article puts it */
  /* Further sentences that report the same event, in the order found: a
   * headline the text restates ("Putin backs state grab for Yukos" over
   * "Russia's president has defended the purchase ..."), a later sentence
   * telling the same coded act of the same actor to the same target on the
   * same date, quoted words that go on a statement: one event, several
   * mentions. */
  const NgEventMention *further;
  size_t nfurther;
} NgEvent;

NG_API size_t ng_document_event_count(const NgDocument *doc);
NG_API const NgEvent *ng_document_get_event(const NgDocument *doc, size_t i);

/* A time expression found in the text and its resolved value. */
typedef struct {
  size_t sentence;
  size_t begin, end;  /* character offsets in the article text */
  const char *text;
  const char *value;  /* ISO 8601, "" when it cannot be resolved */
} NgTimex;

NG_API size_t ng_document_timex_count(const NgDocument *doc);
NG_API const NgTimex *ng_document_get_timex(const NgDocument *doc, size_t i);

/* ---------------------------------------------------------------- parser */

/* The part-of-speech tagger and dependency parser (Universal Dependencies,
 * trained on UD English EWT).  Immutable once made: threads may share one. */
typedef struct NgParserImpl NgParser;

/* model_path NULL: the model built into the library.  A bad model file is
 * reported naming the file; NULL then. */
NG_API NgParser *ng_parser_new(NgWorld *world, const char *model_path, NgStatus *status);
NG_API void ng_parser_free(NgParser *parser);
/* The width of the parser's beam: 1 parses greedily, 0 (or more than 64)
 * restores the width the model was trained with (model/README.md: the cost
 * in speed per width).  Set it before parsing: it is read by every thread
 * that shares the parser. */
NG_API void ng_parser_set_beam(NgParser *parser, unsigned width);

/* `parse --tokenized`: read CoNLL-U from in (name for diagnostics; the
 * extractor's lexicon supplies what WordNet knows of each word), tag
 * and parse the words of each sentence as given (multiword ranges and empty
 * nodes are kept as they are, not parsed), write the sentences to out with
 * the predicted LEMMA, UPOS, XPOS, HEAD and DEPREL (FEATS and DEPS "_"). */
NG_API NgStatus ng_parser_write_conllu(const NgParser *parser, const NgExtractor *extractor,
                                       FILE *in, const char *name, FILE *out);

/* `parse`: split an article into sentences and tokens as extraction does,
 * parse each sentence, write CoNLL-U to out (# newdoc id, # sent_id, #
 * text; MISC holds SpaceAfter=No and TokenRange=BEGIN:END, character
 * offsets into the article's text as extraction counts them). */
NG_API NgStatus ng_parser_write_article(const NgParser *parser, const NgExtractor *extractor,
                                        const NgArticle *article, FILE *out);

/* ------------------------------------------------------------------- RDF */

/* RDF terms and triples as plain data, built without Redland (so extraction
 * threads never touch it).  IRIs are deterministic. */
typedef enum { NG_TERM_IRI, NG_TERM_BLANK, NG_TERM_LITERAL } NgTermKind;

typedef struct {
  NgTermKind kind;
  const char *value;    /* IRI, blank label or lexical form */
  const char *datatype; /* literal datatype IRI or NULL */
  const char *lang;     /* literal language or NULL */
} NgTerm;

typedef struct {
  NgTerm s, p, o;
} NgTriple;

/* A graph: a set of triples (duplicates are dropped on insertion) with an
 * optional name.  Owns copies of all strings. */
typedef struct NgGraphImpl NgGraph;

NG_API NgGraph *ng_graph_new(const char *name_iri);
NG_API void ng_graph_free(NgGraph *graph);
NG_API const char *ng_graph_get_name(const NgGraph *graph); /* NULL: default graph */
NG_API NgStatus ng_graph_add(NgGraph *graph, const NgTerm *s, const NgTerm *p, const NgTerm *o);
NG_API size_t ng_graph_size(const NgGraph *graph);
NG_API const NgTriple *ng_graph_get(const NgGraph *graph, size_t i);

/* The RDF of an extracted article: its named graph (IRI: the article IRI),
 * holding the article, its events and their mentions, and the direct edges. */
NG_API NgGraph *ng_document_to_graph(const NgDocument *doc, NgStatus *status);

/* What the article says about things other articles share - the actors
 * (type, label, codes) and open actions - in the shared graph
 * NG_SHARED_GRAPH, which a store only ever adds to, so that a triple about
 * an actor is held once however many articles name it. */
NG_API NgGraph *ng_document_to_shared_graph(const NgDocument *doc, NgStatus *status);

/* The two above from one pass over the article (half the work of calling
 * both): *graph and *shared are the caller's to free; both NULL on error. */
NG_API NgStatus ng_document_to_graphs(const NgDocument *doc, NgGraph **graph, NgGraph **shared);

#define NG_SHARED_GRAPH "https://w3id.org/newsgraph/id/graph/actors"

/* The article IRI for an article key (caller frees with free()). */
NG_API char *ng_article_iri_new(const char *key);

typedef enum {
  NG_SYNTAX_NTRIPLES,
  NG_SYNTAX_NQUADS,
  NG_SYNTAX_TURTLE,
  NG_SYNTAX_RDFXML,
  NG_SYNTAX_TRIG, /* read by ng_store_import only */
  NG_SYNTAX_GUESS /* ng_store_import: ng_syntax_sniff on the file's first bytes */
} NgSyntax;

/* Parse "ntriples", "nquads", "turtle", "rdfxml", "trig" (and riot's "nt",
 * "nq", "ttl", "rdf"). */
NG_API NgSyntax ng_syntax_from_name(const char *name, bool *ok);

/* The RDF syntax of a file from its first bytes (data, len: a few KB) and
 * its name (NULL for standard input), as rapper --guess and riot guess:
 * the first non-blank, non-comment bytes tell which grammars fit (markup:
 * RDF/XML; { } or GRAPH: TriG; @prefix, PREFIX, prefixed names, ; , [ ( :
 * Turtle; statements of three or four plain terms: N-Triples or N-Quads),
 * and the extension picks among those that fit (N-Triples in "x.ttl" is
 * read as Turtle).  Content that contradicts the extension wins.  *sure
 * (may be NULL) is false when neither content nor name told anything (an
 * empty head, comments only): the answer is then Turtle. */
NG_API NgSyntax ng_syntax_sniff(const char *data, size_t len, const char *name, bool *sure);

/* Streaming RDF writer (N-Triples, N-Quads, Turtle).  Turtle groups the
 * triples of one ng_writer_write_graph() call by subject and uses the
 * project's prefixes; memory never holds more than one graph. */
typedef struct NgWriterImpl NgWriter;

NG_API NgWriter *ng_writer_new(FILE *out, NgSyntax syntax);
NG_API void ng_writer_free(NgWriter *writer); /* flushes; does not close out */
NG_API NgStatus ng_writer_write_graph(NgWriter *writer, const NgGraph *graph);
NG_API NgStatus ng_writer_write_triple(NgWriter *writer, const NgTriple *t, const char *graph_iri);
NG_API NgStatus ng_writer_finish(NgWriter *writer);

/* The prefixes the project declares, as a NULL-terminated array of
 * {prefix, namespace} pairs. */
typedef struct {
  const char *prefix;
  const char *ns;
} NgPrefix;
NG_API const NgPrefix *ng_prefixes(void);

/* -------------------------------------------------------- tabular output */

/* The TSV event table: header line and one line per event. */
NG_API void ng_tsv_write_header(FILE *out);
NG_API NgStatus ng_document_write_tsv(const NgDocument *doc, FILE *out);
/* --format mentions: the same table, one line per mention of an event (its
 * first and each further one, with the sentence, actor and action words of
 * that mention), and a last column `event` naming the event as its IRI
 * does ("3-0"): what gold sets that annotate mentions (MEANTIME) score. */
NG_API void ng_mentions_write_header(FILE *out);
NG_API NgStatus ng_document_write_mentions(const NgDocument *doc, FILE *out);
/* --format timex: "article start end text value" lines. */
NG_API void ng_timex_write_header(FILE *out);
NG_API NgStatus ng_document_write_timex(const NgDocument *doc, FILE *out);
/* The same lines in a new string of *len bytes (NUL-terminated; free() it),
 * or NULL with *status set: for threads that render while another one
 * prints, without a FILE in between. */
NG_API char *ng_document_tsv_new(const NgDocument *doc, size_t *len, NgStatus *status);
NG_API char *ng_document_mentions_new(const NgDocument *doc, size_t *len, NgStatus *status);
NG_API char *ng_document_timex_new(const NgDocument *doc, size_t *len, NgStatus *status);

/* --------------------------------------------------- parallel extraction */

/* Extracts a stream of articles on worker threads and hands the results
 * back in input order, in the thread that adds the articles (what
 * `newsgraph extract -j N` runs on).  The ring of pending articles is
 * bounded (16 a thread): memory does not grow with the input. */
typedef struct NgExtractPoolImpl NgExtractPool;

/* What a worker makes of an article besides its document. */
typedef enum {
  NG_RENDER_NONE,  /* nothing */
  NG_RENDER_TSV,   /* ng_document_tsv_new() */
  NG_RENDER_TIMEX, /* ng_document_timex_new() */
  NG_RENDER_MENTIONS, /* ng_document_mentions_new() */
  NG_RENDER_RDF    /* the two graphs in options.syntax (N-Triples, N-Quads, Turtle) */
} NgExtractRender;

/* One article's results, owned by the pool: a callback that keeps a
 * document, a graph or the text sets its field to NULL (and frees it
 * later with ng_document_free(), ng_graph_free(), free()). */
typedef struct {
  const NgArticle *article; /* the pool's copy, valid during the callback */
  NgDocument *doc;          /* NULL when the extraction failed: status says why */
  NgGraph *graph, *shared;  /* ng_document_to_graph(), _to_shared_graph(), when asked */
  char *text;               /* the rendering, when asked (NUL-terminated) */
  size_t text_len;
  NgStatus status;          /* of the extraction, the graphs or the rendering */
} NgExtractResult;

/* Called for each article, oldest first, in the caller's thread; an error
 * it returns stops the pool (ng_extract_pool_add and _finish return it). */
typedef NgStatus (*NgExtractResultFunc)(void *data, NgExtractResult *result);

typedef struct {
  unsigned threads;         /* workers; 0 or 1: every article in the caller's thread */
  const char *default_date; /* as for ng_extract() (copied) */
  bool graphs;              /* build the article's two graphs */
  NgExtractRender render;
  NgSyntax syntax;          /* of NG_RENDER_RDF */
  NgExtractResultFunc on_result;
  void *data;               /* on_result's first argument */
} NgExtractPoolOptions;

/* The extractor must outlive the pool.  NULL and *status set on failure
 * (NG_ERR_BAD_ARG for options it cannot serve). */
NG_API NgExtractPool *ng_extract_pool_new(const NgExtractor *extractor,
                                          const NgExtractPoolOptions *options, NgStatus *status);
/* Waits for the workers; results not yet delivered are dropped. */
NG_API void ng_extract_pool_free(NgExtractPool *pool);
/* Queues a copy of the article; may first deliver finished results (and
 * wait for them while the ring is full).  Without workers the article is
 * extracted and delivered before it returns. */
NG_API NgStatus ng_extract_pool_add(NgExtractPool *pool, const NgArticle *article);
/* Waits for every queued article and delivers it. */
NG_API NgStatus ng_extract_pool_finish(NgExtractPool *pool);
/* Drops the articles no worker has started (after a stop request): what is
 * delivered stays a prefix of the input. */
NG_API void ng_extract_pool_cancel(NgExtractPool *pool);
/* Articles queued and not yet delivered. */
NG_API size_t ng_extract_pool_pending(const NgExtractPool *pool);

/* ----------------------------------------------------------------- graph */

/* The persistent graph: a directory holding newsgraph's quad store (on
 * LMDB) with one named graph per article.  Every commit is one atomic,
 * durable transaction: a crash never corrupts the store and never loses a
 * committed article; readers never wait for writers and see the last
 * commit. */
typedef struct NgStoreImpl NgStore;

typedef enum {
  NG_STORE_READ,  /* shared; sees the last commit */
  NG_STORE_WRITE  /* writers take turns, one commit at a time */
} NgStoreMode;

/* The store directory: dir if non-NULL, else $NEWSGRAPH_STORE, else
 * "./newsgraph.db".  Returns a pointer to dir or a static/env string. */
NG_API const char *ng_store_default_dir(const char *dir);

/* Open (and for NG_STORE_WRITE create) a store.  A store written by an
 * older newsgraph is refused with a message saying how to carry it over
 * (`newsgraph upgrade`, ng_store_upgrade). */
NG_API NgStore *ng_store_open(NgWorld *world, const char *dir, NgStoreMode mode, NgStatus *status);

/* Close; a writer commits what it was given since its last sync first.
 * Returns the status of that. */
NG_API NgStatus ng_store_close(NgStore *store);
NG_API void ng_store_free(NgStore *store); /* = close, ignoring the status */

/* The longest term the store holds: bytes of an IRI, or of a literal's
 * text, datatype and language tag together (64 MiB). */
#define NG_STORE_MAX_TERM (64 << 20)

/* Replace the named graph graph->name with the given triples (kept, and
 * written by the next ng_store_sync).  NULL-named graphs are refused, and
 * so (NG_ERR_TOO_LARGE, reported, nothing kept) is a graph holding a term
 * longer than NG_STORE_MAX_TERM. */
NG_API NgStatus ng_store_replace_graph(NgStore *store, const NgGraph *graph);
/* Add triples to a named graph, keeping what it has. */
NG_API NgStatus ng_store_add_graph(NgStore *store, const NgGraph *graph);
/* The same, taking the graph (freed by the store, also on error) instead
 * of copying it: for writers that build a graph only to store it. */
NG_API NgStatus ng_store_replace_graph_take(NgStore *store, NgGraph *graph);
NG_API NgStatus ng_store_add_graph_take(NgStore *store, NgGraph *graph);

/* Commit: everything given since the last sync goes into the store in one
 * transaction, all of it or nothing.  After this returns NG_SUCCESS the
 * articles written are "committed": they survive a crash, and readers see
 * them.  Called by the writer in groups. */
NG_API NgStatus ng_store_sync(NgStore *store);

/* Kept for programs written against the journal and checkpoint store: every
 * sync is now a durable commit, so this does nothing (NG_SUCCESS for a
 * writer). */
NG_API NgStatus ng_store_checkpoint(NgStore *store);

typedef enum {
  NG_RESULTS_TABLE,
  NG_RESULTS_CSV,
  NG_RESULTS_TSV,
  NG_RESULTS_JSON,
  NG_RESULTS_XML
} NgResultsFormat;

NG_API NgResultsFormat ng_results_format_from_name(const char *name, bool *ok);

/* Run a SPARQL query; the project's prefixes are predeclared.  SELECT/ASK
 * results go out in format; CONSTRUCT/DESCRIBE print Turtle.  A syntax
 * error is reported with its line:col in the user's query text (origin
 * names it, e.g. "query.rq" or "<command line>"). */
NG_API NgStatus ng_store_query(NgStore *store, const char *query, const char *origin,
                        NgResultsFormat format, FILE *out);

/* How a query runs (ng_store_query_with, ng_store_update).  Initialise
 * with ng_query_options_init: zero is not the default of every field. */
typedef enum {
  NG_ENGINE_NATIVE, /* newsgraph's own SPARQL 1.1 engine over the store's ids */
  NG_ENGINE_REDLAND /* librdf and Rasqal over the same store: a second opinion */
} NgQueryEngine;

typedef struct {
  NgQueryEngine engine;
  const char *base; /* base IRI of the query text (NULL: none) */
  /* An explicit dataset, as the SPARQL Protocol's default-graph-uri and
   * named-graph-uri give one: NULL-terminated lists of graph IRIs, or NULL.
   * When either is given it replaces the query's FROM and FROM NAMED
   * (named_graphs NULL with default_graphs given: every graph is named).
   * Without any, the default graph is the union of all graphs (a triple
   * held by several graphs counted once) and every graph is named. */
  const char *const *default_graphs;
  const char *const *named_graphs;
  double timeout;    /* seconds the query may run (0: no limit) */
  uint64_t max_rows; /* rows (or triples) an answer may have (0: no limit) */
} NgQueryOptions;

NG_API void ng_query_options_init(NgQueryOptions *options);

/* ng_store_query with options (NULL: the defaults).  NG_ERR_INTERRUPTED
 * when the world's stop was requested or the timeout passed (reported),
 * NG_ERR_TOO_LARGE when the answer had more than max_rows (the rows up to
 * the limit were written). */
NG_API NgStatus ng_store_query_with(NgStore *store, const char *query, const char *origin,
                                    const NgQueryOptions *options, NgResultsFormat format,
                                    FILE *out);

/* Parses a query (update false) or an update request without running it:
 * NG_SUCCESS, or NG_ERR_SYNTAX reported with origin:line:col. */
NG_API NgStatus ng_sparql_check(NgWorld *world, const char *text, const char *origin,
                                const char *base, bool update);

/* Runs a SPARQL 1.1 Update request on the store (opened for writing) in
 * one transaction: all of it or, on any error, none of it.  The default
 * graph of an update is options->default_graphs[0] when given, else the
 * graph NG_DEFAULT_GRAPH.  LOAD reads local files only. */
NG_API NgStatus ng_store_update(NgStore *store, const char *update, const char *origin,
                                const NgQueryOptions *options);

#define NG_DEFAULT_GRAPH "https://w3id.org/newsgraph/id/graph/default"

/* Removes an article's graph (id: the article's id, or its graph IRI) in one
 * transaction; *found tells whether it was there.  What the article said
 * about actors in NG_SHARED_GRAPH stays. */
NG_API NgStatus ng_store_remove_article(NgStore *store, const char *id, bool *found);

/* Write the store (or only graph_iri when non-NULL) in syntax.  Streams. */
NG_API NgStatus ng_store_export(NgStore *store, NgSyntax syntax, const char *graph_iri, FILE *out);

/* Import an RDF file into graph_iri (NULL: a graph named after the file;
 * N-Quads keep their own graphs).  The whole file is parsed and checked
 * first: on a syntax error (reported file:line:col) nothing is added.
 * path "-" reads standard input (spooled to a temporary file first;
 * reported as "<stdin>", its graph named "stdin"); syntax NG_SYNTAX_GUESS
 * sniffs it (ng_syntax_sniff). */
NG_API NgStatus ng_store_import(NgStore *store, const char *path, NgSyntax syntax,
                         const char *graph_iri);

typedef struct {
  unsigned long articles; /* named graphs holding an article */
  unsigned long graphs;   /* all named graphs */
  unsigned long events;
  unsigned long actors;   /* distinct actors of events */
  unsigned long quads;    /* statements, counted once per graph */
  unsigned long triples;  /* distinct statements over all graphs */
  unsigned long long bytes; /* size of the store on disk */
} NgStoreStats;

NG_API NgStatus ng_store_stats(NgStore *store, NgStoreStats *stats);

/* Carries a store written by an older newsgraph (Berkeley DB generations
 * and a journal) in dir over to the present format: its last generation
 * and the committed journal records after it are read, written into a new
 * store beside it, and the directory is switched to it only when all of it
 * is there; the old files are kept in dir/old-store.  *quads (may be NULL):
 * how many quads came over. */
NG_API NgStatus ng_store_upgrade(NgWorld *world, const char *dir, unsigned long *quads);

/* Registers the store with a Redland world (a librdf_world *) as the
 * storage "newsgraph", so that librdf_new_storage(world, "newsgraph", DIR,
 * "write='yes'") opens a store and Rasqal queries it.  Redland also finds
 * it by itself in its module path (librdf_storage_newsgraph, installed in
 * LIBDIR/redland).  0 on success. */
NG_API int ng_redland_register(void *librdf_world);

/* -------------------------------------------------------------- endpoint */

/* A SPARQL server spoken to over HTTP(S) (libcurl): queries by the SPARQL
 * 1.1 Protocol, graphs pushed by SPARQL 1.1 Update or the Graph Store HTTP
 * Protocol.  Like the store, one thread only. */
typedef struct NgEndpointImpl NgEndpoint;

/* url: an http:// or https:// endpoint.  A URL that holds a password is
 * refused (it would show in process lists): credentials come from
 * ng_endpoint_set_credentials or ~/.netrc.  NULL and *status on failure
 * (reported). */
NG_API NgEndpoint *ng_endpoint_new(NgWorld *world, const char *url, NgStatus *status);
/* Frees; what is queued and not flushed is dropped without being told. */
NG_API void ng_endpoint_free(NgEndpoint *endpoint);

/* HTTP authentication (Basic or Digest, as the server asks).  Without a
 * user, ~/.netrc is used when it names the host.  The copies are wiped
 * when freed. */
NG_API NgStatus ng_endpoint_set_credentials(NgEndpoint *endpoint, const char *user,
                                            const char *password);
/* Seconds a whole request may take (default 300; 0: no limit).  Connecting
 * may take 10 s at most. */
NG_API void ng_endpoint_set_timeout(NgEndpoint *endpoint, double seconds);
/* Further tries of a request that failed in a transient way: connection
 * refused or reset, HTTP 429, 502, 503, 504 (and 5xx for pushes); waits
 * 0.5 s, 1 s, 2 s... between them, or the server's Retry-After (default 4). */
NG_API void ng_endpoint_set_retries(NgEndpoint *endpoint, unsigned retries);
/* Skip the TLS certificate and host name checks (default: checked). */
NG_API void ng_endpoint_set_insecure(NgEndpoint *endpoint, bool insecure);

/* Run a query on the server: the project's prefixes the query uses are
 * declared for it; SELECT/ASK results go out in format exactly as
 * ng_store_query writes them, CONSTRUCT/DESCRIBE as Turtle.  HTTP errors,
 * time-outs and the server's own message are reported (origin names the
 * query); NG_ERR_QUERY when the server refused the query, NG_ERR_NETWORK
 * when it could not be reached or failed. */
NG_API NgStatus ng_endpoint_query(NgEndpoint *endpoint, const char *query, const char *origin,
                                  NgResultsFormat format, FILE *out);

typedef enum {
  NG_PUSH_UPDATE,     /* SPARQL 1.1 Update to the URL: several articles a request */
  NG_PUSH_GRAPH_STORE /* Graph Store HTTP Protocol: PUT ?graph=IRI, one article a request */
} NgPushProtocol;

NG_API void ng_endpoint_set_push_protocol(NgEndpoint *endpoint, NgPushProtocol protocol);
/* Items sent in one request at most (default 64; a request body also
 * stops growing past 4 MiB). */
NG_API void ng_endpoint_set_batch(NgEndpoint *endpoint, size_t items);

/* Told once for every pushed item when its fate is known: NG_SUCCESS when
 * it is on the server, else why it is not (then nothing of it, or an
 * incomplete copy that a re-send replaces, is there). */
typedef void (*NgPushResult)(void *handle, const char *id, NgStatus status);
NG_API void ng_endpoint_set_push_result(NgEndpoint *endpoint, NgPushResult callback,
                                        void *handle);

/* Queue an item for the server: graph (may be NULL) replaces the graph of
 * the same name there, so re-sending is idempotent; shared (may be NULL)
 * is added to its graph (NG_SHARED_GRAPH), each triple sent once per
 * endpoint.  Sent when the batch is full or old; then NG_ERR_NETWORK if
 * that request failed (its items are told), other errors stop. */
NG_API NgStatus ng_endpoint_push(NgEndpoint *endpoint, const char *id, const NgGraph *graph,
                                 const NgGraph *shared);
/* Send what is queued.  NG_ERR_NETWORK when it could not be sent (told). */
NG_API NgStatus ng_endpoint_flush(NgEndpoint *endpoint);

/* Push the store's graphs (or only graph_iri) to the server: the shared
 * graph is added to, every other graph replaces its namesake.  Flushes.
 * NG_ERR_NETWORK when some graph was not sent (told to the callback). */
NG_API NgStatus ng_store_push(NgStore *store, const char *graph_iri, NgEndpoint *endpoint);

/* ---------------------------------------------------------------- server */

/* A SPARQL 1.1 Protocol server over a store (libmicrohttpd): queries by
 * GET and POST (URL-encoded or a direct sparql-query body) at /sparql,
 * results negotiated by Accept (SPARQL results JSON, XML, CSV, TSV; Turtle,
 * N-Triples, N-Quads, RDF/XML for CONSTRUCT and DESCRIBE), the Graph Store
 * Protocol's read side at /store (?graph=IRI, ?default), a service
 * description at /sparql without a query, CORS, and the files of web_dir
 * at /.  Each request runs on its own read transaction in one of a fixed
 * number of worker threads (each with a world and a store handle of its
 * own), so readers never wait for a writer or for each other beyond the
 * pool; queries never reach the network or the file system (no SERVICE,
 * no LOAD).  Initialise the options with ng_server_options_init. */
typedef struct NgServerImpl NgServer;

typedef struct {
  const char *store_dir; /* NULL: ng_store_default_dir(NULL) */
  const char *bind;      /* "ADDR:PORT", "[ADDR6]:PORT" or "PORT" (127.0.0.1:7878);
                            port 0 picks a free one (ng_server_port) */
  const char *web_dir;   /* static files served at / (NULL: none) */
  const char *examples_dir; /* *.rq files listed at /examples/ (NULL: none) */
  unsigned threads;      /* workers running queries (default 4) */
  unsigned queue;        /* requests waiting for a worker at most; past it 503 (64) */
  unsigned max_connections; /* open connections at most (256) */
  double timeout;        /* seconds a query may run (30; 0: no limit) */
  uint64_t max_rows;     /* rows or triples of an answer at most (100,000; 0: none) */
  size_t max_answer;     /* bytes of an answer at most (64 MiB) */
  size_t max_request;    /* bytes of a request body at most (1 MiB) */
  double idle_timeout;   /* seconds a connection may stay silent (10) */
  bool allow_update;     /* SPARQL Update at /update (and POST /sparql) */
  const char *token;     /* the bearer token updates must carry (needed with allow_update) */
} NgServerOptions;

NG_API void ng_server_options_init(NgServerOptions *options);

/* Binds the address and starts the workers (errors reported through
 * world, which must outlive the server; NULL and *status then).  The store
 * must exist (NG_ERR_IO, "no store at DIR", otherwise). */
NG_API NgServer *ng_server_new(NgWorld *world, const NgServerOptions *options,
                               NgStatus *status);
/* The port listened on (for a bind with port 0). */
NG_API unsigned ng_server_port(const NgServer *server);
/* Serves until ng_server_stop; then answers what is queued with 503, ends
 * the queries running (their clients get 503) and returns. */
NG_API NgStatus ng_server_run(NgServer *server);
/* Asks ng_server_run to return.  Async-signal-safe. */
NG_API void ng_server_stop(NgServer *server);
NG_API void ng_server_free(NgServer *server);

#ifdef __cplusplus
}
#endif

#endif /* NEWSGRAPH_H */
