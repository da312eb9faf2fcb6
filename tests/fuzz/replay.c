/* replay.c - a Check suite that replays the seed corpus and the regression
 * inputs of one fuzz harness (the files of tests/fuzz/corpus/NAME/ and
 * tests/fuzz/regressions/NAME/) through its LLVMFuzzerTestOneInput(), in
 * the normal build: every input is a test of its own (forked), so a crash
 * or a broken invariant names the file.  NG_FUZZ_NAME is set per program
 * by tests/fuzz.am. */
#include "fuzz.h"
#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>

#ifndef NG_FUZZ_NAME
#error "NG_FUZZ_NAME must name the harness"
#endif

typedef struct {
  char **paths;
  size_t n, cap;
} Inputs;

static Inputs inputs; /* Check's loop tests take an index, not a context */

static void add_path(const char *path) {
  if (inputs.n == inputs.cap) {
    inputs.cap = inputs.cap ? inputs.cap * 2 : 64;
    inputs.paths = realloc(inputs.paths, inputs.cap * sizeof *inputs.paths);
    NG_FUZZ_CHECK(inputs.paths != NULL, "out of memory");
  }
  inputs.paths[inputs.n] = strdup(path);
  NG_FUZZ_CHECK(inputs.paths[inputs.n] != NULL, "out of memory");
  inputs.n++;
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir (a missing folder holds none). */
static size_t add_folder(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t before = inputs.n;
  struct dirent *e;
  while ((e = readdir(d))) {
    char path[4096];
    struct stat sb;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) add_path(path);
  }
  closedir(d);
  qsort(inputs.paths + before, inputs.n - before, sizeof *inputs.paths, compare_paths);
  return inputs.n - before;
}

static void free_inputs(void) {
  for (size_t i = 0; i < inputs.n; ++i)
    free(inputs.paths[i]);
  free(inputs.paths);
  memset(&inputs, 0, sizeof inputs);
}

static uint8_t *read_input(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  NgBuf b = NG_BUF_INIT;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    ck_assert(ng_buf_append(&b, chunk, n) == NG_SUCCESS);
  ck_assert_msg(!ferror(f), "cannot read %s", path);
  fclose(f);
  /* an exact-size copy, as libFuzzer hands inputs over */
  *size = b.len;
  uint8_t *data = malloc(b.len ? b.len : 1);
  ck_assert(data != NULL);
  if (b.len) memcpy(data, b.data, b.len);
  ng_buf_free(&b);
  return data;
}

START_TEST(replay_one) {
  const char *path = inputs.paths[_i];
  size_t size;
  uint8_t *data = read_input(path, &size);
  fprintf(stderr, "replay %s: %s (%zu bytes)\n", NG_FUZZ_NAME, path, size);
  LLVMFuzzerTestOneInput(data, size);
  free(data);
}
END_TEST

/* The harness must have inputs to replay: an empty corpus would make this
 * suite pass without testing anything. */
START_TEST(has_corpus) { ck_assert_msg(inputs.n > 0, "no corpus for %s", NG_FUZZ_NAME); }
END_TEST

static Suite *make_suite(void) {
  const char *top = getenv("top_srcdir");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", NG_FUZZ_NAME);
  add_folder(dir);
  snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", top ? top : ".", NG_FUZZ_NAME);
  add_folder(dir);
  atexit(free_inputs);
  Suite *s = suite_create("fuzz-replay-" NG_FUZZ_NAME);
  TCase *tc = tcase_create("replay");
  /* valgrind runs an input two orders of magnitude slower */
  tcase_set_timeout(tc, getenv("NG_SLOW") ? 600 : 60);
  tcase_add_test(tc, has_corpus);
  tcase_add_loop_test(tc, replay_one, 0, (int)inputs.n);
  suite_add_tcase(s, tc);
  return s;
}

NG_UNIT_MAIN(make_suite)
