/* sparql-expr.c - SPARQL expressions: values of term ids, operators with
 * numeric type promotion, comparisons, effective boolean value, and every
 * builtin function of SPARQL 1.1 with its type errors (section 17).
 *
 * Ids are decoded only here: joins compare ids, expressions need values.
 * xsd:decimal is kept exactly as a 128-bit integer scaled by 10^18 (18
 * fractional digits, integer part up to 10^20): enough for the values
 * queries compute, exact where a double would print 0.30000000000000004.
 * Hashes come from Nettle, regular expressions from PCRE2, case mapping
 * from utf8proc. */
#include "sparql-engine.h"
#include "iri.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <math.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <pcre2.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <utf8proc.h>

#define XSD NG_NS_XSD
#define DEC_ONE ((__int128)1000000000000000000LL)

/* ================================================================ memory */

void *ng_sq_tmp_alloc(NgSqTmp *t, size_t size) {
  enum { CHUNK = 16384 };
  size = (size + 15) & ~(size_t)15;
  if (t->n && t->used + size <= CHUNK) {
    void *p = t->chunks[t->n - 1] + t->used;
    t->used += size;
    return p;
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 8;
    char **c = realloc(t->chunks, cap * sizeof *c);
    if (!c) return NULL;
    t->chunks = c;
    t->cap = cap;
  }
  char *chunk = malloc(size > CHUNK ? size : CHUNK);
  if (!chunk) return NULL;
  t->chunks[t->n++] = chunk;
  t->used = size;
  return chunk;
}

NgSqMark ng_sq_tmp_mark(const NgSqTmp *t) { return (NgSqMark){t->n, t->used}; }

void ng_sq_tmp_release(NgSqTmp *t, NgSqMark m) {
  while (t->n > m.n && t->n > 1)
    free(t->chunks[--t->n]);
  if (t->n > m.n) { /* keep the first chunk for reuse */
    t->used = 0;
    return;
  }
  t->used = m.used;
}

void ng_sq_tmp_free(NgSqTmp *t) {
  for (size_t i = 0; i < t->n; ++i)
    free(t->chunks[i]);
  free(t->chunks);
  memset(t, 0, sizeof *t);
}

static char *tmp_str(NgSqExec *x, const char *s, size_t n) {
  char *c = ng_sq_tmp_alloc(&x->tmp, n + 1);
  if (!c) return NULL;
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* ============================================================ local ids */

static size_t term_key(const NgTerm *t, NgBuf *b) {
  ng_buf_clear(b);
  ng_buf_putc(b, (char)('0' + t->kind));
  ng_buf_append(b, t->value, strlen(t->value) + 1);
  if (t->datatype)
    ng_buf_append(b, t->datatype, strlen(t->datatype) + 1);
  else
    ng_buf_putc(b, '\0');
  if (t->lang) ng_buf_puts(b, t->lang);
  return b->len;
}

/* The store's id of a term, or a local one. */
NgStatus ng_sq_id_of_term(NgSqExec *x, const NgTerm *term, NgSqId *id) {
  NgTerm t = *term;
  if (t.kind == NG_TERM_LITERAL && t.datatype && !strcmp(t.datatype, XSD "string"))
    t.datatype = NULL;
  if (t.kind != NG_TERM_BLANK && x->txn) {
    NgStatus st = ng_qs_lookup(x->txn, &t, id);
    if (!st) return NG_SUCCESS;
    if (st != NG_END && st != NG_ERR_TOO_LARGE) return st;
  }
  NgBuf key = NG_BUF_INIT;
  size_t len = term_key(&t, &key);
  if (!key.data) return NG_ERR_NOMEM;
  uintptr_t *slot;
  bool inserted;
  if (!(slot = ng_map_slot(x->local_map, key.data, len, &inserted))) {
    ng_buf_free(&key);
    return NG_ERR_NOMEM;
  }
  ng_buf_free(&key);
  if (!inserted) {
    *id = NG_QS_LOCAL_ID(*slot);
    return NG_SUCCESS;
  }
  if (x->nlocal == x->cap_local) {
    size_t cap = x->cap_local ? x->cap_local * 2 : 64;
    NgTerm *l = realloc(x->local, cap * sizeof *l);
    if (!l) return NG_ERR_NOMEM;
    x->local = l;
    x->cap_local = cap;
  }
  NgTerm *c = &x->local[x->nlocal];
  c->kind = t.kind;
  c->value = ng_arena_strdup(&x->local_arena, t.value);
  c->datatype = t.datatype ? ng_arena_strdup(&x->local_arena, t.datatype) : NULL;
  c->lang = t.lang ? ng_arena_strdup(&x->local_arena, t.lang) : NULL;
  if (!c->value || (t.datatype && !c->datatype) || (t.lang && !c->lang)) return NG_ERR_NOMEM;
  *slot = x->nlocal;
  *id = NG_QS_LOCAL_ID(x->nlocal);
  x->nlocal++;
  return NG_SUCCESS;
}

NgStatus ng_sq_term_of(NgSqExec *x, NgSqId id, NgTerm *term, NgTermScratch *scratch) {
  if (NG_QS_IS_LOCAL_ID(id)) {
    size_t i = NG_QS_LOCAL_INDEX(id);
    if (i >= x->nlocal) return NG_ERR_BAD_ARG;
    *term = x->local[i];
    return NG_SUCCESS;
  }
  return ng_qs_term(x->txn, id, term, scratch);
}

NgStatus ng_sq_new_bnode(NgSqExec *x, NgSqId *id) {
  char label[48];
  snprintf(label, sizeof label, "q%llxb%llu", (unsigned long long)x->bnode_base,
           (unsigned long long)++x->bnode_counter);
  NgTerm t = {NG_TERM_BLANK, label, NULL, NULL};
  return ng_sq_id_of_term(x, &t, id);
}

/* ========================================================= numbers */

static bool is_int_type(const char *dt) {
  static const char *const types[] = {"integer",
                                      "int",
                                      "long",
                                      "short",
                                      "byte",
                                      "nonNegativeInteger",
                                      "nonPositiveInteger",
                                      "negativeInteger",
                                      "positiveInteger",
                                      "unsignedLong",
                                      "unsignedInt",
                                      "unsignedShort",
                                      "unsignedByte"};
  if (strncmp(dt, XSD, sizeof XSD - 1)) return false;
  for (size_t i = 0; i < NG_COUNTOF(types); ++i)
    if (!strcmp(dt + sizeof XSD - 1, types[i])) return true;
  return false;
}

static bool parse_int(const char *s, int64_t *v) {
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  if (!*p) return false;
  for (const char *q = p; *q; ++q)
    if (*q < '0' || *q > '9') return false;
  errno = 0;
  char *end;
  long long x = strtoll(s, &end, 10);
  if (errno || *end) return false;
  *v = x;
  return true;
}

static bool parse_dec(const char *s, __int128 *v) {
  const char *p = s;
  bool neg = false, digits = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  __int128 ip = 0, fp = 0, scale = DEC_ONE;
  for (; *p >= '0' && *p <= '9'; ++p) {
    digits = true;
    if (ip > (__int128)100000000000000000000.0L) return false;
    ip = ip * 10 + (*p - '0');
  }
  if (*p == '.') {
    for (++p; *p >= '0' && *p <= '9'; ++p) {
      digits = true;
      if (scale > 1) {
        scale /= 10;
        fp += (*p - '0') * scale;
      }
    }
  }
  if (*p || !digits) return false;
  *v = (ip * DEC_ONE + fp) * (neg ? -1 : 1);
  return true;
}

static bool parse_double(const char *s, double *d) {
  if (!strcmp(s, "INF") || !strcmp(s, "+INF"))
    *d = INFINITY;
  else if (!strcmp(s, "-INF"))
    *d = -INFINITY;
  else if (!strcmp(s, "NaN"))
    *d = NAN;
  else {
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    bool digits = false;
    for (; *p; ++p) {
      if (*p >= '0' && *p <= '9')
        digits = true;
      else if (!strchr(".eE+-", *p))
        return false;
    }
    if (!digits) return false;
    char *end;
    *d = strtod(s, &end);
    if (*end) return false;
  }
  return true;
}

static void format_dec(__int128 v, char *out, size_t cap) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
  unsigned __int128 ip = u / (unsigned __int128)DEC_ONE, fp = u % (unsigned __int128)DEC_ONE;
  char ibuf[48], *p = ibuf + sizeof ibuf;
  *--p = '\0';
  do {
    *--p = (char)('0' + (int)(ip % 10));
    ip /= 10;
  } while (ip);
  char fbuf[20];
  for (int i = 17; i >= 0; --i) {
    fbuf[i] = (char)('0' + (int)(fp % 10));
    fp /= 10;
  }
  int flen = 18;
  while (flen > 1 && fbuf[flen - 1] == '0')
    flen--;
  snprintf(out, cap, "%s%s.%.*s", neg ? "-" : "", p, flen, fbuf);
}

