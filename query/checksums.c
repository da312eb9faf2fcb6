/* checksums.c - what a generation's graph files were when they were
 * written: the checkpoint that makes a generation lists each *.db file
 * with its size and CRC-32 in gen-NNNNNN/checksums (its count goes into
 * meta), so that a file that went missing, was cut short or was damaged is
 * found and named before anything is read from it or copied forward.
 *
 * Readers check names and sizes (a stat each: cheap); a writer checks the
 * contents too before it copies the generation into the next one, so that
 * damage never travels forward.  (Berkeley DB itself answers from a
 * truncated or damaged file with fewer statements and no error.) */
#include "query.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_graph_file(const char *name) {
  size_t n = strlen(name);
  return n > 3 && !strcmp(name + n - 3, ".db");
}

static NgStatus file_crc(const char *path, uint32_t *crc, uint64_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NG_ERR_IO;
  static const size_t chunk = 1 << 16;
  unsigned char *buf = malloc(chunk);
  NgStatus st = buf ? NG_SUCCESS : NG_ERR_NOMEM;
  ssize_t n = 0;
  *crc = 0;
  *size = 0;
  while (!st && (n = read(fd, buf, chunk)) > 0) {
    *crc = ng_crc32(*crc, buf, (size_t)n);
    *size += (uint64_t)n;
  }
  if (!st && n < 0) st = NG_ERR_IO;
  free(buf);
  close(fd);
  return st;
}

NgStatus ng_store_write_checksums(NgStore *store, const char *gen_dir, uint64_t *count) {
  DIR *d = opendir(gen_dir);
  if (!d) return NG_ERR_IO;
  NgBuf list = NG_BUF_INIT, path = NG_BUF_INIT;
  NgStatus st = NG_SUCCESS;
  struct dirent *e;
  *count = 0;
  while (!st && (e = readdir(d))) {
    if (!is_graph_file(e->d_name)) continue;
    uint32_t crc;
    uint64_t size;
    ng_buf_clear(&path);
    st = ng_buf_printf(&path, "%s/%s", gen_dir, e->d_name);
    if (!st) st = file_crc(path.data, &crc, &size);
    if (!st)
      st = ng_buf_printf(&list, "%s %llu %08lx\n", e->d_name, (unsigned long long)size,
                         (unsigned long)crc);
    ++*count;
  }
  closedir(d);
  if (!st) st = ng_write_atomic(store->world, gen_dir, "checksums", ng_buf_str(&list), list.len);
  ng_buf_free(&list);
  ng_buf_free(&path);
  return st;
}

static NgStatus refuse(NgStore *store, const char *path, const char *what) {
  ng_report(store->world, NG_ERR_STORE, NG_LEVEL_ERROR, path, 0, 0,
            "%s: the store is refused and left as it is (restore it from a copy)", what);
  return NG_ERR_STORE;
}

/* One line "NAME SIZE CRC" against the file. */
static NgStatus check_line(NgStore *store, const char *gen_dir, const char *line, bool full) {
  char name[256];
  unsigned long long size;
  unsigned long crc;
  if (sscanf(line, "%255s %llu %lx", name, &size, &crc) != 3)
    return refuse(store, gen_dir, "damaged list of checksums");
  NgBuf path = NG_BUF_INIT;
  NgStatus st = ng_buf_printf(&path, "%s/%s", gen_dir, name);
  struct stat sb;
  char what[160];
  if (!st && stat(path.data, &sb)) {
    snprintf(what, sizeof what, "missing graph file (%s)", strerror(errno));
    st = refuse(store, path.data, what);
  } else if (!st && (unsigned long long)sb.st_size != size) {
    snprintf(what, sizeof what, "graph file of %llu bytes, written with %llu: damaged",
             (unsigned long long)sb.st_size, size);
    st = refuse(store, path.data, what);
  } else if (!st && full) {
    uint32_t now;
    uint64_t read_size;
    st = file_crc(path.data, &now, &read_size);
    if (st == NG_ERR_IO)
      st = refuse(store, path.data, "unreadable graph file");
    else if (!st && (now != crc || read_size != size))
      st = refuse(store, path.data,
                  "graph file whose contents changed since it was written: "
                  "damaged");
  }
  ng_buf_free(&path);
  return st;
}

NgStatus ng_store_check_generation(NgStore *store, unsigned long gen, const NgMeta *meta,
                                   bool full) {
  if (!meta->files) return NG_SUCCESS; /* an older store: nothing to check against */
  char *gen_dir = ng_store_gen_path(store, gen, NULL);
  char *list_path = ng_store_gen_path(store, gen, "checksums");
  NgStatus st = gen_dir && list_path ? NG_SUCCESS : NG_ERR_NOMEM;
  FILE *f = st ? NULL : fopen(list_path, "r");
  if (!st && !f) st = refuse(store, list_path, "missing list of checksums");
  char line[512];
  uint64_t lines = 0;
  while (!st && fgets(line, sizeof line, f)) {
    st = check_line(store, gen_dir, line, full);
    lines++;
  }
  if (f) fclose(f);
  if (!st && lines != meta->files) st = refuse(store, list_path, "damaged list of checksums");
  free(gen_dir);
  free(list_path);
  return st;
}
