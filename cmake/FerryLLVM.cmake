# LLVM 14 from Debian's llvm-14-dev: the Support and Option components, linked
# statically (never libLLVM-14.so: it costs ~55 ms per process start).
find_package(LLVM 14 REQUIRED CONFIG HINTS /usr/lib/llvm-14/lib/cmake/llvm)
# The installed LLVMConfig.cmake does not set LLVM_TABLEGEN_EXE; tablegen() needs it.
find_program(LLVM_TABLEGEN_EXE NAMES llvm-tblgen-14 llvm-tblgen
             HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
list(APPEND CMAKE_MODULE_PATH ${LLVM_CMAKE_DIR})
include(TableGen)

separate_arguments(FERRY_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
llvm_map_components_to_libnames(FERRY_LLVM_LIBS option support)

# One interface target that carries LLVM's headers (as SYSTEM, so -Wextra stays
# quiet inside them), definitions and static archives.
add_library(ferry_llvm INTERFACE)
target_include_directories(ferry_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(ferry_llvm INTERFACE ${FERRY_LLVM_DEFINITIONS})
target_link_libraries(ferry_llvm INTERFACE ${FERRY_LLVM_LIBS})
# LLVMSupport's interface names libz3/libz/libtinfo; only keep what is used.
target_link_options(ferry_llvm INTERFACE -Wl,--as-needed)
