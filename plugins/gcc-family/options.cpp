// The LLVM 14 OptTable boilerplate behind parse_args(), and the family
// table itself. With table_impl.inc, the only place of the family library
// that includes LLVM Option headers.
#include "options.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Option/Arg.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Option/Option.h>

#include <algorithm>

#include "table.h"

namespace ferry::gcc_family {
namespace family_ids {

// The family table's own ids are the family ids.
enum OwnId : unsigned {
  OWN_INVALID = 0,
#define OPTION(PREFIX, NAME, ID, ...) OWN_##ID,
#include "GccFamilyOptions.inc"
#undef OPTION
};

#define FERRY_OPTIONS_INC "GccFamilyOptions.inc"
#include "table_impl.inc"
#undef FERRY_OPTIONS_INC

}  // namespace family_ids

namespace {

// LLVM 14: OptTable's constructor is protected.
class PluginOptTable : public llvm::opt::OptTable {
 public:
  explicit PluginOptTable(const OptionTable& t)
      : OptTable(llvm::ArrayRef<Info>(t.info.data(), t.info.size())) {}
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

OptId family_of(const OptionTable& t, unsigned own_id) {
  return own_id < t.family_ids.size() ? t.family_ids[own_id] : OPT_UNKNOWN;
}

// The plugin's id of "<input>" (the first row of every generated table).
unsigned own_input_id(const OptionTable& t) {
  for (size_t i = 0; i < t.info.size(); ++i) {
    if (t.family_ids[t.info[i].ID] == OPT_INPUT) {
      return t.info[i].ID;
    }
  }
  return 0;
}

}  // namespace

const std::string& ParsedArg::value() const {
  static const std::string k_empty;
  return values.empty() ? k_empty : values.front();
}

const OptionTable& family_table() { return family_ids::k_own_table; }

ParsedArgs parse_args(const OptionTable& table_ids, const std::vector<std::string>& argv) {
  std::vector<const char*> c_argv;
  c_argv.reserve(argv.size());
  for (const auto& s : argv) {
    c_argv.push_back(s.c_str());
  }
  PluginOptTable table(table_ids);
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
    p.own_id = opt.getID();
    p.id = family_of(table_ids, p.own_id);
    llvm::opt::Option group = opt.getGroup();
    p.group = group.isValid() ? family_of(table_ids, group.getID()) : OPT_INVALID;
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
      p.own_id = table_ids.info.empty() ? 0 : own_input_id(table_ids);
      p.index = i;
      p.values.emplace_back(argv[i]);
      out.args.push_back(std::move(p));
    }
  }
  std::stable_sort(out.args.begin(), out.args.end(),
                   [](const ParsedArg& x, const ParsedArg& y) { return x.index < y.index; });
  return out;
}

}  // namespace ferry::gcc_family
