#include "client/remote_compile.h"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "exec/spawn.h"
#include "exec/temp_file.h"
#include "net/fd_stream.h"
#include "net/tcp.h"
#include "util/error.h"

namespace ferry::client {
namespace {

// The local preprocessor, running, with its stdout and stderr in temp files.
class CppProcess {
 public:
  CppProcess(pid_t pid, exec::TempFile output, exec::TempFile errors)
      : m_pid(pid), m_output(std::move(output)), m_errors(std::move(errors)) {}
  CppProcess(CppProcess&& o) noexcept
      : m_pid(std::exchange(o.m_pid, -1)),
        m_output(std::move(o.m_output)),
        m_errors(std::move(o.m_errors)) {}
  CppProcess(const CppProcess&) = delete;
  CppProcess& operator=(const CppProcess&) = delete;
  CppProcess& operator=(CppProcess&&) = delete;
  // Never leave a preprocessor running behind an early return.
  ~CppProcess() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      exec::wait_for(m_pid);
    }
  }
  int wait() { return exec::wait_for(std::exchange(m_pid, -1)); }
  const exec::TempFile& output() const { return m_output; }
  const exec::TempFile& errors() const { return m_errors; }

 private:
  pid_t m_pid;
  exec::TempFile m_output;
  exec::TempFile m_errors;
};

llvm::Expected<CppProcess> start_cpp(const plan::Plan& plan, const ClientSettings& settings) {
  auto out = exec::TempFile::create(settings.tmpdir, "ferry_", plan.preprocessed_ext);
  if (!out) {
    return out.takeError();
  }
  auto err = exec::TempFile::create(settings.tmpdir, "ferry_", ".stderr");
  if (!err) {
    return err.takeError();
  }
  exec::SpawnOptions opts;
  opts.stdout_fd = out->fd();
  opts.stderr_fd = err->fd();
  auto pid = exec::spawn(plan.cpp_argv, opts);
  if (!pid) {
    return pid.takeError();
  }
  return CppProcess(*pid, std::move(*out), std::move(*err));
}

llvm::Expected<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ExitCode::NoSuchFile, "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

llvm::Expected<RemoteResult> compile_remotely(const plan::Plan& plan, const hosts::Host& host,
                                              const ClientSettings& settings) {
  if (host.kind != hosts::HostKind::Tcp) {
    return make_error(ExitCode::ConnectFailed,
                      "SSH hosts are not supported yet (" + host.display() + ")");
  }
  RemoteResult result;

  // 1. The preprocessor starts first: it is the slow part.
  std::optional<CppProcess> cpp;
  if (!plan.input_is_preprocessed) {
    auto started = start_cpp(plan, settings);
    if (!started) {
      return started.takeError();
    }
    cpp.emplace(std::move(*started));
  }

  // 2. Meanwhile, connect and send the argv.
  auto fd = net::connect_tcp(host.hostname, host.port, settings.connect_timeout);
  if (!fd) {
    return fd.takeError();
  }
  net::FdStream stream(fd->get(), fd->get(), settings.io_timeout);
  net::set_cork(fd->get(), true);
  if (auto e = stream.write_all(proto::encode_request_head(host.protocol(), plan.remote_argv))) {
    return std::move(e);
  }

  // 3. The preprocessed source.
  std::string source;
  if (cpp) {
    int status = cpp->wait();
    auto errors = cpp->errors().read_all();
    if (!errors) {
      return errors.takeError();
    }
    result.cpp_stderr = std::move(*errors);
    if (status != 0) {
      // Close without sending DOTI: the server compiles nothing.
      result.cpp_failed = true;
      return result;
    }
    auto text = cpp->output().read_all();
    if (!text) {
      return text.takeError();
    }
    source = std::move(*text);
  } else {
    auto text = read_file(plan.input);
    if (!text) {
      return text.takeError();
    }
    source = std::move(*text);
  }
  if (auto e = stream.write_all(proto::encode_request_source(host.protocol(), source))) {
    return std::move(e);
  }
  net::set_cork(fd->get(), false);
  // Never shutdown(SHUT_WR) here: distccd takes EOF as a disconnect and
  // kills the compile.

  // 4. The answer.
  auto response = proto::decode_response(stream, host.protocol(), proto::Limits{});
  if (!response) {
    return response.takeError();
  }
  result.response = std::move(*response);
  result.bytes_sent = stream.bytes_written();
  result.bytes_received = stream.bytes_read();
  return result;
}

}  // namespace ferry::client