/* XSD canonical double: mantissa with one digit before the point, E exponent. */
static void format_double(double d, char *out, size_t cap) {
  if (isnan(d)) {
    snprintf(out, cap, "NaN");
    return;
  }
  if (isinf(d)) {
    snprintf(out, cap, d > 0 ? "INF" : "-INF");
    return;
  }
  char buf[64];
  snprintf(buf, sizeof buf, "%.17E", d);
  /* shortest representation that reads back the same */
  for (int prec = 1; prec <= 17; ++prec) {
    snprintf(buf, sizeof buf, "%.*E", prec - 1, d);
    if (strtod(buf, NULL) == d) break;
  }
  char *e = strchr(buf, 'E');
  int exp = atoi(e + 1);
  *e = '\0';
  if (!strchr(buf, '.')) strcat(buf, ".0");
  snprintf(out, cap, "%sE%d", buf, exp);
}

/* ====================================================== dates and times */

static bool digits(const char *s, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    *v = *v * 10 + (s[i] - '0');
  }
  return true;
}

/* "[-]YYYY-MM-DD[THH:MM:SS[.fff]][Z|+HH:MM]" */
static bool parse_datetime(const char *s, bool with_time, NgSqValue *v) {
  const char *p = s;
  bool neg = *p == '-';
  if (neg) p++;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  const char *dash = strchr(p, '-');
  if (!dash || dash - p < 4) return false;
  if (!digits(p, (int)(dash - p), &y)) return false;
  p = dash + 1;
  if (!digits(p, 2, &mo) || p[2] != '-' || !digits(p + 3, 2, &d)) return false;
  p += 5;
  int32_t nanos = 0;
  if (with_time) {
    if (*p != 'T' || !digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) ||
        p[6] != ':' || !digits(p + 7, 2, &sec))
      return false;
    p += 9;
    if (*p == '.') {
      int scale = 100000000;
      if (p[1] < '0' || p[1] > '9') return false;
      for (++p; *p >= '0' && *p <= '9'; ++p) {
        nanos += (*p - '0') * scale;
        scale /= 10;
      }
    }
    if (h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi || sec || nanos))) return false;
  }
  if (neg) y = -y;
  if (mo < 1 || mo > 12 || d < 1 || d > ng_days_in_month(y, mo)) return false;
  v->has_tz = false;
  v->tz = 0;
  if (*p == 'Z') {
    v->has_tz = true;
    p++;
  } else if (*p == '+' || *p == '-') {
    int th, tm;
    if (!digits(p + 1, 2, &th) || p[3] != ':' || !digits(p + 4, 2, &tm) || th > 14 || tm > 59)
      return false;
    v->has_tz = true;
    v->tz = (int16_t)((*p == '-' ? -1 : 1) * (th * 60 + tm));
    p += 6;
  }
  if (*p) return false;
  long days = ng_date_to_days((NgDate){y, mo, d});
  v->secs = (int64_t)days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)v->tz * 60;
  v->nanos = nanos;
  return true;
}

/* Local (zone-adjusted) fields of a date/time value. */
static void datetime_fields(const NgSqValue *v, NgDate *date, int *h, int *mi, int *s) {
  int64_t local = v->secs + (int64_t)v->tz * 60;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t rest = local - days * 86400;
  *date = ng_date_from_days((long)days);
  *h = (int)(rest / 3600);
  *mi = (int)(rest % 3600 / 60);
  *s = (int)(rest % 60);
}

/* ======================================================== values of ids */

static void value_literal(NgSqValue *v, const NgTerm *t) {
  v->str = t->value;
  v->len = strlen(t->value);
  v->dt = t->datatype;
  v->lang = t->lang;
  if (t->lang) {
    v->kind = NG_SQ_V_LANG;
    return;
  }
  const char *dt = t->datatype;
  if (!dt || !strcmp(dt, XSD "string")) {
    v->kind = NG_SQ_V_STR;
    v->dt = NULL;
    return;
  }
  v->kind = NG_SQ_V_OTHER;
  if (is_int_type(dt)) {
    if (parse_int(t->value, &v->i)) v->kind = NG_SQ_V_INT;
  } else if (!strcmp(dt, XSD "decimal")) {
    if (parse_dec(t->value, &v->dec)) v->kind = NG_SQ_V_DEC;
  } else if (!strcmp(dt, XSD "double") || !strcmp(dt, XSD "float")) {
    if (parse_double(t->value, &v->d))
      v->kind = dt[sizeof XSD - 1] == 'd' ? NG_SQ_V_DBL : NG_SQ_V_FLT;
  } else if (!strcmp(dt, XSD "boolean")) {
    if (!strcmp(t->value, "true") || !strcmp(t->value, "1")) {
      v->kind = NG_SQ_V_BOOL;
      v->b = true;
    } else if (!strcmp(t->value, "false") || !strcmp(t->value, "0")) {
      v->kind = NG_SQ_V_BOOL;
      v->b = false;
    }
  } else if (!strcmp(dt, XSD "dateTime")) {
    if (parse_datetime(t->value, true, v)) v->kind = NG_SQ_V_DATETIME;
  } else if (!strcmp(dt, XSD "date")) {
    if (parse_datetime(t->value, false, v)) v->kind = NG_SQ_V_DATE;
  }
}

NgStatus ng_sq_value_of(NgSqExec *x, NgSqId id, NgSqValue *v) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->id = id;
  if (!id) {
    v->kind = NG_SQ_V_ERR; /* unbound */
    return NG_SUCCESS;
  }
  int64_t i;
  if (!NG_QS_IS_LOCAL_ID(id) && ng_qs_id_integer(id, &i)) {
    v->kind = NG_SQ_V_INT;
    v->i = i;
    v->dt = XSD "integer";
    /* the lexical form is made only when asked for (STR) */
    char *s = ng_sq_tmp_alloc(&x->tmp, 24);
    if (!s) return NG_ERR_NOMEM;
    v->len = (size_t)snprintf(s, 24, "%lld", (long long)i);
    v->str = s;
    return NG_SUCCESS;
  }
  NgTerm t;
  NgStatus st = ng_sq_term_of(x, id, &t, &v->scratch);
  if (st) return st;
  /* inline terms are rendered into the scratch: copy them out, so that
   * values can be copied freely */
  const char *sb = v->scratch.buf, *se = sb + sizeof v->scratch.buf;
  if (t.value >= sb && t.value < se && !(t.value = tmp_str(x, t.value, strlen(t.value))))
    return NG_ERR_NOMEM;
  if (t.lang && t.lang >= sb && t.lang < se && !(t.lang = tmp_str(x, t.lang, strlen(t.lang))))
    return NG_ERR_NOMEM;
  if (t.kind == NG_TERM_IRI) {
    v->kind = NG_SQ_V_IRI;
    v->str = t.value;
    v->len = strlen(t.value);
  } else if (t.kind == NG_TERM_BLANK) {
    v->kind = NG_SQ_V_BLANK;
    v->str = t.value;
    v->len = strlen(t.value);
  } else {
    value_literal(v, &t);
  }
  return NG_SUCCESS;
}

/* The RDF term of a value (strings borrowed from the value or tmp). */
static NgStatus term_of_value(NgSqExec *x, NgSqValue *v, NgTerm *t) {
  char buf[64];
  *t = (NgTerm){NG_TERM_LITERAL, v->str, v->dt, NULL};
  switch (v->kind) {
  case NG_SQ_V_IRI: t->kind = NG_TERM_IRI; return NG_SUCCESS;
  case NG_SQ_V_BLANK: t->kind = NG_TERM_BLANK; return NG_SUCCESS;
  case NG_SQ_V_STR: t->datatype = NULL; return NG_SUCCESS;
  case NG_SQ_V_LANG:
    t->datatype = NULL;
    t->lang = v->lang;
    return NG_SUCCESS;
  case NG_SQ_V_OTHER:
  case NG_SQ_V_DATETIME:
  case NG_SQ_V_DATE:
    if (v->str) return NG_SUCCESS;
    return NG_ERR_BAD_ARG;
  default: break;
  }
  if (v->str) return NG_SUCCESS; /* a literal read from the store keeps its form */
  switch (v->kind) {
  case NG_SQ_V_BOOL:
    t->value = v->b ? "true" : "false";
    t->datatype = XSD "boolean";
    break;
  case NG_SQ_V_INT:
    snprintf(buf, sizeof buf, "%lld", (long long)v->i);
    t->datatype = XSD "integer";
    break;
  case NG_SQ_V_DEC:
    format_dec(v->dec, buf, sizeof buf);
    t->datatype = XSD "decimal";
    break;
  case NG_SQ_V_DBL:
    format_double(v->d, buf, sizeof buf);
    t->datatype = XSD "double";
    break;
  case NG_SQ_V_FLT:
    format_double((float)v->d, buf, sizeof buf);
    t->datatype = XSD "float";
    break;
  default: return NG_ERR_BAD_ARG;
  }
  if (v->kind != NG_SQ_V_BOOL && !(t->value = tmp_str(x, buf, strlen(buf)))) return NG_ERR_NOMEM;
  return NG_SUCCESS;
}

