// The gcc-family driver options that matter to ferry, and nothing else:
// the option set gcc, clang and icc share. Each plugin's Options.td includes
// this file (after llvm/Option/OptParser.td) and adds its own options, which
// may use the plan classes below; Family.td is this set alone, from which
// the shared library takes its option ids (options.h).
//
// The table is deliberately lean (every option costs start-up time, see
// style.md). An option is listed when
//  - it takes a SEPARATE argument (-o x, -I dir, --param x, -Xlinker x, ...):
//    without an entry its value would be read as an input file; or
//  - it changes the plan: where the argument goes (preprocessor only, remote
//    only) or why the job must stay local.
// Everything else (-O2, -Wall, -fPIC, -std=c11, -g, ...) is OPT_UNKNOWN and
// goes to both the local preprocessor and the remote compiler unchanged.
//
// The group of an option is its plan class; the shared planner maps groups
// to tags and local reasons (planner.cpp), so adding a flag to a class is
// one line here or in a plugin's Options.td. Options needing a look at their
// value (-march=, -x, -Wa,, -d...) have their own cases in the planner.
//
// The option list follows gcc 12's common.opt, c-family/c.opt and the
// driver's long-option aliases (--output, --include-directory, ...). gcc has
// no abbreviations of long options (`--outp` is an error), so neither do we.

// ---- plan classes -----------------------------------------------------------

// Read only by the preprocessor: tagged CPP, never sent to the remote.
def grp_cpp : OptionGroup<"<cpp>">;
// Meaningful for the compile only, and harmful or pointless for `-E`:
// tagged REMOTE, never given to the local preprocessor.
def grp_remote : OptionGroup<"<remote>">;
// Link-only options: no effect with -c/-S; tagged CPP (the local driver
// ignores them) and never sent, since ferryd refuses linker options.
def grp_link : OptionGroup<"<link>">;
// Options that load code or specs into the compiler: always local.
def grp_unsafe : OptionGroup<"<unsafe>">;
// Profiling and coverage: files next to the object and at run time.
def grp_profiling : OptionGroup<"<profiling>">;
// Files the compile writes besides the object: a remote compile loses them.
def grp_extra_output : OptionGroup<"<extra-output>">;
// Distributable in principle, but not by this plugin.
def grp_unsupported : OptionGroup<"<unsupported>">;
// Driver queries: they print something and compile nothing.
def grp_query : OptionGroup<"<query>">;
// -march=/-mtune=/-mcpu=: host specific when the value is "native".
def grp_cpu : OptionGroup<"<cpu>">;
// Code for the CPU of the compiling host whatever the value (icc -xHost).
def grp_host_specific : OptionGroup<"<host-specific>">;
// Code generation deferred to the link (icc -ipo): nothing to distribute.
def grp_link_time : OptionGroup<"<link-time>">;

// ---- helpers ----------------------------------------------------------------

class F<string name> : Flag<["-"], name>;
class J<string name> : Joined<["-"], name>;
class S<string name> : Separate<["-"], name>;
class JS<string name> : JoinedOrSeparate<["-"], name>;

// A gcc long option with a value, spelt `--name value` or `--name=value`.
multiclass LongEq<string name, Option target> {
  def NAME : Separate<["--"], name>, Alias<target>;
  def NAME#_EQ : Joined<["--"], name#"=">, Alias<target>;
}
// A long flag: --name.
class LongFlag<string name, Option target> : Flag<["--"], name>, Alias<target>;

// ---- mode and output ----------------------------------------------------------

def c : F<"c">, HelpText<"Compile to an object">;
def S : F<"S">, HelpText<"Compile to assembler (wins over -c)">;
def E : F<"E">, HelpText<"Preprocess only">;
def o : JS<"o">, MetaVarName<"<file>">, HelpText<"Output file">;
def x : JS<"x">, MetaVarName<"<language>">, HelpText<"Language of the following inputs">;

def long_compile : LongFlag<"compile", c>;
def long_assemble : LongFlag<"assemble", S>;
def long_preprocess : LongFlag<"preprocess", E>;
defm long_output : LongEq<"output", o>;
defm long_language : LongEq<"language", x>;

