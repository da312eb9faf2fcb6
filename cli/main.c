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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Exit codes, documented in doc/newsgraph.txt. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_TIMEOUT = 124, /* --timeout ran out (as timeout(1) says it) */
  EXIT_INTERRUPTED = 130
};

static NgWorld *signal_world;          /* the one world signals may stop */
static volatile sig_atomic_t timed_out; /* the stop came from --timeout */

/* The first signal asks the library to stop at its next safe point (what
 * is committed stays, outputs are left whole); a second one, from someone
 * who will not wait, ends the process as the signal does by default - the
 * store is crash-safe, and an output file being written is a temporary. */
static void on_signal(int sig) {
  if (sig == SIGALRM) {
    timed_out = 1;
  } else if (signal_world && ng_world_stop_requested(signal_world)) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  if (signal_world) ng_world_request_stop(signal_world);
}

static void install_signals(NgWorld *world) {
  signal_world = world;
  timed_out = 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGALRM, &sa, NULL);
  /* A closed pipe shows as EPIPE on write: stop cleanly, keep the store. */
  signal(SIGPIPE, SIG_IGN);
}

/* --timeout for a whole command: SIGALRM after that long stops it (0:
 * no timer; negative: leave it as it is). */
static void arm_timeout(double seconds) {
  if (seconds < 0) return;
  struct itimerval t;
  memset(&t, 0, sizeof t);
  t.it_value.tv_sec = (time_t)seconds;
  t.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
  if (seconds > 0 && !t.it_value.tv_sec && !t.it_value.tv_usec) t.it_value.tv_usec = 1;
  setitimer(ITIMER_REAL, &t, NULL);
}

