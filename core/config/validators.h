// Checks on single string values, used by the key table (schema.cpp). Each
// returns "" when the text is fine, else what was expected.
#pragma once

#include <string>
#include <string_view>

namespace ferry::config {

std::string validate_key_name(std::string_view text);   // a key in the table
std::string validate_host_list(std::string_view text);  // distcc host syntax
std::string validate_name(std::string_view text);       // [A-Za-z0-9._+-]+
std::string validate_bare_name(std::string_view text);  // no '/', no space
std::string validate_glob(std::string_view text);       // non-empty
std::string validate_network(std::string_view text);    // IP[/BITS]
std::string validate_absolute_path(std::string_view text);
std::string validate_absolute_path_or_empty(std::string_view text);

}  // namespace ferry::config
