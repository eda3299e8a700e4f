// @file response files, expanded as gcc's driver does (libiberty expandargv).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::gcc_family {

/// Splits a response file's text with gcc's quoting rules: arguments are
/// separated by whitespace; single and double quotes group (without nesting
/// the other kind); a backslash takes the next character literally, inside
/// quotes too. Text that is only whitespace gives no arguments.
std::vector<std::string> split_response_file(std::string_view text);

/// Replaces every argument that starts with '@' by the arguments read from
/// that file, recursively (a response file may name others). Relative names
/// are resolved against `cwd`. Returns a one-line error, and leaves `args`
/// unspecified, when a file cannot be read or the nesting does not end;
/// gcc itself would then take "@name" as an input file and fail.
std::optional<std::string> expand_response_files(std::vector<std::string>& args,
                                                 const std::string& cwd);

}  // namespace ferry::gcc_family
