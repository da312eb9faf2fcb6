/* html.c - an article out of an HTML page, with libxml2's HTML parser.
 *
 * libxml2 does the hard parts: broken markup, entities, the charset (meta
 * charset or http-equiv, else UTF-8).  Here the tree is walked to find the
 * metadata (title, publication date, canonical URL) and the body text: the
 * largest <article>, else <body>, without navigation, scripts and other
 * page furniture.  Block elements end paragraphs; paragraphs are joined
 * with a blank line and whitespace inside them is collapsed.
 *
 * Walks are iterative (over parent/next pointers), since a page may nest
 * elements deeper than the C stack should be trusted with.
 */
#include "extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

/* ----------------------------------------------------------- the tree */

typedef enum { WALK_DESCEND, WALK_SKIP, WALK_STOP } WalkAction;
typedef WalkAction (*EnterFn)(void *ctx, xmlNode *node);
typedef void (*LeaveFn)(void *ctx, xmlNode *node);

/* Visit the descendants of root in document order.  enter() decides
 * whether to go into a node; leave() (may be NULL) follows the children of
 * every node entered. */
static void walk(xmlNode *root, EnterFn enter, LeaveFn leave, void *ctx) {
  xmlNode *n = root->children;
  while (n) {
    WalkAction action = enter(ctx, n);
    if (action == WALK_STOP) return;
    if (action == WALK_DESCEND && n->children) {
      n = n->children;
      continue;
    }
    if (action == WALK_DESCEND && leave) leave(ctx, n);
    while (!n->next) {
      n = n->parent;
      if (!n || n == root) return;
      if (leave) leave(ctx, n);
    }
    n = n->next;
  }
}

static bool is_element(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static bool name_in(const xmlNode *n, const char *const *names) {
  if (n->type != XML_ELEMENT_NODE) return false;
  for (; *names; ++names)
    if (!strcmp((const char *)n->name, *names)) return true;
  return false;
}

/* The value of an attribute (names compared without case), borrowed from
 * the tree; NULL when absent. */
static const char *attr(const xmlNode *n, const char *name) {
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (!ng_streq_nocase((const char *)a->name, name)) continue;
    if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
      return (const char *)a->children->content;
    return "";
  }
  return NULL;
}

/* Page furniture: never part of the article text. */
static const char *const skipped[] = {"script", "style",  "noscript", "nav",      "header",
                                      "footer", "aside",  "form",     "template", "iframe",
                                      "svg",    "button", "select",   "textarea", "object",
                                      "embed",  "canvas", "head",     "title",    NULL};

/* Elements that end a paragraph. */
static const char *const blocks[] = {
    "p",          "div",     "h1", "h2", "h3", "h4",      "h5",     "h6",      "li",   "br",
    "blockquote", "section", "tr", "ul", "ol", "table",   "pre",    "article", "main", "figure",
    "figcaption", "dd",      "dt", "dl", "hr", "address", "center", NULL};

static const char *const headings[] = {"h1", "h2", "h3", "h4", "h5", "h6", NULL};

static bool is_skipped(const xmlNode *n) {
  return name_in(n, skipped) || attr(n, "hidden") ||
         (attr(n, "aria-hidden") && ng_streq_nocase(attr(n, "aria-hidden"), "true"));
}

/* ----------------------------------------------------------- the text */

typedef struct {
  NgBuf *out;
  bool space;     /* whitespace since the last character put */
  bool para_open; /* the current paragraph has text */
  NgStatus status;
} TextOut;

/* Whitespace of HTML, plus U+00A0 (&nbsp;), which only means "no break". */
static size_t space_len(const unsigned char *s) {
  if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') return 1;
  return s[0] == 0xC2 && s[1] == 0xA0 ? 2 : 0;
}

/* Text of a text node: words go out in runs; whitespace collapses. */
static void put_text(TextOut *t, const unsigned char *s) {
  while (*s && !t->status) {
    size_t n = space_len(s);
    if (n) {
      t->space = true;
      s += n;
      continue;
    }
    const unsigned char *word = s;
    while (*s && !space_len(s))
      s++;
    if (!t->para_open) {
      if (t->out->len) t->status = ng_buf_append(t->out, "\n\n", 2);
      t->para_open = true;
    } else if (t->space) {
      t->status = ng_buf_putc(t->out, ' ');
    }
    t->space = false;
    if (!t->status) t->status = ng_buf_append(t->out, (const char *)word, (size_t)(s - word));
  }
}

static void end_paragraph(TextOut *t) {
  t->para_open = false;
  t->space = false;
}

