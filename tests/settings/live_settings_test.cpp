// LiveSettings over a real SQLite file and a fake clock: the layers (default < Config < the
// database, runtime keys only), the one validation, the audit row of each change, a second
// process's change seen once the cache is older than 2 s, and concurrent readers and a writer.
#include "settings/live_settings.hpp"

#include <atomic>
#include <thread>

#include "storage/storage_fixture.hpp"

namespace wenku::settings {
namespace {

class LiveSettingsTest : public storage::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    cases_ = std::make_unique<storage::CaseStore>(*db_, clock_);
  }
  std::unique_ptr<LiveSettings> Make(std::map<std::string, std::string> overrides = {}) {
    return std::make_unique<LiveSettings>(Config::Defaults(overrides), *db_, *cases_, clock_);
  }
  std::unique_ptr<storage::CaseStore> cases_;
  Actor admin_{1, "root"};
};

TEST_F(LiveSettingsTest, TheDatabaseBeatsTheConfigForRuntimeSettingsOnly) {
  auto s = Make({{"preview.pages", "7"}, {"web.threads", "3"}});
  EXPECT_EQ(s->GetInt("preview.pages"), 7);          // the Config (here: a test override)
  EXPECT_EQ(s->GetInt("economy.signup_bonus"), 20);  // the default
  auto saved = s->Save({{"preview.pages", "2"}, {"site.name", "书库"}}, admin_);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_TRUE(saved->problems.empty());
  EXPECT_EQ(saved->changed, (std::vector<std::string>{"preview.pages", "site.name"}));
  EXPECT_EQ(s->GetInt("preview.pages"), 2);
  EXPECT_EQ(s->GetString("site.name"), "书库");
  EXPECT_EQ(s->GetInt("web.threads"), 3);

  // A start-time setting cannot be saved, and nothing else in the same save is.
  saved = s->Save({{"web.threads", "9"}, {"preview.pages", "3"}}, admin_);
  ASSERT_TRUE(saved.ok());
  ASSERT_EQ(saved->problems.count("web.threads"), 1u);
  EXPECT_EQ(saved->problems.at("web.threads").kind, SettingProblem::Kind::kNotRuntime);
  EXPECT_EQ(s->GetInt("preview.pages"), 2);
  EXPECT_EQ(s->GetInt("web.threads"), 3);

  std::map<std::string, std::string> sources;
  for (const auto& st : s->Describe()) sources[st.info->key] = st.source;
  EXPECT_EQ(sources["preview.pages"], "database");
  EXPECT_EQ(sources["economy.signup_bonus"], "default");
  EXPECT_EQ(sources.count("web.threads"), 0u);  // not a runtime setting: not listed
  EXPECT_EQ(sources["moderation.sensitive_words"], "default");
}

TEST_F(LiveSettingsTest, ValuesAreCheckedByTheRulesConfigUsesAndARefusalSavesNothing) {
  auto s = Make();
  auto saved = s->Save({{"economy.commission_percent", "150"},
                        {"preview.pages", "abc"},
                        {"site.name", std::string(101, 'x')},
                        {"no.such", "1"},
                        {"economy.signup_bonus", "50"}},
                       admin_);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->problems.at("economy.commission_percent").kind,
            SettingProblem::Kind::kOutOfRange);
  EXPECT_EQ(saved->problems.at("preview.pages").kind, SettingProblem::Kind::kNotANumber);
  EXPECT_EQ(saved->problems.at("site.name").kind, SettingProblem::Kind::kTooLong);
  EXPECT_EQ(saved->problems.at("no.such").kind, SettingProblem::Kind::kUnknown);
  EXPECT_EQ(saved->problems.count("economy.signup_bonus"), 0u);
  EXPECT_TRUE(saved->changed.empty());
  EXPECT_EQ(s->GetInt("economy.signup_bonus"), 20);  // the valid one was not saved either
  EXPECT_EQ(s->GetInt("economy.commission_percent"), 20);
  auto audit = cases_->RecentAudit(10);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->empty());
  // The same rule refuses the value in a file or a flag.
  auto loaded = Config::Load("", {{"economy.commission_percent", "150"}});
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("0-100"), std::string::npos) << loaded.error().message;
}

TEST_F(LiveSettingsTest, EachChangeIsAuditedWithOldAndNewValuesAndNoDocument) {
  auto s = Make();
  ASSERT_TRUE(s->Save({{"preview.pages", "2"}, {"economy.checkin_bonus", "5"}}, admin_).ok());
  auto audit = cases_->RecentAudit(10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);  // the check-in bonus did not change
  EXPECT_EQ((*audit)[0].action, "setting");
  EXPECT_EQ((*audit)[0].actor_name, "root");
  EXPECT_EQ((*audit)[0].note, "preview.pages: 5 → 2");
  EXPECT_EQ((*audit)[0].document, 0);
}

TEST_F(LiveSettingsTest, AnotherProcessSeesAChangeOnceItsCopyIsTwoSecondsOld) {
  auto web = Make();
  auto worker = Make();  // as another process: its own cache over the same database
  EXPECT_EQ(worker->GetInt("preview.pages"), 5);
  ASSERT_TRUE(web->Save({{"preview.pages", "2"}}, admin_).ok());
  EXPECT_EQ(web->GetInt("preview.pages"), 2);     // the writer: at once
  EXPECT_EQ(worker->GetInt("preview.pages"), 5);  // the other: its copy is fresh
  clock_.Advance(1999);
  EXPECT_EQ(worker->GetInt("preview.pages"), 5);
  clock_.Advance(1);
  EXPECT_EQ(worker->GetInt("preview.pages"), 2);
  // A value changed behind its back is compared with the database's, not the stale copy.
  ASSERT_TRUE(worker->Save({{"preview.pages", "3"}}, admin_).ok());
  ASSERT_TRUE(web->Refresh().ok());
  EXPECT_EQ(web->GetInt("preview.pages"), 3);
}

TEST_F(LiveSettingsTest, ReadersAndAWriterAtOnceSeeOnlyValidValues) {
  auto s = std::make_unique<LiveSettings>(Config::Defaults(), *db_, *cases_, clock_, 0);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop) {
        long n = s->GetInt("preview.pages");
        if (n != 5 && n != 1 && n != 2) ++bad;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(s->Save({{"preview.pages", i % 2 ? "1" : "2"}}, admin_).ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(s->GetInt("preview.pages"), 1);
}

}  // namespace
}  // namespace wenku::settings
