// Passages of text written for Wenku's own tests (no outside source): Chinese and English
// prose on unrelated subjects, one sentence or clause a line, for the near-duplicate
// measurements (tests/library/fingerprint_test.cpp, tests/integration/near_duplicates_test.cpp)
// and anything else that needs realistic text. Plus a deterministic generator of longer
// documents from a shared vocabulary (unrelated documents that still share many words).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wenku::testing {

struct Passage {
  std::string name;
  std::vector<std::string> lines;
  std::string Text() const;  // the lines joined with '\n'
};

// Every passage; the Chinese ones first.
const std::vector<Passage>& Passages();
const Passage& PassageNamed(const std::string& name);

// `lines` lines of Chinese prose made from a fixed vocabulary by a generator seeded with
// `seed`: the same seed gives the same text.
std::vector<std::string> GeneratedChinese(uint64_t seed, int lines);

// The lines with every tenth line (the 10th, 20th, …) edited: a few words in it replaced,
// as a second version of a document would be.
std::vector<std::string> EditEveryTenthLine(const std::vector<std::string>& lines);

// The text laid out in lines of at most `width` columns (a CJK character is 2 columns).
std::vector<std::string> Wrap(const std::string& text, size_t width);

}  // namespace wenku::testing