/* The exit code of a command that was stopped (or rc if it was not). */
static int stopped_rc(NgWorld *world, int rc) {
  if (!ng_world_stop_requested(world)) return rc;
  return timed_out ? EXIT_TIMEOUT : EXIT_INTERRUPTED;
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

/* Store open errors say which directory; the library reports the cause.
 * A reader of a directory that is not there would see an empty store and
 * answer nothing with exit 0: a mistyped --store is told instead. */
static NgStore *open_store(NgWorld *world, const char *dir, NgStoreMode mode) {
  NgStatus st = NG_SUCCESS;
  struct stat sb;
  if (mode == NG_STORE_READ && stat(ng_store_default_dir(dir), &sb) && errno == ENOENT) {
    fprintf(stderr, "newsgraph: error: no store at %s\n", ng_store_default_dir(dir));
    return NULL;
  }
  NgStore *store = ng_store_open(world, dir, mode, &st);
  if (!store)
    fprintf(stderr, "newsgraph: error: cannot open store '%s': %s\n", ng_store_default_dir(dir),
            ng_strerror(st));
  return store;
}

/* ------------------------------------------------------------ endpoint */

/* How to reach a SPARQL server: the options shared by the commands. */
typedef struct {
  const char *url;
  bool graph_store; /* url is a Graph Store Protocol endpoint */
  double timeout;   /* < 0: the library's default */
  long retries;     /* < 0: the library's default */
  long batch;       /* 0: the library's default */
  bool insecure;
} EndpointOptions;

#define ENDPOINT_OPTIONS_INIT {NULL, false, -1, -1, 0, false}

/* Credentials only from the environment (or ~/.netrc, which libcurl
 * reads): never on the command line, where `ps` shows them. */
static NgEndpoint *open_endpoint(NgWorld *world, const EndpointOptions *o) {
  NgStatus st = NG_SUCCESS;
  NgEndpoint *ep = ng_endpoint_new(world, o->url, &st);
  if (!ep) return NULL;
  const char *user = getenv("NEWSGRAPH_ENDPOINT_USER");
  const char *password = getenv("NEWSGRAPH_ENDPOINT_PASSWORD");
  if (password && !(user && *user)) {
    fprintf(stderr, "newsgraph: error: NEWSGRAPH_ENDPOINT_PASSWORD is set without "
                    "NEWSGRAPH_ENDPOINT_USER\n");
    ng_endpoint_free(ep);
    return NULL;
  }
  if (user && *user && ng_endpoint_set_credentials(ep, user, password ? password : "")) {
    ng_endpoint_free(ep);
    return NULL;
  }
  if (o->timeout >= 0) ng_endpoint_set_timeout(ep, o->timeout);
  if (o->retries >= 0) ng_endpoint_set_retries(ep, (unsigned)o->retries);
  if (o->batch > 0) ng_endpoint_set_batch(ep, (size_t)o->batch);
  ng_endpoint_set_insecure(ep, o->insecure);
  ng_endpoint_set_push_protocol(ep, o->graph_store ? NG_PUSH_GRAPH_STORE : NG_PUSH_UPDATE);
  return ep;
}

/* Parses the endpoint options common to the commands; false if opt is
 * not one of them.  *rc is set on a bad value. */
enum {
  OPT_TIMEOUT = 1000,
  OPT_RETRIES,
  OPT_BATCH,
  OPT_INSECURE,
  OPT_GRAPH_STORE,
  OPT_ENDPOINT,
  OPT_MODALITY,
  OPT_ALLOW_SERVICE,
  OPT_CHECK,
  OPT_BASE,
  OPT_ENGINE,
  OPT_DEFAULT_GRAPH,
  OPT_NAMED_GRAPH,
  OPT_MAX_ROWS,
  OPT_PROGRESS,
  OPT_DICTIONARIES
};

static bool endpoint_option(const char *command, int opt, EndpointOptions *o, int *rc) {
  char *end;
  errno = 0;
  switch (opt) {
  case OPT_ENDPOINT: o->url = optarg; o->graph_store = false; return true;
  case OPT_GRAPH_STORE: o->url = optarg; o->graph_store = true; return true;
  case OPT_INSECURE: o->insecure = true; return true;
  case OPT_TIMEOUT:
    o->timeout = strtod(optarg, &end);
    if (errno || end == optarg || *end || o->timeout < 0)
      *rc = usage_error(command, "--timeout wants seconds, not '%s'", optarg);
    return true;
  case OPT_RETRIES:
    o->retries = strtol(optarg, &end, 10);
    if (errno || end == optarg || *end || o->retries < 0 || o->retries > 100)
      *rc = usage_error(command, "--retries wants a number from 0 to 100, not '%s'", optarg);
    return true;
  case OPT_BATCH:
    o->batch = strtol(optarg, &end, 10);
    if (errno || end == optarg || *end || o->batch < 1 || o->batch > 100000)
      *rc = usage_error(command, "--batch wants a number from 1 to 100000, not '%s'", optarg);
    return true;
  default: return false;
  }
}

#define ENDPOINT_LONGOPTS                                                                          \
  {"timeout", required_argument, NULL, OPT_TIMEOUT},                                               \
      {"retries", required_argument, NULL, OPT_RETRIES},                                           \
      {"insecure", no_argument, NULL, OPT_INSECURE}

/* ------------------------------------------------------------- extract */

typedef enum { OUT_NONE, OUT_TSV, OUT_MENTIONS, OUT_TIMEX, OUT_RDF } OutputKind;

typedef struct {
  bool quiet, verbose, progress;
  const char *date;
  OutputKind out_kind;
  NgSyntax syntax; /* of OUT_RDF */
  NgWriter *writer;
  NgStore *store;
  NgEndpoint *endpoint;
  /* committed-but-unreported ids, printed after each sync (--verbose) */
  char **pending;
  size_t npending, cap_pending;
  double last_sync, last_progress, last_flush, start;
  bool interactive_out; /* stdout is a terminal: every article's lines at once */
  unsigned long articles, events, failed_articles, unsent;
  unsigned long stored, committed; /* articles given to the store, and made durable */
  unsigned long long bytes;
  /* how far through the input: the files before this one, and its reader */
  long long input_size; /* all the files' bytes; -1 when unknown (a pipe) */
  unsigned long long input_done;
  const NgReader *reader;
} ExtractRun;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "45%, 0:12 left" when the size of the input is known (files, not pipes). */
static void progress_share(const ExtractRun *run, double secs, char *out, size_t size) {
  out[0] = '\0';
  if (run->input_size <= 0) return;
  double done = (double)(run->input_done + (run->reader ? ng_reader_bytes_read(run->reader) : 0));
  double share = done / (double)run->input_size;
  if (share > 1) share = 1;
  int n = snprintf(out, size, ", %.0f%%", 100 * share);
  if (share > 0.01 && share < 1 && secs > 1 && n > 0 && (size_t)n < size) {
    long left = (long)(secs * (1 - share) / share + 0.5);
    snprintf(out + n, size - (size_t)n, ", %ld:%02ld left", left / 60, left % 60);
  }
}

/* One line on stderr, rewritten in place: what was read, extracted and
 * committed to the store, how fast, and how far through the input. */
static void show_progress(ExtractRun *run, bool final) {
  if (!run->progress) return;
  double t = now_seconds();
  if (!final && t - run->last_progress < 0.25) return;
  run->last_progress = t;
  double secs = t - run->start > 1e-9 ? t - run->start : 1e-9;
  char stored[48] = "", share[48];
  if (run->store) snprintf(stored, sizeof stored, " (%lu committed)", run->committed);
  progress_share(run, secs, share, sizeof share);
  fprintf(stderr, "\rextract: %lu articles%s, %lu events, %.1f MB/s%s%s", run->articles, stored,
          run->events, run->bytes / 1e6 / secs, share, final ? "\n" : "   ");
  fflush(stderr);
}

/* Push out what stdout holds.  Output goes out at least every fifth of a
 * second (a reader downstream sees articles as they come) and before each
 * commit; not after every article, which cost a write per article. */
static NgStatus flush_output(ExtractRun *run) {
  run->last_flush = now_seconds();
  return fflush(stdout) == EOF || ferror(stdout) ? NG_ERR_IO : NG_SUCCESS;
}

/* Make the journal durable, then tell which articles are now committed. */
static NgStatus sync_store(ExtractRun *run) {
  if (!run->store) return NG_SUCCESS;
  /* the output of the articles first: what is committed has been printed */
  if (flush_output(run)) return NG_ERR_IO;
  NgStatus st = ng_store_sync(run->store);
  if (st == NG_SUCCESS) run->committed = run->stored;
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

/* The server's word on each article: an article not sent is never lost
 * silently. */
static void on_pushed(void *handle, const char *id, NgStatus status) {
  ExtractRun *run = handle;
  if (status) {
    fprintf(stderr, "not sent: %s\n", id);
    run->unsent++;
  } else if (run->verbose) {
    fprintf(stderr, "sent %s\n", id);
  }
}

static NgStatus output_document(ExtractRun *run, const NgDocument *doc, NgGraph *graph, NgGraph *shared) {
  NgStatus st = NG_SUCCESS;
  switch (run->out_kind) {
  case OUT_TSV: return ng_document_write_tsv(doc, stdout);
  case OUT_MENTIONS: return ng_document_write_mentions(doc, stdout);
  case OUT_TIMEX: return ng_document_write_timex(doc, stdout);
  case OUT_RDF:
    st = ng_writer_write_graph(run->writer, graph);
    return st ? st : ng_writer_write_graph(run->writer, shared);
  case OUT_NONE: break;
  }
  return NG_SUCCESS;
}

/* The second half of an article's way, from the library's extraction pool
 * (ng_extract_pool_new: -j N workers extract, render and build graphs) to
 * the outputs, the store and the server, in this thread and in input order. */
/* Returns an error only for failures that must stop the run (store,
 * output); a bad article is counted, an article the server did not take
 * is told by on_pushed. */
static NgStatus finish_article(void *data, NgExtractResult *job) {
  ExtractRun *run = data;
  const NgArticle *article = job->article;
  NgStatus st = job->status;
  if (!job->doc) {
    fprintf(stderr, "newsgraph: error: %s:%lu: article '%s': %s\n", article->origin, article->line,
            article->id, ng_strerror(st));
    run->failed_articles++;
    return st == NG_ERR_NOMEM ? st : NG_SUCCESS;
  }
  if (st) return st; /* the graphs or the rendering failed: out of memory */
  if (job->text) {
    if (job->text_len && fwrite(job->text, 1, job->text_len, stdout) != job->text_len)
      return NG_ERR_IO;
  } else if ((st = output_document(run, job->doc, job->graph, job->shared))) {
    return st;
  }
  if ((run->interactive_out || now_seconds() - run->last_flush > 0.2) && flush_output(run)) return NG_ERR_IO;
  if (run->store) {
    /* the shared part first: an article torn away by a crash leaves at
     * most actors nobody refers to, never events without their actors */
    if (run->endpoint) { /* the server is told of the graphs below: copies */
      st = ng_store_add_graph(run->store, job->shared);
      if (!st) st = ng_store_replace_graph(run->store, job->graph);
    } else { /* the store takes them (no copy; the pool frees NULL) */
      NgGraph *graph = job->graph;
      st = ng_store_add_graph_take(run->store, job->shared);
      job->shared = job->graph = NULL;
      st = st ? (ng_graph_free(graph), st) : ng_store_replace_graph_take(run->store, graph);
    }
    if (st == NG_ERR_TOO_LARGE) { /* refused before anything of it was kept */
      fprintf(stderr, "newsgraph: error: %s:%lu: article '%.60s%s' not stored\n", article->origin,
              article->line, article->id, strlen(article->id) > 60 ? "..." : "");
      run->failed_articles++;
      return NG_SUCCESS;
    }
    if (st) return st;
    run->stored++;
    if ((st = remember_pending(run, ng_document_get_id(job->doc)))) return st;
    /* Group commit: one fsync for many articles, but never more than a
     * fraction of a second of work at risk. */
    if (run->npending >= 256 || now_seconds() - run->last_sync > 0.2) st = sync_store(run);
    if (st) return st;
  }
  if (run->endpoint) {
    st = ng_endpoint_push(run->endpoint, ng_document_get_id(job->doc), job->graph, job->shared);
    if (st && st != NG_ERR_NETWORK) return st; /* a network failure was told per article */
  }
  run->articles++;
  run->events += ng_document_event_count(job->doc);
  run->bytes += article->text_len;
  show_progress(run, false);
  return NG_SUCCESS;
}

/* What the workers make for this run.  With workers, they render into
 * memory for this thread to print in order; without them this thread
 * prints each document straight to stdout (output_document), a copy less.
 * (Turtle groups and prefixes across articles: this thread writes it.) */
static NgExtractPoolOptions pool_options(ExtractRun *run, long jobs) {
  NgExtractPoolOptions opt = {0};
  opt.threads = jobs > 1 ? (unsigned)jobs : 0;
  opt.default_date = run->date;
  opt.graphs = run->store || run->endpoint || run->out_kind == OUT_RDF;
  opt.syntax = run->syntax;
  opt.on_result = finish_article;
  opt.data = run;
  bool render = jobs > 1 && !(run->out_kind == OUT_RDF && run->syntax == NG_SYNTAX_TURTLE);
  if (render && run->out_kind == OUT_TSV) opt.render = NG_RENDER_TSV;
  if (render && run->out_kind == OUT_MENTIONS) opt.render = NG_RENDER_MENTIONS;
  if (render && run->out_kind == OUT_TIMEX) opt.render = NG_RENDER_TIMEX;
  if (render && run->out_kind == OUT_RDF) opt.render = NG_RENDER_RDF;
  return opt;
}

static NgStatus extract_file(ExtractRun *run, NgWorld *world, NgExtractPool *pool, const char *path,
                             NgInputFormat format) {
  NgStatus st = NG_SUCCESS;
  NgReader *reader = ng_reader_new(world, path, format, &st);
  if (!reader) {
    run->failed_articles++;
    return NG_SUCCESS; /* reported by the reader; go on with other files */
  }
  NgArticle article;
  run->reader = reader;
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
    st = ng_extract_pool_add(pool, &article);
    if (st) break;
  }
  run->input_done += ng_reader_bytes_read(reader);
  run->reader = NULL;
  ng_reader_free(reader);
  return st;
}

static NgStatus open_output(ExtractRun *run, const char *format) {
  if (!format) return NG_SUCCESS;
  if (!strcmp(format, "tsv")) {
    run->out_kind = OUT_TSV;
    ng_tsv_write_header(stdout);
  } else if (!strcmp(format, "mentions")) {
    run->out_kind = OUT_MENTIONS;
    ng_mentions_write_header(stdout);
  } else if (!strcmp(format, "timex")) {
    run->out_kind = OUT_TIMEX;
    ng_timex_write_header(stdout);
  } else {
    bool ok = false;
    NgSyntax syntax = ng_syntax_from_name(format, &ok);
    if (!ok || syntax >= NG_SYNTAX_RDFXML) return NG_ERR_BAD_ARG;
    run->out_kind = OUT_RDF;
    run->syntax = syntax;
    run->writer = ng_writer_new(stdout, syntax);
    if (!run->writer) return NG_ERR_NOMEM;
  }
  return NG_SUCCESS;
}

/* All the files, through the pool when there is one. */
static NgStatus extract_all(ExtractRun *run, NgWorld *world, const NgExtractor *ex, long jobs,
                            char **files, int nfiles, NgInputFormat input_format) {
  NgStatus st = NG_SUCCESS;
  NgExtractPoolOptions opt = pool_options(run, jobs);
  NgExtractPool *pool = ng_extract_pool_new(ex, &opt, &st);
  if (!pool) {
    if (st == NG_FAILURE) fprintf(stderr, "newsgraph: error: cannot start %ld threads\n", jobs);
    return st;
  }
  for (int i = 0; i < nfiles && !st && !ng_world_stop_requested(world); ++i)
    st = extract_file(run, world, pool, files[i], input_format);
  /* what the workers have taken is finished, even after a stop: the output
   * stays a prefix of the -j 1 output */
  if (ng_world_stop_requested(world)) ng_extract_pool_cancel(pool);
  if (!st) st = ng_extract_pool_finish(pool);
  ng_extract_pool_free(pool);
  if (run->endpoint) {
    NgStatus pst = ng_endpoint_flush(run->endpoint);
    if (!st && pst != NG_ERR_NETWORK) st = pst;
  }
  return st;
}

/* The bytes of all the files, or -1 when one is a pipe or a terminal. */
static long long input_size(char **files, int nfiles) {
  long long total = 0;
  struct stat sb;
  for (int i = 0; i < nfiles; ++i) {
    if (!strcmp(files[i], "-") || stat(files[i], &sb) || !S_ISREG(sb.st_mode)) return -1;
    total += (long long)sb.st_size;
  }
  return total;
}

static int cmd_extract(Args *a) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'F'},   {"no-store", no_argument, NULL, 'n'},
      {"store", required_argument, NULL, 's'},    {"input-format", required_argument, NULL, 'i'},
      {"date", required_argument, NULL, 'd'},     {"lexicon", required_argument, NULL, 'L'},
      {"max-article-size", required_argument, NULL, 'M'},
      {"jobs", required_argument, NULL, 'j'},
      {"endpoint", required_argument, NULL, OPT_ENDPOINT},
      {"graph-store", required_argument, NULL, OPT_GRAPH_STORE},
      {"batch", required_argument, NULL, OPT_BATCH}, ENDPOINT_LONGOPTS,
      {"modality", required_argument, NULL, OPT_MODALITY},
      {"dictionaries", required_argument, NULL, OPT_DICTIONARIES},
      {"progress", no_argument, NULL, OPT_PROGRESS},
      {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
  const char *format = NULL, *store_dir = NULL, *lexicon = NULL, *dictionaries = NULL;
  NgInputFormat input_format = NG_INPUT_GUESS;
  size_t max_size = 0;
  long jobs = 1;
  bool no_store = false, force_progress = false;
  unsigned factualities = NG_FACT_DEFAULT;
  EndpointOptions eo = ENDPOINT_OPTIONS_INIT;
  ExtractRun run;
  memset(&run, 0, sizeof run);
  int opt, rc = EXIT_OK;
  while ((opt = getopt_long(a->argc, a->argv, ":ns:i:d:L:j:qvh", longopts, NULL)) != -1) {
    bool ok = true;
    char *end;
    if (endpoint_option("extract", opt, &eo, &rc)) {
      if (rc) return rc;
      continue;
    }
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
    case OPT_DICTIONARIES: dictionaries = optarg; break;
    case OPT_MODALITY:
      if (!ng_factuality_parse(optarg, &factualities))
        return usage_error("extract",
                           "--modality wants 'all', 'default' or a list of asserted, negated, "
                           "future, conditional, hypothetical, question, opinion, background, not '%s'",
                           optarg);
      break;
    case 'M': if (!(max_size = parse_size(optarg)))
        return usage_error("extract", "--max-article-size wants a size in bytes, not '%s'", optarg);
      break;
    case 'j':
      errno = 0;
      jobs = strtol(optarg, &end, 10);
      if (errno || end == optarg || *end || jobs < 0 || jobs > 256)
        return usage_error("extract", "--jobs wants a number of threads from 0 to 256, not '%s'",
                           optarg);
      if (jobs == 0) jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
      break;
    case OPT_PROGRESS: force_progress = true; break;
    case 'q': run.quiet = true; break;
    case 'v': run.verbose = true; break;
    case 'h': return print_help("extract");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("extract", "%s", "no input FILE given ('-' reads standard input)");
  if (format && strcmp(format, "tsv") && strcmp(format, "mentions") && strcmp(format, "timex")) {
    bool ok = false;
    NgSyntax syntax = ng_syntax_from_name(format, &ok);
    if (!ok || syntax >= NG_SYNTAX_RDFXML)
      return usage_error("extract", "unknown --format '%s' (tsv, mentions, ntriples, nquads, turtle, timex)",
                         format);
  }
  /* with a server, the local store is written only when asked for */
  if (eo.url && !store_dir) no_store = true;

  NgWorld *world = ng_world_new();
  if (!world) return EXIT_FAILED;
  if (max_size) ng_world_set_max_article_size(world, max_size);
  install_signals(world);
  rc = EXIT_FAILED;
  NgStatus st = NG_SUCCESS;
  unsigned dict_flags = (run.verbose ? NG_DICT_VERBOSE : 0) | (run.quiet ? NG_DICT_QUIET : 0);
  NgExtractor *ex = ng_extractor_new_with_dictionaries(world, lexicon, dictionaries, dict_flags, &st);
  if (!ex) {
    fprintf(stderr, "newsgraph: error: cannot load the lexicon: %s\n", ng_strerror(st));
    goto out;
  }
  ng_extractor_set_factualities(ex, factualities);
  if (eo.url && !(run.endpoint = open_endpoint(world, &eo))) goto out;
  if (run.endpoint) ng_endpoint_set_push_result(run.endpoint, on_pushed, &run);
  if (!no_store && !(run.store = open_store(world, store_dir, NG_STORE_WRITE))) goto out;
  /* A file or a pipe: 64 KB writes instead of 4 KB ones.  (glibc ignores
   * the size when it chooses the buffer itself; this one lives as long as
   * stdout does.  Set before the first output.) */
  static char stdout_buffer[1 << 16];
  run.interactive_out = isatty(STDOUT_FILENO);
  if (!run.interactive_out) setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  if ((st = open_output(&run, format))) goto out;
  run.progress = !run.quiet && (force_progress || isatty(STDERR_FILENO));
  run.input_size = input_size(a->argv + optind, a->argc - optind);
  run.start = run.last_sync = run.last_progress = run.last_flush = now_seconds();

  st = extract_all(&run, world, ex, jobs, a->argv + optind, a->argc - optind, input_format);
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
  if (run.unsent)
    fprintf(stderr, "newsgraph: error: %lu article%s not sent to %s\n", run.unsent,
            run.unsent > 1 ? "s" : "", eo.url);
  if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  else if (st || run.failed_articles || run.unsent || ng_world_error_count(world)) rc = EXIT_FAILED;
  else rc = EXIT_OK;
out:
  if (run.store) {
    NgStatus cst = ng_store_close(run.store);
    if (cst && cst != NG_ERR_INTERRUPTED) { /* (interrupted: told) */
      fprintf(stderr, "newsgraph: error: closing the store: %s\n", ng_strerror(cst));
      if (rc == EXIT_OK) rc = EXIT_FAILED;
    }
  }
  for (size_t i = 0; i < run.npending; ++i) free(run.pending[i]);
  free(run.pending);
  ng_writer_free(run.writer);
  ng_endpoint_free(run.endpoint);
  ng_extractor_free(ex);
  ng_world_free(world);
  signal_world = NULL;
  return rc;
}

/* --------------------------------------------------------------- query */

/* The columns a table must fit in: $COLUMNS when it is set (as ls and
 * column(1) take it), else the terminal's width when stdout is one, else 0
 * (a table written to a file or a pipe is never cut). */
static size_t table_width(void) {
  const char *env = getenv("COLUMNS");
  char *end;
  if (env && env[0]) {
    errno = 0;
    long n = strtol(env, &end, 10);
    if (!errno && !*end && n > 0) return (size_t)n;
  }
  struct winsize ws;
  if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 0)
    return ws.ws_col;
  return 0;
}

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
      {"endpoint", required_argument, NULL, OPT_ENDPOINT}, ENDPOINT_LONGOPTS,
      {"allow-service", no_argument, NULL, OPT_ALLOW_SERVICE},
      {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
      {"check", no_argument, NULL, OPT_CHECK},   {"base", required_argument, NULL, OPT_BASE},
      {"engine", required_argument, NULL, OPT_ENGINE},
      {"default-graph", required_argument, NULL, OPT_DEFAULT_GRAPH},
      {"named-graph", required_argument, NULL, OPT_NAMED_GRAPH},
      {"max-rows", required_argument, NULL, OPT_MAX_ROWS},
      {NULL, 0, NULL, 0}};
  const char *file = NULL, *exec = NULL, *store_dir = NULL, *results = NULL, *base = NULL;
  bool check = false;
  EndpointOptions eo = ENDPOINT_OPTIONS_INIT;
  NgQueryOptions qo;
  ng_query_options_init(&qo);
  enum { MAX_GRAPHS = 256 };
  const char *defaults[MAX_GRAPHS + 1] = {NULL}, *named[MAX_GRAPHS + 1] = {NULL};
  size_t ndefaults = 0, nnamed = 0;
  bool allow_service = false;
  int opt, rc = EXIT_OK;
  while ((opt = getopt_long(a->argc, a->argv, ":f:e:r:s:qh", longopts, NULL)) != -1) {
    if (opt == OPT_ENGINE) {
      if (!strcmp(optarg, "native")) qo.engine = NG_ENGINE_NATIVE;
      else if (!strcmp(optarg, "redland")) qo.engine = NG_ENGINE_REDLAND;
      else rc = usage_error("query", "--engine is native or redland, not '%s'", optarg);
    } else if (opt == OPT_DEFAULT_GRAPH || opt == OPT_NAMED_GRAPH) {
      if (ndefaults == MAX_GRAPHS || nnamed == MAX_GRAPHS)
        rc = usage_error("query", "%s", "at most 256 graphs of each kind");
      else if (opt == OPT_DEFAULT_GRAPH) defaults[ndefaults++] = optarg;
      else named[nnamed++] = optarg;
    } else if (opt == OPT_MAX_ROWS) {
      char *end;
      errno = 0;
      unsigned long long n = strtoull(optarg, &end, 10);
      if (errno || end == optarg || *end || optarg[0] == '-')
        rc = usage_error("query", "--max-rows wants a number, not '%s'", optarg);
      qo.max_rows = n;
    }
    if (rc) return rc;
    if (opt == OPT_ENGINE || opt == OPT_DEFAULT_GRAPH || opt == OPT_NAMED_GRAPH ||
        opt == OPT_MAX_ROWS)
      continue;
    if (endpoint_option("query", opt, &eo, &rc)) {
      if (rc) return rc;
      continue;
    }
    switch (opt) {
    case 'f': file = optarg; break;
    case 'e': exec = optarg; break;
    case 'r': results = optarg; break;
    case 's': store_dir = optarg; break;
    case OPT_ALLOW_SERVICE: allow_service = true; break;
    case 'q': break;
    case OPT_CHECK: check = true; break;
    case OPT_BASE: base = optarg; break;
    case 'h': return print_help("query");
    default: return bad_option(a, opt);
    }
  }
  int given = (file != NULL) + (exec != NULL) + (optind < a->argc);
  if (given != 1 || a->argc - optind > 1)
    return usage_error("query", "%s", "give exactly one query: QUERY, -e QUERY or -f FILE");
  if (!file && !exec && !strcmp(a->argv[optind], "-")) file = "-"; /* the query from stdin */
  if (eo.url && store_dir)
    return usage_error("query", "%s", "--endpoint and --store exclude each other");
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
  if (!world) return EXIT_FAILED;
  install_signals(world);
  ng_world_set_allow_service(world, allow_service);
  if (format == NG_RESULTS_TABLE) ng_world_set_table_width(world, table_width());
  /* --timeout is the whole query's: the timer stops it (exit 124), the
   * library's own request timeouts only back it up */
  arm_timeout(eo.timeout);
  if (eo.timeout > 0) eo.timeout += 1;
  if (eo.timeout > 0) ng_world_set_network_timeout(world, eo.timeout);
  rc = EXIT_FAILED;
  NgStatus st = NG_FAILURE;
  if (check) {
    st = ng_sparql_check(world, text, origin, base, false);
  } else if (eo.url) {
    NgEndpoint *ep = open_endpoint(world, &eo);
    if (ep) st = ng_endpoint_query(ep, text, origin, format, stdout);
    ng_endpoint_free(ep);
  } else {
    qo.base = base;
    if (ndefaults || nnamed) {
      qo.default_graphs = defaults;
      qo.named_graphs = named;
    }
    NgStore *store = open_store(world, store_dir, NG_STORE_READ);
    if (store) st = ng_store_query_with(store, text, origin, &qo, format, stdout);
    ng_store_free(store);
  }
  if (fflush(stdout) == EOF && errno != EPIPE) st = st ? st : NG_ERR_IO;
  if (st == NG_ERR_IO && errno == EPIPE) st = NG_SUCCESS;
  /* an error reported on the way (the store's files) makes the answer suspect */
  rc = stopped_rc(world, st || ng_world_error_count(world) ? EXIT_FAILED : EXIT_OK);
  if (rc == EXIT_TIMEOUT)
    fprintf(stderr, "newsgraph: error: the query ran longer than --timeout %g s\n",
            eo.timeout - 1);
  arm_timeout(0);
  ng_world_free(world);
  signal_world = NULL;
  free(owned);
  return rc;
}

