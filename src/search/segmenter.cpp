#include "search/segmenter.hpp"

extern "C" {
#include <friso/friso.h>
}
#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <filesystem>

#include "core/text_fold.hpp"

namespace wenku::search {
namespace {

constexpr size_t kMaxTermBytes = 64;  // longer "words" (hashes, base64) are not indexed

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, c, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

bool IsCjk(UChar32 c) {
  if (c < 0x3000) return false;
  if (IsHan(static_cast<char32_t>(c))) return true;
  if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF)) return true;  // kana, hangul
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &status);
  return U_SUCCESS(status) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                               script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL);
}

bool IsWordChar(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  return u_isalnum(c) || u_getCombiningClass(c) > 0;
}

// One folded code point and the bytes of the original it came from.
struct Folded {
  UChar32 c;
  uint32_t begin;
  uint32_t end;
};

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

struct TaskDeleter {
  void operator()(friso_task_entry* t) const { friso_free_task(t); }
};

}  // namespace

struct Segmenter::Impl {
  friso_t friso = nullptr;
  friso_config_t config = nullptr;
  const TextFold* fold = nullptr;  // NFKC + case folding, traditional → simplified

  ~Impl() {
    if (friso) friso_free(friso);
    if (config) free(config);
  }

  // Folds one code point into `out` (usually one, sometimes several: ﬁ → f i).
  void FoldOne(UChar32 c, uint32_t begin, uint32_t end, std::vector<Folded>& out,
               std::u32string& scratch) const {
    scratch.clear();
    fold->Append(static_cast<char32_t>(c), scratch);
    for (char32_t f : scratch) out.push_back({static_cast<UChar32>(f), begin, end});
  }

  std::vector<Folded> FoldAll(std::string_view text) const {
    std::vector<Folded> out;
    out.reserve(text.size());
    std::u32string scratch;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = 0;
    const auto n = static_cast<int32_t>(text.size());
    while (i < n) {
      int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0) continue;  // invalid UTF-8: skipped, it separates words
      FoldOne(c, static_cast<uint32_t>(start), static_cast<uint32_t>(i), out, scratch);
    }
    return out;
  }

  void AddCjkRun(const std::vector<Folded>& f, size_t from, size_t to, uint32_t first_position,
                 const Segmenter::Options& options, std::vector<Token>& tokens) const {
    const size_t n = to - from;
    if (n == 1) {
      Token t;
      AppendUtf8(t.term, f[from].c);
      t.position = first_position;
      t.begin = f[from].begin;
      t.end = f[from].end;
      t.kind = TokenKind::kChar;
      tokens.push_back(std::move(t));
      return;
    }
    // Dictionary words of 3+ characters, keyed by the index of their first character.
    std::string run;
    std::vector<uint32_t> char_at_byte;  // byte offset in `run` → character index
    for (size_t k = from; k < to; ++k) {
      AppendUtf8(run, f[k].c);
      char_at_byte.resize(run.size(), static_cast<uint32_t>(k - from));
    }
    std::vector<std::pair<uint32_t, uint32_t>> words;  // (first char, char count)
    thread_local std::unique_ptr<friso_task_entry, TaskDeleter> task(friso_new_task());
    if (options.words) friso_set_text(task.get(), run.data());
    while (options.words && config->next_token(friso, config, task.get()) != nullptr) {
      const friso_token_t tok = task->token;
      if (tok->offset < 0 || static_cast<size_t>(tok->offset) >= run.size()) continue;
      const auto first = char_at_byte[static_cast<size_t>(tok->offset)];
      size_t last_byte = static_cast<size_t>(tok->offset) + tok->length;
      if (last_byte > run.size() || last_byte == 0) continue;
      const auto last = char_at_byte[last_byte - 1];
      if (last - first + 1 >= 3) words.emplace_back(first, last - first + 1);
    }
    std::sort(words.begin(), words.end());
    size_t w = 0;
    for (size_t k = 0; k + 1 < n; ++k) {
      Token t;
      AppendUtf8(t.term, f[from + k].c);
      AppendUtf8(t.term, f[from + k + 1].c);
      t.position = first_position + static_cast<uint32_t>(k);
      t.begin = f[from + k].begin;
      t.end = f[from + k + 1].end;
      t.kind = TokenKind::kBigram;
      tokens.push_back(std::move(t));
      if (options.unigrams) {
        Token u;
        AppendUtf8(u.term, f[from + k].c);
        u.position = first_position + static_cast<uint32_t>(k);
        u.begin = f[from + k].begin;
        u.end = f[from + k].end;
        u.kind = TokenKind::kChar;
        tokens.push_back(std::move(u));
      }
      for (; w < words.size() && words[w].first == k; ++w) {
        Token word;
        for (uint32_t j = 0; j < words[w].second; ++j) AppendUtf8(word.term, f[from + k + j].c);
        if (word.term.size() > kMaxTermBytes) continue;
        word.position = first_position + static_cast<uint32_t>(k);
        word.begin = f[from + k].begin;
        word.end = f[from + k + words[w].second - 1].end;
        word.kind = TokenKind::kWord;
        tokens.push_back(std::move(word));
      }
    }
    if (options.unigrams) {  // the run's last character
      Token u;
      AppendUtf8(u.term, f[to - 1].c);
      u.position = first_position + static_cast<uint32_t>(n - 1);
      u.begin = f[to - 1].begin;
      u.end = f[to - 1].end;
      u.kind = TokenKind::kChar;
      tokens.push_back(std::move(u));
    }
  }

  void AddWord(const std::vector<Folded>& f, size_t from, size_t to, uint32_t position,
               std::vector<Token>& tokens) const {
    Token t;
    bool digits_only = true;
    for (size_t k = from; k < to; ++k) {
      AppendUtf8(t.term, f[k].c);
      if (!(f[k].c >= '0' && f[k].c <= '9') && f[k].c != '.') digits_only = false;
    }
    if (t.term.size() > kMaxTermBytes) return;
    t.position = position;
    t.begin = f[from].begin;
    t.end = f[to - 1].end;
    t.kind = digits_only ? TokenKind::kNumber : TokenKind::kLatin;
    if (!digits_only) {
      thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
          sb_stemmer_new("english", "UTF_8"));
      if (stemmer) {
        const sb_symbol* stem =
            sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(t.term.data()),
                            static_cast<int>(t.term.size()));
        if (stem != nullptr) {
          t.term.assign(reinterpret_cast<const char*>(stem),
                        static_cast<size_t>(sb_stemmer_length(stemmer.get())));
        }
      }
    }
    if (!t.term.empty()) tokens.push_back(std::move(t));
  }
};

