// library::Categories on a fake store: the rules (slug, names, unique, the default category),
// hiding, reordering, who may change the list, the audit entry of each change, and the cache
// (dropped by a change made here, read again after refresh_ms for changes made elsewhere).
#include "library/categories.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace wenku::library {
namespace {

class FakeCategoryStore : public storage::CategoryStore {
 public:
  Result<std::vector<storage::CategoryRow>> List() override {
    ++reads;
    auto out = rows;
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.position < b.position; });
    return out;
  }
  Status Insert(const storage::CategoryRow& row, const storage::AuditEntry& audit) override {
    for (const auto& r : rows) {
      if (r.slug == row.slug) return MakeError(ErrorCode::kConflict, "exists");
    }
    storage::CategoryRow r = row;
    r.position = static_cast<int64_t>(rows.size());
    rows.push_back(r);
    log.push_back(audit);
    return {};
  }
  Status Update(const std::vector<storage::CategoryRow>& changed,
                const storage::AuditEntry& audit) override {
    for (const auto& c : changed) {
      auto it =
          std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.slug == c.slug; });
      if (it == rows.end()) return MakeError(ErrorCode::kNotFound, c.slug);
      *it = c;
    }
    log.push_back(audit);
    return {};
  }

  std::vector<storage::CategoryRow> rows = {
      {"education", "教育", "Education", 0, false, 0, 0},
      {"law", "法律", "Law", 1, false, 0, 0},
      {"other", "其他", "Other", 2, false, 0, 0},
  };
  std::vector<storage::AuditEntry> log;
  int reads = 0;
};

class CategoriesTest : public ::testing::Test {
 protected:
  CategoriesTest() {
    admin_.id = 1;
    admin_.name = "root";
    admin_.role = "admin";
    moderator_.id = 2;
    moderator_.name = "mod";
    moderator_.role = "moderator";
  }

  std::vector<std::string> Slugs(const std::vector<Category>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(c.slug);
    return out;
  }

  FakeCategoryStore store_;
  FakeClock clock_;
  Categories categories_{store_, clock_, 5000};
  storage::User admin_, moderator_;
};

TEST_F(CategoriesTest, AnAdminAddsACategoryAtTheEndAndItIsLogged) {
  ASSERT_TRUE(categories_.Add(&admin_, "music-2", " 音乐 ", "Music").ok());
  EXPECT_EQ(Slugs(categories_.Offered()),
            (std::vector<std::string>{"education", "law", "other", "music-2"}));
  auto c = categories_.Find("music-2");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->zh, "音乐");  // white space around it dropped
  EXPECT_TRUE(categories_.MayFileUnder("music-2"));
  ASSERT_EQ(store_.log.size(), 1u);
  EXPECT_EQ(store_.log[0].action, "category_add");
  EXPECT_EQ(store_.log[0].actor, 1);
  EXPECT_EQ(store_.log[0].document, 0);
  EXPECT_NE(store_.log[0].note.find("music-2"), std::string::npos);
}

TEST_F(CategoriesTest, SlugsAndNamesMustFollowTheRules) {
  auto field = [&](const std::string& slug, const std::string& zh, const std::string& en) {
    Status s = categories_.Add(&admin_, slug, zh, en);
    return s.ok() ? std::string("ok") : s.error().message;
  };
  EXPECT_EQ(field("", "名", "Name"), "slug");
  EXPECT_EQ(field("Music", "名", "Name"), "slug");  // upper case
  EXPECT_EQ(field("mu sic", "名", "Name"), "slug");
  EXPECT_EQ(field("音乐", "名", "Name"), "slug");
  EXPECT_EQ(field(std::string(33, 'a'), "名", "Name"), "slug");
  EXPECT_EQ(field("a", "   ", "Name"), "name_zh");
  EXPECT_EQ(field("a", "名", ""), "name_en");
  auto chars = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "名";
    return s;
  };
  EXPECT_EQ(field("a", chars(21), "N"), "name_zh");
  EXPECT_EQ(field("a", "名\x01", "N"), "name_zh");
  EXPECT_EQ(field("a", "\xff", "N"), "name_zh");  // not UTF-8
  EXPECT_EQ(field(std::string(32, 'a'), chars(20), "N"), "ok");
  Status taken = categories_.Add(&admin_, "law", "法", "Law");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_EQ(taken.error().message, "slug");
  EXPECT_EQ(store_.log.size(), 1u);  // only the one that was added
}

