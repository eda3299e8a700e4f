// The LLVM 14 OptTable boilerplate for Options.td, behind parse_gcc_args().
// This is the only file of the plugin that includes LLVM Option headers.
#include "options.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Option/Arg.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Option/Option.h>

#include <algorithm>

namespace ferry::gcc {
namespace {

#define PREFIX(NAME, VALUE) const char* const NAME[] = VALUE;
#include "GccOptions.inc"
#undef PREFIX

const llvm::opt::OptTable::Info k_info_table[] = {
#define OPTION(PREFIX, NAME, ID, KIND, GROUP, ALIAS, ALIASARGS, FLAGS, PARAM, \
               HELPTEXT, METAVAR, VALUES)                                     \
  {PREFIX,      NAME,      HELPTEXT,                                          \
   METAVAR,     OPT_##ID,  llvm::opt::Option::KIND##Class,                    \
   PARAM,       FLAGS,     OPT_##GROUP,                                       \
   OPT_##ALIAS, ALIASARGS, VALUES},
#include "GccOptions.inc"
#undef OPTION
};

// LLVM 14: OptTable's constructor is protected.
class GccOptTable : public llvm::opt::OptTable {
 public:
  GccOptTable() : OptTable(k_info_table) {}
};

// How many argv items an Arg took: its option plus every value that is a
// whole argv item of its own (`-o x`), not a tail of the option (`-ox`).
size_t argv_span(const llvm::opt::ArgList& list, const llvm::opt::Arg& a) {
  size_t count = 1;
  for (const char* v : a.getValues()) {
    unsigned next = a.getIndex() + static_cast<unsigned>(count);
    if (next < list.getNumInputArgStrings() && v == list.getArgString(next)) {
      ++count;
    }
  }
  return count;
}

}  // namespace

const std::string& ParsedArg::value() const {
  static const std::string k_empty;
  return values.empty() ? k_empty : values.front();
}

ParsedArgs parse_gcc_args(const std::vector<std::string>& argv) {
  std::vector<const char*> c_argv;
  c_argv.reserve(argv.size());
  for (const auto& s : argv) {
    c_argv.push_back(s.c_str());
  }
  GccOptTable table;
  unsigned missing_index = 0;
  unsigned missing_count = 0;
  llvm::opt::InputArgList list =
      table.ParseArgs(llvm::ArrayRef<const char*>(c_argv.data(), c_argv.data() + c_argv.size()),
                      missing_index, missing_count);

  ParsedArgs out;
  if (missing_count != 0) {
    out.missing_value_index = missing_index;
  }
  std::vector<bool> covered(argv.size(), false);
  for (const llvm::opt::Arg* a : list) {
    ParsedArg p;
    const llvm::opt::Option& opt = a->getOption();
    p.id = static_cast<OptId>(opt.getID());
    llvm::opt::Option group = opt.getGroup();
    p.group = group.isValid() ? static_cast<OptId>(group.getID()) : OPT_INVALID;
    p.aliased = a->getAlias() != nullptr;
    p.index = a->getIndex();
    p.count = argv_span(list, *a);
    for (const char* v : a->getValues()) {
      p.values.emplace_back(v);
    }
    for (size_t i = p.index; i < p.index + p.count && i < covered.size(); ++i) {
      covered[i] = true;
    }
    out.args.push_back(std::move(p));
  }
  // LLVM skips empty arguments; gcc takes them as (missing) input files.
  for (size_t i = 0; i < covered.size(); ++i) {
    if (!covered[i]) {
      ParsedArg p;
      p.id = OPT_INPUT;
      p.index = i;
      p.values.emplace_back(argv[i]);
      out.args.push_back(std::move(p));
    }
  }
  std::stable_sort(out.args.begin(), out.args.end(),
                   [](const ParsedArg& x, const ParsedArg& y) { return x.index < y.index; });
  return out;
}

}  // namespace ferry::gcc
