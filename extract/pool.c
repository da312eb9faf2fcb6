/* pool.c - extraction of a stream of articles on worker threads, with the
 * results handed back in input order (issue 11 item 9: the speed-up of
 * `extract -j N` belongs to every program that links libnewsgraph, not to
 * the command line alone).
 *
 * The caller's thread adds articles and receives the results through a
 * callback, oldest first; the workers run ng_extract() and, as asked, build
 * the article's graphs and render its output into memory.  Redland, Raptor
 * and the caller's output stay in the caller's thread (Debian builds them
 * without thread support); the workers touch only the immutable extractor
 * and their own jobs.  The ring of jobs is bounded, so memory does not grow
 * with the input: adding to a full ring first finishes old jobs.
 *
 * With fewer than two threads no thread is started and each article is
 * extracted and finished inside ng_extract_pool_add(): one code path for
 * both, and a -j 1 run that costs no locking. */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  NgArticle article; /* its strings are this job's own copies */
  NgExtractResult result;
  bool done;
} PoolJob;

struct NgExtractPoolImpl {
  const NgExtractor *extractor;
  NgExtractPoolOptions opt;
  char *default_date; /* the pool's copy of opt.default_date */
  pthread_mutex_t lock;
  pthread_cond_t work; /* a job to take, or closing */
  pthread_cond_t done; /* the job waited for finished */
  PoolJob *ring;
  size_t cap;
  size_t head; /* oldest job not yet handed to the callback */
  size_t next; /* next job a worker takes */
  size_t tail; /* next job the caller adds */
  size_t wait_for; /* the job the caller waits for, or NO_JOB */
  bool closing;
  pthread_t *threads;
  size_t nthreads;
  NgStatus failed; /* the callback's error: the pool takes no more */
};

#define NO_JOB SIZE_MAX

static char *copy_or_null(const char *s, bool *failed) {
  if (!s) return NULL;
  char *c = strdup(s);
  if (!c) *failed = true;
  return c;
}

static void job_clear(PoolJob *job) {
  free(job->result.text);
  ng_graph_free(job->result.graph);
  ng_graph_free(job->result.shared);
  ng_document_free(job->result.doc);
  free((char *)job->article.id);
  free((char *)job->article.date);
  free((char *)job->article.title);
  free((char *)job->article.text);
  free((char *)job->article.url);
  free((char *)job->article.origin);
  memset(job, 0, sizeof *job);
}

/* A reader's article is valid only until its next call: a job keeps a copy. */
static NgStatus job_fill(PoolJob *job, const NgArticle *a) {
  bool failed = false;
  memset(job, 0, sizeof *job);
  job->article = *a;
  job->article.id = copy_or_null(a->id, &failed);
  job->article.date = copy_or_null(a->date, &failed);
  job->article.title = copy_or_null(a->title, &failed);
  job->article.url = copy_or_null(a->url, &failed);
  job->article.origin = copy_or_null(a->origin, &failed);
  char *text = malloc(a->text_len + 1);
  if (text) {
    if (a->text_len) memcpy(text, a->text, a->text_len);
    text[a->text_len] = '\0';
  }
  job->article.text = text;
  job->result.article = &job->article;
  if (!failed && text) return NG_SUCCESS;
  job_clear(job);
  return NG_ERR_NOMEM;
}

/* The article's lines of TSV, timex, N-Triples or N-Quads depend on nothing
 * but the article: made here, in parallel, and only copied out in order. */
static NgStatus job_render(NgExtractResult *r, const NgExtractPoolOptions *opt) {
  NgStatus st = NG_SUCCESS;
  switch (opt->render) {
  case NG_RENDER_NONE: return NG_SUCCESS;
  case NG_RENDER_TSV: r->text = ng_document_tsv_new(r->doc, &r->text_len, &st); return st;
  case NG_RENDER_TIMEX: r->text = ng_document_timex_new(r->doc, &r->text_len, &st); return st;
  case NG_RENDER_MENTIONS: r->text = ng_document_mentions_new(r->doc, &r->text_len, &st); return st;
  case NG_RENDER_RDF: break;
  }
  FILE *mem = open_memstream(&r->text, &r->text_len);
  if (!mem) return NG_ERR_NOMEM;
  NgWriter *w = ng_writer_new(mem, opt->syntax);
  st = w ? ng_writer_write_graph(w, r->graph) : NG_ERR_NOMEM;
  if (!st) st = ng_writer_write_graph(w, r->shared);
  if (!st) st = ng_writer_finish(w);
  ng_writer_free(w);
  if (fclose(mem) == EOF && !st) st = NG_ERR_NOMEM;
  return st;
}

