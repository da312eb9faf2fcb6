/* fuzz.h - shared by the fuzz harnesses (tests/fuzz/fuzz_NAME.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput().  It is linked two ways:
 * with libFuzzer (configure --enable-fuzz CC=clang; `make fuzz`), and in
 * every build with tests/fuzz/replay.c, a Check suite that replays the seed
 * corpus and the regression inputs through the same function, so that a
 * crash once found stays fixed.
 *
 * Harnesses check invariants of what they get back, not only that nothing
 * crashes: a broken invariant aborts, which both libFuzzer and Check report
 * as a failure with the message printed here.
 *
 * libFuzzer gives a harness no context pointer, so the state a harness keeps
 * between inputs (a loaded lexicon, an open store) lives in a file-local
 * static: the one exception to the project's no-globals rule, confined to
 * test code. */
#ifndef NG_FUZZ_H
#define NG_FUZZ_H

#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef NG_FUZZ_LIBFUZZER
/* Sanitizer defaults of the fuzzers (the replay programs take those of
 * base/sanitizer-hooks.c instead).  Redland's Berkeley DB cursor compares
 * keys past their end (see sanitizer-hooks.c): non-strict memcmp checks.
 * Raptor and Rasqal leak on their own, and matching their frames in leak
 * suppressions needs the slow unwinder, which would cost most of the
 * fuzzer's speed: the harnesses that use them define NG_FUZZ_NO_LEAK_CHECK
 * and are checked for leaks by the replay under --enable-asan instead. */
__attribute__((visibility("default"), used)) const char *__asan_default_options(void);
const char *__asan_default_options(void) {
#ifdef NG_FUZZ_NO_LEAK_CHECK
  return "strict_memcmp=0:detect_leaks=0";
#else
  return "strict_memcmp=0";
#endif
}
#endif

/* Abort with a message when an invariant does not hold. */
#define NG_FUZZ_CHECK(cond, ...)                                               \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__,     \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Diagnostics are counted, not printed: a fuzzer that prints every error
 * it provokes runs at the speed of the terminal.  NG_FUZZ_VERBOSE=1 in the
 * environment prints them (to see why an input is refused). */
typedef struct {
  unsigned long errors, warnings;
  bool verbose;
} NgFuzzSink;

NG_UNUSED static void ng_fuzz_sink(void *handle, const NgError *e) {
  NgFuzzSink *sink = handle;
  if (e->level == NG_LEVEL_ERROR) sink->errors++;
  if (e->level == NG_LEVEL_WARNING) sink->warnings++;
  /* every diagnostic is one line of text, as the public header promises */
  NG_FUZZ_CHECK(e->message && !strchr(e->message, '\n'), "diagnostic '%s'",
                e->message ? e->message : "(null)");
  if (sink->verbose)
    fprintf(stderr, "fuzz: %s: %s:%lu:%lu: %s\n", e->level == NG_LEVEL_ERROR ? "error" : "note",
            e->file ? e->file : "", e->line, e->col, e->message);
}

NG_UNUSED static NgWorld *ng_fuzz_world_new(NgFuzzSink *sink) {
  NgWorld *world = ng_world_new();
  NG_FUZZ_CHECK(world != NULL, "no world");
  memset(sink, 0, sizeof *sink);
  const char *v = getenv("NG_FUZZ_VERBOSE");
  sink->verbose = v && *v && *v != '0';
  ng_world_set_error_sink(world, ng_fuzz_sink, sink);
  return world;
}

/* A directory for scratch files: $TMPDIR, else /dev/shm when it can be
 * written (the import harness syncs its journal: tmpfs makes that free),
 * else /tmp. */
NG_UNUSED static const char *ng_fuzz_tmpdir(void) {
  const char *t = getenv("TMPDIR");
  if (t && *t) return t;
  FILE *probe = fopen("/dev/shm/.ng-fuzz-probe", "w");
  if (probe) {
    fclose(probe);
    remove("/dev/shm/.ng-fuzz-probe");
    return "/dev/shm";
  }
  return "/tmp";
}

