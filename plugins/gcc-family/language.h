// Languages and file names as the gcc driver sees them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::gcc_family {

enum class Lang { C, Cxx, ObjC, ObjCxx };

/// A source that can be distributed: its language, and whether it is
/// already preprocessed (.i, .ii, .mi, .mii, or -x cpp-output).
struct SourceKind {
  Lang lang = Lang::C;
  bool preprocessed = false;
};

/// What an input file is, from its extension (gcc's default rules).
enum class InputClass {
  Source,         ///< .c .cc .cpp .cxx .cp .c++ .C .CPP .i .ii .m .mm .mi .mii .M
  Assembler,      ///< .s .S .sx
  Header,         ///< .h .hh .hpp ...: gcc would write a precompiled header
  OtherLanguage,  ///< Fortran, Ada, D, Go, Modula-2, ...
  NotSource       ///< anything else: an object or library for the linker
};

InputClass classify_extension(std::string_view path, SourceKind* kind);

/// What `-x LANG` makes of the following inputs.
enum class XClass { Source, None, Unsupported };
XClass classify_x(std::string_view lang, SourceKind* kind);

/// "c", "c++", "objective-c", "objective-c++".
const char* language_name(Lang lang);
/// ".i", ".ii", ".mi", ".mii".
const char* preprocessed_ext(Lang lang);

/// The part after the last '/', or the whole path.
std::string_view base_name(std::string_view path);
/// The last suffix of the base name, with its dot (".c"), or "" when the base
/// name has no dot. gcc counts a leading dot: ".hidden" has suffix ".hidden".
std::string_view extension(std::string_view path);
/// The path with the base name's last suffix replaced by `ext` (or `ext`
/// appended when there is none): build/a.x.o -> build/a.x.d, build/a -> build/a.d.
std::string replace_extension(std::string_view path, std::string_view ext);

}  // namespace ferry::gcc_family
