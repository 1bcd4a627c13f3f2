// Fuzz target: the search segmenter, the query parser and snippets (search/segmenter.hpp,
// Searcher::Parse, search/snippet.hpp) — what every search box query and every indexed page
// goes through.
// Input: the first half is a query, the second half a page's text (any bytes: invalid UTF-8
// included). Feeds Segmenter::Tokenize (the index's options and the query's), Fold,
// Searcher::Parse and Snippet.
// Asserts: tokens come in position order, each with a non-empty valid UTF-8 term (Latin and
// dictionary words at most 64 bytes) and a byte range inside the text; positions stay below
// the returned next position; Fold gives valid UTF-8; a snippet of valid UTF-8 text is valid
// UTF-8; a snippet's only markup is <mark> and </mark>, and its length stays near 120 code
// points.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "search/index.hpp"
#include "search/segmenter.hpp"
#include "search/snippet.hpp"

namespace {

using wenku::search::Segmenter;
using wenku::search::TokenKind;

const Segmenter& Shared() {
  static std::unique_ptr<Segmenter> seg = [] {
    auto s = Segmenter::Open();
    if (!s.ok()) {
      std::fprintf(stderr, "segmenter: %s\n", s.error().message.c_str());
      std::abort();
    }
    return std::move(s).value();
  }();
  return *seg;
}

void CheckTokens(std::string_view text, const Segmenter::Options& options) {
  uint32_t next = 0;
  auto tokens = Shared().Tokenize(text, options, 7, &next);
  uint32_t last = 7;
  for (const auto& t : tokens) {
    FUZZ_CHECK(t.position >= last, "tokens out of position order");
    last = t.position;
    FUZZ_CHECK(t.position < next, "a token at or past the next position");
    FUZZ_CHECK(!t.term.empty() && wenku::IsValidUtf8(t.term), "an empty or invalid term");
    if (t.kind == TokenKind::kWord || t.kind == TokenKind::kLatin) {
      FUZZ_CHECK(t.term.size() <= 64, "a term over 64 bytes");
    }
    FUZZ_CHECK(t.begin < t.end && t.end <= text.size(), "a token's range outside the text");
  }
  if (tokens.empty()) FUZZ_CHECK(next >= 7, "the next position went backwards");
}

// Removes <mark> and </mark>; what is left must hold no markup at all.
void CheckSnippet(const std::string& html, std::string_view text) {
  if (wenku::IsValidUtf8(text)) FUZZ_CHECK(wenku::IsValidUtf8(html), "a snippet that is not UTF-8");
  std::string rest = html;
  for (std::string_view tag : {"</mark>", "<mark>"}) {
    for (size_t at; (at = rest.find(tag)) != std::string::npos;) rest.erase(at, tag.size());
  }
  FUZZ_CHECK(rest.find_first_of("<>\"") == std::string::npos, "unescaped markup in a snippet");
  size_t chars = 0;
  for (unsigned char c : rest) chars += (c & 0xC0) != 0x80;
  // Entities count as several characters here; 120 code points of text at most 6 bytes each.
  FUZZ_CHECK(chars <= 120 * 6 + 2, "a snippet far over its length");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string query(input.substr(0, size / 2));
  std::string_view text = input.substr(size / 2);

  CheckTokens(input, Segmenter::Options{});
  CheckTokens(text, Segmenter::Options{.words = false, .unigrams = true});
  FUZZ_CHECK(wenku::IsValidUtf8(Shared().Fold(input)), "folded text is not UTF-8");

  static wenku::search::Searcher searcher(Shared(), "/nonexistent");
  wenku::search::ParsedQuery parsed = searcher.Parse(query);
  if (parsed.empty) FUZZ_CHECK(parsed.highlight.empty(), "an empty query that highlights");
  CheckSnippet(wenku::search::Snippet(Shared(), text, parsed.highlight), text);
  CheckSnippet(wenku::search::Snippet(Shared(), text, parsed.highlight, 120, true), text);
  return 0;
}
