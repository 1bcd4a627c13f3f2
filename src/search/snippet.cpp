#include "search/snippet.hpp"

#include "core/text.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace wenku::search {

std::string Snippet(const Segmenter& segmenter, std::string_view text,
                    const std::vector<HighlightSequence>& marks, size_t max_chars,
                    bool only_with_hits) {
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

  // The marked spans (code point ranges), merged, with the sequences each holds.
  struct Span {
    size_t begin, end;
    std::set<size_t> seqs;
  };
  std::vector<Span> spans;
  if (!marks.empty()) {
    const std::vector<Token> tokens = segmenter.Tokenize(text, Segmenter::Options{false, true});
    std::unordered_multimap<uint32_t, const Token*> at;  // position → tokens
    for (const auto& t : tokens) at.emplace(t.position, &t);
    auto find = [&](uint32_t position, const std::string& term) -> const Token* {
      auto [b, e] = at.equal_range(position);
      for (auto it = b; it != e; ++it) {
        if (it->second->term == term) return it->second;
      }
      return nullptr;
    };
    for (const auto& t : tokens) {
      for (size_t q = 0; q < marks.size(); ++q) {
        const auto& seq = marks[q].terms;
        if (seq.empty() || seq[0].second != t.term) continue;
        const Token* last = &t;
        for (size_t k = 1; k < seq.size() && last != nullptr; ++k) {
          last = find(t.position + seq[k].first, seq[k].second);
        }
        if (last == nullptr) continue;
        spans.push_back({cp_of(t.begin), cp_of(std::max(last->end, t.end)), {q}});
      }
      if (spans.size() >= 500) break;
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::vector<Span> merged;
    for (auto& sp : spans) {
      if (!merged.empty() && sp.begin <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, sp.end);
        merged.back().seqs.insert(sp.seqs.begin(), sp.seqs.end());
      } else {
        merged.push_back(std::move(sp));
      }
    }
    spans = std::move(merged);
  }
  if (spans.empty() && only_with_hits) return "";

  // The window with the most different words in it.
  size_t start = 0;
  if (!spans.empty()) {
    size_t best_score = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      size_t ws = spans[i].begin > 12 ? spans[i].begin - 12 : 0;
      std::set<size_t> seen;
      for (size_t j = i; j < spans.size() && spans[j].end <= ws + max_chars; ++j) {
        seen.insert(spans[j].seqs.begin(), spans[j].seqs.end());
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
      out += EscapeMarkup(ch);
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