/* -------------------------------------------------------------- export */

/* An output file written whole or not at all: the data goes to a
 * temporary beside it (same directory, so the rename cannot cross file
 * systems), made durable and renamed over FILE only when complete.  Until
 * then FILE is as it was; a failure or an interruption removes the
 * temporary, a kill leaves it (".FILE.tmp-XXXXXX") and FILE untouched. */
typedef struct {
  char *tmp;
  const char *path;
  FILE *f;
} OutFile;

static FILE *out_open(OutFile *o, const char *path) {
  const char *slash = strrchr(path, '/');
  int dir_len = slash ? (int)(slash - path + 1) : 0;
  size_t size = strlen(path) + 16;
  o->path = path;
  o->f = NULL;
  if (!(o->tmp = malloc(size))) return NULL;
  snprintf(o->tmp, size, "%.*s.%s.tmp-XXXXXX", dir_len, path, path + dir_len);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    fprintf(stderr, "newsgraph: error: %s: %s\n", path, strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return NULL;
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask); /* as a plain fopen would have made it */
  if (!(o->f = fdopen(fd, "wb"))) {
    close(fd);
    unlink(o->tmp);
  }
  return o->f;
}

/* Closes; with keep, durably in place of FILE, else the temporary goes. */
static NgStatus out_close(OutFile *o, bool keep) {
  NgStatus st = NG_SUCCESS;
  if (!o->f) return NG_SUCCESS;
  if (keep && (fflush(o->f) == EOF || fsync(fileno(o->f)))) st = NG_ERR_IO;
  if (fclose(o->f) == EOF) st = NG_ERR_IO;
  if (keep && !st && rename(o->tmp, o->path)) st = NG_ERR_IO;
  if (keep && st) fprintf(stderr, "newsgraph: error: %s: %s\n", o->path, strerror(errno));
  if (!keep || st) unlink(o->tmp);
  free(o->tmp);
  o->f = NULL;
  return st;
}