NgStatus ng_sq_id_of_value(NgSqExec *x, NgSqValue *v, NgSqId *id) {
  if (v->kind == NG_SQ_V_ERR) {
    *id = 0;
    return NG_SUCCESS;
  }
  if (v->id) {
    *id = v->id;
    return NG_SUCCESS;
  }
  NgTerm t;
  NgStatus st = term_of_value(x, v, &t);
  if (!st) st = ng_sq_id_of_term(x, &t, id);
  if (!st) v->id = *id;
  return st;
}

/* ============================================================ builders */

static void set_err(NgSqValue *v) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = NG_SQ_V_ERR;
}

static void set_bool(NgSqValue *v, bool b) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = NG_SQ_V_BOOL;
  v->b = b;
}

static void set_int(NgSqValue *v, int64_t i) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = NG_SQ_V_INT;
  v->i = i;
}

static void set_dbl(NgSqValue *v, double d, NgSqVKind kind) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = kind;
  v->d = kind == NG_SQ_V_FLT ? (float)d : d;
}

static void set_dec(NgSqValue *v, __int128 d) {
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = NG_SQ_V_DEC;
  v->dec = d;
}

/* A string result: kind STR or LANG (lang borrowed), text in tmp. */
static NgStatus set_str(NgSqExec *x, NgSqValue *v, const char *s, size_t n, const char *lang) {
  char *c = tmp_str(x, s, n);
  if (!c) return NG_ERR_NOMEM;
  memset(v, 0, offsetof(NgSqValue, scratch));
  v->kind = lang ? NG_SQ_V_LANG : NG_SQ_V_STR;
  v->str = c;
  v->len = n;
  v->lang = lang;
  return NG_SUCCESS;
}

static bool is_numeric(const NgSqValue *v) {
  return v->kind == NG_SQ_V_INT || v->kind == NG_SQ_V_DEC || v->kind == NG_SQ_V_FLT ||
         v->kind == NG_SQ_V_DBL;
}

static bool is_string(const NgSqValue *v) {
  return v->kind == NG_SQ_V_STR || v->kind == NG_SQ_V_LANG;
}

static bool is_literal(const NgSqValue *v) {
  return v->kind != NG_SQ_V_ERR && v->kind != NG_SQ_V_IRI && v->kind != NG_SQ_V_BLANK;
}

/* The lexical form of a literal value (made for computed numbers). */
static NgStatus lexical(NgSqExec *x, NgSqValue *v) {
  if (v->str) return NG_SUCCESS;
  NgTerm t;
  NgStatus st = term_of_value(x, v, &t);
  if (st) return st;
  v->str = t.value;
  v->len = strlen(t.value);
  return NG_SUCCESS;
}

bool ng_sq_ebv(const NgSqValue *v, bool *error) {
  *error = false;
  switch (v->kind) {
  case NG_SQ_V_BOOL: return v->b;
  case NG_SQ_V_STR: return v->len > 0;
  case NG_SQ_V_INT: return v->i != 0;
  case NG_SQ_V_DEC: return v->dec != 0;
  case NG_SQ_V_FLT:
  case NG_SQ_V_DBL: return v->d != 0 && !isnan(v->d);
  case NG_SQ_V_OTHER:
    /* an ill-formed boolean or number is false */
    if (v->dt &&
        (!strcmp(v->dt, XSD "boolean") || is_int_type(v->dt) || !strcmp(v->dt, XSD "decimal") ||
         !strcmp(v->dt, XSD "double") || !strcmp(v->dt, XSD "float")))
      return false;
    *error = true;
    return false;
  default: *error = true; return false;
  }
}

/* ========================================================= arithmetic */

static double as_double(const NgSqValue *v) {
  switch (v->kind) {
  case NG_SQ_V_INT: return (double)v->i;
  case NG_SQ_V_DEC: return (double)v->dec / 1e18;
  default: return v->d;
  }
}

static __int128 as_dec(const NgSqValue *v) {
  return v->kind == NG_SQ_V_INT ? (__int128)v->i * DEC_ONE : v->dec;
}

/* The promoted kind of two numeric operands. */
static NgSqVKind promote(const NgSqValue *a, const NgSqValue *b) {
  return a->kind > b->kind ? a->kind : b->kind; /* INT < DEC < FLT < DBL in the enum */
}

static void arith(NgSqExprOp op, const NgSqValue *a, const NgSqValue *b, NgSqValue *out) {
  if (!is_numeric(a) || !is_numeric(b)) {
    set_err(out);
    return;
  }
  NgSqVKind k = promote(a, b);
  if (k == NG_SQ_V_INT && op != NG_SQ_E_DIV) {
    int64_t r;
    bool ovf = op == NG_SQ_E_ADD   ? __builtin_add_overflow(a->i, b->i, &r)
               : op == NG_SQ_E_SUB ? __builtin_sub_overflow(a->i, b->i, &r)
                                   : __builtin_mul_overflow(a->i, b->i, &r);
    if (!ovf) {
      set_int(out, r);
      return;
    }
    k = NG_SQ_V_DEC;
  }
  if (k == NG_SQ_V_INT || k == NG_SQ_V_DEC) {
    __int128 x = as_dec(a), y = as_dec(b), r;
    switch (op) {
    case NG_SQ_E_ADD:
      if (__builtin_add_overflow(x, y, &r)) goto as_double;
      break;
    case NG_SQ_E_SUB:
      if (__builtin_sub_overflow(x, y, &r)) goto as_double;
      break;
    case NG_SQ_E_MUL: {
      /* (x * y) / 10^18 without overflow when the operands are small */
      __int128 xi = x / DEC_ONE, xf = x % DEC_ONE;
      __int128 t1, t2;
      if (__builtin_mul_overflow(xi, y, &t1) || __builtin_mul_overflow(xf, y / DEC_ONE, &t2))
        goto as_double;
      r = t1 + t2 + (xf * (y % DEC_ONE)) / DEC_ONE;
      break;
    }
    default:
      if (y == 0) {
        set_err(out);
        return;
      }
      {
        /* x / y with 18 fractional digits: long division by parts */
        bool neg = (x < 0) != (y < 0);
        unsigned __int128 ux = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
        unsigned __int128 uy = y < 0 ? -(unsigned __int128)y : (unsigned __int128)y;
        unsigned __int128 q = ux / uy, rem = ux % uy;
        if (q > (unsigned __int128)DEC_ONE * 100000000000000000000.0L) goto as_double;
        unsigned __int128 res = q * (unsigned __int128)DEC_ONE;
        unsigned __int128 scale = (unsigned __int128)DEC_ONE;
        while (scale > 1 && rem) {
          scale /= 10;
          rem *= 10;
          res += (rem / uy) * scale;
          rem %= uy;
        }
        r = neg ? -(__int128)res : (__int128)res;
      }
    }
    set_dec(out, r);
    return;
  }
as_double : {
  double x = as_double(a), y = as_double(b), r;
  switch (op) {
  case NG_SQ_E_ADD: r = x + y; break;
  case NG_SQ_E_SUB: r = x - y; break;
  case NG_SQ_E_MUL: r = x * y; break;
  default: r = x / y; break;
  }
  set_dbl(out, r, k == NG_SQ_V_FLT ? NG_SQ_V_FLT : NG_SQ_V_DBL);
}
}

/* ========================================================= comparison */

/* -1, 0, 1; *err for operands that cannot be compared.  eq: only equality
 * is asked (then more pairs are comparable, e.g. IRIs). */
static int compare(NgSqValue *a, NgSqValue *b, bool eq, bool *err) {
  *err = false;
  if (a->kind == NG_SQ_V_ERR || b->kind == NG_SQ_V_ERR) {
    *err = true;
    return 0;
  }
  if (is_numeric(a) && is_numeric(b)) {
    NgSqVKind k = promote(a, b);
    if (k == NG_SQ_V_INT) return (a->i > b->i) - (a->i < b->i);
    if (k == NG_SQ_V_DEC) {
      __int128 x = as_dec(a), y = as_dec(b);
      return (x > y) - (x < y);
    }
    double x = as_double(a), y = as_double(b);
    if (isnan(x) || isnan(y)) {
      *err = !eq;
      return 2; /* unordered: not equal */
    }
    return (x > y) - (x < y);
  }
  if (a->kind == NG_SQ_V_STR && b->kind == NG_SQ_V_STR) {
    int c = strcmp(a->str, b->str);
    return (c > 0) - (c < 0);
  }
  if (a->kind == NG_SQ_V_BOOL && b->kind == NG_SQ_V_BOOL) return (a->b > b->b) - (a->b < b->b);
  if ((a->kind == NG_SQ_V_DATETIME && b->kind == NG_SQ_V_DATETIME) ||
      (a->kind == NG_SQ_V_DATE && b->kind == NG_SQ_V_DATE)) {
    if (a->has_tz != b->has_tz) {
      /* XSD: with and without a zone are ordered only 14 hours apart */
      int64_t d = a->secs - b->secs;
      if (d > 14 * 3600 || d < -14 * 3600) return d > 0 ? 1 : -1;
      *err = true;
      return 0;
    }
    if (a->secs != b->secs) return a->secs > b->secs ? 1 : -1;
    return (a->nanos > b->nanos) - (a->nanos < b->nanos);
  }
  if (eq) {
    /* RDFterm-equal: the same term is equal; literals of unknown types
     * that differ are an error, other different terms unequal */
    if (a->kind == NG_SQ_V_LANG && b->kind == NG_SQ_V_LANG)
      return !(strcasecmp(a->lang, b->lang) == 0 && strcmp(a->str, b->str) == 0);
    if (a->id && a->id == b->id) return 0;
    if (a->kind != b->kind && (a->kind != NG_SQ_V_OTHER && b->kind != NG_SQ_V_OTHER)) return 2;
    if (a->kind == NG_SQ_V_IRI || a->kind == NG_SQ_V_BLANK)
      return a->kind == b->kind && !strcmp(a->str, b->str) ? 0 : 2;
    if (b->kind == NG_SQ_V_IRI || b->kind == NG_SQ_V_BLANK) return 2;
    if (a->kind == NG_SQ_V_OTHER && b->kind == NG_SQ_V_OTHER && a->dt && b->dt &&
        !strcmp(a->dt, b->dt) && !strcmp(a->str, b->str))
      return 0;
    *err = true;
    return 0;
  }
  *err = true;
  return 0;
}

