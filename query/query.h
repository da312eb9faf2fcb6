/* query.h - private interface of the graph module (store, SPARQL,
 * import/export, stats, the librdf storage).  Only query/ includes
 * Redland headers.
 *
 * The store is a directory holding the quad store's LMDB files (see
 * quadstore.c): DIR/data.mdb, DIR/lock.mdb, DIR/write.lock. */
#ifndef NG_QUERY_H
#define NG_QUERY_H

#include "internal.h"
#include "quadstore.h"

#include <redland.h>

/* ------------------------------------------------------ shared helpers */

/* The Redland world of an NgWorld, created on first use and freed with it.
 * The log handler turns Redland/Raptor/Rasqal messages into diagnostics or
 * collects them (see NgRdfLog). */
typedef struct NgRdf NgRdf;

/* How Redland messages are handled while a call runs. */
typedef struct {
  bool collect;       /* keep errors here instead of reporting them */
  bool quiet;         /* drop everything (probing parses) */
  const char *origin; /* file named in reported warnings */
  bool trust_locator; /* warnings' line:col are meaningful */
  unsigned errors;    /* errors seen */
  char message[512];  /* first error message */
  long line, col;     /* its locator (-1 unknown) */
} NgRdfLog;

NgRdf *ng_rdf_get(NgWorld *world); /* NULL on failure (reported) */
librdf_world *ng_rdf_world(NgRdf *rdf);
/* A Raptor world for parsing files (keeps the files' blank node labels). */
raptor_world *ng_rdf_raptor(NgRdf *rdf);
/* Routes messages to log (NULL: report through the world); returns the previous. */
NgRdfLog *ng_rdf_set_log(NgRdf *rdf, NgRdfLog *log);

/* A set of 64-bit fingerprints (open addressing; 0 is mapped to 1). */
typedef struct {
  uint64_t *slots;
  size_t cap, size;
} NgFpSet;

/* Adds fp; *added tells whether it was new. */
NgStatus ng_fpset_add(NgFpSet *set, uint64_t fp, bool *added);
bool ng_fpset_has(const NgFpSet *set, uint64_t fp);
void ng_fpset_free(NgFpSet *set);

/* Fingerprints of terms and triples, equal for the same RDF term whether
 * it comes from an NgTerm or from a librdf node. */
uint64_t ng_term_fingerprint(NgTermKind kind, const char *value, size_t len, const char *datatype,
                             const char *lang);
uint64_t ng_triple_fingerprint(uint64_t s, uint64_t p, uint64_t o);
/* Fingerprint of a librdf node; also its kind and value. */
uint64_t ng_node_fingerprint(librdf_node *node);
uint64_t ng_statement_fingerprint(librdf_statement *statement);

/* A librdf node as a borrowed NgTerm (strings live as long as the node). */
NgStatus ng_node_to_term(librdf_node *node, NgTerm *term);
/* Add the triple of three librdf nodes (or of a statement) to graph. */
NgStatus ng_graph_add_nodes(NgGraph *graph, librdf_node *subject, librdf_node *predicate,
                            librdf_node *object);
NgStatus ng_graph_add_statement(NgGraph *graph, librdf_statement *statement);
/* A new librdf node for a term (NULL on failure). */
librdf_node *ng_term_to_node(librdf_world *world, const NgTerm *term);

/* Subjects whose triples belong to exactly one article graph (events,
 * mentions, articles): they never repeat across graphs, so distinct-triple
 * counts and exports skip the global duplicate check for them. */
bool ng_iri_is_article_unique(const char *iri, size_t len);

/* --------------------------------------------------------------- store */

/* The store's insides, shared by the files of query/. */
struct NgStoreImpl {
  NgWorld *world;
  NgRdf *rdf; /* Redland, made on first use (ng_store_rdf) */
  char *dir;
  NgStoreMode mode;
  NgQuadStore *qs; /* NULL: read of a store that is not there (empty) */
  /* a writer's graphs since the last sync: copies, applied by it */
  NgGraph **pending;
  bool *pending_replace;
  size_t npending, cap_pending;
  librdf_storage *storage; /* "newsgraph" over the same directory, for Rasqal */
  librdf_model *model;
};