/* Told for each graph pushed by export --to. */
static void on_graph_pushed(void *handle, const char *id, NgStatus status) {
  unsigned long *unsent = handle;
  if (status) {
    fprintf(stderr, "not sent: %s\n", id);
    ++*unsent;
  }
}

static int export_to_endpoint(NgWorld *world, NgStore *store, const char *graph,
                              const EndpointOptions *eo) {
  NgEndpoint *ep = open_endpoint(world, eo);
  if (!ep) return EXIT_FAILED;
  unsigned long unsent = 0;
  ng_endpoint_set_push_result(ep, on_graph_pushed, &unsent);
  NgStatus st = ng_store_push(store, graph, ep);
  ng_endpoint_free(ep);
  if (unsent)
    fprintf(stderr, "newsgraph: error: %lu graph%s not sent to %s\n", unsent, unsent > 1 ? "s" : "",
            eo->url);
  else if (st)
    fprintf(stderr, "newsgraph: error: export failed: %s\n", ng_strerror(st));
  if (st == NG_ERR_INTERRUPTED || ng_world_stop_requested(world)) return EXIT_INTERRUPTED;
  return st || unsent ? EXIT_FAILED : EXIT_OK;
}

static int cmd_export(Args *a) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
      {"graph", required_argument, NULL, 'g'},  {"store", required_argument, NULL, 's'},
      {"to", required_argument, NULL, OPT_ENDPOINT},
      {"graph-store", required_argument, NULL, OPT_GRAPH_STORE},
      {"batch", required_argument, NULL, OPT_BATCH}, ENDPOINT_LONGOPTS,
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *output = NULL, *graph = NULL, *store_dir = NULL;
  NgSyntax syntax = NG_SYNTAX_TURTLE;
  EndpointOptions eo = ENDPOINT_OPTIONS_INIT;
  int opt, rc = EXIT_OK;
  while ((opt = getopt_long(a->argc, a->argv, ":o:g:s:h", longopts, NULL)) != -1) {
    bool ok = true;
    if (endpoint_option("export", opt, &eo, &rc)) {
      if (rc) return rc;
      continue;
    }
    switch (opt) {
    case 'F': syntax = ng_syntax_from_name(optarg, &ok);
      if (!ok || syntax > NG_SYNTAX_RDFXML) return usage_error("export", "unknown format '%s' (turtle, ntriples, nquads, rdfxml)", optarg);
      break;
    case 'o': output = optarg; break;
    case 'g': graph = optarg; break;
    case 's': store_dir = optarg; break;
    case 'h': return print_help("export");
    default: return bad_option(a, opt);
    }
  }
  if (optind < a->argc) return usage_error("export", "unexpected argument '%s'", a->argv[optind]);
  if (eo.url && output) return usage_error("export", "%s", "--to and --output exclude each other");
  NgWorld *world = ng_world_new();
  install_signals(world);
  rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_READ);
  FILE *out = stdout;
  OutFile file = {NULL, NULL, NULL};
  if (store && eo.url) {
    rc = export_to_endpoint(world, store, graph, &eo);
    out = NULL;
  } else if (store && output && strcmp(output, "-")) {
    out = out_open(&file, output);
  }
  if (store && out) {
    NgStatus st = ng_store_export(store, syntax, graph, out);
    if (fflush(out) == EOF) st = st ? st : NG_ERR_IO;
    bool whole = !st && !ng_world_error_count(world) && !ng_world_stop_requested(world);
    if (out != stdout && out_close(&file, whole) && !st) st = NG_ERR_IO;
    if (st == NG_ERR_IO && errno == EPIPE) st = NG_SUCCESS;
    else if (st && st != NG_ERR_INTERRUPTED)
      fprintf(stderr, "newsgraph: error: export failed: %s\n", ng_strerror(st));
    rc = st || ng_world_error_count(world) ? EXIT_FAILED : EXIT_OK;
    /* a stop that comes once the file is whole and in place stops nothing */
    if (!(whole && !st && out != stdout)) rc = stopped_rc(world, rc);
  }
  ng_store_free(store);
  ng_world_free(world);
  signal_world = NULL;
  return rc;
}

