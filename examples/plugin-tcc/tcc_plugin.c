/*
 * A ferry plugin for the Tiny C Compiler (tcc), written out of ferry's tree
 * in plain C against the installed <ferry/plugin.h>. It is the example of
 * docs/plugin-guide.md: small, but complete and honest.
 *
 * What tcc does unlike gcc, and what this plugin does about it:
 *  - `tcc -E` writes to stdout and honours `# line` markers when it later
 *    compiles the text, so "preprocess here, compile there" gives the same
 *    object — without -g (checked: byte-identical). With -g, tcc records the
 *    directory it ran in and the name of the file it was given (the
 *    volunteer's input.i), so -g jobs stay local (reason "unsupported").
 *  - tcc writes a dependency file (-MD, -MF) only when it compiles, never
 *    under -E, so the local preprocessing run cannot produce it: any job with
 *    -MD/-MF stays local (reason "unsupported"). A plugin must never lose an
 *    output a local compile would write.
 *  - `-run` compiles and runs in memory; `-B dir` changes where tcc finds its
 *    own headers and runtime — both stay local.
 *  - C only; .s/.S are assembled, not compiled: local.
 *
 * The option table below lists the options that take a separate argument
 * (otherwise the value would be taken for an input) and those that change
 * the plan; everything else goes to both the preprocessor and the compile,
 * spelt as the user wrote it.
 */
#include <ferry/plugin.h>

#include <stdlib.h>
#include <string.h>

/* ---- a tiny string-vector that owns nothing but its pointer array -------- */

typedef struct strvec {
  const char **items;
  size_t count, cap;
} strvec;

static int push(strvec *v, const char *s) {
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    const char **p = realloc(v->items, cap * sizeof *p);
    if (!p) return -1;
    v->items = p;
    v->cap = cap;
  }
  v->items[v->count++] = s;
  return 0;
}

static ferry_strv as_strv(const strvec *v) {
  ferry_strv out = {v->items, v->count};
  return out;
}

/* Everything one plan owns, freed together. ferry_plan comes first, so the
 * pointer the core gets back is the box. */
typedef struct plan_box {
  ferry_plan plan;
  strvec cpp, remote, local, args;
  uint8_t *tags;
  char *strings[4]; /* made-up strings: input.i name, object, reason, ... */
  size_t nstrings;
} plan_box;

static const char *keep(plan_box *b, char *s) {
  if (s) b->strings[b->nstrings++] = s;
  return s;
}

static char *concat(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = malloc(la + lb + 1);
  if (s) {
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
  }
  return s;
}

/* "dir/a.c" -> "dir/a" + ext; the suffix of the base name only. */
static char *replace_ext(const char *path, const char *ext) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t keep_len = dot && dot != base ? (size_t)(dot - path) : strlen(path);
  char *s = malloc(keep_len + strlen(ext) + 1);
  if (s) {
    memcpy(s, path, keep_len);
    strcpy(s + keep_len, ext);
  }
  return s;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int has_ext(const char *path, const char *ext) {
  const char *dot = strrchr(base_name(path), '.');
  return dot && strcmp(dot, ext) == 0;
}

/* ---- the option table ---------------------------------------------------- */

enum opt_class {
  O_OTHER,   /* both sides, as written */
  O_COMPILE, /* -c: remote */
  O_OUTPUT,  /* -o FILE: remote */
  O_CPP,     /* -I -D -U -include: preprocessor only */
  O_LINK,    /* -L -l -Wl, ...: nothing under -c; preprocessor side, never sent */
  O_PREPROCESS, /* -E, -M, -MM */
  O_DEPS,    /* -MD -MF: tcc writes them only when compiling */
  O_QUERY,   /* -v -vv --version -print-search-dirs -h: not a compile */
  O_RUN,     /* -run: compile and run in memory */
  O_UNSAFE,  /* -B dir: tcc's own headers and runtime */
  O_DEBUG,   /* -g: the debug info would name the volunteer's directory */
};

struct row {
  const char *spelling;
  int separate; /* 1: the value may be the next argument (when not joined) */
  int prefix;   /* 1: matches any argument starting with the spelling */
  enum opt_class cls;
};