// ---- dependency output ------------------------------------------------------------

def M : F<"M">, HelpText<"Dependencies instead of compiling">;
def MM : F<"MM">, HelpText<"Like -M without system headers">;
def MD : F<"MD">, HelpText<"Dependencies as a side effect of compiling">;
def MMD : F<"MMD">, HelpText<"Like -MD without system headers">;
def MF : JS<"MF">, MetaVarName<"<file>">, HelpText<"Dependency file">;
def MT : JS<"MT">, MetaVarName<"<target>">, HelpText<"Dependency target">;
def MQ : JS<"MQ">, MetaVarName<"<target>">, HelpText<"Dependency target, quoted">;
def MP : F<"MP">, Group<grp_cpp>, HelpText<"Phony targets for headers">;
def MG : F<"MG">, Group<grp_cpp>, HelpText<"Missing headers are generated">;
def long_dependencies : LongFlag<"dependencies", M>;
def long_user_dependencies : LongFlag<"user-dependencies", MM>;
def long_write_dependencies : LongFlag<"write-dependencies", MD>;
def long_write_user_dependencies : LongFlag<"write-user-dependencies", MMD>;
def long_print_missing : LongFlag<"print-missing-file-dependencies", MG>;

// Raw preprocessor arguments (-Wp,-MD,file is the Linux kernel's style).
def Wp_COMMA : J<"Wp,">, HelpText<"Pass comma-separated arguments to the preprocessor">;
def Xpreprocessor : S<"Xpreprocessor">, HelpText<"Pass an argument to the preprocessor">;

// ---- preprocessor only ------------------------------------------------------------

def I : JS<"I">, Group<grp_cpp>;
def D : JS<"D">, Group<grp_cpp>;
def U : JS<"U">, Group<grp_cpp>;
def A : JS<"A">, Group<grp_cpp>;
def F_dir : JS<"F">, Group<grp_cpp>;
def include_ : JS<"include">, Group<grp_cpp>;
def imacros : JS<"imacros">, Group<grp_cpp>;
def isystem : JS<"isystem">, Group<grp_cpp>;
def idirafter : JS<"idirafter">, Group<grp_cpp>;
def iquote : JS<"iquote">, Group<grp_cpp>;
def iprefix : JS<"iprefix">, Group<grp_cpp>;
def iwithprefix : JS<"iwithprefix">, Group<grp_cpp>;
def iwithprefixbefore : JS<"iwithprefixbefore">, Group<grp_cpp>;
def isysroot : JS<"isysroot">, Group<grp_cpp>;
def imultilib : JS<"imultilib">, Group<grp_cpp>;
def sysroot : Separate<["--"], "sysroot">, Group<grp_cpp>;
def sysroot_EQ : Joined<["--"], "sysroot=">, Group<grp_cpp>;
def nostdinc : F<"nostdinc">, Group<grp_cpp>;
def nostdincxx : F<"nostdinc++">, Group<grp_cpp>;
def undef : F<"undef">, Group<grp_cpp>;
// -H prints the include tree while preprocessing.
def H : F<"H">, Group<grp_cpp>;
// The preprocessor's output is already UTF-8: the compile must not convert it
// again (a Latin-1 "\xe9" would become mojibake; gcc 12, measured).
def finput_charset_EQ : J<"finput-charset=">, Group<grp_cpp>;
def include_barrier : Flag<["--"], "include-barrier">, Group<grp_cpp>;
def long_trace_includes : LongFlag<"trace-includes", H>;
defm long_include_directory : LongEq<"include-directory", I>;
defm long_define_macro : LongEq<"define-macro", D>;
defm long_undefine_macro : LongEq<"undefine-macro", U>;
defm long_assert : LongEq<"assert", A>;
defm long_include : LongEq<"include", include_>;
defm long_imacros : LongEq<"imacros", imacros>;
defm long_include_directory_after : LongEq<"include-directory-after", idirafter>;
defm long_include_prefix : LongEq<"include-prefix", iprefix>;
defm long_include_with_prefix : LongEq<"include-with-prefix", iwithprefix>;
defm long_include_with_prefix_after : LongEq<"include-with-prefix-after", iwithprefix>;
defm long_include_with_prefix_before : LongEq<"include-with-prefix-before", iwithprefixbefore>;