/* -------------------------------------------------------------- import */

static int cmd_import(Args *a) {
  static const struct option longopts[] = {
      {"graph", required_argument, NULL, 'g'}, {"input-format", required_argument, NULL, 'i'},
      {"store", required_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
  const char *graph = NULL, *store_dir = NULL;
  NgSyntax syntax = NG_SYNTAX_GUESS; /* each file's own, sniffed */
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":g:i:s:qh", longopts, NULL)) != -1) {
    bool ok = true;
    switch (opt) {
    case 'g': graph = optarg; break;
    case 'i': syntax = ng_syntax_from_name(optarg, &ok);
      if (!ok)
        return usage_error("import", "unknown format '%s' (turtle, ntriples, nquads, trig, rdfxml)",
                           optarg);
      break;
    case 's': store_dir = optarg; break;
    case 'q': break;
    case 'h': return print_help("import");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("import", "%s", "no FILE to import ('-' reads standard input)");
  NgWorld *world = ng_world_new();
  install_signals(world);
  int rc = EXIT_FAILED;
  NgStore *store = open_store(world, store_dir, NG_STORE_WRITE);
  if (store) {
    rc = EXIT_OK;
    for (int i = optind; i < a->argc && !ng_world_stop_requested(world); ++i)
      if (ng_store_import(store, a->argv[i], syntax, graph)) rc = EXIT_FAILED;
    NgStatus st = ng_store_close(store);
    if (st && st != NG_ERR_INTERRUPTED) {
      fprintf(stderr, "newsgraph: error: closing the store: %s\n", ng_strerror(st));
      rc = EXIT_FAILED;
    }
    if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  }
  ng_world_free(world);
  return rc;
}

/* --------------------------------------------------------------- stats */

/* -------------------------------------------------------------- update */

static int cmd_update(Args *a) {
  static const struct option longopts[] = {
      {"file", required_argument, NULL, 'f'},   {"exec", required_argument, NULL, 'e'},
      {"store", required_argument, NULL, 's'},  {"check", no_argument, NULL, OPT_CHECK},
      {"base", required_argument, NULL, OPT_BASE},
      {"default-graph", required_argument, NULL, OPT_DEFAULT_GRAPH},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *file = NULL, *exec = NULL, *store_dir = NULL, *base = NULL, *graph = NULL;
  bool check = false;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":f:e:s:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'f': file = optarg; break;
    case 'e': exec = optarg; break;
    case 's': store_dir = optarg; break;
    case OPT_CHECK: check = true; break;
    case OPT_BASE: base = optarg; break;
    case OPT_DEFAULT_GRAPH: graph = optarg; break;
    case 'h': return print_help("update");
    default: return bad_option(a, opt);
    }
  }
  int given = (file != NULL) + (exec != NULL) + (optind < a->argc);
  if (given != 1 || a->argc - optind > 1)
    return usage_error("update", "%s", "give exactly one request: UPDATE, -e UPDATE or -f FILE");
  char *owned = file ? read_query_file(file) : NULL;
  if (file && !owned) return EXIT_FAILED;
  const char *text = file ? owned : exec ? exec : a->argv[optind];
  const char *origin = file ? file : "<update>";
  NgWorld *world = ng_world_new();
  install_signals(world);
  NgStatus st = NG_FAILURE;
  if (check) {
    st = ng_sparql_check(world, text, origin, base, true);
  } else {
    NgQueryOptions qo;
    ng_query_options_init(&qo);
    const char *defaults[2] = {graph, NULL};
    qo.base = base;
    if (graph) qo.default_graphs = defaults;
    NgStore *store = open_store(world, store_dir, NG_STORE_WRITE);
    if (store) st = ng_store_update(store, text, origin, &qo);
    if (store && ng_store_close(store) && !st) st = NG_ERR_STORE;
  }
  int rc = st ? EXIT_FAILED : EXIT_OK;
  if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  ng_world_free(world);
  signal_world = NULL;
  free(owned);
  return rc;
}