static const struct row k_options[] = {
    {"-c", 0, 0, O_COMPILE},   {"-o", 1, 1, O_OUTPUT},
    {"-I", 1, 1, O_CPP},       {"-D", 1, 1, O_CPP},
    {"-U", 1, 1, O_CPP},       {"-include", 1, 0, O_CPP},
    {"-isystem", 1, 0, O_CPP}, {"-L", 1, 1, O_LINK},
    {"-l", 1, 1, O_LINK},      {"-Wl,", 0, 1, O_LINK},
    {"-shared", 0, 0, O_LINK}, {"-static", 0, 0, O_LINK},
    {"-rdynamic", 0, 0, O_LINK}, {"-E", 0, 0, O_PREPROCESS},
    {"-M", 0, 0, O_PREPROCESS}, {"-MM", 0, 0, O_PREPROCESS},
    {"-MD", 0, 0, O_DEPS},     {"-MF", 1, 0, O_DEPS},
    {"-v", 0, 0, O_QUERY},     {"-vv", 0, 0, O_QUERY},
    {"--version", 0, 0, O_QUERY}, {"-h", 0, 0, O_QUERY},
    {"-hh", 0, 0, O_QUERY},    {"-print-search-dirs", 0, 0, O_QUERY},
    {"-run", 0, 0, O_RUN},     {"-B", 0, 1, O_UNSAFE},
    {"-g", 0, 1, O_DEBUG},
};

/* The row for an argument, and how many argv items it spans. */
static const struct row *lookup(const char *arg, const char *next, size_t *span) {
  *span = 1;
  for (size_t i = 0; i < sizeof k_options / sizeof k_options[0]; ++i) {
    const struct row *r = &k_options[i];
    size_t n = strlen(r->spelling);
    int exact = strcmp(arg, r->spelling) == 0;
    if (!exact && !(r->prefix && strncmp(arg, r->spelling, n) == 0)) continue;
    if (exact && r->separate) *span = next ? 2 : 0; /* 0: the value is missing */
    return r;
  }
  return NULL;
}

/* ---- planning ------------------------------------------------------------ */

static int local(plan_box *b, ferry_reason reason, const char *why, const char *arg) {
  b->plan.verdict = FERRY_VERDICT_LOCAL;
  b->plan.reason = reason;
  b->plan.reason_text = keep(b, arg ? concat(arg, why) : concat("", why));
  return b->plan.reason_text ? 0 : -1;
}

