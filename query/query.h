/* query.h - private interface of the graph module (store, journal,
 * checkpoints, SPARQL, import/export, stats).  Only query/ includes Redland
 * headers.
 *
 * Store layout (DIR):
 *   LOCK        flock(LOCK_EX) held by the one writer for its whole run
 *   CURRENT     "gen-NNNNNN\n": the live generation, replaced atomically
 *   gen-NNNNNN/ the Redland "hashes" files (ng-*.db) + "meta" (counters)
 *   journal     committed records not yet applied to a generation
 * Readers hold flock(LOCK_SH) on the directory itself while they read
 * CURRENT and open its files; a checkpoint holds LOCK_EX on it only while it
 * deletes old generations, so a reader never loses files half-way through
 * opening them, and never waits for a writer's run. */
#ifndef NG_QUERY_H
#define NG_QUERY_H

#include "internal.h"

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

/* ------------------------------------------------------------- journal */

typedef enum { NG_JOURNAL_REPLACE = 1, NG_JOURNAL_ADD = 2 } NgJournalKind;

/* The journal: DIR/journal, records appended in memory and written and
 * fdatasync'ed by ng_journal_sync.  On disk a record is
 *   u32 magic "NGJ1", u32 payload length, u32 CRC-32 of the payload, payload
 * and the payload is
 *   u8 kind, u64 sequence, varint graph IRI length + bytes,
 *   varint term count, terms, varint triple count, 3 varint term indexes each
 * where a term is u8 tag (1 IRI, 2 blank, 3 literal, 4 literal@lang,
 * 5 literal^^datatype) + varint length + bytes [+ lang | + datatype term index].
 * Terms are written once per record, so triples cost three small numbers
 * and the checkpoint makes one librdf node per distinct term. */
typedef struct NgJournal NgJournal;

/* One decoded record; strings point into the journal's read buffer. */
typedef struct {
  NgJournalKind kind;
  uint64_t seq;
  const char *graph;
  size_t graph_len;
  size_t nterms, ntriples;
  NgTerm *terms;     /* nterms, NUL-terminated strings */
  uint32_t *triples; /* 3 * ntriples indexes into terms */
} NgJournalRecord;

/* Opens (creating if write) DIR/journal and checks every record: a torn
 * last record (a crash's) is cut off by a writer and ignored by a reader;
 * a damaged record with valid ones after it is reported and refused
 * (NG_ERR_STORE), by both.  *last_seq: the largest sequence
 * number seen (0 if none). */
NgJournal *ng_journal_open(NgWorld *world, const char *dir, bool write, uint64_t *last_seq,
                           NgStatus *status);
void ng_journal_free(NgJournal *journal);
/* Appends a record (buffered). */
NgStatus ng_journal_append(NgJournal *journal, NgJournalKind kind, uint64_t seq,
                           const NgGraph *graph);
/* Writes the buffered records and makes them durable. */
NgStatus ng_journal_sync(NgJournal *journal);
/* True if the journal holds (synced or buffered) records. */
bool ng_journal_has_records(const NgJournal *journal);
/* Iterate the valid records on disk: start, then next until NG_END. */
NgStatus ng_journal_rewind(NgJournal *journal);
NgStatus ng_journal_next(NgJournal *journal, NgJournalRecord *record);
/* Empties the journal (after a checkpoint made its records redundant). */
NgStatus ng_journal_truncate(NgJournal *journal);
/* Bytes on disk. */
unsigned long long ng_journal_bytes(const NgJournal *journal);
/* CRC-32 (IEEE 802.3, as zlib) of data; crc starts at 0. */
uint32_t ng_crc32(uint32_t crc, const void *data, size_t len);

/* --------------------------------------------------------------- store */

/* Counters kept with each generation so that stats are O(1). */
typedef struct {
  uint64_t seq; /* last journal sequence number applied */
  uint64_t quads, triples, events, articles, graphs;
  uint64_t files; /* graph files listed in the generation's checksums (0: an
                     older store without them) */
} NgMeta;

/* The store's insides, shared by the files of query/. */
struct NgStoreImpl {
  NgWorld *world;
  NgRdf *rdf;
  char *dir;
  NgStoreMode mode;
  bool exists;        /* false: READ of a store that does not exist */
  int dir_fd;         /* the directory (flocked by readers while opening) */
  int lock_fd;        /* DIR/LOCK; held LOCK_EX by a writer */
  NgJournal *journal; /* writers only */
  uint64_t next_seq;
  unsigned long generation; /* live generation number, 0: none yet */
  NgMeta meta;
  librdf_storage *storage; /* the live generation, opened read-only on demand */
  librdf_model *model;
};

/* The model of the live generation (opened on first use; an empty
 * in-memory model when the store has no generation yet). */
librdf_model *ng_store_model(NgStore *store);
/* Closes the model (before a checkpoint replaces the generation). */
void ng_store_drop_model(NgStore *store);

/* The storage readers open (guard.c): the hashes storage of the same
 * name and options, read-only, whose streams and iterators end early once
 * ng's stop is requested.  ng_guard_register once per librdf world. */
int ng_guard_register(librdf_world *world);
librdf_storage *ng_guard_new(librdf_world *world, NgWorld *ng, const char *name,
                             librdf_hash *options);
/* True when a stop cut one of its streams or iterators short: what was
 * computed from them is incomplete. */
bool ng_guard_stopped(librdf_storage *storage);

/* Paths inside the store: DIR/name, DIR/gen-NNNNNN[/name].  Caller frees. */
char *ng_store_path(const NgStore *store, const char *name);
char *ng_store_gen_path(const NgStore *store, unsigned long gen, const char *name);
/* The Redland hashes storage (Berkeley DB, contexts) of a generation
 * directory; NULL on failure (reported). */
librdf_storage *ng_store_open_storage(NgStore *store, const char *gen_dir, bool write, bool is_new);
/* Reads CURRENT and the generation's meta; gen 0 and zero counters if none. */
NgStatus ng_store_read_current(NgStore *store, unsigned long *gen, NgMeta *meta);
NgStatus ng_store_write_meta(NgStore *store, const char *gen_dir, const NgMeta *meta);
/* The graph files of a generation against its list of checksums (the
 * file "checksums": name, size, CRC-32 per line, written by the checkpoint
 * that made it): a missing file, or one of another size, is reported by
 * name and refused (NG_ERR_STORE); with full, the contents are checked too
 * (a writer, before copying the generation forward). */
NgStatus ng_store_check_generation(NgStore *store, unsigned long gen, const NgMeta *meta,
                                   bool full);
/* Writes gen_dir/checksums for its graph files; *count: how many. */
NgStatus ng_store_write_checksums(NgStore *store, const char *gen_dir, uint64_t *count);

/* Writes data to dir/name atomically: tmp file, fsync, rename, fsync dir. */
NgStatus ng_write_atomic(NgWorld *world, const char *dir, const char *name, const char *data,
                         size_t len);
/* Takes (LOCK_EX) or releases the directory lock that keeps readers from
 * opening a generation while old ones are deleted. */
NgStatus ng_store_lock_dir(NgStore *store, int how);
/* fsync of a path (file or directory). */
NgStatus ng_fsync_path(const char *path);
/* rm -r of a generation directory (files only, one level). */
void ng_remove_gen_dir(const char *path);

/* Deletes the generations other than the live one and the one before. */
void ng_store_remove_stale(NgStore *store);

/* Applies the journal to a new generation and switches to it (checkpoint.c). */
NgStatus ng_checkpoint_run(NgStore *store);

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
