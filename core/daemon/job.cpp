#include "daemon/job.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include "daemon/compile_run.h"
#include "daemon/compiler_policy.h"
#include "daemon/job_dir.h"
#include "exec/spawn.h"
#include "identify/choose.h"
#include "net/fd_stream.h"
#include "net/seconds_text.h"
#include "net/tcp.h"
#include "plan/plan.h"
#include "util/error.h"
#include "util/exit_codes.h"
#include "util/unique_fd.h"

namespace ferry::daemon {
namespace {

using Clock = std::chrono::steady_clock;

llvm::Error write_file(const std::string& path, std::string_view data) {
  // O_EXCL | O_NOFOLLOW: the plugin named a fresh file in a dir only we use.
  UniqueFd fd(::open(path.c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    return make_error(ExitCode::IoError, "cannot create '" + path +
                                             "': " + std::strerror(errno));
  }
  while (!data.empty()) {
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return make_error(ExitCode::IoError, "cannot write '" + path +
                                               "': " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return llvm::Error::success();
}

std::optional<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return std::nullopt;
    }
    if (n == 0) {
      return out;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string base_name(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// "127.0.0.1:34724" for the log. A dual-stack listener sees IPv4 clients
// as ::ffff:a.b.c.d; show them as distccd would.
std::string client_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 &&
      ss.ss_family == AF_INET6) {
    const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
    if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
      char text[INET_ADDRSTRLEN] = {};
      ::inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], text, sizeof text);
      return std::string(text) + ":" + std::to_string(ntohs(sin6.sin6_port));
    }
  }
  std::string name = net::peer_name(fd);
  return name.empty() ? "local" : name;  // a pipe or a unix socket
}

// How a failed read or write of the connection is counted.
JobCategory category_of(ExitCode code) {
  switch (code) {
    case ExitCode::Timeout:
      return JobCategory::Timeout;
    case ExitCode::Truncated:
    case ExitCode::IoError:
      return JobCategory::CliDisconn;
    default:
      return JobCategory::RejBadReq;
  }
}

// One job. Each step returns false once the job is over (outcome set).
class Job {
 public:
  Job(int in_fd, int out_fd, const JobConfig& config, const DaemonLog& log)
      : m_in(in_fd),
        m_config(config),
        m_log(log),
        m_stream(in_fd, out_fd, config.io_timeout),
        m_start(Clock::now()) {
    m_client = client_name(in_fd);
  }

  JobOutcome run() {
    if (check_access() && read_head() && check_compiler() && check_identity() && check_plugin() &&
        read_source() && compile()) {
      reply();
    }
    m_dir.remove();
    m_outcome.compiler = m_compiler_label;
    m_outcome.input = m_input_label;
    m_outcome.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_start);
    log_summary();
    return m_outcome;
  }

 private:
  bool refuse(JobCategory category, std::string reason) {
    m_log.line("refused client=" + m_client + ": " + reason);
    return end(category, std::move(reason));
  }
  bool fail(JobCategory category, std::string reason) {
    m_log.line("failed client=" + m_client + ": " + reason);
    return end(category, std::move(reason));
  }
  bool end(JobCategory category, std::string reason) {
    m_outcome.category = category;
    m_outcome.reason = std::move(reason);
    return false;
  }
  // A read/write of the connection failed: a refusal when the client sent
  // something wrong, a failure when it went away or stalled.
  bool stream_error(llvm::Error err, const char* doing) {
    ErrorSummary s = summarize(std::move(err));
    JobCategory c = category_of(s.code);
    if (c == JobCategory::RejBadReq) {
      return refuse(c, s.message);
    }
    return fail(c, std::string(doing) + ": " + s.message);
  }