/* Fills b->plan. Returns -1 on allocation failure only. */
static int make_plan(plan_box *b, const ferry_plan_request *rq) {
  const char *const *argv = rq->args.items;
  size_t argc = rq->args.count;
  const char *input = NULL, *output = NULL;
  int compile = 0, inputs = 0, outputs = 0;

  if (push(&b->local, rq->compiler)) return -1;
  for (size_t i = 0; i < argc; ++i)
    if (push(&b->local, argv[i]) || push(&b->args, argv[i])) return -1;
  b->plan.local_argv = as_strv(&b->local);
  b->plan.args = as_strv(&b->args);
  b->tags = calloc(argc ? argc : 1, 1);
  if (!b->tags) return -1;
  b->plan.arg_tags = b->tags;

  /* One pass: tag every argument, note the first reason to stay local. */
  ferry_reason reason = FERRY_REASON_NONE;
  const char *why = NULL, *what = NULL;
#define STAY(r, w, a)                  \
  do {                                 \
    if (reason == FERRY_REASON_NONE) { \
      reason = (r), why = (w), what = (a); \
    }                                  \
  } while (0)
  for (size_t i = 0; i < argc; ++i) {
    const char *a = argv[i];
    size_t span = 1;
    const struct row *r = a[0] == '-' && a[1] ? lookup(a, i + 1 < argc ? argv[i + 1] : NULL, &span) : NULL;
    if (span == 0) {
      STAY(FERRY_REASON_BAD_ARGUMENTS, ": its value is missing", a);
      b->tags[i] = FERRY_ARG_CPP | FERRY_ARG_REMOTE;
      continue;
    }
    uint8_t tag = FERRY_ARG_CPP | FERRY_ARG_REMOTE;
    if (!r && (a[0] != '-' || !a[1])) {
      ++inputs;
      if (!input) input = a;
    } else if (r) {
      switch (r->cls) {
        case O_COMPILE: compile = 1; tag = FERRY_ARG_REMOTE; break;
        case O_OUTPUT:
          ++outputs;
          output = span == 2 ? argv[i + 1] : a + 2; /* -o x, or -ox */
          tag = FERRY_ARG_REMOTE;
          break;
        case O_CPP: case O_LINK: tag = FERRY_ARG_CPP; break;
        case O_PREPROCESS: STAY(FERRY_REASON_PREPROCESS_ONLY, ": preprocessing only", a); break;
        case O_DEPS:
          STAY(FERRY_REASON_UNSUPPORTED, ": tcc writes no dependency file when it only preprocesses", a);
          break;
        case O_QUERY: STAY(FERRY_REASON_NOT_COMPILE, ": a driver query, not a compile", a); break;
        case O_RUN: STAY(FERRY_REASON_NOT_COMPILE, ": compiles and runs in memory", a); break;
        case O_UNSAFE: STAY(FERRY_REASON_UNSAFE_OPTION, ": changes tcc's own headers and runtime", a); break;
        case O_DEBUG:
          STAY(FERRY_REASON_UNSUPPORTED, ": tcc's debug info would name the volunteer's directory and file", a);
          break;
        case O_OTHER: break;
      }
    }
    for (size_t j = 0; j < span && i + j < argc; ++j) b->tags[i + j] = tag;
    i += span - 1;
  }
#undef STAY
  if (reason != FERRY_REASON_NONE) return local(b, reason, why, what);
  if (!compile) return local(b, FERRY_REASON_NOT_COMPILE, "no -c: linking", NULL);
  if (outputs > 1) return local(b, FERRY_REASON_MULTIPLE_OUTPUTS, "more than one -o", NULL);
  if (output && strcmp(output, "-") == 0)
    return local(b, FERRY_REASON_OUTPUT_TO_STDOUT, "-o -: output to stdout", NULL);
  if (inputs == 0) return local(b, FERRY_REASON_NO_INPUT, "no source file", NULL);
  if (inputs > 1) return local(b, FERRY_REASON_MULTIPLE_INPUTS, "more than one input", NULL);
  if (strncmp(base_name(input), "conftest.", 9) == 0)
    return local(b, FERRY_REASON_AUTOCONF, ": an autoconf probe", input);
  int preprocessed = has_ext(input, ".i");
  if (!preprocessed && !has_ext(input, ".c")) {
    if (has_ext(input, ".s") || has_ext(input, ".S"))
      return local(b, FERRY_REASON_LANGUAGE, ": assembler is not distributed", input);
    return local(b, FERRY_REASON_NO_INPUT, ": not a C source file", input);
  }

  /* Distribute: `tcc <cpp args> -E input` > text; `tcc <args> -c input.i -o obj`. */
  const char *remote_input = keep(b, replace_ext(input, ".i"));
  const char *object = output ? output : keep(b, replace_ext(base_name(input), ".o"));
  if (!remote_input || !object) return -1;
  if (!preprocessed && push(&b->cpp, rq->compiler)) return -1;
  if (push(&b->remote, "tcc")) return -1;
  for (size_t i = 0; i < argc; ++i) {
    if (!preprocessed && (b->tags[i] & FERRY_ARG_CPP) && push(&b->cpp, argv[i])) return -1;
    if (b->tags[i] & FERRY_ARG_REMOTE) {
      if (push(&b->remote, argv[i] == input ? remote_input : argv[i])) return -1;
    }
  }
  if (!preprocessed && push(&b->cpp, "-E")) return -1;
  if (!output && (push(&b->remote, "-o") || push(&b->remote, object))) return -1;
  b->plan.verdict = FERRY_VERDICT_DISTRIBUTE;
  b->plan.reason = FERRY_REASON_NONE;
  b->plan.language = "c";
  b->plan.input = input;
  b->plan.object = object;
  b->plan.preprocessed_ext = ".i";
  b->plan.input_is_preprocessed = preprocessed;
  b->plan.cpp_argv = as_strv(&b->cpp);
  b->plan.remote_argv = as_strv(&b->remote);
  return 0;
}

