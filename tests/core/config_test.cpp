#include "core/config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace wenku {
namespace {

TEST(ConfigTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  auto dir = std::filesystem::temp_directory_path() / ("wenku-config-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "wenku.toml";
  std::ofstream(file) << "[preview]\npages = 7\nwidth = 800\n[limits]\ncpu_seconds = 9\n";
  setenv("WENKU_PREVIEW_WIDTH", "900", 1);
  setenv("WENKU_LIMITS_CPU_SECONDS", "11", 1);
  auto c = Config::Load(file.string(), {{"limits.cpu_seconds", "13"}});
  unsetenv("WENKU_PREVIEW_WIDTH");
  unsetenv("WENKU_LIMITS_CPU_SECONDS");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->GetInt("preview.pages"), 7);        // file over default 5
  EXPECT_EQ(c->GetInt("preview.width"), 900);      // environment over file
  EXPECT_EQ(c->GetInt("limits.cpu_seconds"), 13);  // flag over environment
  EXPECT_EQ(c->GetInt("ingest.max_attempts"), 3);  // default
  std::filesystem::remove_all(dir);
}

TEST(ConfigTest, RejectsUnknownKeysAndBadNumbers) {
  auto bad_key = Config::Load("", {{"preview.pagez", "3"}});
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().message.find("preview.pagez"), std::string::npos);
  auto bad_number = Config::Load("", {{"preview.pages", "five"}});
  ASSERT_FALSE(bad_number.ok());
  EXPECT_NE(bad_number.error().message.find("whole number"), std::string::npos);
}

TEST(ConfigTest, MissingOrBrokenFileIsAClearError) {
  auto missing = Config::Load("/nonexistent/wenku.toml", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  auto path = std::filesystem::temp_directory_path() /
              ("wenku-broken-" + std::to_string(getpid()) + ".toml");
  std::ofstream(path) << "[preview\npages = \n";
  auto broken = Config::Load(path.string(), {});
  std::filesystem::remove(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("not valid TOML"), std::string::npos);
}

}  // namespace
}  // namespace wenku
