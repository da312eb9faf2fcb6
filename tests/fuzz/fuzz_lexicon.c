/* fuzz_lexicon.c - the lexicon loader on arbitrary lexicon files.
 *
 * A scratch folder holds the small test lexicon (tests/data/lexicon); byte
 * 0 of the input picks one of its files, which the rest of the input
 * replaces, and the folder is loaded as `--lexicon DIR` loads one (without
 * the built-in files, so that every input is parsed in full quickly).  A
 * lexicon that loads is then used on a few sentences, so that hostile verb
 * patterns, actor forms and abbreviations also reach the matcher. */
#include "fuzz.h"
#include "pipeline.h"

#include <unistd.h>

#ifndef NG_FUZZ_TOP_SRCDIR
#define NG_FUZZ_TOP_SRCDIR "."
#endif

static const char *const files[] = {"verbs.txt",      "actors.txt", "people.txt",
                                    "roles.txt",      "cameo.txt",  "country-aliases.txt",
                                    "abbreviations.txt", "function-words.txt"};

static const char sample[] =
    "MINSK, Nov 25 (Reuters) - The EU on Monday imposed sanctions on Belarusian officials. "
    "President Vladimir Putin met with Alexander Lukashenko in Moscow last week, the Kremlin "
    "said. Protesters said troops attacked them; the U.S. urged Russia to provide aid to "
    "Ukraine. Gen. Smith did not threaten Iran. \"They were killed by rebels,\" an official "
    "told Mr. Jones on Jan. 3.";

typedef struct {
  char dir[4096];
  NgBuf originals[NG_COUNTOF(files)]; /* the test lexicon's files */
} Scratch;

static Scratch *scratch; /* see fuzz.h: no context pointer in libFuzzer */

static void read_into(const char *path, NgBuf *buf) {
  FILE *f = fopen(path, "rb");
  NG_FUZZ_CHECK(f != NULL, "cannot read %s (set top_srcdir)", path);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    NG_FUZZ_CHECK(ng_buf_append(buf, chunk, n) == NG_SUCCESS, "out of memory");
  fclose(f);
}

static void remove_scratch(void) {
  for (size_t i = 0; i < NG_COUNTOF(files); ++i) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", scratch->dir, files[i]);
    remove(path);
    ng_buf_free(&scratch->originals[i]);
  }
  free(scratch); /* (the folder goes with ng_fuzz_scratch's) */
  scratch = NULL;
}

/* The folder, filled with the test lexicon once per process. */
static Scratch *get_scratch(void) {
  if (scratch) return scratch;
  scratch = calloc(1, sizeof *scratch);
  NG_FUZZ_CHECK(scratch != NULL, "out of memory");
  const char *top = getenv("top_srcdir");
  snprintf(scratch->dir, sizeof scratch->dir, "%s", ng_fuzz_scratch());
  for (size_t i = 0; i < NG_COUNTOF(files); ++i) {
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/data/lexicon/%s", top ? top : NG_FUZZ_TOP_SRCDIR,
             files[i]);
    read_into(path, &scratch->originals[i]);
  }
  atexit(remove_scratch);
  return scratch;
}

static void put_file(const Scratch *s, size_t i, const void *data, size_t size) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", s->dir, files[i]);
  ng_fuzz_write_file(path, data, size);
}

/* A loaded lexicon must be usable: extract the sample with it. */
static void use_lexicon(NgWorld *world, NgLexicon *lex) {
  NgExtractor ex = {world, lex};
  NgArticle a;
  memset(&a, 0, sizeof a);
  a.id = "fuzz";
  a.date = "2020-11-25";
  a.text = sample;
  a.text_len = sizeof sample - 1;
  a.origin = "fuzz";
  a.line = 1;
  NgStatus st = NG_SUCCESS;
  NgDocument *doc = ng_extract(&ex, &a, NULL, &st);
  NG_FUZZ_CHECK(doc || st == NG_ERR_NOMEM, "extraction with a loaded lexicon failed: %d", st);
  for (size_t i = 0; doc && i < ng_document_event_count(doc); ++i) {
    const NgEvent *e = ng_document_get_event(doc, i);
    NG_FUZZ_CHECK(e->action && e->cameo && e->actor.code && e->target.code, "event %zu", i);
    NG_FUZZ_CHECK(e->confidence >= 0 && e->confidence <= 1, "confidence %g", e->confidence);
  }
  ng_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Scratch *s = get_scratch();
  NgFuzzInput in = {data, size};
  size_t which = ng_fuzz_byte(&in) % NG_COUNTOF(files);
  for (size_t i = 0; i < NG_COUNTOF(files); ++i)
    if (i == which)
      put_file(s, i, in.data, in.size);
    else
      put_file(s, i, s->originals[i].data, s->originals[i].len);
  NgFuzzSink sink;
  NgWorld *world = ng_fuzz_world_new(&sink);
  NgStatus st = NG_SUCCESS;
  NgLexicon *lex = ng_lexicon_new_with(world, s->dir, false, &st);
  if (lex) {
    NG_FUZZ_CHECK(st == NG_SUCCESS, "a lexicon with status %d", st);
    use_lexicon(world, lex);
  } else {
    /* "Errors in lexicon files are reported file:line:col" */
    NG_FUZZ_CHECK(st != NG_SUCCESS && sink.errors > 0, "refused without an error (%d)", st);
  }
  ng_lexicon_free(lex);
  ng_world_free(world);
  return 0;
}
