# Sanitised and fuzzing builds (docs/fuzzing.md). Both are separate build
# directories; a normal build is unaffected.
#
#   -DFERRY_SANITIZE=address,undefined   the whole tree (binaries, plugins,
#                                        tests) under ASan + UBSan (CI: build-asan/)
#   -DFERRY_FUZZ=ON (clang only)         the libFuzzer targets in fuzz/,
#                                        with ASan + UBSan (CI: build-fuzz/)
set(FERRY_SANITIZE "" CACHE STRING
  "Comma-separated -fsanitize= list for the whole build, e.g. address,undefined")
option(FERRY_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(FERRY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "FERRY_FUZZ=ON needs clang (libFuzzer): configure with "
                        "-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  if(NOT FERRY_SANITIZE)
    set(FERRY_SANITIZE address,undefined CACHE STRING "" FORCE)
  endif()
  # Coverage instrumentation everywhere; only the fuzzer executables link
  # libFuzzer itself (-fsanitize=fuzzer in fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(FERRY_SANITIZE)
  # A report is a failure: stop at the first one (UBSan would otherwise print
  # and carry on), and keep frame pointers so reports have whole stacks.
  add_compile_options(-fsanitize=${FERRY_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${FERRY_SANITIZE})
  # -O0 -g1 (after the build type's -O2 -g on the command line, so they win):
  # the sanitised tree is built in CI beside the normal one, and optimising
  # instrumented code is most of its compile time (half of it at -O1, measured
  # on the gtest files); line tables are all a report needs. The suite's time
  # goes to compilers, sleeps and process starts, not to ferry's own code.
  if(NOT FERRY_FUZZ)
    add_compile_options(-O0 -g1)
  endif()
endif()

# Link options that fight the sanitiser runtimes, dropped in a sanitised build:
# - -static-libstdc++/-static-libgcc (ferry_cheap_startup, plugins): a private
#   copy of operator new/delete would bypass ASan's and hide mismatches.
# - -no-pie on the client: the sanitiser runtimes are tested with PIEs.
# - -Wl,--no-undefined on plugins: clang does not link the sanitiser runtime
#   into shared objects; its symbols come from the executable at dlopen time.
function(ferry_sanitizer_filter_link_options out)
  if(FERRY_SANITIZE)
    list(REMOVE_ITEM ARGN -static-libstdc++ -static-libgcc -Wl,--no-undefined -no-pie)
  endif()
  set(${out} ${ARGN} PARENT_SCOPE)
endfunction()
