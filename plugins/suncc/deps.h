// Sun's dependency output (-xMD, -xMMD, -xMF; SUNPRO_DEPENDENCIES): how the
// local `cc -E` run is told to write the very file a local compile would.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ferry::suncc {

struct DepRequest {
  bool md = false;                             ///< -xMD or -xMMD given
  std::optional<std::string> mf;               ///< the last -xMF value
  std::optional<std::string> explicit_object;  ///< the -o value
  std::string input;                           ///< the source as given
};

struct DepPlan {
  std::vector<std::string> extra_cpp_args;  ///< after the last -xMD/-xMMD
  std::optional<std::string> dep_file;
};

DepPlan plan_dependencies(const DepRequest& request);

}  // namespace ferry::suncc