/* A query run by librdf and Rasqal over the store (sparql.c). */
NgStatus ng_store_query_redland(NgStore *store, const char *query, const char *origin,
                                NgResultsFormat format, FILE *out);

/* Redland for the store, with the "newsgraph" storage registered. */
NgRdf *ng_store_rdf(NgStore *store);
/* The librdf model over the store (an empty in-memory one when there is
 * no store); NULL on failure. */
librdf_model *ng_store_model(NgStore *store);
/* The "newsgraph" storage (rdfstorage.c) ends its streams and iterators
 * early once world's stop is asked: what Rasqal computed since is not an
 * answer (the caller checks the stop). */
void ng_rdfstorage_watch(librdf_storage *storage, const NgWorld *world);
/* A read transaction; NULL with NG_END for a store that is not there. */
NgQsTxn *ng_store_read(NgStore *store, NgStatus *status);
/* LOAD of an update (import.c): the file parsed as import parses it
 * (N-Triples and N-Quads here, other syntaxes by Raptor's parser `syntax`
 * in a child process whose memory is watched, nothing fetched), each triple written into txn in graph `graph`, blank nodes
 * named blank_prefix + label.  Commits nothing; on an error some triples
 * may be in txn (the caller aborts it).  quiet: nothing reported. */
NgStatus ng_store_load_file(NgStore *store, NgQsTxn *txn, const char *path, const char *syntax,
                            NgId graph, const char *blank_prefix, bool quiet);
/* N-Triples and N-Quads read in this process (nquads.c): text is fed in
 * pieces of any size, each statement handed to the sink as it is read
 * (its terms valid during the call; a blank node's value is its label; the
 * graph NULL when the line names none).  A syntax error stops it
 * (NG_ERR_SYNTAX, ng_nquads_error gives the message and its line:col); a
 * sink's error stops it too and is returned. */
typedef struct NgNquads NgNquads;
typedef NgStatus (*NgNquadsSink)(void *ctx, unsigned long line, unsigned long col,
                                 const NgTerm *graph, NgTerm *s, NgTerm *p, NgTerm *o);
NgNquads *ng_nquads_new(bool quads, NgNquadsSink sink, void *ctx);
NgStatus ng_nquads_feed(NgNquads *nq, const char *data, size_t len);
NgStatus ng_nquads_end(NgNquads *nq); /* the last line may lack its end of line */
const char *ng_nquads_error(const NgNquads *nq, unsigned long *line, unsigned long *col);
void ng_nquads_free(NgNquads *nq);
/* Graph g's triples as a new NgGraph named after it. */
NgStatus ng_store_graph_new(NgQsTxn *txn, NgId g, NgGraph **out);
/* Applies graphs in one write transaction: graph i replaces its namesake
 * (replace[i]) or adds to it.  interruptible: a stop request aborts it
 * (nothing of it is written). */
NgStatus ng_store_apply(NgStore *store, NgGraph *const *graphs, const bool *replace, size_t n,
                        bool interruptible);

/* ng_store_query_with, with CONSTRUCT and DESCRIBE answers in syntax
 * (the native engine; Redland's answers stay Turtle) - for the server's
 * content negotiation (sparql-run.c). */
NgStatus ng_store_query_as(NgStore *store, const char *query, const char *origin,
                           const NgQueryOptions *options, NgResultsFormat format, NgSyntax syntax,
                           FILE *out);
/* A graph as RDF/XML through Raptor's serializer (export.c); messages go
 * to world. */
NgStatus ng_graph_write_rdfxml(NgWorld *world, const NgGraph *graph, FILE *out);

/* ------------------------------------------------------------ results */

/* A SPARQL result: either a boolean (ASK) or a table of bindings.  Filled
 * from a local query (sparql.c) or from a remote endpoint's answer
 * (NgResultsReader, endpoint.c); the writers print the same text either
 * way.  Cells are NgTerms whose value is NULL when unbound; all strings
 * belong to the table. */