typedef struct {
  TextOut text;
  const char *title;  /* to leave out when it is the first heading */
  bool first_heading; /* still to meet the first heading */
} BodyWalk;

static WalkAction text_enter(void *ctx, xmlNode *n) {
  TextOut *t = ctx;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content) put_text(t, n->content);
    return WALK_SKIP;
  }
  if (n->type != XML_ELEMENT_NODE || is_skipped(n)) return WALK_SKIP;
  if (name_in(n, blocks)) end_paragraph(t);
  return t->status ? WALK_STOP : WALK_DESCEND;
}

static void text_leave(void *ctx, xmlNode *n) {
  TextOut *t = ctx;
  if (name_in(n, blocks))
    end_paragraph(t);
  else if (is_element(n, "td") || is_element(n, "th"))
    t->space = true; /* cells stay apart */
}

/* Whitespace-collapsed text of a subtree. */
static NgStatus node_text(xmlNode *n, NgBuf *out) {
  TextOut t = {out, false, false, NG_SUCCESS};
  ng_buf_clear(out);
  walk(n, text_enter, text_leave, &t);
  return t.status;
}

/* Does heading repeat title ("Title", or "Title - Site" in <title>)? */
static bool repeats_title(const char *heading, const char *title) {
  static const char *const separators[] = {" - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                           ": ",  NULL};
  size_t n = strlen(heading);
  if (!n || strncmp(title, heading, n)) return false;
  if (!title[n]) return true;
  for (const char *const *sep = separators; *sep; ++sep)
    if (!strncmp(title + n, *sep, strlen(*sep))) return true;
  return false;
}

static WalkAction body_enter(void *ctx, xmlNode *n) {
  BodyWalk *b = ctx;
  if (b->first_heading && name_in(n, headings) && !is_skipped(n)) {
    b->first_heading = false;
    if (!b->text.out->len && b->title) {
      NgBuf heading = NG_BUF_INIT;
      b->text.status = node_text(n, &heading);
      bool repeated = repeats_title(ng_buf_str(&heading), b->title);
      ng_buf_free(&heading);
      if (repeated) return WALK_SKIP; /* the extractor puts the title first itself */
    }
  }
  return text_enter(&b->text, n);
}

static void body_leave(void *ctx, xmlNode *n) { text_leave(&((BodyWalk *)ctx)->text, n); }

/* -------------------------------------------------------- the metadata */

/* Meta names that give the publication date, best first. */
static const char *const date_names[] = {"article:published_time",
                                         "og:published_time",
                                         "og:article:published_time",
                                         "og:pubdate",
                                         "date",
                                         "dc.date",
                                         "dc.date.issued",
                                         "dcterms.date",
                                         "dcterms.issued",
                                         "pubdate",
                                         "datepublished",
                                         "publishdate",
                                         "sailthru.date",
                                         NULL};
#define DATE_RANKS (NG_COUNTOF(date_names) - 1)

typedef struct {
  const char *og_title, *og_url, *canonical;
  const char *dates[DATE_RANKS]; /* the first value met for each name */
  xmlNode *title, *h1, *body;
  xmlNode *articles[64]; /* the first 64 <article> elements */
  size_t narticles;
} Page;

static void meta_tag(Page *page, const xmlNode *n) {
  const char *key = attr(n, "property");
  if (!key) key = attr(n, "name");
  if (!key) key = attr(n, "itemprop");
  const char *content = attr(n, "content");
  if (!key || !content) return;
  if (ng_streq_nocase(key, "og:title") && !page->og_title) page->og_title = content;
  if (ng_streq_nocase(key, "og:url") && !page->og_url) page->og_url = content;
  for (size_t i = 0; i < DATE_RANKS; ++i)
    if (ng_streq_nocase(key, date_names[i]) && !page->dates[i]) page->dates[i] = content;
}

static void link_tag(Page *page, const xmlNode *n) {
  const char *rel = attr(n, "rel"), *href = attr(n, "href");
  if (rel && href && *href && ng_streq_nocase(rel, "canonical") && !page->canonical)
    page->canonical = href;
}

static WalkAction page_enter(void *ctx, xmlNode *n) {
  Page *page = ctx;
  if (n->type != XML_ELEMENT_NODE) return WALK_SKIP;
  if (is_element(n, "meta"))
    meta_tag(page, n);
  else if (is_element(n, "link"))
    link_tag(page, n);
  else if (is_element(n, "title") && !page->title)
    page->title = n;
  else if (is_element(n, "h1") && !page->h1)
    page->h1 = n;
  else if (is_element(n, "body") && !page->body)
    page->body = n;
  else if (is_element(n, "article") && page->narticles < NG_COUNTOF(page->articles))
    page->articles[page->narticles++] = n;
  else if (name_in(n, (const char *const[]){"script", "style", "template", NULL}))
    return WALK_SKIP;
  return WALK_DESCEND;
}

/* Bytes of article text in a subtree, to choose among <article>s. */
static WalkAction count_enter(void *ctx, xmlNode *n) {
  if (n->type == XML_TEXT_NODE && n->content) *(size_t *)ctx += strlen((const char *)n->content);
  return n->type == XML_ELEMENT_NODE && !is_skipped(n) ? WALK_DESCEND : WALK_SKIP;
}

static size_t text_bytes(xmlNode *n) {
  size_t len = 0;
  walk(n, count_enter, NULL, &len);
  return len;
}

/* The largest <article>, else <body>, else the whole document.  An
 * <article> holding under a quarter of the body's text is a teaser or a
 * comment on a page whose story is elsewhere: the body is taken then. */
static xmlNode *text_root(const Page *page, xmlDoc *doc) {
  xmlNode *body = page->body ? page->body : (xmlNode *)doc, *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < page->narticles; ++i) {
    size_t len = text_bytes(page->articles[i]);
    if (!best || len > best_len) best = page->articles[i], best_len = len;
  }
  return best && best_len >= text_bytes(body) / 4 ? best : body;
}

