/* main.c - the newsgraph command: option parsing and output around the
 * public API of libnewsgraph (nothing else is used here). */
#include "cli.h"
#include "newsgraph.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Exit codes, documented in doc/newsgraph.txt. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static NgWorld *signal_world; /* the one world signals may stop */

static void on_signal(int sig) {
  (void)sig;
  if (signal_world) ng_world_request_stop(signal_world);
}

static void install_signals(NgWorld *world) {
  signal_world = world;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  /* A closed pipe shows as EPIPE on write: stop cleanly, keep the store. */
  signal(SIGPIPE, SIG_IGN);
}

static const char *command_help_text(const char *name) {
  for (const NgCliHelp *h = ng_cli_help; h->name; ++h)
    if (!strcmp(h->name, name)) return h->text;
  return NULL;
}

static int usage_error(const char *command, const char *fmt, const char *arg) {
  fprintf(stderr, "newsgraph%s%s: ", command ? " " : "", command ? command : "");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'newsgraph help%s%s' for more information.\n", command ? " " : "",
          command ? command : "");
  return EXIT_USAGE;
}

static int print_help(const char *command) {
  const char *text = command_help_text(command);
  fputs(text ? text : ng_cli_main_help, stdout);
  return EXIT_OK;
}

/* getopt_long over argv[1..]: "newsgraph CMD -x" has the command at argv[0]. */
typedef struct {
  const char *command;
  int argc;
  char **argv;
} Args;

static int bad_option(const Args *a, int opt) {
  if (opt == ':') return usage_error(a->command, "option '%s' needs an argument", a->argv[optind - 1]);
  return usage_error(a->command, "unknown option '%s'", a->argv[optind - 1]);
}

/* "16M" -> 16777216; 0 on error. */
static size_t parse_size(const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || s[0] == '-') return 0;
  switch (*end) {
  case 'k': case 'K': v <<= 10; end++; break;
  case 'm': case 'M': v <<= 20; end++; break;
  case 'g': case 'G': v <<= 30; end++; break;
  default: break;
  }
  return *end ? 0 : (size_t)v;
}

static bool is_date(const char *s) {
  int y, m, d;
  char tail;
  return sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen(s) == 10 && m >= 1 &&
         m <= 12 && d >= 1 && d <= 31;
}

/* Store open errors say which directory; the library reports the cause. */
static NgStore *open_store(NgWorld *world, const char *dir, NgStoreMode mode) {
  NgStatus st = NG_SUCCESS;
  NgStore *store = ng_store_open(world, dir, mode, &st);
  if (!store)
    fprintf(stderr, "newsgraph: error: cannot open store '%s': %s\n", ng_store_default_dir(dir),
            ng_strerror(st));
  return store;
}

/* ------------------------------------------------------------- extract */

typedef enum { OUT_NONE, OUT_TSV, OUT_TIMEX, OUT_RDF } OutputKind;

typedef struct {
  bool quiet, verbose, progress;
  const char *date;
  OutputKind out_kind;
  NgWriter *writer;
  NgStore *store;
  /* committed-but-unreported ids, printed after each sync (--verbose) */
  char **pending;
  size_t npending, cap_pending;
  double last_sync, last_progress, start;
  unsigned long articles, events, failed_articles;
  unsigned long long bytes;
} ExtractRun;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(ExtractRun *run, bool final) {
  if (!run->progress) return;
  double t = now_seconds();
  if (!final && t - run->last_progress < 0.25) return;
  run->last_progress = t;
  double secs = t - run->start > 1e-9 ? t - run->start : 1e-9;
  fprintf(stderr, "\rextract: %lu articles, %lu events, %.1f MB/s%s", run->articles,
          run->events, run->bytes / 1e6 / secs, final ? "\n" : "   ");
  fflush(stderr);
}

/* Make the journal durable, then tell which articles are now committed. */
static NgStatus sync_store(ExtractRun *run) {
  if (!run->store) return NG_SUCCESS;
  NgStatus st = ng_store_sync(run->store);
  if (st == NG_SUCCESS && run->verbose)
    for (size_t i = 0; i < run->npending; ++i) fprintf(stderr, "committed %s\n", run->pending[i]);
  for (size_t i = 0; i < run->npending; ++i) free(run->pending[i]);
  run->npending = 0;
  run->last_sync = now_seconds();
  return st;
}

