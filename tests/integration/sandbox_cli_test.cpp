// Fail closed, as an operator sees it on the command line: without a working sandbox
// `wenku import` refuses at once with the reason (and stores nothing), `wenku check` lists it
// as a problem; with sandbox.mode = "off" every start warns; a mode it does not know stops it.
#include <gtest/gtest.h>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

// `wenku ARGS…` with stderr folded into stdout.
CommandResult Wenku(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {"sh", "-c", "exec \"$@\" 2>&1", "sh", WenkuBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, env);
}

TEST(IntegrationSandboxCliTest, WithoutASandboxNothingIsConvertedAndTheCommandsSayWhy) {
  TempDir dir;
  const std::string data = (dir / "data").string();
  ASSERT_TRUE(MakePdf(dir / "a.pdf", {{"page one"}}));
  const std::vector<std::string> broken = {"WENKU_SANDBOX_BWRAP=/nonexistent/bwrap"};

  auto import = Wenku({"import", "--data", data, (dir / "a.pdf").string()}, broken);
  EXPECT_EQ(import.status, 2) << import.out;
  EXPECT_NE(import.out.find("converters cannot run: /nonexistent/bwrap is missing"),
            std::string::npos)
      << import.out;
  EXPECT_EQ(QueryInt(dir / "data", "SELECT COUNT(*) FROM documents"), 0);

  auto check = Wenku({"check", "--data", data}, broken);
  EXPECT_EQ(check.status, 1) << check.out;
  EXPECT_NE(check.out.find("problem: converter sandbox: /nonexistent/bwrap is missing"),
            std::string::npos)
      << check.out;

  auto off = Wenku({"check", "--data", data}, {"WENKU_SANDBOX_MODE=off"});
  EXPECT_EQ(off.status, 0) << off.out;
  EXPECT_NE(off.out.find("sandbox: OFF"), std::string::npos) << off.out;
  EXPECT_NE(off.out.find("warning: the converter sandbox is off"), std::string::npos) << off.out;

  auto unknown = Wenku({"check", "--data", data}, {"WENKU_SANDBOX_MODE=docker"});
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.out.find("sandbox.mode must be \"bwrap\" or \"off\""), std::string::npos)
      << unknown.out;

  auto working = Wenku({"check", "--data", data}, {});
  EXPECT_EQ(working.status, 0) << working.out;
  EXPECT_EQ(working.out.find("sandbox"), std::string::npos) << working.out;
}

}  // namespace
}  // namespace wenku::testing
