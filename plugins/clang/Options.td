// The clang plugin's option table: the gcc-family set plus what clang 14's
// driver adds. As in Common.td, an option is listed only when it takes a
// separate value (else the value would be read as an input) or changes the
// plan; everything else goes to both the preprocessor and the compile.
include "llvm/Option/OptParser.td"
include "Common.td"

// ---- kept for the remote ------------------------------------------------------

// The target triple picks the compiler's code generation AND its predefined
// macros, so it goes to both sides (tagged as an unknown option would be).
def target : S<"target">;
def target_EQ : Joined<["--"], "target=">;
def arch : S<"arch">;
def gcc_toolchain : S<"gcc-toolchain">;
// Colour: the remote's diagnostics come back as its stderr, so a forced
// colour must reach both the local preprocessor (its #warning) and the
// remote compile; both write escape codes only when forced, not on a tty.
def fcolor_diagnostics : F<"fcolor-diagnostics">;
def fno_color_diagnostics : F<"fno-color-diagnostics">;
def fdiagnostics_color : F<"fdiagnostics-color">;
def fdiagnostics_color_EQ : J<"fdiagnostics-color=">;
// The remote compiles in a job directory: clang would record that as
// DW_AT_comp_dir, so the plugin sends -fdebug-compilation-dir=CWD unless the
// user gave one of these (dialect.cpp).
def fdebug_compilation_dir_EQ : J<"fdebug-compilation-dir=">;
def fdebug_compilation_dir : S<"fdebug-compilation-dir">;
def ffile_compilation_dir_EQ : J<"ffile-compilation-dir=">;

// ---- preprocessor only ----------------------------------------------------------

def cxx_isystem : JS<"cxx-isystem">, Group<grp_cpp>;
def ivfsoverlay : JS<"ivfsoverlay">, Group<grp_cpp>;
def index_header_map : F<"index-header-map">, Group<grp_cpp>;

// ---- local, with a reason in dialect.cpp ------------------------------------------

// Raw frontend and backend options: ferry cannot vet what they do (-Xclang
// -load plugin.so, -mllvm -info-output-file=...).
def Xclang : S<"Xclang">;
def mllvm : S<"mllvm">;
def Xanalyzer : S<"Xanalyzer">;
// Clang modules: a module cache and module maps on this host's disk.
def fmodules : F<"fmodules">;
def fcxx_modules : F<"fcxx-modules">;
def fmodules_ : J<"fmodules-">;
def fimplicit_module_maps : F<"fimplicit-module-maps">;
def fbuiltin_module_map : F<"fbuiltin-module-map">;
def fprebuilt_module_path : J<"fprebuilt-module-path=">;

// ---- local by class ------------------------------------------------------------------

def include_pch : S<"include-pch">, Group<grp_unsupported>;
def fsanitize_ignorelist_EQ : J<"fsanitize-ignorelist=">, Group<grp_unsupported>;
def fsanitize_blacklist_EQ : J<"fsanitize-blacklist=">, Group<grp_unsupported>;
def working_directory : S<"working-directory">, Group<grp_unsupported>;
def working_directory_EQ : J<"working-directory=">, Group<grp_unsupported>;
def fpass_plugin_EQ : J<"fpass-plugin=">, Group<grp_unsafe>;
def serialize_diagnostics : S<"serialize-diagnostics">, Group<grp_extra_output>;
def MJ : JS<"MJ">, Group<grp_extra_output>;
def ftime_trace : F<"ftime-trace">, Group<grp_extra_output>;
def save_stats : F<"save-stats">, Group<grp_extra_output>;
def save_stats_EQ : J<"save-stats=">, Group<grp_extra_output>;
def fsave_optimization_record_EQ : J<"fsave-optimization-record=">, Group<grp_extra_output>;
def foptimization_record_file_EQ : J<"foptimization-record-file=">, Group<grp_extra_output>;
def fcrash_diagnostics_dir_EQ : J<"fcrash-diagnostics-dir=">, Group<grp_unsupported>;
def ccc_print_phases : F<"ccc-print-phases">, Group<grp_query>;