static void job_extract(PoolJob *job, const NgExtractPool *pool) {
  NgExtractResult *r = &job->result;
  const NgExtractPoolOptions *opt = &pool->opt;
  bool graphs = opt->graphs || opt->render == NG_RENDER_RDF;
  r->doc = ng_extract(pool->extractor, &job->article, pool->default_date, &r->status);
  if (!r->doc) return;
  if (graphs) r->status = ng_document_to_graphs(r->doc, &r->graph, &r->shared);
  if (graphs && (!r->graph || !r->shared)) return;
  r->status = job_render(r, opt);
}

/* Hands a finished job to the callback and frees what it did not take. */
static NgStatus job_deliver(NgExtractPool *pool, PoolJob *job) {
  NgStatus st = pool->opt.on_result ? pool->opt.on_result(pool->opt.data, &job->result)
                                    : NG_SUCCESS;
  job_clear(job);
  if (st && !pool->failed) pool->failed = st;
  return st;
}

static void *pool_worker(void *arg) {
  NgExtractPool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->next == p->tail && !p->closing)
      pthread_cond_wait(&p->work, &p->lock);
    if (p->next == p->tail) {
      pthread_mutex_unlock(&p->lock);
      return NULL;
    }
    size_t index = p->next++;
    PoolJob *job = &p->ring[index % p->cap];
    pthread_mutex_unlock(&p->lock);
    job_extract(job, p);
    pthread_mutex_lock(&p->lock);
    job->done = true;
    /* only the job waited for wakes the caller: a wake-up per job cost a
     * third more CPU time with two workers on two cores */
    if (index == p->wait_for) pthread_cond_signal(&p->done);
    pthread_mutex_unlock(&p->lock);
  }
}

static void pool_wait(NgExtractPool *p, size_t index) {
  pthread_mutex_lock(&p->lock);
  p->wait_for = index;
  while (!p->ring[index % p->cap].done)
    pthread_cond_wait(&p->done, &p->lock);
  p->wait_for = NO_JOB;
  pthread_mutex_unlock(&p->lock);
}

/* Delivers the oldest job, waiting for it when wait (else only if it is
 * done).  *delivered tells whether there was one. */
static NgStatus pool_deliver_oldest(NgExtractPool *p, bool wait, bool *delivered) {
  PoolJob *job = p->head < p->tail ? &p->ring[p->head % p->cap] : NULL;
  if (job && wait) pool_wait(p, p->head);
  pthread_mutex_lock(&p->lock);
  *delivered = job && job->done;
  pthread_mutex_unlock(&p->lock);
  if (!*delivered) return NG_SUCCESS;
  NgStatus st = job_deliver(p, job);
  pthread_mutex_lock(&p->lock);
  p->head++;
  pthread_mutex_unlock(&p->lock);
  return st;
}

static void pool_stop_threads(NgExtractPool *p) {
  pthread_mutex_lock(&p->lock);
  p->closing = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->lock);
  for (size_t i = 0; i < p->nthreads; ++i)
    pthread_join(p->threads[i], NULL);
  p->nthreads = 0;
}

