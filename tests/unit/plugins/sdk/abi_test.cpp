// The SDK's C ABI shell: what a plugin's plan()/server_check() return to
// the core, read back with the core's own reader (ferry/plugin.hpp).
#include "ferry/sdk/abi.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <new>
#include <stdexcept>

namespace ferry::sdk {
namespace {

abi::Plan sample_plan() {
  abi::Plan p;
  p.distribute = true;
  p.language = "c";
  p.input = "src/a.c";
  p.object = "build/a.o";
  p.dep_file = "build/a.d";
  p.preprocessed_ext = ".i";
  p.cpp_argv = {"gcc", "-Iinc", "src/a.c", "-E"};
  p.remote_argv = {"gcc", "-O2", "-c", "src/a.i", "-o", "build/a.o"};
  p.local_argv = {"gcc", "-Iinc", "-O2", "-c", "src/a.c", "-o", "build/a.o"};
  p.args = {"-Iinc", "-O2", "-c", "src/a.c", "-o", "build/a.o"};
  p.tags = {FERRY_ARG_CPP, FERRY_ARG_CPP | FERRY_ARG_REMOTE, FERRY_ARG_REMOTE,
            FERRY_ARG_CPP | FERRY_ARG_REMOTE, FERRY_ARG_REMOTE, FERRY_ARG_REMOTE};
  return p;
}

struct Request {
  std::vector<const char*> items;
  ferry_plan_request req{};
  explicit Request(std::vector<const char*> args, const char* compiler = "gcc") : items(std::move(args)) {
    req.struct_size = sizeof(req);
    req.compiler = compiler;
    req.args = {items.data(), items.size()};
    req.cwd = "/src";
  }
};

// What the planner is given for a request the shell accepts.
PlanRequest seen_by_planner(const ferry_plan_request& req) {
  PlanRequest seen;
  ferry_plan* c = nullptr;
  EXPECT_EQ(plan_shell(&req, &c, [&](const PlanRequest& q) {
              seen = q;
              return abi::Plan{};
            }),
            0);
  EXPECT_NE(c, nullptr);
  free_plan(c);
  return seen;
}

TEST(SdkAbi, PlanRoundTripsThroughTheCStruct) {
  abi::Plan in = sample_plan();
  ferry_plan* c = to_abi(in);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, FERRY_VERDICT_DISTRIBUTE);
  EXPECT_EQ(c->reason_text, nullptr);  // empty optional text is absent, not ""
  abi::Plan out = abi::from_abi(*c);
  free_plan(c);
  EXPECT_EQ(out.distribute, in.distribute);
  EXPECT_EQ(out.language, in.language);
  EXPECT_EQ(out.input, in.input);
  EXPECT_EQ(out.object, in.object);
  EXPECT_EQ(out.dep_file, in.dep_file);
  EXPECT_EQ(out.preprocessed_ext, in.preprocessed_ext);
  EXPECT_EQ(out.cpp_argv, in.cpp_argv);
  EXPECT_EQ(out.remote_argv, in.remote_argv);
  EXPECT_EQ(out.local_argv, in.local_argv);
  EXPECT_EQ(out.args, in.args);
  EXPECT_EQ(out.tags, in.tags);
}

TEST(SdkAbi, LocalPlanKeepsReasonAndHasNoDependencyFile) {
  abi::Plan in;
  in.reason = FERRY_REASON_HOST_SPECIFIC;
  in.reason_text = "-march=native: code for this host's CPU";
  in.local_argv = {"gcc", "-march=native", "-c", "a.c"};
  ferry_plan* c = to_abi(in);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, FERRY_VERDICT_LOCAL);
  EXPECT_EQ(c->reason, FERRY_REASON_HOST_SPECIFIC);
  EXPECT_STREQ(c->reason_text, in.reason_text.c_str());
  EXPECT_EQ(c->dep_file, nullptr);
  EXPECT_EQ(c->cpp_argv.count, 0u);
  EXPECT_EQ(c->cpp_argv.items, nullptr);
  EXPECT_EQ(c->arg_tags, nullptr);
  free_plan(c);
}

TEST(SdkAbi, EveryArgumentGetsATagEvenIfThePlannerForgotOne) {
  abi::Plan in = sample_plan();
  in.tags.resize(2);
  ferry_plan* c = to_abi(in);
  ASSERT_NE(c, nullptr);
  ASSERT_NE(c->arg_tags, nullptr);
  EXPECT_EQ(c->arg_tags[1], FERRY_ARG_CPP | FERRY_ARG_REMOTE);
  EXPECT_EQ(c->arg_tags[5], 0);  // shown as DROPPED by ferry --plan, not read past the end
  free_plan(c);
}

