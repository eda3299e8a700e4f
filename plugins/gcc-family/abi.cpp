// The C ABI shared by the gcc-family plugins: requests in, C++ planning, C
// structures out.
//
// Every structure handed to the core is ONE malloc'ed block: the struct
// itself, then the arrays of string pointers, then the string bytes and tags.
// The free functions are then a single free(), nothing can leak half-built,
// and no C++ object crosses the boundary. No exception crosses it either: an
// allocation failure makes plan()/server_check() return nonzero, and the core
// compiles locally.
#include "abi.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <fnmatch.h>

#include "planner.h"
#include "server_check.h"

namespace ferry::gcc_family {
namespace {

// First pass: how many pointers and bytes the strings need.
struct Layout {
  size_t pointers = 0;
  size_t bytes = 0;
  void str(const std::string& s) { bytes += s.size() + 1; }
  void strv(const std::vector<std::string>& v) {
    pointers += v.size();
    for (const auto& s : v) {
      str(s);
    }
  }
};

// Second pass: copies into the block behind the struct.
class Writer {
 public:
  Writer(char* block, size_t header, size_t pointers)
      : m_ptrs(reinterpret_cast<const char**>(block + header)),
        m_bytes(block + header + pointers * sizeof(const char*)) {}

  const char* str(const std::string& s) {
    char* out = m_bytes;
    std::memcpy(out, s.c_str(), s.size() + 1);
    m_bytes += s.size() + 1;
    return out;
  }
  // Empty means absent for the optional fields.
  const char* opt(const std::string& s) { return s.empty() ? nullptr : str(s); }
  ferry_strv strv(const std::vector<std::string>& v) {
    if (v.empty()) {
      return {nullptr, 0};
    }
    const char** items = m_ptrs;
    for (const auto& s : v) {
      *m_ptrs++ = str(s);
    }
    return {items, v.size()};
  }
  const uint8_t* bytes(const std::vector<uint8_t>& v) {
    if (v.empty()) {
      return nullptr;
    }
    auto* out = reinterpret_cast<uint8_t*>(m_bytes);
    std::memcpy(out, v.data(), v.size());
    m_bytes += v.size();
    return out;
  }

 private:
  const char** m_ptrs;
  char* m_bytes;
};

template <typename T>
T* allocate(const Layout& l, char*& block) {
  static_assert(sizeof(T) % alignof(const char*) == 0, "pointer arrays follow the struct");
  block = static_cast<char*>(
      std::calloc(1, sizeof(T) + l.pointers * sizeof(const char*) + l.bytes));
  return block == nullptr ? nullptr : new (block) T{};
}

ferry_plan* plan_to_abi(const Plan& p) {
  Layout l;
  for (const std::string* s : {&p.reason_text, &p.language, &p.input, &p.object,
                               &p.preprocessed_ext}) {
    l.str(*s);
  }
  if (p.dep_file) {
    l.str(*p.dep_file);
  }
  for (const auto* v : {&p.cpp_argv, &p.remote_argv, &p.local_argv, &p.args}) {
    l.strv(*v);
  }
  l.bytes += p.tags.size();

  char* block = nullptr;
  ferry_plan* out = allocate<ferry_plan>(l, block);
  if (out == nullptr) {
    return nullptr;
  }
  Writer w(block, sizeof(ferry_plan), l.pointers);
  out->verdict = p.verdict;
  out->reason = p.reason;
  out->reason_text = w.opt(p.reason_text);
  out->language = w.opt(p.language);
  out->input = w.opt(p.input);
  out->object = w.opt(p.object);
  out->dep_file = p.dep_file ? w.str(*p.dep_file) : nullptr;
  out->preprocessed_ext = w.opt(p.preprocessed_ext);
  out->input_is_preprocessed = p.input_is_preprocessed ? 1 : 0;
  out->cpp_argv = w.strv(p.cpp_argv);
  out->remote_argv = w.strv(p.remote_argv);
  out->local_argv = w.strv(p.local_argv);
  out->args = w.strv(p.args);
  out->arg_tags = w.bytes(p.tags);
  return out;
}

ferry_server_job* job_to_abi(const ServerJob& j) {
  Layout l;
  l.str(j.reason_text);
  l.str(j.input_path);
  l.str(j.object_path);
  l.strv(j.exec_argv);
  char* block = nullptr;
  ferry_server_job* out = allocate<ferry_server_job>(l, block);
  if (out == nullptr) {
    return nullptr;
  }
  Writer w(block, sizeof(ferry_server_job), l.pointers);
  out->verdict = j.verdict;
  out->reason = j.reason;
  out->reason_text = w.opt(j.reason_text);
  out->input_path = w.opt(j.input_path);
  out->object_path = w.opt(j.object_path);
  out->exec_argv = w.strv(j.exec_argv);
  return out;
}

// A field exists when the caller's struct_size covers it (an older core may
// pass a shorter struct).
template <typename T>
bool has_field(const T* s, size_t offset, size_t size) {
  return s->struct_size >= offset + size;
}

bool read_strv(ferry_strv v, std::vector<std::string>& out) {
  if (v.count != 0 && v.items == nullptr) {
    return false;
  }
  out.clear();
  for (size_t i = 0; i < v.count; ++i) {
    if (v.items[i] == nullptr) {
      return false;
    }
    out.emplace_back(v.items[i]);
  }
  return true;
}

}  // namespace

namespace abi_detail {

int plan(const Dialect& d, const ferry_plan_request* request, ferry_plan** out) {
  if (request == nullptr || out == nullptr ||
      !has_field(request, offsetof(ferry_plan_request, cwd), sizeof(request->cwd)) ||
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
    r.cwd = request->cwd != nullptr ? request->cwd : "";
    if (has_field(request, offsetof(ferry_plan_request, strategy), sizeof(request->strategy)) &&
        request->strategy != nullptr) {
      r.strategy = request->strategy;
    }
    *out = plan_to_abi(make_plan(d, r));
  } catch (...) {  // std::bad_alloc: must not cross the C boundary
    return 1;
  }
  return *out == nullptr ? 1 : 0;
}

void free_plan(ferry_plan* plan) { std::free(plan); }

int server_check(const Dialect& d, const ferry_server_request* request, ferry_server_job** out) {
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
    *out = job_to_abi(check_server_job(d, r));
  } catch (...) {
    return 1;
  }
  return *out == nullptr ? 1 : 0;
}

void free_server_job(ferry_server_job* job) { std::free(job); }

}  // namespace abi_detail

bool claims_compiler(const Dialect& d, const char* compiler_basename) {
  if (compiler_basename == nullptr) {
    return false;
  }
  for (const char* glob : d.claims) {
    if (::fnmatch(glob, compiler_basename, 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace ferry::gcc_family