static NgStatus remember_pending(ExtractRun *run, const char *id) {
  if (!run->verbose) return NG_SUCCESS;
  if (run->npending == run->cap_pending) {
    size_t cap = run->cap_pending ? run->cap_pending * 2 : 64;
    char **p = realloc(run->pending, cap * sizeof *p);
    if (!p) return NG_ERR_NOMEM;
    run->pending = p;
    run->cap_pending = cap;
  }
  run->pending[run->npending] = strdup(id);
  if (!run->pending[run->npending]) return NG_ERR_NOMEM;
  run->npending++;
  return NG_SUCCESS;
}

static NgStatus output_document(ExtractRun *run, const NgDocument *doc, NgGraph *graph, NgGraph *shared) {
  NgStatus st = NG_SUCCESS;
  switch (run->out_kind) {
  case OUT_TSV: return ng_document_write_tsv(doc, stdout);
  case OUT_TIMEX: return ng_document_write_timex(doc, stdout);
  case OUT_RDF:
    st = ng_writer_write_graph(run->writer, graph);
    return st ? st : ng_writer_write_graph(run->writer, shared);
  case OUT_NONE: break;
  }
  return NG_SUCCESS;
}

/* One article: extract, print, store.  Returns an error only for failures
 * that must stop the run (store, output); a bad article is counted. */
static NgStatus extract_article(ExtractRun *run, const NgExtractor *ex, const NgArticle *article) {
  NgStatus st = NG_SUCCESS;
  NgDocument *doc = ng_extract(ex, article, run->date, &st);
  if (!doc) {
    fprintf(stderr, "newsgraph: error: %s:%lu: article '%s': %s\n", article->origin, article->line,
            article->id, ng_strerror(st));
    run->failed_articles++;
    return st == NG_ERR_NOMEM ? st : NG_SUCCESS;
  }
  NgGraph *graph = NULL, *shared = NULL;
  if (run->store || run->out_kind == OUT_RDF) {
    graph = ng_document_to_graph(doc, &st);
    if (graph) shared = ng_document_to_shared_graph(doc, &st);
    if (!graph || !shared) goto done;
  }
  if ((st = output_document(run, doc, graph, shared))) goto done;
  if (fflush(stdout) == EOF || ferror(stdout)) {
    st = NG_ERR_IO;
    goto done;
  }
  if (run->store) {
    /* the shared part first: an article torn away by a crash leaves at
     * most actors nobody refers to, never events without their actors */
    if ((st = ng_store_add_graph(run->store, shared))) goto done;
    if ((st = ng_store_replace_graph(run->store, graph))) goto done;
    if ((st = remember_pending(run, ng_document_get_id(doc)))) goto done;
    /* Group commit: one fsync for many articles, but never more than a
     * fraction of a second of work at risk. */
    if (run->npending >= 256 || now_seconds() - run->last_sync > 0.2) st = sync_store(run);
  }
  run->articles++;
  run->events += ng_document_event_count(doc);
  run->bytes += article->text_len;
  show_progress(run, false);
done:
  ng_graph_free(graph);
  ng_graph_free(shared);
  ng_document_free(doc);
  return st;
}

static NgStatus extract_file(ExtractRun *run, NgWorld *world, const NgExtractor *ex,
                             const char *path, NgInputFormat format) {
  NgStatus st = NG_SUCCESS;
  NgReader *reader = ng_reader_new(world, path, format, &st);
  if (!reader) {
    run->failed_articles++;
    return NG_SUCCESS; /* reported by the reader; go on with other files */
  }
  NgArticle article;
  while (!ng_world_stop_requested(world)) {
    NgStatus rs = ng_reader_next(reader, &article);
    if (rs == NG_END) break;
    if (rs == NG_ERR_NOMEM || rs == NG_ERR_IO) {
      run->failed_articles++;
      break;
    }
    if (rs != NG_SUCCESS) {
      run->failed_articles++;
      continue;
    }
    if ((st = extract_article(run, ex, &article))) break;
  }
  ng_reader_free(reader);
  return st;
}

