// Snippet: the part of a page's text around the most query words, as an HTML fragment:
// the text escaped, the words inside <mark>…</mark>. The words are found with the same
// Segmenter as the index, so 教育宣傳 in the text is marked for the query 教育宣传, and
// "documents" for "document".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "search/index.hpp"
#include "search/segmenter.hpp"

namespace wenku::search {

// `marks`: ParsedQuery::highlight — each sequence is marked only where all its terms
// stand at their relative positions. At most `max_chars` code points of text (… marks a
// cut). Text without any of the words gives its beginning, unmarked, or "" when
// `only_with_hits`.
std::string Snippet(const Segmenter& segmenter, std::string_view text,
                    const std::vector<HighlightSequence>& marks, size_t max_chars = 120,
                    bool only_with_hits = false);

}  // namespace wenku::search