TEST(SdkAbi, ServerJobRoundTrips) {
  abi::ServerJob in;
  in.accepted = true;
  in.input_path = "/jobs/1/input.i";
  in.object_path = "/jobs/1/output.o";
  in.exec_argv = {"gcc", "-c", "/jobs/1/input.i", "-o", "/jobs/1/output.o"};
  ferry_server_job* c = to_abi(in);
  ASSERT_NE(c, nullptr);
  abi::ServerJob out = abi::from_abi(*c);
  free_server_job(c);
  EXPECT_TRUE(out.accepted);
  EXPECT_EQ(out.input_path, in.input_path);
  EXPECT_EQ(out.object_path, in.object_path);
  EXPECT_EQ(out.exec_argv, in.exec_argv);
}

TEST(SdkAbi, PlanShellReadsTheRequest) {
  Request r({"-c", "a.c"});
  r.req.strategy = "plain";
  PlanRequest seen = seen_by_planner(r.req);
  EXPECT_EQ(seen.compiler, "gcc");
  EXPECT_EQ(seen.args, (std::vector<std::string>{"-c", "a.c"}));
  EXPECT_EQ(seen.cwd, "/src");
  EXPECT_EQ(seen.strategy, std::optional<std::string>("plain"));
}

TEST(SdkAbi, PlanShellReadsNoFieldBeyondStructSize) {
  Request r({"-c", "a.c"});
  r.req.strategy = "plain";
  r.req.struct_size = offsetof(ferry_plan_request, strategy);  // an older core
  PlanRequest seen = seen_by_planner(r.req);
  EXPECT_EQ(seen.cwd, "/src");
  EXPECT_FALSE(seen.strategy);
}

TEST(SdkAbi, PlanShellRefusesMalformedRequests) {
  auto never = [](const PlanRequest&) -> abi::Plan {
    ADD_FAILURE() << "the planner ran on a malformed request";
    return {};
  };
  ferry_plan* c = reinterpret_cast<ferry_plan*>(0x1);
  EXPECT_NE(plan_shell(nullptr, &c, never), 0);
  EXPECT_EQ(c, nullptr);
  Request no_compiler({"-c"}, nullptr);
  EXPECT_NE(plan_shell(&no_compiler.req, &c, never), 0);
  Request null_item({"-c", nullptr});
  EXPECT_NE(plan_shell(&null_item.req, &c, never), 0);
  Request no_items({});
  no_items.req.args = {nullptr, 3};
  EXPECT_NE(plan_shell(&no_items.req, &c, never), 0);
  Request too_short({"-c"});
  too_short.req.struct_size = offsetof(ferry_plan_request, args);
  EXPECT_NE(plan_shell(&too_short.req, &c, never), 0);
  Request ok({"-c"});
  EXPECT_NE(plan_shell(&ok.req, nullptr, never), 0);
}

TEST(SdkAbi, NoExceptionCrossesTheCBoundary) {
  Request r({"-c", "a.c"});
  ferry_plan* c = nullptr;
  EXPECT_NE(plan_shell(&r.req, &c, [](const PlanRequest&) -> abi::Plan { throw std::bad_alloc(); }), 0);
  EXPECT_EQ(c, nullptr);
  const char* argv[] = {"gcc", "-c", "a.c"};
  ferry_server_request s{};
  s.struct_size = sizeof(s);
  s.argv = {argv, 3};
  s.job_dir = "/jobs/1";
  ferry_server_job* j = nullptr;
  EXPECT_NE(server_check_shell(&s, &j,
                               [](const ServerRequest&) -> abi::ServerJob {
                                 throw std::runtime_error("x");
                               }),
            0);
  EXPECT_EQ(j, nullptr);
}

TEST(SdkAbi, ServerCheckShellReadsTheRequestAndNeedsAJobDir) {
  const char* argv[] = {"gcc", "-c", "a.c"};
  ferry_server_request s{};
  s.struct_size = sizeof(s);
  s.argv = {argv, 3};
  s.job_dir = "/jobs/1";
  ServerRequest seen;
  ferry_server_job* j = nullptr;
  ASSERT_EQ(server_check_shell(&s, &j,
                               [&](const ServerRequest& q) {
                                 seen = q;
                                 return abi::ServerJob{};
                               }),
            0);
  free_server_job(j);
  EXPECT_EQ(seen.argv, (std::vector<std::string>{"gcc", "-c", "a.c"}));
  EXPECT_EQ(seen.job_dir, "/jobs/1");
  s.job_dir = nullptr;
  EXPECT_NE(server_check_shell(&s, &j, [](const ServerRequest&) { return abi::ServerJob{}; }), 0);
}

TEST(SdkAbi, ClaimsAreShellGlobs) {
  const char* const globs[] = {"gcc", "gcc-[0-9]*", "*-gcc"};
  EXPECT_TRUE(claims_any(globs, "gcc"));
  EXPECT_TRUE(claims_any(globs, "gcc-12"));
  EXPECT_TRUE(claims_any(globs, "x86_64-linux-gnu-gcc"));
  EXPECT_FALSE(claims_any(globs, "gcc-ar"));
  EXPECT_FALSE(claims_any(globs, "g++"));
  EXPECT_FALSE(claims_any(globs, nullptr));
}

}  // namespace
}  // namespace ferry::sdk