/* The ORDER BY order: unbound, blank nodes, IRIs, literals; literals by
 * value where comparable, else by lexical form, then datatype and tag. */
int ng_sq_order_cmp(NgSqExec *x, NgSqId a, NgSqId b) {
  if (a == b) return 0;
  if (!a || !b) return a ? 1 : -1;
  NgSqValue va, vb;
  NgSqMark m = ng_sq_tmp_mark(&x->tmp);
  int r = 0;
  if (ng_sq_value_of(x, a, &va) || ng_sq_value_of(x, b, &vb)) goto done;
  static const int rank[] = {[NG_SQ_V_ERR] = 0, [NG_SQ_V_BLANK] = 1, [NG_SQ_V_IRI] = 2};
  int ra = va.kind <= NG_SQ_V_IRI || va.kind == NG_SQ_V_BLANK ? rank[va.kind] : 3;
  int rb = vb.kind <= NG_SQ_V_IRI || vb.kind == NG_SQ_V_BLANK ? rank[vb.kind] : 3;
  if (ra != rb) {
    r = ra < rb ? -1 : 1;
    goto done;
  }
  if (ra < 3) {
    r = strcmp(va.str, vb.str);
    goto done;
  }
  bool err;
  int c = compare(&va, &vb, false, &err);
  if (!err && c != 2 && c != 0) {
    r = c;
    goto done;
  }
  lexical(x, &va);
  lexical(x, &vb);
  r = strcmp(va.str ? va.str : "", vb.str ? vb.str : "");
  if (!r) r = strcmp(va.dt ? va.dt : "", vb.dt ? vb.dt : "");
  if (!r) r = strcmp(va.lang ? va.lang : "", vb.lang ? vb.lang : "");
done:
  ng_sq_tmp_release(&x->tmp, m);
  return r;
}

/* ============================================================= strings */

static size_t utf8_chars(const char *s, size_t n) { return ng_utf8_count(s, n); }

/* Byte offset of the character number k (0-based) of s[0..n). */
static size_t utf8_offset(const char *s, size_t n, size_t k) {
  size_t i = 0;
  while (k && i < n) {
    size_t l = ng_utf8_seq_len((const unsigned char *)s + i, n - i);
    i += l ? l : 1;
    k--;
  }
  return i;
}

/* Arguments of string functions that need compatible operands (17.4.3.1.2). */
static bool compatible_args(const NgSqValue *a, const NgSqValue *b) {
  if (!is_string(a) || !is_string(b)) return false;
  if (b->kind == NG_SQ_V_STR) return true;
  return a->kind == NG_SQ_V_LANG && !strcasecmp(a->lang, b->lang);
}

static NgStatus case_map(NgSqExec *x, NgSqValue *v, NgSqValue *out, bool upper) {
  if (!is_string(v)) {
    set_err(out);
    return NG_SUCCESS;
  }
  char *buf = ng_sq_tmp_alloc(&x->tmp, v->len * 4 + 1);
  if (!buf) return NG_ERR_NOMEM;
  size_t o = 0;
  for (size_t i = 0; i < v->len;) {
    uint32_t cp;
    size_t l = ng_utf8_decode((const unsigned char *)v->str + i, v->len - i, &cp);
    if (!l) l = 1, cp = (unsigned char)v->str[i];
    utf8proc_int32_t m =
        upper ? utf8proc_toupper((utf8proc_int32_t)cp) : utf8proc_tolower((utf8proc_int32_t)cp);
    o += ng_utf8_encode((uint32_t)m, buf + o);
    i += l;
  }
  buf[o] = '\0';
  const char *lang = v->kind == NG_SQ_V_LANG ? v->lang : NULL;
  memset(out, 0, offsetof(NgSqValue, scratch));
  out->kind = lang ? NG_SQ_V_LANG : NG_SQ_V_STR;
  out->str = buf;
  out->len = o;
  out->lang = lang;
  return NG_SUCCESS;
}

static NgStatus encode_for_uri(NgSqExec *x, NgSqValue *v, NgSqValue *out) {
  if (!is_string(v)) {
    set_err(out);
    return NG_SUCCESS;
  }
  char *buf = ng_sq_tmp_alloc(&x->tmp, v->len * 3 + 1);
  if (!buf) return NG_ERR_NOMEM;
  size_t o = 0;
  for (size_t i = 0; i < v->len; ++i) {
    unsigned char c = (unsigned char)v->str[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        strchr("-_.~", c)) {
      buf[o++] = (char)c;
    } else {
      o += (size_t)sprintf(buf + o, "%%%02X", c);
    }
  }
  return set_str(x, out, buf, o, NULL);
}

static NgStatus hash(NgSqExec *x, NgSqFunc fn, NgSqValue *v, NgSqValue *out) {
  if (v->kind != NG_SQ_V_STR) {
    set_err(out);
    return NG_SUCCESS;
  }
  uint8_t digest[64];
  size_t n;
  const uint8_t *data = (const uint8_t *)v->str;
  switch (fn) {
  case NG_SQ_F_MD5: {
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, v->len, data);
    md5_digest(&c, n = MD5_DIGEST_SIZE, digest);
    break;
  }
  case NG_SQ_F_SHA1: {
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, v->len, data);
    sha1_digest(&c, n = SHA1_DIGEST_SIZE, digest);
    break;
  }
  case NG_SQ_F_SHA256: {
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, v->len, data);
    sha256_digest(&c, n = SHA256_DIGEST_SIZE, digest);
    break;
  }
  case NG_SQ_F_SHA384: {
    struct sha384_ctx c;
    sha384_init(&c);
    sha384_update(&c, v->len, data);
    sha384_digest(&c, n = SHA384_DIGEST_SIZE, digest);
    break;
  }
  default: {
    struct sha512_ctx c;
    sha512_init(&c);
    sha512_update(&c, v->len, data);
    sha512_digest(&c, n = SHA512_DIGEST_SIZE, digest);
    break;
  }
  }
  char hex[129];
  for (size_t i = 0; i < n; ++i)
    sprintf(hex + 2 * i, "%02x", digest[i]);
  return set_str(x, out, hex, 2 * n, NULL);
}

/* ---------------------------------------------------- regular expressions */

typedef struct {
  pcre2_code *code;
} Regex;

static pcre2_code *compile_regex(const NgSqValue *pat, const NgSqValue *flags, bool *bad) {
  uint32_t opts = PCRE2_UTF;
  *bad = false;
  bool literal = false;
  if (flags) {
    for (const char *f = flags->str; *f; ++f) {
      switch (*f) {
      case 'i': opts |= PCRE2_CASELESS; break;
      case 's': opts |= PCRE2_DOTALL; break;
      case 'm': opts |= PCRE2_MULTILINE; break;
      case 'x': opts |= PCRE2_EXTENDED; break;
      case 'q': literal = true; break;
      default: *bad = true; return NULL;
      }
    }
  }
  if (literal) opts |= PCRE2_LITERAL;
  int err;
  PCRE2_SIZE off;
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat->str, pat->len, opts, &err, &off, NULL);
  if (!c) *bad = true;
  return c;
}

void ng_sq_expr_free_cache(NgSqExpr *e) {
  if (e->cache) {
    pcre2_code_free(e->cache);
    e->cache = NULL;
  }
}

/* The compiled pattern of REGEX/REPLACE: cached when pattern and flags are
 * constants. */
