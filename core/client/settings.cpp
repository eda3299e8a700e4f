#include "client/settings.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "exec/temp_file.h"
#include "state/state_dir.h"
#include "util/error.h"

namespace ferry::client {
namespace {

struct EnvValue {
  const char* name = nullptr;
  const char* value = nullptr;
};

EnvValue env_either(const char* ferry_name, const char* distcc_name) {
  if (const char* v = std::getenv(ferry_name)) {
    return {ferry_name, v};
  }
  if (distcc_name != nullptr) {
    if (const char* v = std::getenv(distcc_name)) {
      return {distcc_name, v};
    }
  }
  return {};
}

llvm::Error read_seconds(EnvValue v, std::chrono::milliseconds& out) {
  if (v.value == nullptr) {
    return llvm::Error::success();
  }
  double seconds = 0;
  const char* end = v.value + std::strlen(v.value);
  auto [p, ec] = std::from_chars(v.value, end, seconds);
  if (ec != std::errc() || p != end || !(seconds > 0)) {
    return make_error(ExitCode::BadArguments, std::string(v.name) + "='" + v.value +
                                                  "' is not a positive number of seconds");
  }
  out = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  return llvm::Error::success();
}

llvm::Error read_whole_seconds(EnvValue v, std::chrono::seconds& out) {
  if (v.value == nullptr) {
    return llvm::Error::success();
  }
  long n = 0;
  const char* end = v.value + std::strlen(v.value);
  auto [p, ec] = std::from_chars(v.value, end, n);
  if (ec != std::errc() || p != end || n < 0 || p == v.value) {
    return make_error(ExitCode::BadArguments, std::string(v.name) + "='" + v.value +
                                                  "' is not a whole number of seconds");
  }
  out = std::chrono::seconds(n);
  return llvm::Error::success();
}

}  // namespace

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    pos = text.find_first_not_of(" \t\n", pos);
    if (pos == std::string::npos) {
      return out;
    }
    size_t end = text.find_first_of(" \t\n", pos);
    out.push_back(text.substr(pos, end == std::string::npos ? end : end - pos));
    pos = end;
  }
}

llvm::Expected<ClientSettings> settings_from_env() {
  ClientSettings s;
  if (auto e = read_seconds(env_either("FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT"), s.io_timeout)) {
    return e;
  }
  if (auto e = read_seconds(env_either("FERRY_CONNECT_TIMEOUT", nullptr), s.connect_timeout)) {
    return e;
  }
  if (auto e = read_whole_seconds(env_either("FERRY_BACKOFF_PERIOD", "DISTCC_BACKOFF_PERIOD"),
                                  s.backoff_period)) {
    return e;
  }
  EnvValue fallback = env_either("FERRY_FALLBACK", "DISTCC_FALLBACK");
  // distcc: boolean variables accept only "0" and "1".
  s.fallback = fallback.value == nullptr || std::strcmp(fallback.value, "0") != 0;
  if (const char* r = std::getenv("FERRY_LOCAL_RETRY")) {
    s.local_retry = std::strcmp(r, "1") == 0;
  } else if (std::getenv("DISTCC_SKIP_LOCAL_RETRY") != nullptr) {
    s.local_retry = false;  // distcc: set to any value means skip
  }
  if (const char* ri = std::getenv("FERRY_REQUIRE_IDENTITY")) {
    s.require_identity = *ri != '\0' && std::strcmp(ri, "0") != 0;
  }
  if (const char* st = std::getenv("FERRY_STRATEGY")) {
    s.strategy = st;
  }
  s.tmpdir = exec::temp_dir();
  s.state_root = state::default_state_root();
  EnvValue ssh = env_either("FERRY_SSH", "DISTCC_SSH");
  if (ssh.value != nullptr) {
    s.ssh_command = split_words(ssh.value);
    if (s.ssh_command.empty()) {
      return make_error(ExitCode::BadArguments, std::string(ssh.name) + " is empty");
    }
  }
  return s;
}

}  // namespace ferry::client
