#include "moderation/sensitive_words.hpp"

#include "core/text.hpp"
#include "library/fingerprint.hpp"

namespace wenku::moderation {
namespace {

// Splits at the separators the header names.
std::vector<std::string> Entries(std::string_view list) {
  static constexpr std::string_view kSeparators[] = {"\n", "\r", ",", "，", "、", "|"};
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < list.size();) {
    bool split = false;
    for (std::string_view sep : kSeparators) {
      if (list.substr(i, sep.size()) == sep) {
        out.push_back(std::move(current));
        current.clear();
        i += sep.size();
        split = true;
        break;
      }
    }
    if (!split) current += list[i++];
  }
  out.push_back(std::move(current));
  return out;
}

}  // namespace

SensitiveWords SensitiveWords::Parse(std::string_view list, const TextFold& fold) {
  SensitiveWords words;
  words.fold_ = &fold;
  for (std::string& entry : Entries(list)) {
    size_t begin = entry.find_first_not_of(" \t");
    if (begin == std::string::npos) continue;
    std::string spelled = entry.substr(begin, entry.find_last_not_of(" \t") - begin + 1);
    if (!IsValidUtf8(spelled) || CodePointCount(spelled) > kMaxWordChars) {
      continue;
    }
    std::u32string normalized = library::NormalizeForFingerprint(fold, spelled);
    if (normalized.empty()) continue;
    bool seen = false;
    for (const Word& w : words.words_) seen = seen || w.normalized == normalized;
    if (seen) continue;
    words.words_.push_back({std::move(spelled), std::move(normalized)});
    if (words.words_.size() == kMaxWords) break;
  }
  return words;
}

std::vector<std::string> SensitiveWords::Hits(std::string_view text) const {
  std::vector<std::string> hits;
  if (words_.empty() || text.empty()) return hits;
  std::u32string normalized = library::NormalizeForFingerprint(*fold_, text);
  for (const Word& w : words_) {
    if (normalized.find(w.normalized) != std::u32string::npos) hits.push_back(w.spelled);
  }
  return hits;
}

}  // namespace wenku::moderation
