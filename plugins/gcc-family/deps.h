// Dependency output (-MD, -MMD, -MF, -MT, -MQ, -Wp,-MD,file): how the local
// preprocessor is told to write the very .d file a local compile would.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ferry::gcc_family {

/// What the dependency options on a command line ask for.
struct DepRequest {
  bool driver_md = false;                       ///< -MD or -MMD given to the driver
  std::optional<std::string> mf;                ///< the last -MF value
  bool has_target = false;                      ///< -MT or -MQ given
  std::optional<std::string> explicit_object;   ///< the -o value, if any
  std::string input;                            ///< the source as given
  std::optional<std::string> raw_dep_file;      ///< from -Wp,-MD,FILE / -Xpreprocessor
};

struct DepPlan {
  /// Appended to the preprocessor's arguments after the last -MD/-MMD.
  std::vector<std::string> extra_cpp_args;
  /// The .d file the preprocessor will write, if any.
  std::optional<std::string> dep_file;
};

DepPlan plan_dependencies(const DepRequest& request);

/// What the options the driver passes straight to the preprocessor
/// (-Wp,a,b and -Xpreprocessor a) do about dependencies and the plan.
struct RawPreprocessorDeps {
  std::optional<std::string> dep_file;  ///< -MD FILE / -MMD FILE / -MF FILE
  bool any = false;                     ///< any -M option at all
  bool preprocess_only = false;         ///< -M or -MM: cc1 writes deps, no code
  std::optional<std::string> error;     ///< e.g. "-Wp,-MD without a file"
  /// An item that changes `-E` output but not a compile (-P, -C, -CC, -dM,
  /// ...): the local preprocessor must not see it, yet it is glued to -Wp.
  std::optional<std::string> alters_preprocessed_text;
  bool traditional = false;  ///< -traditional(-cpp): no -fdirectives-only
};

/// `items` are the raw preprocessor arguments in order (the -Wp lists split
/// at commas, and each -Xpreprocessor value).
RawPreprocessorDeps scan_raw_preprocessor_args(const std::vector<std::string>& items);

}  // namespace ferry::gcc_family
