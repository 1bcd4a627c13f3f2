#include "search/snippet.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <set>
#include <unordered_set>

namespace wenku::search {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Snippet(const Segmenter& segmenter, std::string_view text,
                    const std::vector<std::string>& terms, size_t max_chars, bool only_with_hits) {
  // Code point boundaries (byte offsets), so the window never cuts a character.
  std::vector<uint32_t> cp;  // cp[i]: byte offset of code point i; cp.back() == size
  {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = 0;
    const auto n = static_cast<int32_t>(text.size());
    while (i < n) {
      cp.push_back(static_cast<uint32_t>(i));
      UChar32 c;
      U8_NEXT(s, i, n, c);
      (void)c;
    }
    cp.push_back(static_cast<uint32_t>(text.size()));
  }
  const size_t total = cp.size() - 1;
  auto cp_of = [&](uint32_t byte) {
    return static_cast<size_t>(std::lower_bound(cp.begin(), cp.end(), byte) - cp.begin());
  };

  // The marked spans (code point ranges), merged, with the terms each holds.
  const std::unordered_set<std::string> wanted(terms.begin(), terms.end());
  struct Span {
    size_t begin, end;
    std::set<std::string> terms;
  };
  std::vector<Span> spans;
  if (!wanted.empty()) {
    for (const auto& t : segmenter.Tokenize(text, 0, nullptr, false)) {
      if (t.kind == TokenKind::kWord || !wanted.count(t.term)) continue;
      size_t b = cp_of(t.begin), e = cp_of(t.end);
      if (!spans.empty() && b <= spans.back().end) {
        spans.back().end = std::max(spans.back().end, e);
        spans.back().terms.insert(t.term);
      } else {
        spans.push_back({b, e, {t.term}});
      }
      if (spans.size() >= 500) break;
    }
  }
  if (spans.empty() && only_with_hits) return "";

  // The window with the most different words in it.
  size_t start = 0;
  if (!spans.empty()) {
    size_t best_score = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      size_t ws = spans[i].begin > 12 ? spans[i].begin - 12 : 0;
      std::set<std::string> seen;
      for (size_t j = i; j < spans.size() && spans[j].end <= ws + max_chars; ++j) {
        seen.insert(spans[j].terms.begin(), spans[j].terms.end());
      }
      if (seen.size() > best_score) {
        best_score = seen.size();
        start = ws;
      }
    }
  }
  size_t end = std::min(total, start + max_chars);
  if (end - start < max_chars && end == total) start = end > max_chars ? end - max_chars : 0;

  std::string out;
  if (start > 0) out += "…";
  size_t s = 0;
  bool last_space = true;
  auto emit = [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      std::string_view ch = text.substr(cp[k], cp[k + 1] - cp[k]);
      if (ch == "\n" || ch == "\r" || ch == "\t" || ch == " " || ch == "\f") {
        if (!last_space) out += ' ';
        last_space = true;
        continue;
      }
      last_space = false;
      out += EscapeHtml(ch);
    }
  };
  size_t pos = start;
  while (s < spans.size() && spans[s].end <= start) ++s;
  for (; s < spans.size() && spans[s].begin < end; ++s) {
    size_t b = std::max(spans[s].begin, start), e = std::min(spans[s].end, end);
    emit(pos, b);
    out += "<mark>";
    last_space = false;
    emit(b, e);
    out += "</mark>";
    pos = e;
  }
  emit(pos, end);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (end < total) out += "…";
  return out;
}

}  // namespace wenku::search