static NgStatus open_output(ExtractRun *run, const char *format) {
  if (!format) return NG_SUCCESS;
  if (!strcmp(format, "tsv")) {
    run->out_kind = OUT_TSV;
    ng_tsv_write_header(stdout);
  } else if (!strcmp(format, "timex")) {
    run->out_kind = OUT_TIMEX;
    ng_timex_write_header(stdout);
  } else {
    bool ok = false;
    NgSyntax syntax = ng_syntax_from_name(format, &ok);
    if (!ok || syntax == NG_SYNTAX_RDFXML) return NG_ERR_BAD_ARG;
    run->out_kind = OUT_RDF;
    run->writer = ng_writer_new(stdout, syntax);
    if (!run->writer) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

static int cmd_extract(Args *a) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'F'},   {"no-store", no_argument, NULL, 'n'},
      {"store", required_argument, NULL, 's'},    {"input-format", required_argument, NULL, 'i'},
      {"date", required_argument, NULL, 'd'},     {"lexicon", required_argument, NULL, 'L'},
      {"max-article-size", required_argument, NULL, 'M'},
      {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
  const char *format = NULL, *store_dir = NULL, *lexicon = NULL;
  NgInputFormat input_format = NG_INPUT_GUESS;
  size_t max_size = 0;
  bool no_store = false;
  ExtractRun run;
  memset(&run, 0, sizeof run);
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":ns:i:d:L:qvh", longopts, NULL)) != -1) {
    bool ok = true;
    switch (opt) {
    case 'F': format = optarg; break;
    case 'n': no_store = true; break;
    case 's': store_dir = optarg; break;
    case 'i': input_format = ng_input_format_from_name(optarg, &ok);
      if (!ok) return usage_error("extract", "unknown input format '%s' (text, jsonl, html)", optarg);
      break;
    case 'd': if (!is_date(optarg)) return usage_error("extract", "--date wants YYYY-MM-DD, not '%s'", optarg);
      run.date = optarg;
      break;
    case 'L': lexicon = optarg; break;
    case 'M': if (!(max_size = parse_size(optarg)))
        return usage_error("extract", "--max-article-size wants a size in bytes, not '%s'", optarg);
      break;
    case 'q': run.quiet = true; break;
    case 'v': run.verbose = true; break;
    case 'h': return print_help("extract");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("extract", "%s", "no input FILE given ('-' reads standard input)");
  if (format && strcmp(format, "tsv") && strcmp(format, "timex")) {
    bool ok = false;
    NgSyntax syntax = ng_syntax_from_name(format, &ok);
    if (!ok || syntax == NG_SYNTAX_RDFXML)
      return usage_error("extract", "unknown --format '%s' (tsv, ntriples, nquads, turtle, timex)", format);
  }

  NgWorld *world = ng_world_new();
  if (!world) return EXIT_FAILED;
  if (max_size) ng_world_set_max_article_size(world, max_size);
  install_signals(world);
  int rc = EXIT_FAILED;
  NgStatus st = NG_SUCCESS;
  NgExtractor *ex = ng_extractor_new(world, lexicon, &st);
  if (!ex) {
    fprintf(stderr, "newsgraph: error: cannot load the lexicon: %s\n", ng_strerror(st));
    goto out;
  }
  if (!no_store && !(run.store = open_store(world, store_dir, NG_STORE_WRITE))) goto out;
  if ((st = open_output(&run, format))) goto out;
  run.progress = !run.quiet && isatty(STDERR_FILENO);
  run.start = run.last_sync = run.last_progress = now_seconds();

  for (int i = optind; i < a->argc && !st && !ng_world_stop_requested(world); ++i)
    st = extract_file(&run, world, ex, a->argv[i], input_format);
  NgStatus sync_st = sync_store(&run);
  if (!st) st = sync_st;
  if (run.writer) {
    NgStatus wst = ng_writer_finish(run.writer);
    if (!st) st = wst;
  }
  if (fflush(stdout) == EOF || ferror(stdout)) st = st ? st : NG_ERR_IO;
  show_progress(&run, true);
  if (st == NG_ERR_IO && errno == EPIPE) st = NG_SUCCESS; /* reader went away: not our failure */
  else if (st) fprintf(stderr, "newsgraph: error: extract stopped: %s\n", ng_strerror(st));
  if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  else rc = st || run.failed_articles || ng_world_error_count(world) ? EXIT_FAILED : EXIT_OK;
out:
  if (run.store) {
    NgStatus cst = ng_store_close(run.store);
    if (cst) {
      fprintf(stderr, "newsgraph: error: closing the store: %s\n", ng_strerror(cst));
      if (rc == EXIT_OK) rc = EXIT_FAILED;
    }
  }
  for (size_t i = 0; i < run.npending; ++i) free(run.pending[i]);
  free(run.pending);
  ng_writer_free(run.writer);
  ng_extractor_free(ex);
  ng_world_free(world);
  signal_world = NULL;
  return rc;
}

/* --------------------------------------------------------------- query */

static char *read_all(FILE *f) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len - 1 == 0) {
      char *p = realloc(buf, cap *= 2);
      if (!p) {
        free(buf);
        return NULL;
      }
      buf = p;
    }
  }
  if (ferror(f)) {
    free(buf);
    return NULL;
  }
  buf[len] = '\0';
  return buf;
}

