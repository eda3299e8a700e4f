// The Sun C option table (Oracle Developer Studio 12.6 C User's Guide,
// appendix B), lean as the gcc plugin's: every option that takes a separate
// argument (else its value would be read as an operand), and every option
// that changes the plan. Anything else goes to both sides as written.
#include "options.h"

#include <array>
#include <string_view>

namespace ferry::suncc {
namespace {

enum class Kind {
  Exact,     ///< the whole argument: "-c"
  Prefix,    ///< the argument starts with it: "-xpch=", "-Y"
  Separate,  ///< exact, and takes the next argument: "-o FILE"
  JoinedOrSeparate,  ///< "-Idir" or "-I dir"
  Separate2,  ///< exact, and takes the next two: "-Qoption PHASE OPTS"
};

struct Row {
  std::string_view spelling;
  Kind kind;
  Opt opt;
};

// Longer spellings first where one is a prefix of another: the first row
// that matches wins.
constexpr std::array k_table = {
    Row{"-c", Kind::Exact, Opt::Compile},
    Row{"-S", Kind::Exact, Opt::Assemble},
    Row{"-o", Kind::Separate, Opt::Output},
    Row{"-E", Kind::Exact, Opt::Preprocess},
    Row{"-P", Kind::Exact, Opt::Preprocess},
    Row{"-xM", Kind::Exact, Opt::DepsOnly},
    Row{"-xM1", Kind::Exact, Opt::DepsOnly},
    Row{"-xMD", Kind::Exact, Opt::DepsMD},
    Row{"-xMMD", Kind::Exact, Opt::DepsMD},
    Row{"-xMF", Kind::Separate, Opt::DepsFile},
    Row{"-I", Kind::JoinedOrSeparate, Opt::Cpp},
    Row{"-D", Kind::JoinedOrSeparate, Opt::Cpp},
    Row{"-U", Kind::JoinedOrSeparate, Opt::Cpp},
    Row{"-include", Kind::Separate, Opt::Cpp},
    Row{"-C", Kind::Exact, Opt::Cpp},
    Row{"-H", Kind::Exact, Opt::Cpp},
    Row{"-L", Kind::JoinedOrSeparate, Opt::Link},
    Row{"-l", Kind::Prefix, Opt::Link},
    Row{"-R", Kind::Prefix, Opt::Link},
    Row{"-h", Kind::Separate, Opt::Link},
    Row{"-z", Kind::Separate, Opt::Link},
    Row{"-B", Kind::Prefix, Opt::Link},  // -Bstatic, -Bdynamic
    Row{"-G", Kind::Exact, Opt::Link},
    Row{"-dy", Kind::Exact, Opt::Link},
    Row{"-dn", Kind::Exact, Opt::Link},
    Row{"-s", Kind::Exact, Opt::Link},
    Row{"-xlic_lib=", Kind::Prefix, Opt::Link},
    Row{"-xnolib", Kind::Exact, Opt::Link},
    Row{"-V", Kind::Exact, Opt::Query},
    Row{"-#", Kind::Exact, Opt::Query},
    Row{"-###", Kind::Exact, Opt::Query},
    Row{"-flags", Kind::Exact, Opt::Query},
    Row{"-xhelp=", Kind::Prefix, Opt::Query},
    Row{"-Qoption", Kind::Separate2, Opt::Unsafe},
    Row{"-Y", Kind::Prefix, Opt::Unsafe},
    Row{"-W", Kind::Prefix, Opt::Unsafe},
    Row{"-xprofile", Kind::Prefix, Opt::Profiling},
    Row{"-xpch", Kind::Prefix, Opt::Pch},
    Row{"-keeptmp", Kind::Exact, Opt::ExtraOutput},
    Row{"-xsb", Kind::Exact, Opt::ExtraOutput},
    Row{"-xsbfast", Kind::Exact, Opt::ExtraOutput},
    Row{"-xe", Kind::Exact, Opt::NoObject},
    Row{"-xipo", Kind::Prefix, Opt::LinkTimeOpt},
    Row{"-xtarget=", Kind::Prefix, Opt::Cpu},
    Row{"-xarch=", Kind::Prefix, Opt::Cpu},
    Row{"-xchip=", Kind::Prefix, Opt::Cpu},
    Row{"-xcache=", Kind::Prefix, Opt::Cpu},
    Row{"-native", Kind::Exact, Opt::Native},
    Row{"-fast", Kind::Exact, Opt::Native},
};

bool matches(const Row& row, std::string_view arg) {
  switch (row.kind) {
    case Kind::Exact:
    case Kind::Separate:
    case Kind::Separate2:
      return arg == row.spelling;
    case Kind::Prefix:
    case Kind::JoinedOrSeparate:
      return arg.substr(0, row.spelling.size()) == row.spelling;
  }
  return false;
}

// Sun's -x options are exact names ("-xMDx" is not -xMD), so Exact rows
// compare the whole argument; the first matching row wins.
const Row* find_row(std::string_view arg) {
  for (const Row& row : k_table) {
    if (matches(row, arg)) {
      return &row;
    }
  }
  return nullptr;
}

}  // namespace

ParsedArgs parse_suncc_args(const std::vector<std::string>& argv) {
  ParsedArgs out;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    ParsedArg a;
    a.index = i;
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      a.opt = Opt::Input;
      a.value = arg;
      out.args.push_back(std::move(a));
      continue;
    }
    const Row* row = find_row(arg);
    if (row == nullptr) {
      a.opt = Opt::Unknown;
      out.args.push_back(std::move(a));
      continue;
    }
    a.opt = row->opt;
    size_t takes = 0;
    if (row->kind == Kind::Separate) {
      takes = 1;
    } else if (row->kind == Kind::Separate2) {
      takes = 2;
    } else if (row->kind == Kind::JoinedOrSeparate && arg.size() == row->spelling.size()) {
      takes = 1;
    } else if (row->kind == Kind::Prefix || row->kind == Kind::JoinedOrSeparate) {
      a.value = arg.substr(row->spelling.size());
    }
    if (takes > 0 && i + takes >= argv.size()) {
      out.missing_value = true;
      out.missing_index = i;
      a.count = argv.size() - i;
      out.args.push_back(std::move(a));
      break;
    }
    if (takes > 0) {
      a.value = argv[i + 1];
      a.count = 1 + takes;
      i += takes;
    }
    out.args.push_back(std::move(a));
  }
  return out;
}

}  // namespace ferry::suncc