/* -------------------------------------------------------------- remove */

static int cmd_remove(Args *a) {
  static const struct option longopts[] = {{"store", required_argument, NULL, 's'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *store_dir = NULL;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":s:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 's': store_dir = optarg; break;
    case 'h': return print_help("remove");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("remove", "%s", "name at least one ARTICLE-ID");
  NgWorld *world = ng_world_new();
  install_signals(world);
  int rc = EXIT_OK;
  NgStore *store = open_store(world, store_dir, NG_STORE_WRITE);
  if (!store) rc = EXIT_FAILED;
  for (int i = optind; store && i < a->argc && !ng_world_stop_requested(world); ++i) {
    bool found = false;
    NgStatus st = ng_store_remove_article(store, a->argv[i], &found);
    if (st) {
      fprintf(stderr, "newsgraph: error: cannot remove %s: %s\n", a->argv[i], ng_strerror(st));
      rc = EXIT_FAILED;
    } else if (!found) {
      fprintf(stderr, "newsgraph: error: no article %s in the store\n", a->argv[i]);
      rc = EXIT_FAILED;
    }
  }
  if (store && ng_store_close(store)) rc = EXIT_FAILED;
  if (ng_world_stop_requested(world)) rc = EXIT_INTERRUPTED;
  ng_world_free(world);
  signal_world = NULL;
  return rc;
}

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
    if (!st && ng_world_error_count(world)) st = NG_ERR_STORE; /* the counts are suspect */
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

/* ------------------------------------------------------------- upgrade */

static int cmd_upgrade(Args *a) {
  static const struct option longopts[] = {{"store", required_argument, NULL, 's'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *store_dir = NULL;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":s:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 's': store_dir = optarg; break;
    case 'h': return print_help("upgrade");
    default: return bad_option(a, opt);
    }
  }
  if (optind < a->argc) return usage_error("upgrade", "unexpected argument '%s'", a->argv[optind]);
  NgWorld *world = ng_world_new();
  install_signals(world);
  const char *dir = ng_store_default_dir(store_dir);
  unsigned long quads = 0;
  NgStatus st = ng_store_upgrade(world, dir, &quads);
  if (!st)
    fprintf(stderr, "upgrade: %lu quads carried over into %s; the old store is in %s.old\n", quads,
            dir, dir);
  else
    fprintf(stderr, "newsgraph: error: upgrade of '%s': %s (the store is as it was)\n", dir,
            ng_strerror(st));
  ng_world_free(world);
  return st == NG_ERR_INTERRUPTED ? EXIT_INTERRUPTED : st ? EXIT_FAILED : EXIT_OK;
}

/* --------------------------------------------------------------- serve */

static NgServer *signal_server; /* the server SIGINT and SIGTERM stop */

static void on_serve_signal(int sig) {
  (void)sig;
  if (signal_server) ng_server_stop(signal_server);
}

/* The page's files and the example queries: installed with the program,
 * or in the source tree of an uninstalled ./newsgraph. */
static const char *data_dir(const char *given, const char *env, const char *installed,
                            const char *source) {
  struct stat sb;
  if (given) return given;
  const char *e = getenv(env);
  if (e && e[0]) return e;
  if (!stat(installed, &sb) && S_ISDIR(sb.st_mode)) return installed;
  return source;
}

static bool parse_count(const char *s, unsigned long long *n) {
  char *end;
  errno = 0;
  *n = strtoull(s, &end, 10);
  return !errno && end != s && !*end && s[0] != '-';
}

static int cmd_serve(Args *a) {
  enum { OPT_BIND = 1000, OPT_WEB, OPT_THREADS, OPT_SERVE_TIMEOUT, OPT_SERVE_MAX_ROWS,
         OPT_ALLOW_UPDATE, OPT_TOKEN };
  static const struct option longopts[] = {
      {"store", required_argument, NULL, 's'},          {"bind", required_argument, NULL, OPT_BIND},
      {"web", required_argument, NULL, OPT_WEB},        {"threads", required_argument, NULL, OPT_THREADS},
      {"timeout", required_argument, NULL, OPT_SERVE_TIMEOUT},
      {"max-rows", required_argument, NULL, OPT_SERVE_MAX_ROWS},
      {"allow-update", no_argument, NULL, OPT_ALLOW_UPDATE},
      {"token", required_argument, NULL, OPT_TOKEN},
      {"help", no_argument, NULL, 'h'},                 {NULL, 0, NULL, 0}};
  NgServerOptions so;
  ng_server_options_init(&so);
  so.bind = "127.0.0.1:7878";
  const char *web = NULL;
  unsigned long long n;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":s:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 's': so.store_dir = optarg; break;
    case OPT_BIND: so.bind = optarg; break;
    case OPT_WEB: web = optarg; break;
    case OPT_THREADS:
      if (!parse_count(optarg, &n) || n < 1 || n > 64)
        return usage_error("serve", "--threads wants 1 to 64, not '%s'", optarg);
      so.threads = (unsigned)n;
      break;
    case OPT_SERVE_TIMEOUT: {
      char *end;
      so.timeout = strtod(optarg, &end);
      if (end == optarg || *end || so.timeout < 0)
        return usage_error("serve", "--timeout wants seconds, not '%s'", optarg);
      break;
    }
    case OPT_SERVE_MAX_ROWS:
      if (!parse_count(optarg, &n))
        return usage_error("serve", "--max-rows wants a number, not '%s'", optarg);
      so.max_rows = n;
      break;
    case OPT_ALLOW_UPDATE: so.allow_update = true; break;
    case OPT_TOKEN: so.token = optarg; break;
    case 'h': return print_help("serve");
    default: return bad_option(a, opt);
    }
  }
  if (optind < a->argc) return usage_error("serve", "unexpected argument '%s'", a->argv[optind]);
  if (!so.token) so.token = getenv("NEWSGRAPH_SERVE_TOKEN");
  if (so.allow_update && (!so.token || !so.token[0]))
    return usage_error("serve", "%s", "--allow-update needs --token TOKEN (or NEWSGRAPH_SERVE_TOKEN)");
  so.web_dir = data_dir(web, "NEWSGRAPH_WEB", NG_WEB_DIR, NG_SOURCE_DIR "/web");
  so.examples_dir = data_dir(NULL, "NEWSGRAPH_EXAMPLES", NG_QUERIES_DIR,
                             NG_SOURCE_DIR "/examples/queries");
  NgWorld *world = ng_world_new();
  if (!world) return EXIT_FAILED;
  NgStatus st;
  NgServer *server = ng_server_new(world, &so, &st);
  int rc = EXIT_FAILED;
  if (server) {
    signal_server = server;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_serve_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    const char *colon = strrchr(so.bind, ':');
    int hostlen = colon ? (int)(colon - so.bind) : 0;
    fprintf(stderr, "newsgraph serve: http://%.*s:%u/ (store %s, %s)\n", hostlen ? hostlen : 9,
            hostlen ? so.bind : "127.0.0.1", ng_server_port(server),
            ng_store_default_dir(so.store_dir), so.allow_update ? "updates with the token" : "read-only");
    fflush(stderr);
    st = ng_server_run(server);
    signal_server = NULL;
    ng_server_free(server);
    fprintf(stderr, "newsgraph serve: stopped\n");
    rc = st ? EXIT_FAILED : EXIT_OK;
  }
  ng_world_free(world);
  return rc;
}