static pcre2_code *regex_of(NgSqExpr *e, NgSqValue *pat, NgSqValue *flags, bool *owned, bool *bad) {
  bool constant = e->args[1]->op == NG_SQ_E_TERM && e->args[1]->term.kind == NG_SQ_T_CONST;
  unsigned fi = e->fn == NG_SQ_F_REGEX ? 2 : 3;
  if (e->nargs > fi)
    constant =
        constant && e->args[fi]->op == NG_SQ_E_TERM && e->args[fi]->term.kind == NG_SQ_T_CONST;
  *owned = !constant;
  if (constant && e->cache) {
    *bad = false;
    return e->cache;
  }
  pcre2_code *c = compile_regex(pat, flags, bad);
  if (constant && c) e->cache = c;
  return c;
}

static NgStatus do_regex(NgSqExec *x, NgSqExpr *e, NgSqValue *a, NgSqValue *out) {
  NgSqValue *s = &a[0], *pat = &a[1], *flags = e->nargs > 2 ? &a[2] : NULL;
  if (!is_string(s) || pat->kind != NG_SQ_V_STR || (flags && flags->kind != NG_SQ_V_STR)) {
    set_err(out);
    return NG_SUCCESS;
  }
  bool owned, bad;
  pcre2_code *c = regex_of(e, pat, flags, &owned, &bad);
  if (!c) {
    set_err(out);
    return NG_SUCCESS;
  }
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
  int rc = md ? pcre2_match(c, (PCRE2_SPTR)s->str, s->len, 0, 0, md, NULL) : -1;
  pcre2_match_data_free(md);
  if (owned) pcre2_code_free(c);
  if (!md) return NG_ERR_NOMEM;
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
    set_err(out);
  else
    set_bool(out, rc >= 0);
  (void)x;
  return NG_SUCCESS;
}

static NgStatus do_replace(NgSqExec *x, NgSqExpr *e, NgSqValue *a, NgSqValue *out) {
  NgSqValue *s = &a[0], *pat = &a[1], *rep = &a[2], *flags = e->nargs > 3 ? &a[3] : NULL;
  if (!is_string(s) || pat->kind != NG_SQ_V_STR || rep->kind != NG_SQ_V_STR ||
      (flags && flags->kind != NG_SQ_V_STR)) {
    set_err(out);
    return NG_SUCCESS;
  }
  bool owned, bad;
  pcre2_code *c = regex_of(e, pat, flags, &owned, &bad);
  if (!c) {
    set_err(out);
    return NG_SUCCESS;
  }
  /* XPath's $1 in the replacement is PCRE2's extended substitution syntax */
  PCRE2_SIZE cap = s->len * 2 + rep->len + 64;
  NgStatus st = NG_SUCCESS;
  for (int tries = 0; tries < 8; ++tries) {
    PCRE2_UCHAR *buf = ng_sq_tmp_alloc(&x->tmp, cap + 1);
    if (!buf) {
      st = NG_ERR_NOMEM;
      break;
    }
    PCRE2_SIZE outlen = cap;
    int rc = pcre2_substitute(c, (PCRE2_SPTR)s->str, s->len, 0,
                              PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                                  PCRE2_SUBSTITUTE_UNSET_EMPTY,
                              NULL, NULL, (PCRE2_SPTR)rep->str, rep->len, buf, &outlen);
    if (rc == PCRE2_ERROR_NOMEMORY) {
      cap = outlen + 1;
      continue;
    }
    if (rc < 0) {
      set_err(out);
      break;
    }
    /* a pattern that matches the empty string is an error in XPath */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
    int m = md ? pcre2_match(c, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) : -1;
    pcre2_match_data_free(md);
    if (m >= 0) {
      set_err(out);
      break;
    }
    st = set_str(x, out, (const char *)buf, outlen, s->kind == NG_SQ_V_LANG ? s->lang : NULL);
    break;
  }
  if (owned) pcre2_code_free(c);
  return st;
}

/* ------------------------------------------------------------ substrings */

static NgStatus do_substr(NgSqExec *x, NgSqExpr *e, NgSqValue *a, NgSqValue *out) {
  if (!is_string(&a[0]) || !is_numeric(&a[1]) || (e->nargs > 2 && !is_numeric(&a[2]))) {
    set_err(out);
    return NG_SUCCESS;
  }
  /* XPath fn:substring: characters whose position p (1-based) has
   * round(start) <= p < round(start) + round(length) */
  double start = round(as_double(&a[1]));
  double end = e->nargs > 2 ? start + round(as_double(&a[2])) : INFINITY;
  if (isnan(start) || isnan(end))
    return set_str(x, out, "", 0, a[0].kind == NG_SQ_V_LANG ? a[0].lang : NULL);
  size_t nchars = utf8_chars(a[0].str, a[0].len);
  double from = start < 1 ? 1 : start;
  double to = end > (double)nchars + 1 ? (double)nchars + 1 : end;
  size_t b = 0, l = 0;
  if (to > from) {
    b = utf8_offset(a[0].str, a[0].len, (size_t)from - 1);
    l = utf8_offset(a[0].str, a[0].len, (size_t)to - 1) - b;
  }
  return set_str(x, out, a[0].str + b, l, a[0].kind == NG_SQ_V_LANG ? a[0].lang : NULL);
}

static NgStatus before_after(NgSqExec *x, NgSqFunc fn, NgSqValue *a, NgSqValue *out) {
  if (!compatible_args(&a[0], &a[1])) {
    set_err(out);
    return NG_SUCCESS;
  }
  const char *hit = a[1].len ? strstr(a[0].str, a[1].str) : a[0].str;
  const char *lang = a[0].kind == NG_SQ_V_LANG ? a[0].lang : NULL;
  if (!hit) return set_str(x, out, "", 0, NULL);
  if (fn == NG_SQ_F_STRBEFORE) {
    /* the empty result keeps the tag only when something matched */
    return set_str(x, out, a[0].str, (size_t)(hit - a[0].str), lang);
  }
  const char *rest = hit + a[1].len;
  return set_str(x, out, rest, a[0].len - (size_t)(rest - a[0].str), lang);
}

/* ------------------------------------------------------------ date parts */

static NgStatus date_part(NgSqExec *x, NgSqFunc fn, NgSqValue *v, NgSqValue *out) {
  if (v->kind != NG_SQ_V_DATETIME && v->kind != NG_SQ_V_DATE) {
    set_err(out);
    return NG_SUCCESS;
  }
  NgDate d;
  int h, mi, s;
  datetime_fields(v, &d, &h, &mi, &s);
  switch (fn) {
  case NG_SQ_F_YEAR: set_int(out, d.year); break;
  case NG_SQ_F_MONTH: set_int(out, d.month); break;
  case NG_SQ_F_DAY: set_int(out, d.day); break;
  case NG_SQ_F_HOURS: set_int(out, h); break;
  case NG_SQ_F_MINUTES: set_int(out, mi); break;
  case NG_SQ_F_SECONDS:
    set_dec(out, (__int128)s * DEC_ONE + (__int128)v->nanos * 1000000000);
    break;
  case NG_SQ_F_TIMEZONE: {
    if (!v->has_tz) {
      set_err(out);
      break;
    }
    char buf[32];
    int m = v->tz < 0 ? -v->tz : v->tz;
    int len = snprintf(buf, sizeof buf, "%sPT", v->tz < 0 ? "-" : "");
    if (!m) len += snprintf(buf + len, sizeof buf - (size_t)len, "0S");
    if (m / 60) len += snprintf(buf + len, sizeof buf - (size_t)len, "%dH", m / 60);
    if (m % 60) len += snprintf(buf + len, sizeof buf - (size_t)len, "%dM", m % 60);
    NgStatus st = set_str(x, out, buf, (size_t)len, NULL);
    out->kind = NG_SQ_V_OTHER;
    out->dt = XSD "dayTimeDuration";
    return st;
  }
  default: { /* TZ */
    char buf[16] = "";
    if (v->has_tz && !v->tz)
      strcpy(buf, "Z");
    else if (v->has_tz)
      snprintf(buf, sizeof buf, "%c%02d:%02d", v->tz < 0 ? '-' : '+', abs(v->tz) / 60,
               abs(v->tz) % 60);
    return set_str(x, out, buf, strlen(buf), NULL);
  }
  }
  return NG_SUCCESS;
}

static void format_datetime(int64_t secs, int32_t nanos, char *buf, size_t cap) {
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rest = secs - days * 86400;
  NgDate d = ng_date_from_days((long)days);
  int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day,
                   (int)(rest / 3600), (int)(rest % 3600 / 60), (int)(rest % 60));
  if (nanos) {
    n += snprintf(buf + n, cap - (size_t)n, ".%09d", nanos);
    while (buf[n - 1] == '0')
      buf[--n] = '\0';
  }
  snprintf(buf + n, cap - (size_t)n, "Z");
}

/* --------------------------------------------------------------- casts */