/* <time datetime> within the article, outside side matter. */
static WalkAction time_enter(void *ctx, xmlNode *n) {
  const char **found = ctx;
  if (n->type != XML_ELEMENT_NODE) return WALK_SKIP;
  if (is_element(n, "time") && attr(n, "datetime")) {
    *found = attr(n, "datetime");
    return WALK_STOP;
  }
  return name_in(n, (const char *const[]){"aside", "nav", "footer", "script", "style", NULL})
             ? WALK_SKIP
             : WALK_DESCEND;
}

/* The publication date: the best-ranked source that is a date. */
static NgStatus page_date(NgWorld *world, const char *name, const Page *page, xmlNode *root,
                          NgBuf *out) {
  const char *time_value = NULL, *ignored = NULL;
  walk(root, time_enter, NULL, &time_value);
  for (size_t i = 0; i <= DATE_RANKS; ++i) {
    const char *value = i < DATE_RANKS ? page->dates[i] : time_value;
    char date[11];
    if (!value || !*value) continue;
    if (ng_input_date_normalize(value, strlen(value), date)) return ng_buf_puts(out, date);
    if (!ignored) ignored = value;
  }
  if (ignored)
    ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_WARNING, name, 0, 0,
              "publication date '%.40s' is not ISO 8601; the date is unknown", ignored);
  return NG_SUCCESS;
}

/* og:title, else <title>, else the first <h1>; whitespace collapsed. */
static NgStatus page_title(const Page *page, NgBuf *out) {
  NgStatus st = NG_SUCCESS;
  if (page->og_title && *page->og_title) {
    TextOut t = {out, false, false, NG_SUCCESS};
    put_text(&t, (const unsigned char *)page->og_title);
    st = t.status;
  }
  if (!st && !out->len && page->title) st = node_text(page->title, out);
  if (!st && !out->len && page->h1) st = node_text(page->h1, out);
  return st;
}

/* ------------------------------------------------------------ encoding */

static bool is_utf8_name(const char *encoding) {
  return !encoding || ng_streq_nocase(encoding, "utf-8") || ng_streq_nocase(encoding, "utf8");
}

/* libxml2 quietly reads a page that is not valid UTF-8 as Latin-1 unless it
 * declares a charset; a page that is (or claims to be) UTF-8 must be. */
static NgStatus check_utf8(NgWorld *world, const char *name, const char *data, size_t len,
                           const xmlDoc *doc) {
  size_t bad;
  if (!is_utf8_name((const char *)doc->encoding) || ng_utf8_check(data, len, &bad))
    return NG_SUCCESS;
  unsigned long line, col;
  ng_utf8_line_col(data, len, bad, &line, &col);
  ng_report(world, NG_ERR_ENCODING, NG_LEVEL_ERROR, name, line, col,
            data[bad] ? "invalid UTF-8" : "invalid UTF-8 (NUL byte)");
  return NG_ERR_ENCODING;
}

/* What libxml2 gives must be UTF-8 too: under a charset it does not know it
 * passes some bytes through unconverted ("caf&\xe9" with charset=bogus,
 * found by fuzzing), and invalid text made `extract --store` stop. */