/* ---------------------------------------------------------------- parse */

/* Parse one input: CoNLL-U words (--tokenized) or articles. */
static NgStatus parse_input(const NgParser *parser, const NgExtractor *ex, NgWorld *world,
                            const char *path, bool tokenized, NgInputFormat format, bool *failed) {
  if (tokenized) {
    bool is_stdin = !strcmp(path, "-");
    FILE *in = is_stdin ? stdin : fopen(path, "r");
    if (!in) {
      fprintf(stderr, "newsgraph: error: %s: %s\n", path, strerror(errno));
      *failed = true;
      return NG_SUCCESS;
    }
    NgStatus st = ng_parser_write_conllu(parser, ex, in, path, stdout);
    if (!is_stdin) fclose(in);
    if (st == NG_ERR_SYNTAX) *failed = true;
    return st == NG_ERR_SYNTAX ? NG_SUCCESS : st;
  }
  NgStatus st = NG_SUCCESS;
  NgReader *reader = ng_reader_new(world, path, format, &st);
  if (!reader) {
    *failed = true;
    return NG_SUCCESS;
  }
  NgArticle article;
  while (!ng_world_stop_requested(world)) {
    NgStatus rs = ng_reader_next(reader, &article);
    if (rs == NG_END) break;
    if (rs != NG_SUCCESS) {
      *failed = true;
      if (rs == NG_ERR_NOMEM || rs == NG_ERR_IO) break;
      continue;
    }
    if ((st = ng_parser_write_article(parser, ex, &article, stdout))) break;
  }
  ng_reader_free(reader);
  return st;
}