static NgStatus cast_to(NgSqExec *x, const char *dt, NgSqValue *v, NgSqValue *out) {
  const char *t = dt + sizeof XSD - 1;
  if (strncmp(dt, XSD, sizeof XSD - 1) || v->kind == NG_SQ_V_ERR || v->kind == NG_SQ_V_BLANK ||
      v->kind == NG_SQ_V_LANG) {
    set_err(out);
    return NG_SUCCESS;
  }
  NgStatus st = lexical(x, v);
  if (st) return st;
  if (!strcmp(t, "string")) return set_str(x, out, v->str, v->len, NULL);
  if (v->kind == NG_SQ_V_IRI) {
    set_err(out);
    return NG_SUCCESS;
  }
  /* from a string: the lexical form must be valid for the target type
   * (white space trimmed as XSD does) */
  bool from_string = v->kind == NG_SQ_V_STR;
  char *trimmed = NULL;
  if (from_string) {
    const char *s = v->str;
    size_t n = v->len;
    while (n && strchr(" \t\r\n", *s))
      s++, n--;
    while (n && strchr(" \t\r\n", s[n - 1]))
      n--;
    if (!(trimmed = tmp_str(x, s, n))) return NG_ERR_NOMEM;
  }
  NgSqValue tmp;
  memset(&tmp, 0, offsetof(NgSqValue, scratch));
  if (!strcmp(t, "boolean")) {
    if (from_string) {
      NgTerm lit = {NG_TERM_LITERAL, trimmed, XSD "boolean", NULL};
      value_literal(&tmp, &lit);
      if (tmp.kind != NG_SQ_V_BOOL)
        set_err(out);
      else
        set_bool(out, tmp.b);
    } else if (is_numeric(v)) {
      set_bool(out, v->kind == NG_SQ_V_INT   ? v->i != 0
                    : v->kind == NG_SQ_V_DEC ? v->dec != 0
                                             : !(v->d == 0 || isnan(v->d)));
    } else if (v->kind == NG_SQ_V_BOOL) {
      set_bool(out, v->b);
    } else {
      set_err(out);
    }
    return NG_SUCCESS;
  }
  if (!strcmp(t, "double") || !strcmp(t, "float")) {
    NgSqVKind k = t[0] == 'd' ? NG_SQ_V_DBL : NG_SQ_V_FLT;
    double d;
    if (from_string) {
      if (!parse_double(trimmed, &d))
        set_err(out);
      else
        set_dbl(out, d, k);
    } else if (is_numeric(v)) {
      set_dbl(out, as_double(v), k);
    } else if (v->kind == NG_SQ_V_BOOL) {
      set_dbl(out, v->b ? 1 : 0, k);
    } else {
      set_err(out);
    }
    return NG_SUCCESS;
  }
  if (!strcmp(t, "decimal")) {
    __int128 d;
    if (from_string) {
      if (strchr(trimmed, 'e') || strchr(trimmed, 'E') || !parse_dec(trimmed, &d))
        set_err(out);
      else
        set_dec(out, d);
    } else if (v->kind == NG_SQ_V_INT || v->kind == NG_SQ_V_DEC) {
      set_dec(out, as_dec(v));
    } else if (v->kind == NG_SQ_V_FLT || v->kind == NG_SQ_V_DBL) {
      if (isnan(v->d) || isinf(v->d) || fabs(v->d) > 1e20)
        set_err(out);
      else
        set_dec(out, (__int128)(v->d * 1e18));
    } else if (v->kind == NG_SQ_V_BOOL) {
      set_dec(out, v->b ? DEC_ONE : 0);
    } else {
      set_err(out);
    }
    return NG_SUCCESS;
  }
  if (!strcmp(t, "integer")) {
    int64_t i;
    if (from_string) {
      if (!parse_int(trimmed, &i))
        set_err(out);
      else
        set_int(out, i);
    } else if (v->kind == NG_SQ_V_INT) {
      set_int(out, v->i);
    } else if (v->kind == NG_SQ_V_DEC) {
      set_int(out, (int64_t)(v->dec / DEC_ONE));
    } else if (v->kind == NG_SQ_V_FLT || v->kind == NG_SQ_V_DBL) {
      if (isnan(v->d) || isinf(v->d) || fabs(v->d) > 9.2e18)
        set_err(out);
      else
        set_int(out, (int64_t)v->d);
    } else if (v->kind == NG_SQ_V_BOOL) {
      set_int(out, v->b);
    } else {
      set_err(out);
    }
    return NG_SUCCESS;
  }
  if (!strcmp(t, "dateTime")) {
    if (from_string || v->kind == NG_SQ_V_DATETIME) {
      NgTerm lit = {NG_TERM_LITERAL, from_string ? trimmed : v->str, XSD "dateTime", NULL};
      value_literal(&tmp, &lit);
      if (tmp.kind != NG_SQ_V_DATETIME) {
        set_err(out);
      } else {
        *out = tmp;
        out->id = 0;
      }
    } else {
      set_err(out);
    }
    return NG_SUCCESS;
  }
  set_err(out);
  return NG_SUCCESS;
}

/* ============================================================ evaluation */

static NgStatus eval_args(NgSqExec *x, const NgSqExpr *e, const NgSqId *row, NgSqValue *a,
                          unsigned n) {
  for (unsigned i = 0; i < n; ++i) {
    NgStatus st = ng_sq_eval(x, e->args[i], row, &a[i]);
    if (st) return st;
  }
  return NG_SUCCESS;
}

static bool any_error(const NgSqValue *a, unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    if (a[i].kind == NG_SQ_V_ERR) return true;
  return false;
}

