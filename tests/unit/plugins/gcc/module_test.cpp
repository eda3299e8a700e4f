// The built module: loadable as the core loads it, one entry symbol.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>

#include "ferry/plugin.h"

namespace {

TEST(GccModule, LoadsAndAnswers) {
  std::string path = std::string(FERRY_BUILD_PLUGIN_DIR) + "/gcc.so";
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(::dlsym(h, FERRY_PLUGIN_ENTRY_NAME));
  ASSERT_NE(entry, nullptr) << ::dlerror();
  const ferry_plugin* t = entry();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->abi_version, FERRY_PLUGIN_ABI_VERSION);
  EXPECT_EQ(t->claims("g++-12"), 1);

  const char* args[] = {"-MD", "-c", "src/a.c", "-o", "build/a.o"};
  ferry_plan_request req{};
  req.struct_size = sizeof(req);
  req.compiler = "gcc";
  req.args = {args, 5};
  req.cwd = "/";
  ferry_plan* p = nullptr;
  ASSERT_EQ(t->plan(&req, &p), 0);
  EXPECT_EQ(p->verdict, FERRY_VERDICT_DISTRIBUTE);
  EXPECT_STREQ(p->dep_file, "build/a.d");
  t->free_plan(p);
  // Nothing of the plugin's private LLVM is visible.
  EXPECT_EQ(::dlsym(h, "_ZN4llvm3opt8OptTableD2Ev"), nullptr);
  // ferry::gcc_family::make_plan(Dialect const&, ferry::sdk::PlanRequest const&)
  // and ferry::sdk::to_abi(ferry::abi::Plan const&), linked in from archives.
  EXPECT_EQ(::dlsym(h, "_ZN5ferry10gcc_family9make_planERKNS0_7DialectERKNS_3sdk11PlanRequestE"),
            nullptr);
  EXPECT_EQ(::dlsym(h, "_ZN5ferry3sdk6to_abiERKNS_3abi4PlanE"), nullptr);
  ::dlclose(h);
}

}  // namespace