static int cmd_parse(Args *a) {
  static const struct option longopts[] = {{"tokenized", no_argument, NULL, 't'},
                                           {"model", required_argument, NULL, 'm'},
                                           {"input-format", required_argument, NULL, 'i'},
                                           {"beam", required_argument, NULL, 'b'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *model = NULL;
  long beam = 0;
  bool tokenized = false;
  NgInputFormat input_format = NG_INPUT_GUESS;
  int opt;
  while ((opt = getopt_long(a->argc, a->argv, ":tm:i:b:h", longopts, NULL)) != -1) {
    bool ok = true;
    char *end;
    switch (opt) {
    case 't': tokenized = true; break;
    case 'b':
      beam = strtol(optarg, &end, 10);
      if (*end || end == optarg || beam < 1 || beam > 64)
        return usage_error("parse", "--beam takes a width from 1 to 64, not '%s'", optarg);
      break;
    case 'm': model = optarg; break;
    case 'i': input_format = ng_input_format_from_name(optarg, &ok);
      if (!ok) return usage_error("parse", "unknown input format '%s' (text, jsonl, html)", optarg);
      break;
    case 'h': return print_help("parse");
    default: return bad_option(a, opt);
    }
  }
  if (optind >= a->argc) return usage_error("parse", "%s", "no input FILE given ('-' reads standard input)");
  NgWorld *world = ng_world_new();
  if (!world) return EXIT_FAILED;
  install_signals(world);
  NgStatus st = NG_SUCCESS;
  int rc = EXIT_FAILED;
  NgParser *parser = ng_parser_new(world, model, &st);
  if (parser && beam) ng_parser_set_beam(parser, (unsigned)beam);
  NgExtractor *ex = parser ? ng_extractor_new(world, NULL, &st) : NULL;
  if (parser && !ex) fprintf(stderr, "newsgraph: error: cannot load the lexicon: %s\n", ng_strerror(st));
  if (ex) {
    static char stdout_buffer[1 << 16];
    if (!isatty(STDOUT_FILENO)) setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
    bool failed = false;
    for (int i = optind; i < a->argc && !st && !ng_world_stop_requested(world); ++i)
      st = parse_input(parser, ex, world, a->argv[i], tokenized, input_format, &failed);
    if (fflush(stdout) == EOF || ferror(stdout)) st = st ? st : NG_ERR_IO;
    if (st == NG_ERR_IO && errno == EPIPE) st = NG_SUCCESS;
    else if (st) fprintf(stderr, "newsgraph: error: parse stopped: %s\n", ng_strerror(st));
    rc = ng_world_stop_requested(world) ? EXIT_INTERRUPTED : st || failed ? EXIT_FAILED : EXIT_OK;
  }
  ng_extractor_free(ex);
  ng_parser_free(parser);
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
                                   {"stats", cmd_stats},     {"update", cmd_update},
                                   {"remove", cmd_remove},     {"upgrade", cmd_upgrade},
                                   {"serve", cmd_serve},       {"parse", cmd_parse},
                                   {NULL, NULL}};

int main(int argc, char **argv) {
  /* A file size limit shows as EFBIG on write (the store says which file),
   * reported like a full disk, instead of killing the process half-way. */
  signal(SIGXFSZ, SIG_IGN);
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