static NgStatus uuid(NgSqExec *x, NgSqValue *out, bool iri) {
  uint8_t b[16];
  for (int i = 0; i < 16; i += 8) {
    x->rand_state ^= x->rand_state << 13;
    x->rand_state ^= x->rand_state >> 7;
    x->rand_state ^= x->rand_state << 17;
    memcpy(b + i, &x->rand_state, 8);
  }
  b[6] = (uint8_t)((b[6] & 0x0F) | 0x40); /* version 4 */
  b[8] = (uint8_t)((b[8] & 0x3F) | 0x80); /* variant 10 */
  char s[64];
  int n = snprintf(s, sizeof s,
                   "%s%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                   iri ? "urn:uuid:" : "", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
                   b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  NgStatus st = set_str(x, out, s, (size_t)n, NULL);
  if (iri) out->kind = NG_SQ_V_IRI;
  return st;
}

static bool lang_matches(const char *tag, const char *range) {
  if (!strcmp(range, "*")) return tag[0] != '\0';
  size_t n = strlen(range);
  return !strncasecmp(tag, range, n) && (tag[n] == '\0' || tag[n] == '-');
}

static NgStatus call(NgSqExec *x, NgSqExpr *e, const NgSqId *row, NgSqValue *out);

/* The id of a constant or variable expression (0: unbound). */
static NgStatus term_id_of(NgSqExec *x, NgSqExpr *e, const NgSqId *row, NgSqId *id) {
  if (e->term.kind == NG_SQ_T_VAR) {
    *id = row[e->term.var];
    return NG_SUCCESS;
  }
  if (!e->term.resolved) {
    NgStatus st = ng_sq_id_of_term(x, &e->term.term, &e->term.id);
    if (st) return st;
    e->term.resolved = true;
  }
  *id = e->term.id;
  return NG_SUCCESS;
}

/* An IRI or blank node: equal to another term exactly when the same id. */
static bool is_node_id(NgSqExec *x, NgSqId id) {
  if (NG_QS_IS_LOCAL_ID(id)) {
    size_t i = NG_QS_LOCAL_INDEX(id);
    return i < x->nlocal && x->local[i].kind != NG_TERM_LITERAL;
  }
  NgQsKind k = ng_qs_id_kind(id);
  return k == NG_QS_KIND_IRI || k == NG_QS_KIND_BLANK;
}

NgStatus ng_sq_eval(NgSqExec *x, const NgSqExpr *ce, const NgSqId *row, NgSqValue *out) {
  NgSqExpr *e = (NgSqExpr *)ce; /* only the regex cache changes */
  NgStatus st;
  NgSqValue a[2];
  bool err;
  switch (e->op) {
  case NG_SQ_E_TERM:
    if (e->term.kind == NG_SQ_T_VAR) return ng_sq_value_of(x, row[e->term.var], out);
    if (!e->term.resolved) {
      NgStatus s2 = ng_sq_id_of_term(x, &e->term.term, &e->term.id);
      if (s2) return s2;
      e->term.resolved = true;
    }
    return ng_sq_value_of(x, e->term.id, out);
  case NG_SQ_E_AGG: return ng_sq_value_of(x, row[e->var], out);
  case NG_SQ_E_OR:
  case NG_SQ_E_AND: {
    /* errors only matter when the other side does not decide */
    bool is_or = e->op == NG_SQ_E_OR, e1, e2;
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    bool b1 = ng_sq_ebv(&a[0], &e1);
    if (!e1 && b1 == is_or) {
      set_bool(out, is_or);
      return NG_SUCCESS;
    }
    if ((st = ng_sq_eval(x, e->args[1], row, &a[1]))) return st;
    bool b2 = ng_sq_ebv(&a[1], &e2);
    if (!e2 && b2 == is_or)
      set_bool(out, is_or);
    else if (e1 || e2)
      set_err(out);
    else
      set_bool(out, is_or ? b1 || b2 : b1 && b2);
    return NG_SUCCESS;
  }
  case NG_SQ_E_NOT:
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    {
      bool b = ng_sq_ebv(&a[0], &err);
      if (err)
        set_err(out);
      else
        set_bool(out, !b);
    }
    return NG_SUCCESS;
  case NG_SQ_E_EQ:
  case NG_SQ_E_NE:
  case NG_SQ_E_LT:
  case NG_SQ_E_GT:
  case NG_SQ_E_LE:
  case NG_SQ_E_GE: {
    /* = and != between a variable and an IRI (or two such): ids decide,
     * no term is decoded */
    if ((e->op == NG_SQ_E_EQ || e->op == NG_SQ_E_NE) && e->args[0]->op == NG_SQ_E_TERM &&
        e->args[1]->op == NG_SQ_E_TERM) {
      NgSqId i0, i1;
      if (!(st = term_id_of(x, e->args[0], row, &i0)) &&
          !(st = term_id_of(x, e->args[1], row, &i1)) && i0 && i1 &&
          (is_node_id(x, i0) || is_node_id(x, i1))) {
        set_bool(out, (i0 == i1) == (e->op == NG_SQ_E_EQ));
        return NG_SUCCESS;
      }
      if (st) return st;
    }
    if ((st = eval_args(x, e, row, a, 2))) return st;
    bool eq = e->op == NG_SQ_E_EQ || e->op == NG_SQ_E_NE;
    int c = compare(&a[0], &a[1], eq, &err);
    if (err) {
      set_err(out);
      return NG_SUCCESS;
    }
    bool r;
    switch (e->op) {
    case NG_SQ_E_EQ: r = c == 0; break;
    case NG_SQ_E_NE: r = c != 0; break;
    case NG_SQ_E_LT: r = c == -1; break;
    case NG_SQ_E_GT: r = c == 1; break;
    case NG_SQ_E_LE: r = c == -1 || c == 0; break;
    default: r = c == 1 || c == 0; break;
    }
    set_bool(out, r);
    return NG_SUCCESS;
  }
  case NG_SQ_E_IN:
  case NG_SQ_E_NOT_IN: {
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    bool found = false, any_err = false;
    for (unsigned i = 1; i < e->nargs && !found; ++i) {
      if ((st = ng_sq_eval(x, e->args[i], row, &a[1]))) return st;
      int c = compare(&a[0], &a[1], true, &err);
      if (err)
        any_err = true;
      else if (c == 0)
        found = true;
    }
    if (!found && any_err)
      set_err(out);
    else
      set_bool(out, e->op == NG_SQ_E_IN ? found : !found);
    return NG_SUCCESS;
  }
  case NG_SQ_E_ADD:
  case NG_SQ_E_SUB:
  case NG_SQ_E_MUL:
  case NG_SQ_E_DIV:
    if ((st = eval_args(x, e, row, a, 2))) return st;
    arith(e->op, &a[0], &a[1], out);
    return NG_SUCCESS;
  case NG_SQ_E_NEG:
  case NG_SQ_E_PLUS:
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    if (!is_numeric(&a[0])) {
      set_err(out);
    } else if (e->op == NG_SQ_E_PLUS) {
      *out = a[0];
      out->str = NULL; /* the value, in canonical form */
      out->id = 0;
    } else {
      NgSqValue zero;
      memset(&zero, 0, offsetof(NgSqValue, scratch));
      zero.kind = NG_SQ_V_INT;
      arith(NG_SQ_E_SUB, &zero, &a[0], out);
    }
    return NG_SUCCESS;
  case NG_SQ_E_EXISTS:
  case NG_SQ_E_NOT_EXISTS: {
    bool found;
    if ((st = ng_sq_exists(x, e->pattern, row, &found))) return st;
    set_bool(out, e->op == NG_SQ_E_EXISTS ? found : !found);
    return NG_SUCCESS;
  }
  case NG_SQ_E_IRI: {
    /* casts by the name of an XSD type; other functions are unknown */
    if (e->nargs != 1) {
      set_err(out);
      return NG_SUCCESS;
    }
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    return cast_to(x, e->term.term.value, &a[0], out);
  }
  case NG_SQ_E_CALL: return call(x, e, row, out);
  }
  set_err(out);
  return NG_SUCCESS;
}

static NgStatus call(NgSqExec *x, NgSqExpr *e, const NgSqId *row, NgSqValue *out) {
  NgSqValue a[4];
  NgStatus st;
  bool err;
  switch ((NgSqFunc)e->fn) {
  case NG_SQ_F_BOUND: set_bool(out, row[e->args[0]->term.var] != 0); return NG_SUCCESS;
  case NG_SQ_F_IF:
    if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
    {
      bool b = ng_sq_ebv(&a[0], &err);
      if (err) {
        set_err(out);
        return NG_SUCCESS;
      }
      return ng_sq_eval(x, e->args[b ? 1 : 2], row, out);
    }
  case NG_SQ_F_COALESCE:
    for (unsigned i = 0; i < e->nargs; ++i) {
      if ((st = ng_sq_eval(x, e->args[i], row, out))) return st;
      if (out->kind != NG_SQ_V_ERR) return NG_SUCCESS;
    }
    set_err(out);
    return NG_SUCCESS;
  case NG_SQ_F_RAND: {
    x->rand_state ^= x->rand_state << 13;
    x->rand_state ^= x->rand_state >> 7;
    x->rand_state ^= x->rand_state << 17;
    set_dbl(out, (double)(x->rand_state >> 11) / 9007199254740992.0, NG_SQ_V_DBL);
    return NG_SUCCESS;
  }
  case NG_SQ_F_NOW: {
    char buf[48];
    format_datetime(x->now_secs, x->now_nanos, buf, sizeof buf);
    NgTerm t = {NG_TERM_LITERAL, buf, XSD "dateTime", NULL};
    memset(out, 0, offsetof(NgSqValue, scratch));
    value_literal(out, &t);
    return (out->str = tmp_str(x, buf, strlen(buf))) ? NG_SUCCESS : NG_ERR_NOMEM;
  }
  case NG_SQ_F_UUID: return uuid(x, out, true);
  case NG_SQ_F_STRUUID: return uuid(x, out, false);
  case NG_SQ_F_BNODE:
    if (e->nargs) {
      /* BNODE(str): one blank node per string within a solution */
      if ((st = ng_sq_eval(x, e->args[0], row, &a[0]))) return st;
      if (a[0].kind != NG_SQ_V_STR) {
        set_err(out);
        return NG_SUCCESS;
      }
      char label[64];
      uint64_t h = ng_hash_combine(ng_hash_bytes(a[0].str, a[0].len), x->solution_seq);
      snprintf(label, sizeof label, "q%llxs%016llx", (unsigned long long)x->bnode_base,
               (unsigned long long)h);
      NgTerm t = {NG_TERM_BLANK, label, NULL, NULL};
      NgSqId id;
      if ((st = ng_sq_id_of_term(x, &t, &id))) return st;
      return ng_sq_value_of(x, id, out);
    } else {
      NgSqId id;
      if ((st = ng_sq_new_bnode(x, &id))) return st;
      return ng_sq_value_of(x, id, out);
    }
  default: break;
  }
  unsigned n = e->nargs < 4 ? e->nargs : 4;
  if (e->fn == NG_SQ_F_CONCAT) {
    /* any number of arguments: accumulate */
    NgBuf b = NG_BUF_INIT;
    const char *lang = NULL;
    bool same_lang = true, all_str = true;
    for (unsigned i = 0; i < e->nargs; ++i) {
      NgSqMark m = ng_sq_tmp_mark(&x->tmp);
      (void)m;
      if ((st = ng_sq_eval(x, e->args[i], row, &a[0]))) {
        ng_buf_free(&b);
        return st;
      }
      if (!is_string(&a[0])) {
        ng_buf_free(&b);
        set_err(out);
        return NG_SUCCESS;
      }
      if (a[0].kind != NG_SQ_V_LANG)
        all_str = false, same_lang = false;
      else if (!lang)
        lang = a[0].lang;
      else if (strcasecmp(lang, a[0].lang))
        same_lang = false;
      if (ng_buf_append(&b, a[0].str, a[0].len)) {
        ng_buf_free(&b);
        return NG_ERR_NOMEM;
      }
    }
    (void)all_str;
    st = set_str(x, out, ng_buf_str(&b), b.len, same_lang && lang ? lang : NULL);
    ng_buf_free(&b);
    return st;
  }
  if ((st = eval_args(x, e, row, a, n))) return st;
  if (e->fn != NG_SQ_F_SAMETERM && any_error(a, n)) {
    set_err(out);
    return NG_SUCCESS;
  }
  switch ((NgSqFunc)e->fn) {
  case NG_SQ_F_STR:
    if (a[0].kind == NG_SQ_V_BLANK || a[0].kind == NG_SQ_V_ERR) {
      set_err(out);
      return NG_SUCCESS;
    }
    if ((st = lexical(x, &a[0]))) return st;
    return set_str(x, out, a[0].str, a[0].len, NULL);
  case NG_SQ_F_LANG:
    if (!is_literal(&a[0])) {
      set_err(out);
      return NG_SUCCESS;
    }
    return set_str(x, out, a[0].lang ? a[0].lang : "", a[0].lang ? strlen(a[0].lang) : 0, NULL);
  case NG_SQ_F_LANGMATCHES:
    if (a[0].kind != NG_SQ_V_STR || a[1].kind != NG_SQ_V_STR)
      set_err(out);
    else
      set_bool(out, lang_matches(a[0].str, a[1].str));
    return NG_SUCCESS;
  case NG_SQ_F_DATATYPE: {
    if (!is_literal(&a[0])) {
      set_err(out);
      return NG_SUCCESS;
    }
    const char *dt = a[0].kind == NG_SQ_V_LANG   ? NG_NS_RDF "langString"
                     : a[0].kind == NG_SQ_V_STR  ? XSD "string"
                     : a[0].dt                   ? a[0].dt
                     : a[0].kind == NG_SQ_V_INT  ? XSD "integer"
                     : a[0].kind == NG_SQ_V_DEC  ? XSD "decimal"
                     : a[0].kind == NG_SQ_V_DBL  ? XSD "double"
                     : a[0].kind == NG_SQ_V_FLT  ? XSD "float"
                     : a[0].kind == NG_SQ_V_BOOL ? XSD "boolean"
                     : a[0].kind == NG_SQ_V_DATE ? XSD "date"
                                                 : XSD "dateTime";
    memset(out, 0, offsetof(NgSqValue, scratch));
    out->kind = NG_SQ_V_IRI;
    out->str = dt;
    out->len = strlen(dt);
    return NG_SUCCESS;
  }
  case NG_SQ_F_IRI: {
    if (a[0].kind == NG_SQ_V_IRI) {
      *out = a[0];
      return NG_SUCCESS;
    }
    if (a[0].kind != NG_SQ_V_STR) {
      set_err(out);
      return NG_SUCCESS;
    }
    st = set_str(x, out, a[0].str, a[0].len, NULL);
    out->kind = NG_SQ_V_IRI;
    if (!st && x->q->base) { /* a relative IRI is resolved against the query's base */
      size_t cap = strlen(x->q->base) + a[0].len + 16;
      char *buf = ng_sq_tmp_alloc(&x->tmp, cap);
      if (!buf) return NG_ERR_NOMEM;
      if (raptor_uri_resolve_uri_reference((const unsigned char *)x->q->base,
                                           (unsigned char *)out->str, (unsigned char *)buf, cap)) {
        out->str = buf;
        out->len = strlen(buf);
      }
    }
    return st;
  }
  case NG_SQ_F_ABS:
  case NG_SQ_F_CEIL:
  case NG_SQ_F_FLOOR:
  case NG_SQ_F_ROUND: {
    if (!is_numeric(&a[0])) {
      set_err(out);
      return NG_SUCCESS;
    }
    NgSqValue v = a[0];
    v.id = 0;
    v.str = NULL;
    if (v.kind == NG_SQ_V_INT) {
      if (e->fn == NG_SQ_F_ABS && v.i < 0) v.i = -v.i;
    } else if (v.kind == NG_SQ_V_DEC) {
      __int128 ip = v.dec / DEC_ONE, fp = v.dec % DEC_ONE;
      switch (e->fn) {
      case NG_SQ_F_ABS: v.dec = v.dec < 0 ? -v.dec : v.dec; break;
      case NG_SQ_F_CEIL: v.dec = (ip + (fp > 0)) * DEC_ONE; break;
      case NG_SQ_F_FLOOR: v.dec = (ip - (fp < 0)) * DEC_ONE; break;
      default: /* round half up (towards positive infinity) */
        v.dec = (fp >= DEC_ONE / 2 ? ip + 1 : fp < -(DEC_ONE / 2) ? ip - 1 : ip) * DEC_ONE;
        break;
      }
    } else {
      switch (e->fn) {
      case NG_SQ_F_ABS: v.d = fabs(v.d); break;
      case NG_SQ_F_CEIL: v.d = ceil(v.d); break;
      case NG_SQ_F_FLOOR: v.d = floor(v.d); break;
      default: v.d = floor(v.d + 0.5); break;
      }
    }
    *out = v;
    return NG_SUCCESS;
  }
  case NG_SQ_F_STRLEN:
    if (!is_string(&a[0]))
      set_err(out);
    else
      set_int(out, (int64_t)utf8_chars(a[0].str, a[0].len));
    return NG_SUCCESS;
  case NG_SQ_F_UCASE: return case_map(x, &a[0], out, true);
  case NG_SQ_F_LCASE: return case_map(x, &a[0], out, false);
  case NG_SQ_F_ENCODE_FOR_URI: return encode_for_uri(x, &a[0], out);
  case NG_SQ_F_CONTAINS:
  case NG_SQ_F_STRSTARTS:
  case NG_SQ_F_STRENDS:
    if (!compatible_args(&a[0], &a[1])) {
      set_err(out);
    } else if (e->fn == NG_SQ_F_CONTAINS) {
      set_bool(out, strstr(a[0].str, a[1].str) != NULL);
    } else if (e->fn == NG_SQ_F_STRSTARTS) {
      set_bool(out, a[0].len >= a[1].len && !memcmp(a[0].str, a[1].str, a[1].len));
    } else {
      set_bool(out,
               a[0].len >= a[1].len && !memcmp(a[0].str + a[0].len - a[1].len, a[1].str, a[1].len));
    }
    return NG_SUCCESS;
  case NG_SQ_F_STRBEFORE:
  case NG_SQ_F_STRAFTER: return before_after(x, (NgSqFunc)e->fn, a, out);
  case NG_SQ_F_YEAR:
  case NG_SQ_F_MONTH:
  case NG_SQ_F_DAY:
  case NG_SQ_F_HOURS:
  case NG_SQ_F_MINUTES:
  case NG_SQ_F_SECONDS:
  case NG_SQ_F_TIMEZONE:
  case NG_SQ_F_TZ: return date_part(x, (NgSqFunc)e->fn, &a[0], out);
  case NG_SQ_F_MD5:
  case NG_SQ_F_SHA1:
  case NG_SQ_F_SHA256:
  case NG_SQ_F_SHA384:
  case NG_SQ_F_SHA512: return hash(x, (NgSqFunc)e->fn, &a[0], out);
  case NG_SQ_F_STRLANG:
    if (a[0].kind != NG_SQ_V_STR || a[1].kind != NG_SQ_V_STR || !a[1].len) {
      set_err(out);
      return NG_SUCCESS;
    }
    return set_str(x, out, a[0].str, a[0].len, tmp_str(x, a[1].str, a[1].len));
  case NG_SQ_F_STRDT: {
    if (a[0].kind != NG_SQ_V_STR || a[1].kind != NG_SQ_V_IRI) {
      set_err(out);
      return NG_SUCCESS;
    }
    NgTerm t = {NG_TERM_LITERAL, tmp_str(x, a[0].str, a[0].len), tmp_str(x, a[1].str, a[1].len),
                NULL};
    if (!t.value || !t.datatype) return NG_ERR_NOMEM;
    memset(out, 0, offsetof(NgSqValue, scratch));
    value_literal(out, &t);
    return NG_SUCCESS;
  }
  case NG_SQ_F_SAMETERM: {
    if (any_error(a, 2)) {
      set_err(out);
      return NG_SUCCESS;
    }
    NgSqId i0, i1;
    if ((st = ng_sq_id_of_value(x, &a[0], &i0)) || (st = ng_sq_id_of_value(x, &a[1], &i1)))
      return st;
    set_bool(out, i0 == i1);
    return NG_SUCCESS;
  }
  case NG_SQ_F_ISIRI: set_bool(out, a[0].kind == NG_SQ_V_IRI); return NG_SUCCESS;
  case NG_SQ_F_ISBLANK: set_bool(out, a[0].kind == NG_SQ_V_BLANK); return NG_SUCCESS;
  case NG_SQ_F_ISLITERAL: set_bool(out, is_literal(&a[0])); return NG_SUCCESS;
  case NG_SQ_F_ISNUMERIC: set_bool(out, is_numeric(&a[0])); return NG_SUCCESS;
  case NG_SQ_F_REGEX: return do_regex(x, e, a, out);
  case NG_SQ_F_SUBSTR: return do_substr(x, e, a, out);
  case NG_SQ_F_REPLACE: return do_replace(x, e, a, out);
  default: set_err(out); return NG_SUCCESS;
  }
}

double ng_sq_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void ng_sq_arith_add(const NgSqValue *a, const NgSqValue *b, NgSqValue *out) {
  arith(NG_SQ_E_ADD, a, b, out);
}

void ng_sq_arith_div(const NgSqValue *a, const NgSqValue *b, NgSqValue *out) {
  arith(NG_SQ_E_DIV, a, b, out);
}

NgStatus ng_sq_lexical(NgSqExec *x, NgSqValue *v) { return lexical(x, v); }
