// The API's page windows (library/document_json.hpp, "Paging"): parsing, the slice a visitor
// gets — never past what VisiblePages allows — and the next window's address.
#include "library/document_json.hpp"

#include <gtest/gtest.h>

namespace wenku::library {
namespace {

TEST(PageWindows, ParseDefaultsCapAndRefusals) {
  auto d = ParsePageWindow("", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->from, 1);
  EXPECT_EQ(d->limit, kDefaultPagesPerAnswer);
  auto w = ParsePageWindow("11", "5");
  EXPECT_EQ(w->from, 11);
  EXPECT_EQ(w->limit, 5);
  EXPECT_EQ(ParsePageWindow("1", "100000")->limit, kMaxPagesPerAnswer);  // cut to the cap
  for (auto [from, limit] : {std::pair<const char*, const char*>{"0", ""},
                             {"-1", ""},
                             {"x", ""},
                             {"1.5", ""},
                             {"1 ", ""},
                             {"9999999999", ""},
                             {"", "0"},
                             {"", "-3"},
                             {"", "ten"}}) {
    auto bad = ParsePageWindow(from, limit);
    ASSERT_FALSE(bad.ok()) << from << " " << limit;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(bad.error().message, "pages_window_invalid");
  }
}

TEST(PageWindows, ASliceStaysInsideTheReadablePages) {
  const struct {
    int64_t visible, from, limit, first, last, next;
  } cases[] = {
      {25, 1, 10, 1, 10, 11},                             // the first window of a long free book
      {25, 11, 10, 11, 20, 21}, {25, 21, 10, 21, 25, 0},  // the last: no next
      {10, 1, 10, 1, 10, 0},                              // exactly one window
      {3, 1, 10, 1, 3, 0},  // a visitor's preview of a longer document: never past it
      {3, 4, 10, 4, 3, 0},  // asking for a locked page gives nothing
      {3, 50, 10, 50, 3, 0},    {0, 1, 10, 1, 0, 0},  // not ready: nothing
      {7, 2, 1, 2, 2, 3},
  };
  for (const auto& c : cases) {
    PageSlice s = SlicePages(c.visible, PageWindow{c.from, c.limit});
    EXPECT_EQ(s.first, c.first) << c.visible << "/" << c.from;
    EXPECT_EQ(s.last, c.last) << c.visible << "/" << c.from;
    EXPECT_EQ(s.next_from, c.next) << c.visible << "/" << c.from;
    EXPECT_EQ(s.empty(), c.first > c.last);
  }
}

TEST(PageWindows, TheAnswerNamesTheNextWindow) {
  nlohmann::json j;
  AddPaging(j, 7, PageWindow{1, 10}, SlicePages(25, PageWindow{1, 10}));
  EXPECT_EQ(j["pages_from"], 1);
  EXPECT_EQ(j["pages_limit"], 10);
  EXPECT_EQ(j["pages_next"], "/api/v1/documents/7?pages_from=11&pages_limit=10");
  AddPaging(j, 7, PageWindow{21, 10}, SlicePages(25, PageWindow{21, 10}));
  EXPECT_TRUE(j["pages_next"].is_null());
}

}  // namespace
}  // namespace wenku::library