Segmenter::Segmenter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segmenter::~Segmenter() = default;

Result<std::unique_ptr<Segmenter>> Segmenter::Open(const SegmenterOptions& options) {
  auto impl = std::make_unique<Impl>();
  auto fold = TextFold::Shared(options.opencc_config);
  if (!fold.ok()) return fold.error();
  impl->fold = *fold;

  std::error_code ec;
  if (!std::filesystem::exists(options.friso_ini, ec)) {
    return MakeError(ErrorCode::kInternal, "the friso configuration " + options.friso_ini +
                                               " is missing (install the friso and "
                                               "friso-dict packages)");
  }
  impl->friso = friso_new();
  impl->config = friso_new_config();
  std::string ini = options.friso_ini;
  if (friso_init_from_ifile(impl->friso, impl->config, ini.data()) != 1 ||
      friso_all_dic_size(impl->friso->dic) == 0) {
    return MakeError(ErrorCode::kInternal,
                     "friso could not load its dictionary from " + options.friso_ini);
  }
  impl->config->add_syn = 0;  // synonym tokens would break phrases
  impl->config->clr_stw = 0;  // keep stop words: 的 is still part of bigrams
  impl->config->en_sseg = 0;  // sub-words come from the bigrams
  friso_set_mode(impl->config, __FRISO_COMPLEX_MODE__);

  return std::unique_ptr<Segmenter>(new Segmenter(std::move(impl)));
}

std::string Segmenter::Fold(std::string_view text) const {
  std::string out;
  for (const auto& f : impl_->FoldAll(text)) AppendUtf8(out, f.c);
  return out;
}

std::vector<Token> Segmenter::Tokenize(std::string_view text, const Options& options,
                                       uint32_t first_position, uint32_t* next_position) const {
  std::vector<Folded> f = impl_->FoldAll(text);
  std::vector<Token> tokens;
  tokens.reserve(f.size());
  uint32_t position = first_position;
  size_t i = 0;
  while (i < f.size()) {
    if (IsCjk(f[i].c)) {
      size_t j = i + 1;
      while (j < f.size() && IsCjk(f[j].c)) ++j;
      impl_->AddCjkRun(f, i, j, position, options, tokens);
      position += static_cast<uint32_t>(j - i);
      i = j;
    } else if (IsWordChar(f[i].c)) {
      size_t j = i + 1;
      while (j < f.size()) {
        if (IsWordChar(f[j].c) && !IsCjk(f[j].c)) {
          ++j;
        } else if (f[j].c == '.' && j + 1 < f.size() && f[j - 1].c >= '0' && f[j - 1].c <= '9' &&
                   f[j + 1].c >= '0' && f[j + 1].c <= '9') {
          ++j;  // 3.5
        } else {
          break;
        }
      }
      impl_->AddWord(f, i, j, position, tokens);
      ++position;
      i = j;
    } else {
      ++i;
    }
  }
  if (next_position) *next_position = position;
  return tokens;
}

}  // namespace wenku::search
