// The C ABI of the suncc plugin: requests in, C++ planning, C structures out.
//
// Each structure handed to the core is the first member of a C++ holder that
// also owns the strings and pointer arrays it points into; the free function
// casts back and deletes the holder. No exception crosses the boundary: an
// allocation failure makes plan()/server_check() return nonzero, and the
// core compiles locally.
#include "abi.h"

#include <cstddef>
#include <deque>
#include <new>
#include <string>
#include <vector>

#include "claims.h"
#include "planner.h"
#include "server_check.h"

namespace ferry::suncc {
namespace {

// Owns copies of the strings so the C pointers stay valid until freed.
// std::deque: adding a string never moves the earlier ones.
class Strings {
 public:
  const char* str(const std::string& s) { return m_strings.emplace_back(s).c_str(); }
  const char* opt(const std::string& s) { return s.empty() ? nullptr : str(s); }
  ferry_strv strv(const std::vector<std::string>& v) {
    if (v.empty()) {
      return {nullptr, 0};
    }
    std::vector<const char*>& items = m_arrays.emplace_back();
    for (const auto& s : v) {
      items.push_back(str(s));
    }
    return {items.data(), items.size()};
  }

 private:
  std::deque<std::string> m_strings;
  std::deque<std::vector<const char*>> m_arrays;
};

struct PlanHolder {
  ferry_plan plan{};  // first member: the core's pointer is the holder's
  Strings strings;
  std::vector<uint8_t> tags;
};

struct JobHolder {
  ferry_server_job job{};
  Strings strings;
};

static_assert(offsetof(PlanHolder, plan) == 0);
static_assert(offsetof(JobHolder, job) == 0);

ferry_plan* plan_to_abi(const Plan& p) {
  auto* h = new PlanHolder;
  Strings& s = h->strings;
  ferry_plan& out = h->plan;
  out.verdict = p.verdict;
  out.reason = p.reason;
  out.reason_text = s.opt(p.reason_text);
  out.language = s.opt(p.language);
  out.input = s.opt(p.input);
  out.object = s.opt(p.object);
  out.dep_file = p.dep_file ? s.str(*p.dep_file) : nullptr;
  out.preprocessed_ext = s.opt(p.preprocessed_ext);
  out.input_is_preprocessed = p.input_is_preprocessed ? 1 : 0;
  out.cpp_argv = s.strv(p.cpp_argv);
  out.remote_argv = s.strv(p.remote_argv);
  out.local_argv = s.strv(p.local_argv);
  out.args = s.strv(p.args);
  h->tags = p.tags;
  out.arg_tags = h->tags.empty() ? nullptr : h->tags.data();
  return &h->plan;
}

ferry_server_job* job_to_abi(const ServerJob& j) {
  auto* h = new JobHolder;
  Strings& s = h->strings;
  h->job.verdict = j.verdict;
  h->job.reason = j.reason;
  h->job.reason_text = s.opt(j.reason_text);
  h->job.input_path = s.opt(j.input_path);
  h->job.object_path = s.opt(j.object_path);
  h->job.exec_argv = s.strv(j.exec_argv);
  return &h->job;
}

// A field exists when the caller's struct_size covers it.
template <typename T>
bool has_field(const T* s, size_t offset, size_t size) {
  return s->struct_size >= offset + size;
}

bool read_strv(ferry_strv v, std::vector<std::string>& out) {
  if (v.count != 0 && v.items == nullptr) {
    return false;
  }
  for (size_t i = 0; i < v.count; ++i) {
    if (v.items[i] == nullptr) {
      return false;
    }
    out.emplace_back(v.items[i]);
  }
  return true;
}

int abi_claims(const char* compiler_basename) {
  return claims_compiler(compiler_basename) ? 1 : 0;
}

int abi_plan(const ferry_plan_request* request, ferry_plan** out) {
  if (request == nullptr || out == nullptr ||
      !has_field(request, offsetof(ferry_plan_request, args), sizeof(request->args)) ||
      request->compiler == nullptr) {
    return 1;
  }
  *out = nullptr;
  try {
    PlanRequest r;
    r.compiler = request->compiler;
    if (!read_strv(request->args, r.args)) {
      return 1;
    }
    if (has_field(request, offsetof(ferry_plan_request, strategy), sizeof(request->strategy)) &&
        request->strategy != nullptr) {
      r.strategy = request->strategy;
    }
    *out = plan_to_abi(make_plan(r));
  } catch (...) {  // std::bad_alloc must not cross the C boundary
    return 1;
  }
  return 0;
}

void abi_free_plan(ferry_plan* plan) { delete reinterpret_cast<PlanHolder*>(plan); }

int abi_server_check(const ferry_server_request* request, ferry_server_job** out) {
  if (request == nullptr || out == nullptr ||
      !has_field(request, offsetof(ferry_server_request, job_dir), sizeof(request->job_dir)) ||
      request->job_dir == nullptr) {
    return 1;
  }
  *out = nullptr;
  try {
    ServerRequest r;
    if (!read_strv(request->argv, r.argv)) {
      return 1;
    }
    r.job_dir = request->job_dir;
    *out = job_to_abi(check_server_job(r));
  } catch (...) {
    return 1;
  }
  return 0;
}

void abi_free_server_job(ferry_server_job* job) { delete reinterpret_cast<JobHolder*>(job); }

constexpr ferry_plugin k_table = {
    FERRY_PLUGIN_ABI_VERSION,
    sizeof(ferry_plugin),
    "suncc",
    "Sun/Oracle Studio C (cc, suncc): cc -E to stdout, -xMD/-xMF dependencies; CC local",
    abi_claims,
    abi_plan,
    abi_free_plan,
    abi_server_check,
    abi_free_server_job,
};

}  // namespace

const ferry_plugin* plugin_table() { return &k_table; }

}  // namespace ferry::suncc