static void tcc_free_plan(ferry_plan *plan) {
  plan_box *b = (plan_box *)plan;
  if (!b) return;
  free(b->cpp.items);
  free(b->remote.items);
  free(b->local.items);
  free(b->args.items);
  free(b->tags);
  for (size_t i = 0; i < b->nstrings; ++i) free(b->strings[i]);
  free(b);
}

/* The request's strings stay valid until plan() returns, not until
 * free_plan(): keep private copies of them. */
static int tcc_plan(const ferry_plan_request *rq, ferry_plan **out) {
  if (!rq || !out || !rq->compiler || rq->struct_size < offsetof(ferry_plan_request, cwd)) return 1;
  *out = NULL;
  size_t n = rq->args.count;
  size_t bytes = strlen(rq->compiler) + 1;
  for (size_t i = 0; i < n; ++i) bytes += strlen(rq->args.items[i]) + 1;
  plan_box *b = calloc(1, sizeof *b + (n + 1) * sizeof(char *) + bytes);
  if (!b) return 1;
  char **copies = (char **)(b + 1);
  char *p = (char *)(copies + n + 1);
  ferry_plan_request own = *rq;
  for (size_t i = 0; i <= n; ++i) {
    const char *s = i < n ? rq->args.items[i] : rq->compiler;
    size_t len = strlen(s) + 1;
    copies[i] = memcpy(p, s, len);
    p += len;
  }
  own.compiler = copies[n];
  own.args.items = (const char *const *)copies;
  if (make_plan(b, &own) != 0) {
    tcc_free_plan(&b->plan);
    return 1;
  }
  *out = &b->plan;
  return 0;
}

/* ---- the daemon side ----------------------------------------------------- */

typedef struct job_box {
  ferry_server_job job;
  strvec argv;
  char *input_path, *object_path;
} job_box;

static void tcc_free_job(ferry_server_job *job) {
  job_box *b = (job_box *)job;
  if (!b) return;
  free(b->argv.items);
  free(b->input_path);
  free(b->object_path);
  free(b);
}

static int refuse(job_box *b, ferry_reason reason, const char *why) {
  b->job.verdict = FERRY_VERDICT_LOCAL;
  b->job.reason = reason;
  b->job.reason_text = why; /* a string literal */
  return 0;
}

/* Accept only `tcc [options] -c ONE.i|ONE.c [-o X]`; options that read or
 * write files of this host, link, or run anything are refused. The argv
 * strings belong to the core and outlive the job, so the exec argv points
 * into them. */