NgExtractPool *ng_extract_pool_new(const NgExtractor *extractor, const NgExtractPoolOptions *options,
                                   NgStatus *status) {
  NgStatus st_local;
  if (!status) status = &st_local;
  *status = NG_SUCCESS;
  if (!extractor || !options || options->render > NG_RENDER_RDF ||
      (options->render == NG_RENDER_RDF && options->syntax >= NG_SYNTAX_RDFXML)) {
    *status = NG_ERR_BAD_ARG;
    return NULL;
  }
  NgExtractPool *p = calloc(1, sizeof *p);
  if (!p) {
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  p->extractor = extractor;
  p->opt = *options;
  p->wait_for = NO_JOB;
  bool failed = false;
  p->default_date = copy_or_null(options->default_date, &failed);
  size_t want = options->threads > 1 ? options->threads : 0;
  p->cap = want ? 16 * want : 1; /* room for the workers to run ahead of a slow caller */
  p->ring = calloc(p->cap, sizeof *p->ring);
  p->threads = want ? calloc(want, sizeof *p->threads) : NULL;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->done, NULL);
  if (failed || !p->ring || (want && !p->threads)) {
    ng_extract_pool_free(p);
    *status = NG_ERR_NOMEM;
    return NULL;
  }
  for (; p->nthreads < want; p->nthreads++) {
    if (pthread_create(&p->threads[p->nthreads], NULL, pool_worker, p)) {
      ng_extract_pool_free(p);
      *status = NG_FAILURE;
      return NULL;
    }
  }
  return p;
}

void ng_extract_pool_free(NgExtractPool *pool) {
  if (!pool) return;
  pool_stop_threads(pool);
  for (size_t i = pool->head; i < pool->tail; ++i)
    job_clear(&pool->ring[i % pool->cap]);
  pthread_cond_destroy(&pool->work);
  pthread_cond_destroy(&pool->done);
  pthread_mutex_destroy(&pool->lock);
  free(pool->ring);
  free(pool->threads);
  free(pool->default_date);
  free(pool);
}

/* Without workers: extract and deliver at once. */
static NgStatus pool_add_inline(NgExtractPool *p, const NgArticle *article) {
  PoolJob *job = &p->ring[0];
  NgStatus st = job_fill(job, article);
  if (st) return st;
  job_extract(job, p);
  return job_deliver(p, job);
}

NgStatus ng_extract_pool_add(NgExtractPool *p, const NgArticle *article) {
  if (!p || !article) return NG_ERR_BAD_ARG;
  if (p->failed) return p->failed;
  if (!p->nthreads) return pool_add_inline(p, article);
  NgStatus st = NG_SUCCESS;
  bool delivered = true;
  if (p->tail - p->head == p->cap) {
    /* full: sleep until half of it is done, then deliver those at once */
    pool_wait(p, p->head + p->cap / 2 - 1);
    while (!st && delivered)
      st = pool_deliver_oldest(p, false, &delivered);
  }
  while (!st && p->tail - p->head == p->cap)
    st = pool_deliver_oldest(p, true, &delivered);
  /* the ring slot at tail is free: only the caller's thread adds */
  if (!st) st = job_fill(&p->ring[p->tail % p->cap], article);
  if (st) return st;
  pthread_mutex_lock(&p->lock);
  p->tail++;
  pthread_cond_signal(&p->work);
  pthread_mutex_unlock(&p->lock);
  /* whatever is done already goes out now, not at the end */
  delivered = true;
  while (!st && delivered)
    st = pool_deliver_oldest(p, false, &delivered);
  return st;
}

NgStatus ng_extract_pool_finish(NgExtractPool *p) {
  if (!p) return NG_ERR_BAD_ARG;
  NgStatus st = p->failed;
  bool delivered = true;
  while (!st && delivered)
    st = pool_deliver_oldest(p, true, &delivered);
  return st;
}

/* The jobs no worker has taken yet are after every taken one in input
 * order: dropping them keeps what is delivered a prefix of the input, and
 * a stop waits for at most one article a worker. */
void ng_extract_pool_cancel(NgExtractPool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  for (size_t i = p->next; i < p->tail; ++i)
    job_clear(&p->ring[i % p->cap]);
  p->tail = p->next;
  pthread_mutex_unlock(&p->lock);
}

size_t ng_extract_pool_pending(const NgExtractPool *p) {
  return p ? p->tail - p->head : 0;
}