typedef enum { NG_RESULT_BINDINGS, NG_RESULT_BOOLEAN } NgResultKind;

typedef struct {
  NgResultKind kind;
  bool boolean;
  size_t nvars;
  char **vars;         /* names without '?' */
  size_t nrows;        /* rows held now */
  size_t rows_written; /* rows already written and dropped (streaming) */
  NgTerm *cells;       /* nrows * nvars */
  size_t cap_rows;
  NgArena arena; /* strings of cells (and vars) */
  size_t width;  /* a table's rows fit in this many columns (0: any); the world's table_width */
} NgResultTable;

NgResultTable *ng_result_table_new(NgResultKind kind);
void ng_result_table_free(NgResultTable *table);
NgStatus ng_result_table_add_var(NgResultTable *table, const char *name);
/* Appends an all-unbound row; returns its index in *row. */
NgStatus ng_result_table_add_row(NgResultTable *table, size_t *row);
/* Sets a cell, copying the term's strings (value NULL: unbound). */
NgStatus ng_result_table_set(NgResultTable *table, size_t row, size_t col, const NgTerm *term);
/* Drops the rows held (after they were written), keeping the variables. */
void ng_result_table_drop_rows(NgResultTable *table);

/* Writers, in parts so that long results stream: HEAD once, ROWS after
 * each batch (then drop them), TAIL once.  The table format needs every
 * row for its column widths: it writes everything at TAIL. */
enum { NG_RESULTS_HEAD = 1, NG_RESULTS_ROWS = 2, NG_RESULTS_TAIL = 4, NG_RESULTS_ALL = 7 };
NgStatus ng_results_write(NgResultTable *table, NgResultsFormat format, int parts, FILE *out);

/* Rows a streaming writer holds before it writes them out. */
#define NG_RESULTS_BATCH 1024
/* Rows the table format holds (it needs them all for its widths): the
 * rest is counted, not kept, and told (ng_results_report_cut). */
#define NG_RESULTS_TABLE_MAX 10000
void ng_results_report_cut(NgWorld *world, const char *origin, size_t shown, size_t skipped);

/* Readers of a server's answer (SPARQL 1.1 Query Results JSON or XML),
 * fed in pieces as they arrive: the table fills with the variables and
 * the rows read so far, which the caller may write and drop (streaming).
 * Terms are normalised as RDF 1.1 says: a literal typed xsd:string is a
 * plain literal, rdf:langString goes with its language tag, and JSON's old
 * "typed-literal" is a literal. */
typedef struct NgResultsReader NgResultsReader;

NgResultsReader *ng_results_reader_new(bool xml);
void ng_results_reader_free(NgResultsReader *reader);
/* NG_ERR_SYNTAX on malformed input; ng_results_reader_error says why. */
NgStatus ng_results_reader_feed(NgResultsReader *reader, const char *data, size_t len);
/* The end of the input: checks that the document was complete. */
NgStatus ng_results_reader_finish(NgResultsReader *reader);
const char *ng_results_reader_error(const NgResultsReader *reader);
/* The table being filled (borrowed).  Its kind is NG_RESULT_BOOLEAN once a
 * boolean was read. */
NgResultTable *ng_results_reader_table(NgResultsReader *reader);
/* True once the variables are all known (the head is complete). */
bool ng_results_reader_has_head(const NgResultsReader *reader);
/* Writes parts (as ng_results_write) of the rows read completely so far,
 * then drops them; a row still being read stays in the table.  For
 * streaming: pieces of an answer end anywhere, also inside a row. */
NgStatus ng_results_reader_write_rows(NgResultsReader *reader, NgResultsFormat format, int parts,
                                      FILE *out);

/* ------------------------------------------------------------ query text */

/* Tokens of SPARQL or Turtle text, only as precise as finding token
 * boundaries needs (probe.c). */
typedef enum { NG_TOK_END, NG_TOK_WORD, NG_TOK_IRI, NG_TOK_STRING, NG_TOK_PUNCT } NgTokKind;

