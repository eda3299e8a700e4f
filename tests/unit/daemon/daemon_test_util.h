// Shared helpers for the daemon tests: private temp trees, a fake compiler
// script, and running serve_job() over a socketpair.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "daemon/daemon_log.h"
#include "daemon/job.h"
#include "daemon/job_dir.h"
#include "proto/byte_stream.h"
#include "proto/codec.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ferry::daemon::test {

// A directory removed with everything in it when the test ends.
class TempTree {
 public:
  TempTree() {
    std::string t = "/tmp/ferryd-test-XXXXXX";
    if (::mkdtemp(t.data()) != nullptr) {
      m_path = t;
    }
  }
  ~TempTree() { remove_tree(m_path); }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  const std::string& path() const { return m_path; }
  std::string sub(const std::string& name) const {
    std::string p = m_path + "/" + name;
    ::mkdir(p.c_str(), 0755);
    return p;
  }

 private:
  std::string m_path;
};

inline void write_text(const std::string& path, const std::string& text,
                       mode_t mode = 0644) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode));
  [[maybe_unused]] ssize_t n = ::write(fd.get(), text.data(), text.size());
  ::fchmod(fd.get(), mode);
}

inline std::string read_text(const std::string& path) {
  std::string out;
  UniqueFd fd(::open(path.c_str(), O_RDONLY));
  char buf[4096];
  ssize_t n;
  while (fd.valid() && (n = ::read(fd.get(), buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

inline std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> out;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    return out;
  }
  while (const dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") {
      out.push_back(n);
    }
  }
  ::closedir(d);
  return out;
}

// A stand-in compiler for the fake plugin ("fakecc -c IN -o OUT"): copies
// IN to OUT, and changes behaviour on words in the source.
inline const char* kFakeCompiler = R"SH(#!/bin/sh
in="$2"; out="$4"
if grep -q FAIL "$in"; then echo "$in:1: error: FAIL found" >&2; exit 1; fi
if grep -q STDOUT "$in"; then echo "hello from fakecc"; fi
if grep -q SLEEP "$in"; then
  sleep 30 & echo $! > "$FAKECC_PIDFILE"; wait; exit 0
fi
if grep -q NOOBJ "$in"; then exit 0; fi
if grep -q ENV "$in"; then echo "$_FERRY_SAFEGUARD $_DISTCC_SAFEGUARD $(pwd)"; fi
if grep -q SLOW "$in"; then sleep 1; fi
cp "$in" "$out"
)SH";

// Reads until EOF (the server closes after replying or refusing).
inline std::string read_to_eof(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      return out;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

struct Exchange {
  std::string reply;  // every byte the server sent
  JobOutcome outcome;
};

// Runs serve_job on one end of a socketpair; sends `request` from the other,
// then reads everything until the server closes.
inline Exchange exchange(const JobConfig& config, const DaemonLog& log,
                         const std::string& request) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return {};
  }
  UniqueFd client(sv[0]);
  UniqueFd server(sv[1]);
  Exchange ex;
  std::thread t([&] {
    ex.outcome = serve_job(server.get(), server.get(), config, log);
    server.reset();
  });
  std::string_view rest = request;
  while (!rest.empty()) {
    ssize_t n = ::send(client.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      break;  // the server refused and closed early
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  ex.reply = read_to_eof(client.get());
  t.join();
  return ex;
}

inline std::string request_bytes(uint32_t version, const std::vector<std::string>& argv,
                                 const std::string& source) {
  return proto::encode_request_head(version, argv) +
         proto::encode_request_source(version, source);
}

inline proto::Response decode(const std::string& reply, uint32_t version) {
  proto::MemorySource in(reply);
  auto r = proto::decode_response(in, version, proto::Limits{});
  if (!r) {
    ADD_FAILURE() << summarize(r.takeError()).message;
    return {};
  }
  return std::move(*r);
}

inline bool is_elf(const std::string& object) {
  return object.size() > 4 && object.compare(0, 4, "\x7f" "ELF") == 0;
}

}  // namespace ferry::daemon::test
