// What the fuzz targets share: a failed property aborts (libFuzzer records
// the input as a crash), and errors are consumed as llvm::Error requires.
#pragma once

#include <cstdio>
#include <cstdlib>

#include <llvm/Support/Error.h>

#include "proto/codec.h"

namespace ferry::fuzz {

// Not assert(): it must hold in release builds too.
#define FERRY_FUZZ_CHECK(cond)                                             \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,       \
                   __LINE__, #cond);                                       \
      std::abort();                                                        \
    }                                                                      \
  } while (0)

// The decoders' defaults (what ferryd and ferry use) ...
inline proto::Limits default_limits() { return proto::Limits{}; }

// ... and limits small enough that inputs of a few hundred bytes reach every
// "exceeds max_*" branch, including max_total across several bodies.
inline proto::Limits tight_limits() {
  proto::Limits l;
  l.max_argc = 8;
  l.max_arg_len = 64;
  l.max_body = 512;
  l.max_total = 768;
  return l;
}

// Decoding either succeeds or fails with a value; a failure is a normal
// outcome for fuzz input.
template <class T>
bool take(llvm::Expected<T>& value) {
  if (value) {
    return true;
  }
  llvm::consumeError(value.takeError());
  return false;
}

}  // namespace ferry::fuzz
