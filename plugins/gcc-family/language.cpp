#include "language.h"

#include <array>

namespace ferry::gcc_family {
namespace {

struct ExtRule {
  std::string_view ext;
  Lang lang;
  bool preprocessed;
};

// gcc's suffixes for the four languages ferry distributes (case matters:
// .C is C++, .c is C). Same list as distcc's, plus .CPP which gcc knows too.
constexpr std::array<ExtRule, 15> k_source_exts = {{
    {".c", Lang::C, false},       {".i", Lang::C, true},
    {".cc", Lang::Cxx, false},    {".cp", Lang::Cxx, false},
    {".cxx", Lang::Cxx, false},   {".cpp", Lang::Cxx, false},
    {".CPP", Lang::Cxx, false},   {".c++", Lang::Cxx, false},
    {".C", Lang::Cxx, false},     {".ii", Lang::Cxx, true},
    {".m", Lang::ObjC, false},    {".mi", Lang::ObjC, true},
    {".mm", Lang::ObjCxx, false}, {".M", Lang::ObjCxx, false},
    {".mii", Lang::ObjCxx, true},
}};

constexpr std::array<std::string_view, 3> k_asm_exts = {".s", ".S", ".sx"};
constexpr std::array<std::string_view, 9> k_header_exts = {
    ".h", ".H", ".hh", ".hp", ".hxx", ".hpp", ".HPP", ".h++", ".tcc"};
constexpr std::array<std::string_view, 25> k_other_lang_exts = {
    ".f",   ".for", ".ftn", ".fpp", ".F",   ".FOR", ".FPP", ".FTN", ".f90",
    ".f95", ".f03", ".f08", ".F90", ".F95", ".F03", ".F08", ".ads", ".adb",
    ".d",   ".di",  ".dd",  ".go",  ".mod", ".def", ".brig"};

template <typename Array>
bool contains(const Array& a, std::string_view s) {
  for (std::string_view x : a) {
    if (x == s) {
      return true;
    }
  }
  return false;
}

struct XRule {
  std::string_view name;
  Lang lang;
  bool preprocessed;
};

constexpr std::array<XRule, 8> k_x_langs = {{
    {"c", Lang::C, false},
    {"c++", Lang::Cxx, false},
    {"objective-c", Lang::ObjC, false},
    {"objective-c++", Lang::ObjCxx, false},
    {"cpp-output", Lang::C, true},
    {"c++-cpp-output", Lang::Cxx, true},
    {"objective-c-cpp-output", Lang::ObjC, true},
    {"objective-c++-cpp-output", Lang::ObjCxx, true},
}};

}  // namespace

InputClass classify_extension(std::string_view path, SourceKind* kind) {
  std::string_view ext = extension(path);
  for (const ExtRule& r : k_source_exts) {
    if (r.ext == ext) {
      if (kind != nullptr) {
        *kind = {r.lang, r.preprocessed};
      }
      return InputClass::Source;
    }
  }
  if (contains(k_asm_exts, ext)) {
    return InputClass::Assembler;
  }
  if (contains(k_header_exts, ext)) {
    return InputClass::Header;
  }
  if (contains(k_other_lang_exts, ext)) {
    return InputClass::OtherLanguage;
  }
  return InputClass::NotSource;
}

XClass classify_x(std::string_view lang, SourceKind* kind) {
  if (lang == "none") {
    return XClass::None;
  }
  for (const XRule& r : k_x_langs) {
    if (r.name == lang) {
      if (kind != nullptr) {
        *kind = {r.lang, r.preprocessed};
      }
      return XClass::Source;
    }
  }
  // Headers (c-header, c++-header, ... -> precompiled headers), assembler,
  // and every other language gcc knows.
  return XClass::Unsupported;
}

const char* language_name(Lang lang) {
  switch (lang) {
    case Lang::C: return "c";
    case Lang::Cxx: return "c++";
    case Lang::ObjC: return "objective-c";
    case Lang::ObjCxx: return "objective-c++";
  }
  return "c";
}

const char* preprocessed_ext(Lang lang) {
  switch (lang) {
    case Lang::C: return ".i";
    case Lang::Cxx: return ".ii";
    case Lang::ObjC: return ".mi";
    case Lang::ObjCxx: return ".mii";
  }
  return ".i";
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view extension(std::string_view path) {
  std::string_view base = base_name(path);
  size_t dot = base.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : base.substr(dot);
}

std::string replace_extension(std::string_view path, std::string_view ext) {
  std::string_view old = extension(path);
  std::string out(path.substr(0, path.size() - old.size()));
  out += ext;
  return out;
}

}  // namespace ferry::gcc_family