/* Removes path and, for a folder, everything in it (symbolic links are
 * removed, never followed). */
NG_UNUSED static void ng_fuzz_remove_tree(const char *path) {
  struct stat sb;
  if (lstat(path, &sb)) return;
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char *child = malloc(strlen(path) + strlen(e->d_name) + 2);
      NG_FUZZ_CHECK(child != NULL, "out of memory");
      sprintf(child, "%s/%s", path, e->d_name);
      ng_fuzz_remove_tree(child);
      free(child);
    }
    if (d) closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* Scratch folders are ng-fuzz-PID-XXXXXX: one whose process is gone was
 * left by a harness that did not reach its exit handlers (libFuzzer ends
 * with _Exit after a crash, a timeout or an out-of-memory stop, and a
 * killed process runs nothing), and the next harness removes it. */
NG_UNUSED static void ng_fuzz_sweep(const char *tmp) {
  DIR *d = opendir(tmp);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    long pid = 0;
    int end = 0;
    if (sscanf(e->d_name, "ng-fuzz-%ld-%n", &pid, &end) != 1 || !end || pid <= 0) continue;
    if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
    ng_fuzz_remove_tree(path);
  }
  if (d) closedir(d);
}

NG_UNUSED static char *ng_fuzz_scratch_path(void) {
  static char dir[4096]; /* (see the opening comment on statics) */
  return dir;
}

NG_UNUSED static void ng_fuzz_scratch_remove(void) { ng_fuzz_remove_tree(ng_fuzz_scratch_path()); }

/* This process's scratch folder, made on first use under ng_fuzz_tmpdir()
 * and removed whole at exit: no harness leaves files behind.  Call it
 * before registering an exit handler that still uses it (handlers run in
 * reverse order). */
NG_UNUSED static const char *ng_fuzz_scratch(void) {
  char *dir = ng_fuzz_scratch_path();
  if (*dir) return dir;
  const char *tmp = ng_fuzz_tmpdir();
  ng_fuzz_sweep(tmp);
  snprintf(dir, 4096, "%.4000s/ng-fuzz-%ld-XXXXXX", tmp, (long)getpid());
  NG_FUZZ_CHECK(mkdtemp(dir) != NULL, "cannot make a folder in %s", tmp);
  atexit(ng_fuzz_scratch_remove);
  return dir;
}

/* Write data to path; aborts on failure (the harness cannot go on). */
NG_UNUSED static void ng_fuzz_write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  NG_FUZZ_CHECK(f != NULL, "cannot create %s", path);
  NG_FUZZ_CHECK(fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);
}

/* Copy of data[0..size) made valid UTF-8 without NUL bytes (what the
 * readers guarantee the pipeline): each bad byte becomes '?'.  Exactly
 * size bytes, and deliberately not NUL-terminated unless terminate is set,
 * so that AddressSanitizer sees any read past the end.  Caller frees. */
NG_UNUSED static char *ng_fuzz_utf8_copy(const uint8_t *data, size_t size, bool terminate) {
  char *out = malloc(size + (terminate ? 1 : 0) + 1);
  NG_FUZZ_CHECK(out != NULL, "out of memory");
  size_t i = 0;
  while (i < size) {
    size_t n = data[i] ? ng_utf8_seq_len(data + i, size - i) : 0;
    if (n == 0) {
      out[i++] = '?';
    } else {
      memcpy(out + i, data + i, n);
      i += n;
    }
  }
  if (terminate) out[size] = '\0';
  return out;
}

/* A small deterministic reading of the input's leading bytes. */
typedef struct {
  const uint8_t *data;
  size_t size;
} NgFuzzInput;

NG_UNUSED static unsigned ng_fuzz_byte(NgFuzzInput *in) {
  if (!in->size) return 0;
  in->size--;
  return *in->data++;
}

#endif /* NG_FUZZ_H */