  bool check_access() {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(m_in, reinterpret_cast<sockaddr*>(&peer), &len) != 0) {
      if (errno == ENOTSOCK) {
        return true;  // inetd/SSH over a pipe: nothing to check
      }
      return fail(JobCategory::CliDisconn,
                  std::string("getpeername: ") + std::strerror(errno));
    }
    if (peer.ss_family != AF_INET && peer.ss_family != AF_INET6) {
      return true;  // a unix socket is local by construction
    }
    if (net::is_allowed(m_config.allow, reinterpret_cast<sockaddr*>(&peer), len)) {
      return true;
    }
    return refuse(JobCategory::RejAccess,
                  "address " + m_client + " is not allowed (see --allow)");
  }

  bool read_head() {
    m_stream.set_deadline(m_start + m_config.request_timeout,
                          "the request timeout (" +
                              net::seconds_text(m_config.request_timeout) + " s)");
    auto request = proto::decode_request_head(m_stream, m_config.limits);
    if (!request) {
      return stream_error(request.takeError(), "reading the request");
    }
    m_request = std::move(*request);
    if (m_request.argv.empty()) {
      return refuse(JobCategory::RejBadReq, "empty argv");
    }
    m_log.debug("request client=" + m_client + " version=" +
                std::to_string(m_request.version) + " argv=" + joined(m_request.argv));
    return true;
  }

  bool check_compiler() {
    m_compiler_label = m_request.argv[0];
    auto choice = choose_compiler(m_request.argv[0], *m_config.plugins,
                                  m_config.search_path);
    if (!choice) {
      return refuse(JobCategory::RejBadReq, summarize(choice.takeError()).message);
    }
    m_choice = std::move(*choice);
    m_compiler_label = m_choice.name;
    if (m_config.policy != nullptr) {
      if (auto err = apply_compiler_policy(*m_config.policy, m_choice)) {
        return refuse(JobCategory::RejBadReq, summarize(std::move(err)).message);
      }
    }
    return true;
  }

  // A ferry client with remote.require_identity sent its compiler's
  // identity: compile only if ours is the same. A refusal still reads the
  // source (closing on unread bytes would reset the connection before the
  // client reads the answer), then answers DONE + FIDN with our identity,
  // which the client reports and remembers.
  bool check_identity() {
    if (m_request.identity.empty()) {
      return true;
    }
    std::string mine;
    std::string why;
    auto id = identify::identify_path(m_choice.path, m_config.probe_rules,
                                      m_config.identity_cache_dir);
    if (id) {
      mine = identify::identity_text(*id);
      if (mine.empty()) {
        why = "ferryd cannot identify its compiler " + m_choice.path;
      }
    } else {
      why = summarize(id.takeError()).message;
    }
    if (!mine.empty() && mine == m_request.identity) {
      m_log.debug("identity client=" + m_client + " matches: " + mine);
      return true;
    }
    std::string reason = why.empty() ? "compiler identity differs: client has '" +
                                           m_request.identity + "', " + m_choice.path +
                                           " is '" + mine + "'"
                                     : "cannot check the compiler identity: " + why;
    if (llvm::Error err =
            proto::decode_request_source(m_stream, m_config.limits, m_request)) {
      return stream_error(std::move(err), "reading the source");
    }
    m_request.source = std::string();
    proto::Response refusal;
    refusal.version = m_request.version;
    refusal.host_identity = mine;
    if (llvm::Error err = m_stream.write_all(proto::encode_response(refusal))) {
      return stream_error(std::move(err), "sending the identity refusal");
    }
    return refuse(JobCategory::RejBadReq, reason);
  }

  bool check_plugin() {
    auto dir = JobDir::create(m_config.tmpdir);
    if (!dir) {
      return fail(JobCategory::Other, summarize(dir.takeError()).message);
    }
    m_dir = std::move(*dir);
    // The plugin sees the bare name we will run, never the client's path.
    std::vector<std::string> argv = m_request.argv;
    argv[0] = m_choice.name;
    std::vector<const char*> items;
    for (const std::string& a : argv) {
      items.push_back(a.c_str());
    }
    const ferry_plugin& table = m_choice.plugin->table();
    const char* plugin_name = table.name != nullptr ? table.name : "?";
    ferry_server_request req{sizeof(ferry_server_request),
                             {items.data(), items.size()},
                             m_dir.path().c_str()};
    ferry_server_job* answer = nullptr;
    if (table.server_check == nullptr || table.server_check(&req, &answer) != 0 ||
        answer == nullptr) {
      return fail(JobCategory::Other, std::string("plugin '") + plugin_name +
                                          "' could not check the request");
    }
    m_job = plan::from_abi(*answer);
    if (table.free_server_job != nullptr) {
      table.free_server_job(answer);
    }
    if (!m_job.accepted) {
      std::string why = m_job.reason_text.empty()
                            ? plan::reason_name(m_job.reason)
                            : m_job.reason_text;
      return refuse(JobCategory::RejBadReq, why);
    }
    return check_job_paths(plugin_name);
  }

  // Defence against a plugin bug: everything it names must be in the dir.
  bool check_job_paths(const char* plugin_name) {
    if (m_job.exec_argv.empty() || !m_dir.contains(m_job.input_path) ||
        !m_dir.contains(m_job.object_path) ||
        m_job.input_path == m_job.object_path) {
      return fail(JobCategory::Other,
                  std::string("plugin '") + plugin_name +
                      "' answered with paths outside the job directory");
    }
    m_input_label = base_name(m_job.input_path);
    // Log the client's name for the input: the argument the plugin replaced.
    for (size_t i = 1; i < m_request.argv.size() && i < m_job.exec_argv.size(); ++i) {
      if (m_job.exec_argv[i] == m_job.input_path) {
        m_input_label = m_request.argv[i];
        break;
      }
    }
    return true;
  }

  bool read_source() {
    if (llvm::Error err =
            proto::decode_request_source(m_stream, m_config.limits, m_request)) {
      return stream_error(std::move(err), "reading the source");
    }
    if (llvm::Error err = write_file(m_job.input_path, m_request.source)) {
      return fail(JobCategory::Other, summarize(std::move(err)).message);
    }
    m_request.source = std::string();  // the compile may need the memory
    m_stream.clear_deadline();  // the reply is bounded by the I/O timeout only
    return true;
  }

  bool compile() {
    if (m_config.cancel != nullptr && *m_config.cancel != 0) {
      return fail(JobCategory::Other, "stopped by a signal before the compile");
    }
    std::vector<std::string> argv = m_job.exec_argv;
    argv[0] = m_choice.path;  // never a path the client sent
    m_log.debug("exec client=" + m_client + " " + joined(argv));
    CompileSetup setup;
    setup.job_dir = m_dir.path();
    setup.client_fd = m_in;
    setup.poll_interval = m_config.poll_interval;
    setup.cancel = m_config.cancel;
    setup.env_overrides = m_config.compiler_env;
    // gcc's own temporary files (the .s between cc1 and as) go into the job
    // directory too, so they are private and removed with it.
    setup.env_overrides.push_back("TMPDIR=" + m_dir.path());
    setup.lifetime = m_config.job_lifetime;
    setup.cpu_seconds = static_cast<unsigned>((m_config.job_lifetime.count() + 999) / 1000);
    setup.memory_bytes = m_config.job_memory_bytes;
    // No output can be bigger than one reply body.
    setup.file_bytes = m_config.limits.max_body;
    CompileResult r = run_compile(argv, setup);
    switch (r.end) {
      case CompileResult::End::Exited:
        m_response.status = static_cast<uint32_t>(r.status);
        m_response.stderr_text = std::move(r.stderr_text);
        m_response.stdout_text = std::move(r.stdout_text);
        return collect_object();
      case CompileResult::End::ExecFailed:
        // As distccd: the job "ran" and exited EXIT_COMPILER_MISSING.
        m_response.status = static_cast<uint32_t>(to_int(ExitCode::CompilerMissing)) << 8;
        m_response.stderr_text = "ferryd[" + std::to_string(::getpid()) +
                                 "] ERROR: " + r.message + "\n";
        m_log.line("failed client=" + m_client + ": " + r.message);
        return true;
      case CompileResult::End::ClientGone:
        return fail(JobCategory::CliDisconn,
                    "client disconnected during the compile; compiler killed");
      case CompileResult::End::Cancelled:
        return fail(JobCategory::Other, "stopped by a signal; compiler killed");
      case CompileResult::End::TimedOut:
        // No answer: the client compiles locally, as after any refusal.
        return fail(JobCategory::CompileTimeout,
                    "the compile ran longer than --job-lifetime (" +
                        net::seconds_text(m_config.job_lifetime) + " s); compiler killed");
      case CompileResult::End::Failed:
        break;
    }
    return fail(JobCategory::Other, r.message);
  }

  bool collect_object() {
    if (m_response.status != 0) {
      return true;  // DOTO is always empty after a failure
    }
    auto object = read_file(m_job.object_path);
    if (!object) {
      // Closing without a reply makes the client compile locally, which is
      // better than handing it an empty object.
      return fail(JobCategory::Other, "the compiler succeeded but wrote no '" +
                                          base_name(m_job.object_path) + "'");
    }
    m_response.object = std::move(*object);
    return true;
  }

  void reply() {
    m_response.version = m_request.version;
    // FdStream writes without raising SIGPIPE: a vanished client is EPIPE.
    if (llvm::Error err = m_stream.write_all(proto::encode_response(m_response))) {
      stream_error(std::move(err), "sending the reply");
      return;
    }
    m_outcome.replied = true;
    m_outcome.status = static_cast<int>(m_response.status);
    m_outcome.category =
        m_response.status == 0 ? JobCategory::CompileOk : JobCategory::CompileError;
  }

  void log_summary() const {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                    m_start);
    std::string status = m_outcome.replied
                             ? std::to_string(exec::exit_code_of(m_outcome.status))
                             : "-";
    m_log.line("job client=" + m_client + " " + category_name(m_outcome.category) +
               " status=" + status + " time=" + std::to_string(ms.count()) +
               "ms compiler=" + label(m_compiler_label) +
               " input=" + label(m_input_label));
  }

  static std::string label(const std::string& s) { return s.empty() ? "-" : s; }
  static std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) {
      out += out.empty() ? "" : " ";
      out += s;
    }
    return out;
  }

  int m_in;
  const JobConfig& m_config;
  const DaemonLog& m_log;
  net::FdStream m_stream;
  Clock::time_point m_start;
  std::string m_client;
  std::string m_compiler_label;
  std::string m_input_label;
  proto::Request m_request;
  CompilerChoice m_choice;
  JobDir m_dir;
  plan::ServerJob m_job;
  proto::Response m_response;
  JobOutcome m_outcome;
};

}  // namespace

const char* category_name(JobCategory c) {
  switch (c) {
    case JobCategory::CompileOk:
      return "COMPILE_OK";
    case JobCategory::CompileError:
      return "COMPILE_ERROR";
    case JobCategory::RejBadReq:
      return "REJ_BAD_REQ";
    case JobCategory::RejAccess:
      return "REJ_ACCESS";
    case JobCategory::CliDisconn:
      return "CLI_DISCONN";
    case JobCategory::Timeout:
      return "TIMEOUT";
    case JobCategory::CompileTimeout:
      return "COMPILE_TIMEOUT";
    case JobCategory::Other:
      break;
  }
  return "OTHER";
}

JobOutcome serve_job(int in_fd, int out_fd, const JobConfig& config,
                     const DaemonLog& log) {
  return Job(in_fd, out_fd, config, log).run();
}

}  // namespace ferry::daemon