static NgStatus check_fields_utf8(NgWorld *world, const char *name, const NgHtmlFields *out) {
  const NgBuf *fields[] = {out->title, out->url, out->text};
  size_t bad;
  for (size_t i = 0; i < NG_COUNTOF(fields); ++i) {
    if (ng_utf8_check(ng_buf_str(fields[i]), fields[i]->len, &bad)) continue;
    ng_report(world, NG_ERR_ENCODING, NG_LEVEL_ERROR, name, 0, 0,
              "invalid UTF-8 in the page's text once decoded (is its charset right?)");
    return NG_ERR_ENCODING;
  }
  return NG_SUCCESS;
}

/* --------------------------------------------------------------- public */

static NgStatus page_fields(NgWorld *world, const char *name, xmlDoc *doc, NgHtmlFields *out) {
  Page page;
  memset(&page, 0, sizeof page);
  walk((xmlNode *)doc, page_enter, NULL, &page);
  NgStatus st;
  NG_TRY(st, page_title(&page, out->title));
  const char *url = page.canonical ? page.canonical : page.og_url;
  if (url) NG_TRY(st, ng_buf_puts(out->url, url));
  xmlNode *root = text_root(&page, doc);
  NG_TRY(st, page_date(world, name, &page, root, out->date));
  BodyWalk body = {
      {out->text, false, false, NG_SUCCESS}, out->title->len ? out->title->data : NULL, true};
  walk(root, body_enter, body_leave, &body);
  if (body.text.status) return body.text.status;
  if (!out->text->len)
    ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_WARNING, name, 0, 0, "no article text in the page");
  return NG_SUCCESS;
}

/* libxml2 gives up on elements nested deeper than it allows (256 levels
 * without XML_PARSE_HUGE): the text from there on is not in the tree.
 * That one error is noted, to be told; the others are recovered from. */
typedef struct {
  bool too_deep;
  unsigned long line;
} ParseNotes;

static void note_xml_error(void *data, xmlErrorPtr error) {
  ParseNotes *notes = data;
  if (!error || !error->message || !strstr(error->message, "Excessive depth") || notes->too_deep)
    return;
  notes->too_deep = true;
  notes->line = error->line > 0 ? (unsigned long)error->line : 0;
}

NgStatus ng_html_extract(NgWorld *world, const char *name, const char *data, size_t len,
                         NgHtmlFields *out) {
  ng_buf_clear(out->title);
  ng_buf_clear(out->date);
  ng_buf_clear(out->url);
  ng_buf_clear(out->text);
  if (len > INT_MAX) { /* htmlReadMemory takes an int */
    ng_report(world, NG_ERR_TOO_LARGE, NG_LEVEL_ERROR, name, 0, 0,
              "HTML page of more than %d bytes", INT_MAX);
    return NG_ERR_TOO_LARGE;
  }
  if (ng_lazy_ready && ng_lazy_ready(world)) return NG_ERR_IO; /* libxml2 (base/lazy.c) */
  xmlInitParser();
  /* Real pages are rarely valid HTML 4 ("Tag nav invalid"): recover quietly.
   * HTML_PARSE_NOERROR does not silence libxml2's structured error handler,
   * which another library of the process (raptor, once the store is open)
   * may have set: replace it while parsing (libxml2 keeps it per thread). */
  xmlStructuredErrorFunc saved = xmlStructuredError;
  void *saved_ctx = xmlStructuredErrorContext;
  ParseNotes notes = {false, 0};
  xmlSetStructuredErrorFunc(&notes, note_xml_error);
  /* XML_PARSE_HUGE: no limit on nesting, not 256 levels (pages of nested
   * layout tables and divs pass 256; libxml2 2.9 reads a 16 MB page nested
   * 1.5 million deep in 15 s, 320 MB, the walks here are iterative); the
   * page is bounded by the article size limit, and HTML has no entities to
   * expand but the predefined ones */
  xmlDoc *doc = htmlReadMemory(data, (int)len, NULL, NULL,
                               HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                   HTML_PARSE_RECOVER | XML_PARSE_HUGE);
  xmlSetStructuredErrorFunc(saved_ctx, saved);
  if (doc && notes.too_deep)
    ng_report(world, NG_ERR_TOO_LARGE, NG_LEVEL_WARNING, name, notes.line, 0,
              "elements nested deeper than the HTML parser reads: the page is read up to "
              "here, its text from here on is left out");
  if (!doc) {
    ng_report(world, NG_ERR_SYNTAX, NG_LEVEL_ERROR, name, 0, 0, "not an HTML page");
    return NG_ERR_SYNTAX;
  }
  NgStatus st = check_utf8(world, name, data, len, doc);
  if (!st) st = page_fields(world, name, doc, out);
  if (!st) st = check_fields_utf8(world, name, out);
  xmlFreeDoc(doc);
  return st;
}
