// The icc plugin's option table: the gcc-family set plus Intel's options
// (icc/icpc Classic and icx/icpx) that take a separate value or change the
// plan. Names follow the Intel C++ Compiler Classic 2021 developer guide.
include "llvm/Option/OptParser.td"
include "Common.td"

// ---- code generation for a CPU --------------------------------------------------

// -xHost: "the highest instruction set available on the compilation host",
// like -march=native. Longer than -x, so it wins the match. -fast implies it.
// Every other -x<CPU> (-xCORE-AVX2, -xSSE4.2) is a code-generation flag
// for both sides (it defines __AVX2__ ...): dialect.cpp tells it from the
// language option `-x c` by the upper-case letter after -x, as ccache does.
def xHost : F<"xHost">, Group<grp_host_specific>;
def fast : F<"fast">, Group<grp_host_specific>;

// ---- local ----------------------------------------------------------------------------

// -ipo: the "object" holds IR; code is generated at link time (xild).
// Also -ipoN, -ipo-c (writes ipo_out.o), -ipo-jobsN, -ipo-S.
def ipo : J<"ipo">, Group<grp_link_time>;
// Profile-guided optimisation: -prof-gen writes .dyn files at run time,
// -prof-use reads .dpi files, both from -prof-dir.
def prof_dir : S<"prof-dir">, Group<grp_profiling>;
def prof_ : J<"prof-">, Group<grp_profiling>;
// The underlying gcc and the compiler's own tool chain.
def gcc_name_EQ : J<"gcc-name=">, Group<grp_unsafe>;
def gxx_name_EQ : J<"gxx-name=">, Group<grp_unsafe>;
def Qoption : J<"Qoption,">, Group<grp_unsafe>;
def Qlocation : J<"Qlocation,">, Group<grp_unsafe>;
// Precompiled headers: -pch, -pch-use, -pch-create, -pch-dir.
def pch : J<"pch">, Group<grp_unsupported>;
def pch_use : S<"pch-use">, Group<grp_unsupported>;
def pch_create : S<"pch-create">, Group<grp_unsupported>;
def pch_dir : S<"pch-dir">, Group<grp_unsupported>;
// Diagnostics to a file, or a listing of all diagnostics.
def diag_file : J<"diag-file">, Group<grp_extra_output>;
def diag_dump : F<"diag-dump">, Group<grp_query>;

// ---- compile only -------------------------------------------------------------------

// Numbered diagnostics (-diag-disable=10441, -wd1478, -we177, -ww593) are
// decided by the compiler proper, so they go to the remote only: the local
// preprocessor neither needs them nor may change which remarks fire.
def diag_ : J<"diag-">, Group<grp_remote>;
def wd : J<"wd">, Group<grp_remote>;
def we : J<"we">, Group<grp_remote>;
def ww : J<"ww">, Group<grp_remote>;
