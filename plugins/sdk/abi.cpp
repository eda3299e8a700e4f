// The SDK's C ABI shell (ferry/sdk/abi.h): requests in, answers out.
//
// Every structure handed to the core is ONE malloc'ed block: the struct
// itself, then the arrays of string pointers, then the string bytes and tags.
// The free functions are then a single free(), nothing can leak half-built,
// and no C++ object crosses the boundary (the struct is a C aggregate placed
// at the start of the block, so the core's pointer is the block's).
#include "ferry/sdk/abi.h"

#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <new>

#include <fnmatch.h>

namespace ferry::sdk {
namespace {

// Marshalling runs one field map (map_fields below) twice: first with a
// Layout, which only counts pointers and bytes, then with a Writer, which
// copies into the block behind the struct. One map per struct, so the two
// passes cannot disagree.
struct Layout {
  size_t pointers = 0;
  size_t bytes = 0;
  const char* str(const std::string& s) {
    bytes += s.size() + 1;
    return nullptr;
  }
  const char* opt(const std::string& s) { return str(s); }
  ferry_strv strv(const std::vector<std::string>& v) {
    pointers += v.size();
    for (const auto& s : v) {
      str(s);
    }
    return {nullptr, 0};
  }
  const uint8_t* bytes_of(const std::vector<uint8_t>& v) {
    bytes += v.size();
    return nullptr;
  }
};

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
  const uint8_t* bytes_of(const std::vector<uint8_t>& v) {
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

// `tags` is the plan's tags made exactly one per argument (the core reads
// args.count of them).
template <typename Pass>
void map_fields(Pass& m, const abi::Plan& p, const std::vector<uint8_t>& tags, ferry_plan& out) {
  out.verdict = p.distribute ? FERRY_VERDICT_DISTRIBUTE : FERRY_VERDICT_LOCAL;
  out.reason = p.reason;
  out.reason_text = m.opt(p.reason_text);
  out.language = m.opt(p.language);
  out.input = m.opt(p.input);
  out.object = m.opt(p.object);
  out.dep_file = p.dep_file ? m.str(*p.dep_file) : nullptr;
  out.preprocessed_ext = m.opt(p.preprocessed_ext);
  out.input_is_preprocessed = p.input_is_preprocessed ? 1 : 0;
  out.cpp_argv = m.strv(p.cpp_argv);
  out.remote_argv = m.strv(p.remote_argv);
  out.local_argv = m.strv(p.local_argv);
  out.args = m.strv(p.args);
  out.arg_tags = m.bytes_of(tags);
}

template <typename Pass>
void map_fields(Pass& m, const abi::ServerJob& j, ferry_server_job& out) {
  out.verdict = j.accepted ? FERRY_VERDICT_DISTRIBUTE : FERRY_VERDICT_LOCAL;
  out.reason = j.reason;
  out.reason_text = m.opt(j.reason_text);
  out.input_path = m.opt(j.input_path);
  out.object_path = m.opt(j.object_path);
  out.exec_argv = m.strv(j.exec_argv);
}

// The two passes over `map(pass, struct)`; nullptr when out of memory.
template <typename T, typename Map>
T* marshal(Map&& map) {
  static_assert(sizeof(T) % alignof(const char*) == 0, "pointer arrays follow the struct");
  Layout l;
  T ignored{};
  map(l, ignored);
  auto* block = static_cast<char*>(
      std::calloc(1, sizeof(T) + l.pointers * sizeof(const char*) + l.bytes));
  if (block == nullptr) {
    return nullptr;
  }
  T* out = new (block) T{};
  Writer w(block, sizeof(T), l.pointers);
  map(w, *out);
  return out;
}

// A field exists when the caller's struct_size covers it (an older core may
// pass a shorter struct). Taking the field's address reads nothing.
template <typename T, typename F>
bool covers(const T* s, const F& field) {
  auto offset = static_cast<size_t>(reinterpret_cast<const char*>(&field) -
                                    reinterpret_cast<const char*>(s));
  return s->struct_size >= offset + sizeof(F);
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

bool read_request(const ferry_plan_request* r, PlanRequest& out) {
  if (r == nullptr || !covers(r, r->args) || r->compiler == nullptr ||
      !read_strv(r->args, out.args)) {
    return false;
  }
  out.compiler = r->compiler;
  out.cwd = covers(r, r->cwd) && r->cwd != nullptr ? r->cwd : "";
  out.strategy.reset();
  if (covers(r, r->strategy) && r->strategy != nullptr) {
    out.strategy = r->strategy;
  }
  return true;
}

bool read_request(const ferry_server_request* r, ServerRequest& out) {
  if (r == nullptr || !covers(r, r->job_dir) || r->job_dir == nullptr ||
      !read_strv(r->argv, out.argv)) {
    return false;
  }
  out.job_dir = r->job_dir;
  return true;
}

ferry_plan* to_abi(const abi::Plan& p) {
  std::vector<uint8_t> tags(p.args.size(), 0);
  std::copy_n(p.tags.begin(), std::min(p.tags.size(), tags.size()), tags.begin());
  return marshal<ferry_plan>([&](auto& pass, ferry_plan& out) { map_fields(pass, p, tags, out); });
}

ferry_server_job* to_abi(const abi::ServerJob& j) {
  return marshal<ferry_server_job>([&](auto& pass, ferry_server_job& out) { map_fields(pass, j, out); });
}

void free_plan(ferry_plan* plan) { std::free(plan); }

void free_server_job(ferry_server_job* job) { std::free(job); }

bool claims_any(std::span<const char* const> globs, const char* compiler_basename) {
  if (compiler_basename == nullptr) {
    return false;
  }
  for (const char* glob : globs) {
    if (::fnmatch(glob, compiler_basename, 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace ferry::sdk
