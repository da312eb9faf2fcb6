/* Whole files and folders of text files, read the one way every loader of
 * data (the lexicon, PETRARCH-2 dictionaries) needs: all of a file or an
 * error, never a file cut short because memory ran out half-way. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

NgStatus ng_file_read(const char *path, char **text, size_t *len) {
  *text = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return NG_ERR_IO;
  NgBuf b = NG_BUF_INIT;
  char chunk[65536];
  size_t n;
  NgStatus st = NG_SUCCESS;
  while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0) st = ng_buf_append(&b, chunk, n);
  if (!st && ferror(f)) st = NG_ERR_IO;
  int saved = errno;
  fclose(f);
  if (!st) st = ng_buf_putc(&b, '\0'); /* an empty file still gives "" */
  if (st) {
    ng_buf_free(&b);
    errno = saved;
    return st;
  }
  *len = b.len - 1;
  *text = ng_buf_take(&b);
  return NG_SUCCESS;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_suffix_nocase(const char *name, const char *suffix) {
  size_t n = strlen(name), k = strlen(suffix);
  return n > k && !strcasecmp(name + n - k, suffix);
}

static bool is_regular_file(const char *dir, const char *name) {
  NgBuf path = NG_BUF_INIT;
  struct stat sb;
  bool ok = !ng_buf_printf(&path, "%s/%s", dir, name) && !stat(ng_buf_str(&path), &sb) &&
            S_ISREG(sb.st_mode);
  ng_buf_free(&path);
  return ok;
}

void ng_names_free(char **names) {
  if (!names) return;
  for (char **n = names; *n; ++n) free(*n);
  free(names);
}

NgStatus ng_dir_list(const char *dir, const char *suffix, char ***names_out) {
  *names_out = NULL;
  DIR *d = opendir(dir);
  if (!d) return NG_ERR_IO;
  size_t n = 0, cap = 16;
  char **names = calloc(cap, sizeof *names);
  NgStatus st = names ? NG_SUCCESS : NG_ERR_NOMEM;
  struct dirent *de;
  while (!st && (de = readdir(d))) {
    if (!has_suffix_nocase(de->d_name, suffix) || !is_regular_file(dir, de->d_name)) continue;
    if (n + 1 == cap) {
      char **p = realloc(names, (cap *= 2) * sizeof *p);
      if (!p) {
        st = NG_ERR_NOMEM;
        break;
      }
      names = p;
    }
    if (!(names[n] = strdup(de->d_name))) st = NG_ERR_NOMEM;
    else names[++n] = NULL;
  }
  closedir(d);
  if (st) {
    ng_names_free(names);
    return st;
  }
  qsort(names, n, sizeof *names, compare_names);
  *names_out = names;
  return NG_SUCCESS;
}