TEST_F(CategoriesTest, OnlyAdminsChangeTheList) {
  for (Visitor v : {static_cast<Visitor>(nullptr), static_cast<Visitor>(&moderator_)}) {
    EXPECT_EQ(categories_.Add(v, "music", "音乐", "Music").error().code, ErrorCode::kForbidden);
    EXPECT_EQ(categories_.Rename(v, "law", "法", "Law").error().code, ErrorCode::kForbidden);
    EXPECT_EQ(categories_.Move(v, "law", -1).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(categories_.SetHidden(v, "law", true).error().code, ErrorCode::kForbidden);
  }
  EXPECT_TRUE(store_.log.empty());
}

TEST_F(CategoriesTest, AHiddenCategoryIsNotOfferedNorFiledUnderButStaysKnown) {
  ASSERT_TRUE(categories_.SetHidden(&admin_, "law", true).ok());
  EXPECT_EQ(Slugs(categories_.Offered()), (std::vector<std::string>{"education", "other"}));
  EXPECT_EQ(Slugs(categories_.All()), (std::vector<std::string>{"education", "law", "other"}));
  EXPECT_FALSE(categories_.MayFileUnder("law"));
  EXPECT_FALSE(categories_.MayFileUnder("nope"));
  ASSERT_TRUE(categories_.Find("law"));  // its documents still show its name
  EXPECT_FALSE(categories_.MayList(nullptr, "law"));
  EXPECT_TRUE(categories_.MayList(&moderator_, "law"));
  EXPECT_FALSE(categories_.MayList(&moderator_, "nope"));
  EXPECT_EQ(store_.log.back().action, "category_hide");

  ASSERT_TRUE(categories_.SetHidden(&admin_, "law", false).ok());
  EXPECT_TRUE(categories_.MayFileUnder("law"));
  EXPECT_EQ(store_.log.back().action, "category_show");
}

TEST_F(CategoriesTest, TheDefaultCategoryCannotBeHidden) {
  Status s = categories_.SetHidden(&admin_, "other", true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(s.error().message, "hidden");
  EXPECT_TRUE(categories_.MayFileUnder("other"));
  EXPECT_EQ(categories_.SetHidden(&admin_, "nope", true).error().code, ErrorCode::kNotFound);
}

TEST_F(CategoriesTest, RenameChangesTheNamesNotTheSlug) {
  ASSERT_TRUE(categories_.Rename(&admin_, "law", "法学", "Law studies").ok());
  auto c = categories_.Find("law");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->zh, "法学");
  EXPECT_EQ(c->en, "Law studies");
  EXPECT_EQ(Slugs(categories_.All()), (std::vector<std::string>{"education", "law", "other"}));
  EXPECT_EQ(store_.log.back().action, "category_rename");
  EXPECT_EQ(categories_.Rename(&admin_, "law", "", "Law").error().message, "name_zh");
  EXPECT_EQ(categories_.Rename(&admin_, "nope", "无", "None").error().code, ErrorCode::kNotFound);
  // Searched by its new names and their words.
  auto names = categories_.SearchNames();
  auto has = [&](const std::string& n) {
    return std::count(names.begin(), names.end(), std::make_pair(n, std::string("law"))) == 1;
  };
  EXPECT_TRUE(has("法学"));
  EXPECT_TRUE(has("law studies"));
  EXPECT_TRUE(has("studies"));
  EXPECT_FALSE(has("法律"));
}

TEST_F(CategoriesTest, MovingSwapsWithTheNeighbourAndStopsAtTheEnds) {
  ASSERT_TRUE(categories_.Move(&admin_, "other", -1).ok());
  EXPECT_EQ(Slugs(categories_.All()), (std::vector<std::string>{"education", "other", "law"}));
  ASSERT_TRUE(categories_.Move(&admin_, "education", +1).ok());
  EXPECT_EQ(Slugs(categories_.All()), (std::vector<std::string>{"other", "education", "law"}));
  const size_t logged = store_.log.size();
  ASSERT_TRUE(categories_.Move(&admin_, "other", -1).ok());  // already first
  ASSERT_TRUE(categories_.Move(&admin_, "law", +1).ok());    // already last
  EXPECT_EQ(Slugs(categories_.All()), (std::vector<std::string>{"other", "education", "law"}));
  EXPECT_EQ(store_.log.size(), logged);  // nothing changed, nothing logged
  EXPECT_EQ(store_.log.back().action, "category_down");
}

TEST_F(CategoriesTest, TheCacheIsDroppedByAChangeHereAndReadAgainAfterRefreshForOthers) {
  EXPECT_EQ(categories_.All().size(), 3u);
  EXPECT_EQ(categories_.Offered().size(), 3u);
  EXPECT_EQ(store_.reads, 1);  // one read serves both

  // Changed here: seen at once.
  ASSERT_TRUE(categories_.Add(&admin_, "music", "音乐", "Music").ok());
  EXPECT_TRUE(categories_.Find("music"));

  // Changed by another process (straight in the store): seen after refresh_ms, not before.
  store_.rows.push_back({"art", "艺术", "Art", 10, false, 0, 0});
  clock_.Advance(4999);
  EXPECT_FALSE(categories_.Find("art"));
  clock_.Advance(1);
  EXPECT_TRUE(categories_.Find("art"));
}

}  // namespace
}  // namespace wenku::library