/* The next token from *pos: its kind; *begin and the new *pos bound it. */
NgTokKind ng_sparql_token(const char *text, size_t len, size_t *pos, size_t *begin);
/* A backslash outside strings, IRIs and comments that escapes none of the
 * characters a local name may escape: true, and where.  Rasqal 0.9.33's
 * lexer reads through a NULL pointer on some ("a\UD:xxxxxx", found by
 * fuzzing), so such queries never reach it. */
bool ng_sparql_stray_backslash(const char *text, size_t len, size_t *offset);
#define LOCAL_ESCAPE_CHARS "_~.-!$&'()*+,;=/?#@%"

/* Appends to text one line declaring the project's prefixes that the query
 * does not declare itself (with used_only, only those it uses), then the
 * user's text.  A leading "BASE <iri>" moves to the prelude (parsers want
 * it first) and is blanked in place, so lines and columns keep their
 * places.  *prelude: the bytes appended before the user's text. */
NgStatus ng_sparql_prelude(NgBuf *text, const char *user, bool used_only, size_t *prelude);

typedef enum {
  NG_FORM_UNKNOWN,
  NG_FORM_SELECT,
  NG_FORM_ASK,
  NG_FORM_CONSTRUCT,
  NG_FORM_DESCRIBE,
  NG_FORM_UPDATE
} NgQueryForm;

/* The form of a query, from its first keyword after the prologue. */
NgQueryForm ng_sparql_query_form(const char *text);

/* Where a parser that reports no column failed: the text is re-parsed
 * cut after each token (binary search) until the shortest prefix that
 * fails in the same way; its last token is the culprit.  parse() returns
 * true when the prefix text[0..len) fails somewhere other than at its end.
 * first_line limits the search to tokens on that line and later (1-based;
 * 0 = everywhere).  Gives the byte offset of the token, or false. */
typedef bool (*NgPrefixParse)(void *ctx, const char *text, size_t len);
bool ng_probe_error_offset(const char *text, size_t len, unsigned long first_line,
                           NgPrefixParse parse, void *ctx, size_t *offset);

/* -------------------------------------------------------------- endpoint */

/* The pieces of endpoint.c that tests check on their own. */

/* Appends the SPARQL Update operations that put graph on a server: with
 * replace, "DROP SILENT GRAPH <g> ;" first; then "INSERT DATA { GRAPH <g>
 * { ... } } ;" of at most 400 triples each, those with blank nodes last,
 * as "INSERT { GRAPH <g> { ... } } WHERE {} ;", never splitting triples
 * that share a blank node.  Triples whose fingerprint is in skip are left
 * out (the shared graph's triples already sent). */
NgStatus ng_update_append_graph(NgBuf *body, const NgGraph *graph, bool replace,
                                const NgFpSet *skip);

/* Runs a SELECT on the server (the project's prefixes it uses are
 * declared for it) and hands the whole answer to use(), which may keep
 * nothing of the table after it returns.  An answer of more than max_rows
 * rows is refused (NG_ERR_TOO_LARGE); failures are reported (origin). */
typedef NgStatus (*NgSelectUse)(void *ctx, const NgResultTable *table);
NgStatus ng_endpoint_select(NgEndpoint *ep, const char *query, const char *origin, size_t max_rows,
                            NgSelectUse use, void *ctx);

/* SPARQL SERVICE (service.c): a query whose text holds SERVICE is refused
 * (where the keyword stands, in the user's lines and columns) unless the
 * world allows services; then each SERVICE clause is run here, over http
 * or https only, and replaced by a VALUES block of its answer.  user is
 * the user's text (len bytes); *rewritten gets the text to run instead
 * (left empty when the query holds no SERVICE). */
NgStatus ng_sparql_services(NgWorld *world, const char *user, size_t len, const char *origin,
                            NgBuf *rewritten);

/* A server's error answer as one line for a diagnostic: white space
 * collapsed, markup removed when it is HTML, cut to max bytes (at a
 * character boundary).  Appends to out. */
void ng_http_error_text(const char *body, size_t len, bool html, size_t max, NgBuf *out);

#endif /* NG_QUERY_H */