static char *read_query_file(const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "newsgraph: error: %s: %s\n", path, strerror(errno));
    return NULL;
  }
  char *text = read_all(f);
  if (!text) fprintf(stderr, "newsgraph: error: %s: cannot read\n", path);
  if (f != stdin) fclose(f);
  return text;
}

static int cmd_query(Args *a) {
  static const struct option longopts[] = {
      {"file", required_argument, NULL, 'f'},    {"exec", required_argument, NULL, 'e'},
      {"results", required_argument, NULL, 'r'}, {"store", required_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *file = NULL, *exec = NULL, *store_dir = NULL, *results = NULL;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":f:e:r:s:qh", longopts, NULL)) != -1) {
    switch (opt) {
    case 'f': file = optarg; break;
    case 'e': exec = optarg; break;
    case 'r': results = optarg; break;
    case 's': store_dir = optarg; break;
    case 'q': break;
    case 'h': return print_help("query");
    default: return bad_option(a, opt);
    }
  }
  int given = (file != NULL) + (exec != NULL) + (optind < a->argc);
  if (given != 1 || a->argc - optind > 1)
    return usage_error("query", "%s", "give exactly one query: QUERY, -e QUERY or -f FILE");
  NgResultsFormat format = isatty(STDOUT_FILENO) ? NG_RESULTS_TABLE : NG_RESULTS_TSV;
  if (results) {
    bool ok = false;
    format = ng_results_format_from_name(results, &ok);
    if (!ok) return usage_error("query", "unknown result format '%s' (table, csv, tsv, json, xml)", results);
  }
  char *owned = file ? read_query_file(file) : NULL;
  if (file && !owned) return EXIT_FAILED;
  const char *text = file ? owned : exec ? exec : a->argv[optind];
  const char *origin = file ? file : "<query>";

  NgWorld *world = ng_world_new();
  install_signals(world);
  int rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_READ);
  if (store) {
    NgStatus st = ng_store_query(store, text, origin, format, stdout);
    if (fflush(stdout) == EOF && errno != EPIPE) st = st ? st : NG_ERR_IO;
    rc = st ? EXIT_FAILED : EXIT_OK;
    ng_store_free(store);
  }
  ng_world_free(world);
  free(owned);
  return rc;
}

/* -------------------------------------------------------------- export */

static int cmd_export(Args *a) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
      {"graph", required_argument, NULL, 'g'},  {"store", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *output = NULL, *graph = NULL, *store_dir = NULL;
  NgSyntax syntax = NG_SYNTAX_TURTLE;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":o:g:s:h", longopts, NULL)) != -1) {
    bool ok = true;
    switch (opt) {
    case 'F': syntax = ng_syntax_from_name(optarg, &ok);
      if (!ok) return usage_error("export", "unknown format '%s' (turtle, ntriples, nquads, rdfxml)", optarg);
      break;
    case 'o': output = optarg; break;
    case 'g': graph = optarg; break;
    case 's': store_dir = optarg; break;
    case 'h': return print_help("export");
    default: return bad_option(a, opt);
    }
  }
  if (optind < a->argc) return usage_error("export", "unexpected argument '%s'", a->argv[optind]);
  NgWorld *world = ng_world_new();
  install_signals(world);
  int rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_READ);
  FILE *out = stdout;
  if (store && output && strcmp(output, "-") && !(out = fopen(output, "wb")))
    fprintf(stderr, "newsgraph: error: %s: %s\n", output, strerror(errno));
  if (store && out) {
    NgStatus st = ng_store_export(store, syntax, graph, out);
    if (fflush(out) == EOF) st = st ? st : NG_ERR_IO;
    if (out != stdout && fclose(out) == EOF) st = st ? st : NG_ERR_IO;
    if (st == NG_ERR_IO && errno == EPIPE) st = NG_SUCCESS;
    else if (st) fprintf(stderr, "newsgraph: error: export failed: %s\n", ng_strerror(st));
    rc = st ? EXIT_FAILED : ng_world_stop_requested(world) ? EXIT_INTERRUPTED : EXIT_OK;
  }
  ng_store_free(store);
  ng_world_free(world);
  return rc;
}