static int check(job_box *b, const ferry_server_request *rq) {
  const char *const *argv = rq->argv.items;
  size_t argc = rq->argv.count;
  if (argc == 0) return refuse(b, FERRY_REASON_BAD_ARGUMENTS, "empty argv");
  int compile = 0, inputs = 0, outputs = 0;
  size_t input_at = 0;
  for (size_t i = 1; i < argc; ++i) {
    const char *a = argv[i];
    size_t span = 1;
    if (a[0] == '@') return refuse(b, FERRY_REASON_UNSAFE_OPTION, "response files are not accepted");
    const struct row *r = a[0] == '-' && a[1] ? lookup(a, i + 1 < argc ? argv[i + 1] : NULL, &span) : NULL;
    if (span == 0) return refuse(b, FERRY_REASON_BAD_ARGUMENTS, "an option's value is missing");
    if (!r && (a[0] != '-' || !a[1])) {
      ++inputs;
      input_at = i;
    } else if (r) {
      switch (r->cls) {
        case O_COMPILE: compile = 1; break;
        case O_OUTPUT:
          ++outputs;
          if (strcmp(span == 2 ? argv[i + 1] : a + 2, "-") == 0)
            return refuse(b, FERRY_REASON_OUTPUT_TO_STDOUT, "-o -");
          break;
        case O_CPP:
          if (strcmp(r->spelling, "-include") == 0)
            return refuse(b, FERRY_REASON_UNSAFE_OPTION, "-include would read a file of this host");
          break;
        case O_LINK: return refuse(b, FERRY_REASON_UNSAFE_OPTION, "linker options are not accepted");
        case O_PREPROCESS: return refuse(b, FERRY_REASON_PREPROCESS_ONLY, "preprocessing is the client's job");
        case O_DEPS: return refuse(b, FERRY_REASON_UNSAFE_OPTION, "dependency files are the client's job");
        case O_QUERY: case O_RUN: return refuse(b, FERRY_REASON_NOT_COMPILE, "not a compile");
        case O_UNSAFE: return refuse(b, FERRY_REASON_UNSAFE_OPTION, "-B changes tcc's own files");
        case O_DEBUG: case O_OTHER: break;
      }
    }
    i += span - 1;
  }
  if (!compile) return refuse(b, FERRY_REASON_NOT_COMPILE, "no -c");
  if (outputs > 1) return refuse(b, FERRY_REASON_MULTIPLE_OUTPUTS, "more than one -o");
  if (inputs != 1) return refuse(b, inputs ? FERRY_REASON_MULTIPLE_INPUTS : FERRY_REASON_NO_INPUT,
                                 "exactly one input is accepted");
  if (!has_ext(argv[input_at], ".i") && !has_ext(argv[input_at], ".c"))
    return refuse(b, FERRY_REASON_LANGUAGE, "only a C source is accepted");

  b->input_path = concat(rq->job_dir, "/input.i");
  b->object_path = concat(rq->job_dir, "/output.o");
  if (!b->input_path || !b->object_path) return -1;
  /* The same argv with the input and the -o value (either spelling) replaced.
   * By relative names: ferryd runs the compiler in the job directory, and tcc
   * names a file in its diagnostics by joining the directory of the .i file
   * to the line marker's name, so `input.i` (not /tmp/job/input.i) makes a
   * warning read `hello.c:3: ...`, exactly as a local compile's. */
  if (push(&b->argv, argv[0])) return -1;
  for (size_t i = 1; i < argc; ++i) {
    size_t span = 1;
    const struct row *r = argv[i][0] == '-' ? lookup(argv[i], i + 1 < argc ? argv[i + 1] : NULL, &span) : NULL;
    if (r && r->cls == O_OUTPUT) {
      if (push(&b->argv, "-o") || push(&b->argv, "output.o")) return -1;
      i += span - 1;
      continue;
    }
    if (push(&b->argv, i == input_at ? "input.i" : argv[i])) return -1;
  }
  if (!outputs && (push(&b->argv, "-o") || push(&b->argv, "output.o"))) return -1;
  b->job.verdict = FERRY_VERDICT_DISTRIBUTE;
  b->job.input_path = b->input_path;
  b->job.object_path = b->object_path;
  b->job.exec_argv = as_strv(&b->argv);
  return 0;
}

static int tcc_server_check(const ferry_server_request *rq, ferry_server_job **out) {
  if (!rq || !out || !rq->job_dir || rq->struct_size < sizeof *rq) return 1;
  *out = NULL;
  job_box *b = calloc(1, sizeof *b);
  if (!b) return 1;
  if (check(b, rq) != 0) {
    tcc_free_job(&b->job);
    return 1;
  }
  *out = &b->job;
  return 0;
}

/* ---- the table ----------------------------------------------------------- */

static int tcc_claims(const char *name) {
  size_t n = name ? strlen(name) : 0;
  return name && (strcmp(name, "tcc") == 0 || (n > 4 && strcmp(name + n - 4, "-tcc") == 0));
}

static const ferry_plugin k_plugin = {
    FERRY_PLUGIN_ABI_VERSION, sizeof(ferry_plugin), "tcc",
    "Tiny C Compiler (example out-of-tree plugin): tcc -E here, tcc -c there",
    tcc_claims, tcc_plan, tcc_free_plan, tcc_server_check, tcc_free_job,
};

FERRY_PLUGIN_EXPORT const ferry_plugin *ferry_plugin_entry(void) { return &k_plugin; }
