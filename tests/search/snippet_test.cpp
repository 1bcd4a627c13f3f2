// Snippets: the words marked where the whole query clause stands, the text escaped, the
// window around the most words.
#include "search/snippet.hpp"

#include <gtest/gtest.h>

#include "search/index.hpp"

namespace wenku::search {
namespace {

const Segmenter& Seg() {
  static std::unique_ptr<Segmenter> seg = std::move(Segmenter::Open()).value();
  return *seg;
}

std::string Snip(std::string_view text, const std::string& query, size_t max_chars = 120,
                 bool only_with_hits = false) {
  Searcher searcher(Seg(), "/nonexistent");
  return Snippet(Seg(), text, searcher.Parse(query).highlight, max_chars, only_with_hits);
}

TEST(Snippet, MarksWholeClausesOnly) {
  EXPECT_EQ(Snip("端到端测试与单元测试", "端到端测试"), "<mark>端到端测试</mark>与单元测试");
  EXPECT_EQ(Snip("教育宣傳資料", "教育宣传"), "<mark>教育宣傳</mark>資料");  // folded
  EXPECT_EQ(Snip("Running <tests> & more", "run"), "<mark>Running</mark> &lt;tests&gt; &amp; more");
  // Digits inside Chinese, spaces or not: found as written.
  EXPECT_EQ(Snip("第9节第40行 与 第 9 节", "第9节"),
            "<mark>第9节</mark>第40行 与 <mark>第 9 节</mark>");
  EXPECT_EQ(Snip("没有命中", "别的", 120, true), "");
  EXPECT_EQ(Snip("没有命中", "别的"), "没有命中");
}

TEST(Snippet, TheWindowHoldsTheMostWords) {
  std::string text(300, 'x');
  text = "开头 " + std::string(200, '.') + " 合同 审查 " + std::string(200, '.');
  std::string s = Snip(text, "合同 审查", 20);
  EXPECT_EQ(s.rfind("…", 0), 0u) << s;  // cut before
  EXPECT_NE(s.find("<mark>合同</mark> <mark>审查</mark>"), std::string::npos) << s;
  EXPECT_EQ(s.substr(s.size() - 3), "…");
}

}  // namespace
}  // namespace wenku::search
