// The built module: loadable as the core loads it, one entry symbol, plans
// through the C ABI and frees what it returned.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>

#include "ferry/plugin.h"

namespace {

TEST(SunccModule, LoadsAndPlansThroughTheAbi) {
  std::string path = std::string(FERRY_BUILD_PLUGIN_DIR) + "/suncc.so";
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(::dlsym(h, FERRY_PLUGIN_ENTRY_NAME));
  ASSERT_NE(entry, nullptr) << ::dlerror();
  const ferry_plugin* t = entry();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->abi_version, FERRY_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(t->name, "suncc");
  EXPECT_EQ(t->claims("suncc"), 1);
  EXPECT_EQ(t->claims("cc"), 0);

  const char* args[] = {"-xO3", "-xMD", "-c", "src/a.c", "-o", "build/a.o"};
  ferry_plan_request req{};
  req.struct_size = sizeof(req);
  req.compiler = "cc";
  req.args = {args, 6};
  req.cwd = "/";
  ferry_plan* p = nullptr;
  ASSERT_EQ(t->plan(&req, &p), 0);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->verdict, FERRY_VERDICT_DISTRIBUTE);
  EXPECT_STREQ(p->dep_file, "build/a.d");
  ASSERT_GE(p->remote_argv.count, 1u);
  EXPECT_STREQ(p->remote_argv.items[0], "suncc");
  ASSERT_EQ(p->args.count, 6u);
  EXPECT_EQ(p->arg_tags[2], FERRY_ARG_REMOTE);  // -c
  EXPECT_EQ(p->arg_tags[1], FERRY_ARG_CPP);     // -xMD
  t->free_plan(p);

  const char* argv[] = {"suncc", "-xO3", "-c", "a.i", "-o", "a.o"};
  ferry_server_request sreq{sizeof(sreq), {argv, 6}, "/tmp/job"};
  ferry_server_job* j = nullptr;
  ASSERT_EQ(t->server_check(&sreq, &j), 0);
  EXPECT_EQ(j->verdict, FERRY_VERDICT_DISTRIBUTE);
  EXPECT_STREQ(j->input_path, "/tmp/job/input.i");
  t->free_server_job(j);
  // Internals stay hidden: the planner and the SDK linked into the module
  // (real names: ferry::suncc::make_plan(ferry::sdk::PlanRequest const&),
  // ferry::sdk::to_abi(ferry::abi::Plan const&)).
  EXPECT_EQ(::dlsym(h, "_ZN5ferry5suncc9make_planERKNS_3sdk11PlanRequestE"), nullptr);
  EXPECT_EQ(::dlsym(h, "_ZN5ferry3sdk6to_abiERKNS_3abi4PlanE"), nullptr);
  ::dlclose(h);
}

}  // namespace
