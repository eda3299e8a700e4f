#include "client/remote_compile.h"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "client/connection.h"
#include "exec/spawn.h"
#include "net/fd_stream.h"
#include "net/tcp.h"
#include "util/error.h"

namespace ferry::client {
namespace {

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

Preprocessor::Preprocessor(const plan::Plan& plan, const ClientSettings& settings,
                           std::function<state::SlotLock()> take_slot)
    : m_plan(plan), m_settings(settings), m_take_slot(std::move(take_slot)) {}

// Never leave a preprocessor running behind an early return.
Preprocessor::~Preprocessor() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    exec::wait_for(m_pid);
  }
}

llvm::Error Preprocessor::start() {
  if (m_plan.input_is_preprocessed || m_pid > 0 || m_result) {
    return llvm::Error::success();
  }
  auto out = exec::TempFile::create(m_settings.tmpdir, "ferry_", m_plan.preprocessed_ext);
  if (!out) {
    return out.takeError();
  }
  auto err = exec::TempFile::create(m_settings.tmpdir, "ferry_", ".stderr");
  if (!err) {
    return err.takeError();
  }
  if (m_take_slot) {
    m_slot = m_take_slot();
  }
  exec::SpawnOptions opts;
  opts.stdout_fd = out->fd();
  opts.stderr_fd = err->fd();
  auto pid = exec::spawn(m_plan.cpp_argv, opts);
  if (!pid) {
    return pid.takeError();
  }
  m_pid = *pid;
  m_out.emplace(std::move(*out));
  m_err.emplace(std::move(*err));
  return llvm::Error::success();
}

llvm::Expected<const Preprocessor::Output*> Preprocessor::finish() {
  if (m_result) {
    return &*m_result;
  }
  Output r;
  if (m_plan.input_is_preprocessed) {
    auto text = read_file(m_plan.input);
    if (!text) {
      return text.takeError();
    }
    r.source = std::move(*text);
    m_result = std::move(r);
    return &*m_result;
  }
  if (auto e = start()) {
    return e;
  }
  int status = exec::wait_for(std::exchange(m_pid, -1));
  m_slot.release();  // the slot limits running preprocessors only
  auto errors = m_err->read_all();
  if (!errors) {
    return errors.takeError();
  }
  r.stderr_text = std::move(*errors);
  if (status != 0) {
    r.failed = true;
  } else {
    auto text = m_out->read_all();
    if (!text) {
      return text.takeError();
    }
    r.source = std::move(*text);
  }
  m_out.reset();
  m_err.reset();
  m_result = std::move(r);
  return &*m_result;
}

llvm::Expected<RemoteResult> compile_remotely(const plan::Plan& plan, const hosts::Host& host,
                                              const ClientSettings& settings, Preprocessor& cpp,
                                              const PhaseReport& report,
                                              const std::string& identity) {
  RemoteResult result;

  // 1. The preprocessor starts first: it is the slow part.
  report("preprocess");
  if (auto e = cpp.start()) {
    return e;
  }

  // 2. Meanwhile, connect and send the argv.
  report("connect");
  auto conn = open_connection(host, settings);
  if (!conn) {
    return conn.takeError();
  }
  net::FdStream stream(conn->fd(), conn->fd(), settings.io_timeout);
  net::set_cork(conn->fd(), true);
  if (auto e = stream.write_all(proto::encode_request_head(host.protocol(), plan.remote_argv, identity))) {
    return e;
  }

  // 3. The preprocessed source.
  report("preprocess");
  auto out = cpp.finish();
  if (!out) {
    return out.takeError();
  }
  result.cpp_stderr = (*out)->stderr_text;
  if ((*out)->failed) {
    // Close without sending DOTI: the server compiles nothing.
    result.cpp_failed = true;
    return result;
  }
  report("send");
  if (auto e = stream.write_all(proto::encode_request_source(host.protocol(), (*out)->source))) {
    return e;
  }
  net::set_cork(conn->fd(), false);
  // Never shutdown(SHUT_WR) here: distccd takes EOF as a disconnect and
  // kills the compile.

  // 4. The answer.
  report("compile");
  auto response = proto::decode_response(stream, host.protocol(), proto::Limits{},
                                          !identity.empty());
  if (!response) {
    return response.takeError();
  }
  result.response = std::move(*response);
  result.bytes_sent = stream.bytes_written();
  result.bytes_received = stream.bytes_read();
  return result;
}

}  // namespace ferry::client
