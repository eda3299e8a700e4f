/*
 * ferry/plugin.h — the plain-C ABI between ferry's core and a compiler plugin.
 *
 * A plugin is a shared module that exports exactly one symbol,
 * FERRY_PLUGIN_ENTRY_NAME, a function returning a pointer to a static
 * `ferry_plugin` table. The core checks `abi_version` before it touches any
 * other field, so a plugin built against another version of this header is
 * refused with a clear message instead of crashing.
 *
 * Next to each module `NAME.so` sits a manifest `NAME.plugin` (plain text,
 * see docs/plugin-abi.md) listing the compiler names it claims, so the core
 * can pick the one plugin it needs without loading the others.
 *
 * The same plugin serves both sides:
 *  - the client calls plan() to decide distribute-or-local and to build the
 *    local preprocessing command and the remote compile command;
 *  - the daemon calls server_check() to verify that a received argv is a pure
 *    compile of one preprocessed input before anything is executed.
 *
 * Memory: every structure a plugin returns is owned by the plugin and handed
 * back to its matching free function. Strings are NUL-terminated UTF-8/bytes.
 * No LLVM or C++ types cross this boundary.
 */
#ifndef FERRY_PLUGIN_H
#define FERRY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_PLUGIN_ABI_VERSION 1u
#define FERRY_PLUGIN_ENTRY_NAME "ferry_plugin_entry"

#if defined(__GNUC__)
#define FERRY_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define FERRY_PLUGIN_EXPORT
#endif

/* A counted array of strings. */
typedef struct ferry_strv {
  const char *const *items;
  size_t count;
} ferry_strv;

typedef enum ferry_verdict {
  FERRY_VERDICT_DISTRIBUTE = 0, /* client: send it; server: accepted */
  FERRY_VERDICT_LOCAL = 1       /* client: compile locally; server: refused */
} ferry_verdict;

/* Why a job is not distributed (client) or is refused (server). A closed
 * list: the core counts these, logs them and maps them to statistics. */
typedef enum ferry_reason {
  FERRY_REASON_NONE = 0,
  FERRY_REASON_NOT_COMPILE = 1,      /* no -c/-S: linking or a driver query */
  FERRY_REASON_PREPROCESS_ONLY = 2,  /* -E, -M, -MM */
  FERRY_REASON_NO_INPUT = 3,         /* no source file on the command line */
  FERRY_REASON_MULTIPLE_INPUTS = 4,  /* more than one source file */
  FERRY_REASON_MULTIPLE_OUTPUTS = 5, /* more than one output */
  FERRY_REASON_AUTOCONF = 6,         /* conftest.* probes */
  FERRY_REASON_OUTPUT_TO_STDOUT = 7, /* -o - */
  FERRY_REASON_HOST_SPECIFIC = 8,    /* -march=native and friends */
  FERRY_REASON_PROFILING = 9,        /* -fprofile-*, --coverage, ... */
  FERRY_REASON_LANGUAGE = 10,        /* assembler or a language not sent */
  FERRY_REASON_RESPONSE_FILE = 11,   /* an @file that cannot be expanded */
  FERRY_REASON_UNSAFE_OPTION = 12,   /* -fplugin=, -specs=, -B, -wrapper, ... */
  FERRY_REASON_EXTRA_OUTPUT = 13,    /* outputs a remote compile would lose */
  FERRY_REASON_BAD_ARGUMENTS = 14,   /* malformed: the compiler should report it */
  FERRY_REASON_UNSUPPORTED = 15,     /* anything else the plugin keeps local */
  FERRY_REASON_COUNT = 16
} ferry_reason;

/* Tags for each analysed argument: where it goes. Every argument gets at
 * least one bit; nothing is silently dropped. */
enum {
  FERRY_ARG_CPP = 1u,    /* passed to the local preprocessor */
  FERRY_ARG_REMOTE = 2u  /* passed to the remote compiler */
};

/* ---- client side ------------------------------------------------------ */

typedef struct ferry_plan_request {
  uint32_t struct_size; /* sizeof(ferry_plan_request) as the core knows it */
  /* The compiler as the core will run it locally: a bare name looked up on
   * PATH (already trimmed in masquerade mode) or a path the user gave. */
  const char *compiler;
  ferry_strv args;      /* the arguments after the compiler name */
  const char *cwd;      /* the client's working directory */
  const char *strategy; /* preprocessing strategy name, NULL = plugin default */
} ferry_plan_request;

typedef struct ferry_plan {
  uint32_t verdict;        /* ferry_verdict */
  uint32_t reason;         /* ferry_reason; NONE when distributing */
  const char *reason_text; /* one line for users, e.g. "-march=native ..." */

  const char *language;         /* "c", "c++", "objective-c", ... */
  const char *input;            /* the source file as given */
  const char *object;           /* the output file (implied names made explicit) */
  const char *dep_file;         /* the .d file the local cpp writes, or NULL */
  const char *preprocessed_ext; /* ".i", ".ii", ... */
  int input_is_preprocessed;    /* .i/.ii input: sent as is, no cpp run */

  /* The local preprocessor: writes the preprocessed text to stdout and the
   * dependency file (if any) to its final path, byte-identical to what the
   * local compile would have written. */
  ferry_strv cpp_argv;
  /* What the remote compiler runs: argv[0] is a bare compiler name, the
   * input is named with preprocessed_ext, "-o object" is present. */
  ferry_strv remote_argv;
  /* The local compile, used when running locally or as fallback. */
  ferry_strv local_argv;

  ferry_strv args;         /* the analysed arguments (after @file expansion) */
  const uint8_t *arg_tags; /* one FERRY_ARG_* bit set per args item */
} ferry_plan;

/* ---- server side ------------------------------------------------------ */

typedef struct ferry_server_request {
  uint32_t struct_size;
  ferry_strv argv;     /* as received; argv[0] is the requested compiler */
  const char *job_dir; /* private empty directory, absolute path */
} ferry_server_request;

typedef struct ferry_server_job {
  uint32_t verdict;        /* DISTRIBUTE = accepted, LOCAL = refused */
  uint32_t reason;         /* ferry_reason when refused */
  const char *reason_text; /* one line for the daemon's log */
  const char *input_path;  /* inside job_dir: where to write the source */
  const char *object_path; /* inside job_dir: the object to send back */
  ferry_strv exec_argv;    /* argv[0] as received; the core resolves it */
} ferry_server_job;

/* ---- the table -------------------------------------------------------- */

typedef struct ferry_plugin {
  uint32_t abi_version; /* FERRY_PLUGIN_ABI_VERSION; checked first */
  uint32_t struct_size; /* sizeof(ferry_plugin) */
  const char *name;     /* "gcc" */
  const char *description;

  /* 1 if this plugin handles a compiler of that basename, else 0. */
  int (*claims)(const char *compiler_basename);

  /* Returns 0 and a plan (which may say LOCAL), or nonzero on an internal
   * failure (out of memory); the core then compiles locally. */
  int (*plan)(const ferry_plan_request *request, ferry_plan **out);
  void (*free_plan)(ferry_plan *plan);

  /* Returns 0 and a job (accepted or refused), or nonzero on failure. */
  int (*server_check)(const ferry_server_request *request,
                      ferry_server_job **out);
  void (*free_server_job)(ferry_server_job *job);
} ferry_plugin;

typedef const ferry_plugin *(*ferry_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PLUGIN_H */