// ---- compile only -----------------------------------------------------------------

// These change `-E` output (no line markers, comments kept) but do nothing
// to a compile, so the local preprocessor must not see them.
def P : F<"P">, Group<grp_remote>;
def C : F<"C">, Group<grp_remote>;
def CC : F<"CC">, Group<grp_remote>;
def long_no_line_commands : LongFlag<"no-line-commands", P>;
def long_comments : LongFlag<"comments", C>;
def long_comments_in_macros : LongFlag<"comments-in-macros", CC>;
// -dLETTERS: debugging dumps, or with -E macro listings (planner.cpp).
def d : J<"d">;
def d_r : J<"dr">, Group<grp_profiling>;
defm long_dump : LongEq<"dump", d>;
// The assembler runs remotely; its arguments are looked at (planner.cpp).
def Wa_COMMA : J<"Wa,">;
def Xassembler : S<"Xassembler">;
defm long_for_assembler : LongEq<"for-assembler", Xassembler>;
// Options with a separate value and no effect on the plan.
def param : Separate<["--"], "param">;
def param_EQ : Joined<["--"], "param=">;
def G : JS<"G">;  // small-data limit on MIPS, RISC-V, ...

// ---- link only ----------------------------------------------------------------------

def l : JS<"l">, Group<grp_link>;
def L : JS<"L">, Group<grp_link>;
def T : JS<"T">, Group<grp_link>;
def Tbss : S<"Tbss">, Group<grp_link>;
def Tdata : S<"Tdata">, Group<grp_link>;
def Ttext : S<"Ttext">, Group<grp_link>;
def u : JS<"u">, Group<grp_link>;
def z : JS<"z">, Group<grp_link>;
def e : JS<"e">, Group<grp_link>;
def h : JS<"h">, Group<grp_link>;
def R : JS<"R">, Group<grp_link>;
def Wl_COMMA : J<"Wl,">, Group<grp_link>;
def Xlinker : S<"Xlinker">, Group<grp_link>;
defm long_library_directory : LongEq<"library-directory", L>;
defm long_force_link : LongEq<"force-link", u>;
defm long_entry : LongEq<"entry", e>;
defm long_for_linker : LongEq<"for-linker", Xlinker>;

// ---- always local ---------------------------------------------------------------------

def B : JS<"B">, Group<grp_unsafe>;
def specs : S<"specs">, Group<grp_unsafe>;
def specs_EQ : J<"specs=">, Group<grp_unsafe>;
def wrapper : S<"wrapper">, Group<grp_unsafe>;
def fplugin_EQ : J<"fplugin=">, Group<grp_unsafe>;
def fplugin_arg : J<"fplugin-arg-">, Group<grp_unsafe>;
def iplugindir_EQ : J<"iplugindir=">, Group<grp_unsafe>;
def fself_test : J<"fself-test">, Group<grp_unsafe>;
defm long_prefix : LongEq<"prefix", B>;
defm long_specs : LongEq<"specs", specs_EQ>;

def fprofile : J<"fprofile-">, Group<grp_profiling>;
def fauto_profile : J<"fauto-profile">, Group<grp_profiling>;
def ftest_coverage : F<"ftest-coverage">, Group<grp_profiling>;
def coverage : F<"coverage">, Group<grp_profiling>;
def frepo : F<"frepo">, Group<grp_profiling>;
def long_coverage : LongFlag<"coverage", coverage>;