/* -------------------------------------------------------------- import */

static int cmd_import(Args *a) {
  static const struct option longopts[] = {
      {"graph", required_argument, NULL, 'g'}, {"input-format", required_argument, NULL, 'i'},
      {"store", required_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
  const char *graph = NULL, *store_dir = NULL;
  bool have_syntax = false;
  NgSyntax syntax = NG_SYNTAX_TURTLE;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":g:i:s:qh", longopts, NULL)) != -1) {
    bool ok = true;
    switch (opt) {
    case 'g': graph = optarg; break;
    case 'i': syntax = ng_syntax_from_name(optarg, &ok);
      if (!ok) return usage_error("import", "unknown format '%s' (turtle, ntriples, nquads, rdfxml)", optarg);
      have_syntax = true;
      break;
    case 's': store_dir = optarg; break;
    case 'q': break;
    case 'h': return print_help("import");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("import", "%s", "no FILE to import");
  NgWorld *world = ng_world_new();
  install_signals(world);
  int rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_WRITE);
  if (store) {
    rc = EXIT_OK;
    for (int i = optind; i < a->argc && !ng_world_stop_requested(world); ++i) {
      NgSyntax s = syntax;
      if (!have_syntax) {
        const char *dot = strrchr(a->argv[i], '.');
        bool ok = false;
        s = dot ? ng_syntax_from_name(dot + 1, &ok) : NG_SYNTAX_TURTLE;
        if (!ok) s = NG_SYNTAX_TURTLE;
      }
      if (ng_store_import(store, a->argv[i], s, graph)) rc = EXIT_FAILED;
    }
    NgStatus st = ng_store_close(store);
    if (st) {
      fprintf(stderr, "newsgraph: error: closing the store: %s\n", ng_strerror(st));
      rc = EXIT_FAILED;
    }
    if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  }
  ng_world_free(world);
  return rc;
}

/* --------------------------------------------------------------- stats */

static int cmd_stats(Args *a) {
  static const struct option longopts[] = {{"store", required_argument, NULL, 's'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *store_dir = NULL;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":s:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 's': store_dir = optarg; break;
    case 'h': return print_help("stats");
    default: return bad_option(a, opt);
    }
  }
  if (optind < a->argc) return usage_error("stats", "unexpected argument '%s'", a->argv[optind]);
  NgWorld *world = ng_world_new();
  int rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_READ);
  NgStoreStats s;
  if (store) {
    NgStatus st = ng_store_stats(store, &s);
    if (st) {
      fprintf(stderr, "newsgraph: error: stats: %s\n", ng_strerror(st));
    } else {
      printf("articles\t%lu\nevents\t%lu\nactors\t%lu\ngraphs\t%lu\nquads\t%lu\ntriples\t%lu\nbytes\t%llu\n",
             s.articles, s.events, s.actors, s.graphs, s.quads, s.triples, s.bytes);
      rc = EXIT_OK;
    }
  }
  ng_store_free(store);
  ng_world_free(world);
  return rc;
}

/* ---------------------------------------------------------------- main */

typedef struct {
  const char *name;
  int (*run)(Args *);
} Command;

static const Command commands[] = {{"extract", cmd_extract}, {"query", cmd_query},
                                   {"export", cmd_export},   {"import", cmd_import},
                                   {"stats", cmd_stats},     {NULL, NULL}};

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(ng_cli_main_help, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) return print_help("");
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("newsgraph %s\n", ng_version());
    return EXIT_OK;
  }
  if (!strcmp(cmd, "help")) {
    if (argc > 2 && !command_help_text(argv[2]))
      return usage_error(NULL, "no such command '%s'", argv[2]);
    return print_help(argc > 2 ? argv[2] : "");
  }
  for (const Command *c = commands; c->name; ++c) {
    if (strcmp(c->name, cmd)) continue;
    Args a = {c->name, argc - 1, argv + 1};
    optind = 1;
    opterr = 0;
    return c->run(&a);
  }
  return usage_error(NULL, cmd[0] == '-' ? "unknown option '%s'" : "unknown command '%s'", cmd);
}
