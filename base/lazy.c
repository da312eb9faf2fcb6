/* lazy.c - the RDF, HTTP and XML libraries loaded on first use.
 *
 * Why: Redland, Raptor, Rasqal, libcurl, libxml2 and libmicrohttpd, with
 * what they link (Berkeley DB, ICU, GnuTLS, Kerberos, LDAP ...: 48 shared
 * objects), took 40 of the 46 ms that `newsgraph --version` spent starting
 * (perf: mmap, mprotect and symbol lookup in the dynamic loader), on every
 * command - also on those that never touch them (import and export of
 * N-Quads, the own SPARQL engine, extract of text and JSON lines).  Only
 * `query --engine redland`, --endpoint, SERVICE, Turtle, RDF/XML and TriG
 * files, HTML articles, XML results, `serve`, the librdf storage and
 * `upgrade` use them.
 *
 * How: libnewsgraph.so is linked without them.  Every function of theirs
 * that the library calls is a hidden trampoline of the same name
 * (tools/gen-lazy.py writes them from the library's undefined symbols, so
 * a new call needs nothing by hand); the first call of any of them opens
 * the module newsgraph-rdf.so, which links the six (it has no code of its
 * own), and each trampoline then jumps straight to its function.  In a
 * process that already holds the libraries (a Redland program using the
 * storage module) the same copies are found.  The trampolines are x86-64
 * assembly, so configure uses them on x86-64 Linux only; elsewhere, and in
 * the convenience library the tests link, the libraries are linked as
 * before.  None of the six is used for a variable, only for functions
 * (a variable could not be reached through a trampoline).
 *
 * The loader's state is the process's, like the dynamic loader's: one
 * handle, opened once. */
#define _GNU_SOURCE /* dladdr */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE_NAME "newsgraph-rdf.so"

#define HIDDEN __attribute__((visibility("hidden")))
HIDDEN extern const char *const ng_lazy_names[];
HIDDEN extern const size_t ng_lazy_count;
HIDDEN extern void *ng_lazy_slots[];
HIDDEN void *ng_lazy_resolve(size_t index);
NgStatus ng_lazy_ready(NgWorld *world);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void *module;
static char why[512];

/* The module beside this library (the build tree's .libs, or an
 * installation's libdir), in libdir/newsgraph, then where configure
 * installs it. */
static void *open_module(void) {
  Dl_info info;
  char path[4096];
  void *h = NULL;
  if (dladdr((void *)open_module, &info) && info.dli_fname) {
    const char *slash = strrchr(info.dli_fname, '/');
    int dir = slash ? (int)(slash - info.dli_fname) : 1;
    const char *base = slash ? info.dli_fname : ".";
    static const char *const subdirs[] = {"", "/newsgraph"};
    for (size_t i = 0; i < 2 && !h; ++i) {
      snprintf(path, sizeof path, "%.*s%s/%s", dir, base, subdirs[i], MODULE_NAME);
      h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    }
  }
#ifdef NG_PKGLIBDIR
  if (!h) h = dlopen(NG_PKGLIBDIR "/" MODULE_NAME, RTLD_NOW | RTLD_GLOBAL);
#endif
  if (!h) snprintf(why, sizeof why, "%s", dlerror());
  return h;
}

static void load_once(void) { module = open_module(); }

NgStatus ng_lazy_ready(NgWorld *world) {
  pthread_once(&once, load_once);
  if (module) return NG_SUCCESS;
  ng_report(world, NG_ERR_IO, NG_LEVEL_ERROR, NULL, 0, 0,
            "cannot load the RDF, HTTP and XML libraries (%s): %s", MODULE_NAME, why);
  return NG_ERR_IO;
}

/* Called by a trampoline whose slot is empty; a call that cannot go on has
 * nowhere to return an error, so it ends the process with the reason
 * (ng_lazy_ready, called first on the usual paths, reports it instead). */
void *ng_lazy_resolve(size_t index) {
  pthread_once(&once, load_once);
  void *f = module && index < ng_lazy_count ? dlsym(module, ng_lazy_names[index]) : NULL;
  if (!f) {
    fprintf(stderr, "newsgraph: error: cannot load %s: %s\n",
            index < ng_lazy_count ? ng_lazy_names[index] : "?", module ? dlerror() : why);
    abort();
  }
  __atomic_store_n(&ng_lazy_slots[index], f, __ATOMIC_RELEASE);
  return f;
}

/* Entered by a jump from a trampoline with the index in %r11 and the
 * caller's arguments untouched: keeps the argument registers (%al counts a
 * variadic call's vector registers), resolves, restores, jumps to the
 * function, which returns to the trampoline's caller.  On entry %rsp is
 * 8 mod 16 (a call's return address); seven pushes make it 0 mod 16. */
__asm__(".text\n"
        ".globl ng_lazy_common\n.hidden ng_lazy_common\n"
        ".type ng_lazy_common, @function\n"
        "ng_lazy_common:\n"
        "  pushq %rdi\n  pushq %rsi\n  pushq %rdx\n  pushq %rcx\n"
        "  pushq %r8\n  pushq %r9\n  pushq %rax\n"
        "  subq $128, %rsp\n"
        "  movdqu %xmm0, 0(%rsp)\n  movdqu %xmm1, 16(%rsp)\n"
        "  movdqu %xmm2, 32(%rsp)\n  movdqu %xmm3, 48(%rsp)\n"
        "  movdqu %xmm4, 64(%rsp)\n  movdqu %xmm5, 80(%rsp)\n"
        "  movdqu %xmm6, 96(%rsp)\n  movdqu %xmm7, 112(%rsp)\n"
        "  movq %r11, %rdi\n"
        "  call ng_lazy_resolve\n"
        "  movq %rax, %r11\n"
        "  movdqu 0(%rsp), %xmm0\n  movdqu 16(%rsp), %xmm1\n"
        "  movdqu 32(%rsp), %xmm2\n  movdqu 48(%rsp), %xmm3\n"
        "  movdqu 64(%rsp), %xmm4\n  movdqu 80(%rsp), %xmm5\n"
        "  movdqu 96(%rsp), %xmm6\n  movdqu 112(%rsp), %xmm7\n"
        "  addq $128, %rsp\n"
        "  popq %rax\n  popq %r9\n  popq %r8\n  popq %rcx\n"
        "  popq %rdx\n  popq %rsi\n  popq %rdi\n"
        "  jmp *%r11\n"
        ".size ng_lazy_common, .-ng_lazy_common\n");