def gsplit_dwarf : F<"gsplit-dwarf">, Group<grp_extra_output>;
def save_temps : F<"save-temps">, Group<grp_extra_output>;
def save_temps_EQ : J<"save-temps=">, Group<grp_extra_output>;
def long_save_temps : LongFlag<"save-temps", save_temps>;
def fdump : J<"fdump-">, Group<grp_extra_output>;
def fstack_usage : F<"fstack-usage">, Group<grp_extra_output>;
def fcallgraph_info : F<"fcallgraph-info">, Group<grp_extra_output>;
def fcallgraph_info_EQ : J<"fcallgraph-info=">, Group<grp_extra_output>;
def fsave_optimization_record : F<"fsave-optimization-record">, Group<grp_extra_output>;
def fdeps : J<"fdeps-">, Group<grp_extra_output>;
def aux_info : S<"aux-info">, Group<grp_extra_output>;
def aux_info_EQ : J<"aux-info=">, Group<grp_extra_output>;
def output_pch_EQ : Joined<["--"], "output-pch=">, Group<grp_extra_output>;
def time_EQ : J<"time=">, Group<grp_extra_output>;
// These write a file only with "=file" / "...-file" (planner.cpp).
def fopt_info : J<"fopt-info">;
def fdiagnostics_format_EQ : J<"fdiagnostics-format=">;

def flto : F<"flto">;
def flto_EQ : J<"flto=">;
def fno_lto : F<"fno-lto">;
def fsyntax_only : F<"fsyntax-only">, Group<grp_unsupported>;
def fpch_preprocess : F<"fpch-preprocess">, Group<grp_unsupported>;
def fmodules_ts : F<"fmodules-ts">, Group<grp_unsupported>;
def fmodule : J<"fmodule-">, Group<grp_unsupported>;
def dumpbase : S<"dumpbase">, Group<grp_unsupported>;
def dumpbase_ext : S<"dumpbase-ext">, Group<grp_unsupported>;
def dumpdir : S<"dumpdir">, Group<grp_unsupported>;
def long_dumpbase : Separate<["--"], "dumpbase">, Alias<dumpbase>;
def long_dumpbase_ext : Separate<["--"], "dumpbase-ext">, Alias<dumpbase_ext>;
def long_dumpdir : Separate<["--"], "dumpdir">, Alias<dumpdir>;
// Other languages' file options, accepted (and ignored) by the C driver.
def J_dir : JS<"J">, Group<grp_unsupported>;
def Xf : S<"Xf">, Group<grp_unsupported>;
def Hd : S<"Hd">, Group<grp_unsupported>;
def Hf : S<"Hf">, Group<grp_unsupported>;
def fintrinsic_modules_path : S<"fintrinsic-modules-path">, Group<grp_unsupported>;
def gnatO : S<"gnatO">, Group<grp_unsupported>;

def march_EQ : J<"march=">, Group<grp_cpu>;
def mtune_EQ : J<"mtune=">, Group<grp_cpu>;
def mcpu_EQ : J<"mcpu=">, Group<grp_cpu>;

def hash_hash_hash : F<"###">, Group<grp_query>;
def help : Flag<["--"], "help">, Group<grp_query>;
def help_EQ : Joined<["--"], "help=">, Group<grp_query>;
def target_help : Flag<["--"], "target-help">, Group<grp_query>;
def version : Flag<["--"], "version">, Group<grp_query>;
def dumpmachine : F<"dumpmachine">, Group<grp_query>;
def dumpversion : F<"dumpversion">, Group<grp_query>;
def dumpfullversion : F<"dumpfullversion">, Group<grp_query>;
def dumpspecs : F<"dumpspecs">, Group<grp_query>;
def print : J<"print-">, Group<grp_query>;
def long_print : Joined<["--"], "print-">, Group<grp_query>;
def long_print_file_name : Separate<["--"], "print-file-name">, Group<grp_query>;
def long_print_prog_name : Separate<["--"], "print-prog-name">, Group<grp_query>;

// ---- preprocessing strategy -------------------------------------------------------

// gcc refuses `-E -fdirectives-only` with these ("incompatible with
// -traditional", "... with -Wunused-macros"): such jobs use plain -E.
def traditional : F<"traditional">;
def traditional_cpp : F<"traditional-cpp">;
def Wunused_macros : F<"Wunused-macros">;
