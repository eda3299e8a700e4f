#include "client/settings.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "exec/temp_file.h"
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

}  // namespace

llvm::Expected<ClientSettings> settings_from_env() {
  ClientSettings s;
  if (auto e = read_seconds(env_either("FERRY_IO_TIMEOUT", "DISTCC_IO_TIMEOUT"), s.io_timeout)) {
    return std::move(e);
  }
  if (auto e = read_seconds(env_either("FERRY_CONNECT_TIMEOUT", nullptr), s.connect_timeout)) {
    return std::move(e);
  }
  EnvValue fallback = env_either("FERRY_FALLBACK", "DISTCC_FALLBACK");
  // distcc: boolean variables accept only "0" and "1".
  s.fallback = fallback.value == nullptr || std::strcmp(fallback.value, "0") != 0;
  if (const char* r = std::getenv("FERRY_LOCAL_RETRY")) {
    s.local_retry = std::strcmp(r, "0") != 0;
  } else if (std::getenv("DISTCC_SKIP_LOCAL_RETRY") != nullptr) {
    s.local_retry = false;  // distcc: set to any value means skip
  }
  if (const char* st = std::getenv("FERRY_STRATEGY")) {
    s.strategy = st;
  }
  s.tmpdir = exec::temp_dir();
  return s;
}

}  // namespace ferry::client
