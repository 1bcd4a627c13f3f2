// The query language and the reading side of the index (see index.hpp).
//
// A query is a list of clauses, all of which must match; `OR` between two clauses lets
// either match; `-clause` excludes; `"…"` is a phrase. Each clause goes through the same
// Segmenter as the pages: a CJK run must appear as written (its bigrams as a phrase, so
// 成华区 never matches 成 … 华 … 区 scattered over the page), the dictionary words in it
// add weight; a Latin word matches its stem. Every clause is looked for in the page text,
// the title (weighted ×3) and the metadata. A clause typed without spaces that mixes
// scripts (第9节) must appear as typed. We parse ourselves rather than with
// Xapian::QueryParser because the terms must come from our Segmenter, and because a
// malformed query must still match what it can instead of raising.
#include <xapian.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "search/index.hpp"
#include "search/index_schema.hpp"

namespace wenku::search {
namespace {

constexpr size_t kMaxQueryBytes = 1000;
constexpr size_t kMaxClauses = 24;
constexpr double kTitleWeight = 3.0;
constexpr double kMetaWeight = 1.0;

struct Clause {
  bool negate = false;
  bool phrase = false;
  std::string text;
};

// Clauses as AND of OR-groups.
std::vector<std::vector<Clause>> Lex(std::string_view q) {
  if (q.size() > kMaxQueryBytes) q = q.substr(0, kMaxQueryBytes);
  std::vector<std::vector<Clause>> groups;
  bool join_with_or = false;
  size_t clauses = 0;
  size_t i = 0;
  auto is_space = [&](size_t k) {
    if (q[k] == ' ' || q[k] == '\t' || q[k] == '\n' || q[k] == '\r') return 1;
    if (q.compare(k, 3, "\xE3\x80\x80") == 0) return 3;  // U+3000 ideographic space
    return 0;
  };
  auto quote_len = [&](size_t k) {
    if (q[k] == '"') return 1;
    if (q.compare(k, 3, "\xE2\x80\x9C") == 0 || q.compare(k, 3, "\xE2\x80\x9D") == 0)
      return 3;  // “ ”
    return 0;
  };
  while (i < q.size() && clauses < kMaxClauses) {
    if (int n = is_space(i)) {
      i += static_cast<size_t>(n);
      continue;
    }
    Clause c;
    if (q[i] == '-' && i + 1 < q.size() && !is_space(i + 1)) {
      c.negate = true;
      ++i;
    }
    if (int n = quote_len(i)) {
      i += static_cast<size_t>(n);
      size_t end = i;
      while (end < q.size() && !quote_len(end)) ++end;
      c.text = std::string(q.substr(i, end - i));
      c.phrase = true;
      i = end < q.size() ? end + static_cast<size_t>(quote_len(end)) : end;
    } else {
      size_t end = i;
      while (end < q.size() && !is_space(end) && !quote_len(end)) ++end;
      c.text = std::string(q.substr(i, end - i));
      i = end;
    }
    if (!c.negate && !c.phrase && c.text == "OR") {
      join_with_or = !groups.empty();
      continue;
    }
    if (c.text.empty()) continue;
    ++clauses;
    if (join_with_or && !c.negate && !groups.empty() && !groups.back().front().negate) {
      groups.back().push_back(std::move(c));
    } else {
      groups.push_back({std::move(c)});
    }
    join_with_or = false;
  }
  return groups;
}

bool IsPrimary(TokenKind k) { return k != TokenKind::kWord; }

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A clause's terms as a query on one field (`prefix`), or an empty Query when the clause
// holds nothing searchable.
Xapian::Query FieldQuery(const std::vector<Token>& tokens, bool phrase, const std::string& prefix) {
  std::vector<Token> primary;
  for (const auto& t : tokens) {
    if (IsPrimary(t.kind)) primary.push_back(t);
  }
  if (primary.empty()) return Xapian::Query();
  auto as_phrase = [&] {
    if (primary.size() == 1) return Xapian::Query(prefix + primary[0].term);
    std::vector<Xapian::Query> terms;
    for (const auto& t : primary) terms.emplace_back(prefix + t.term);
    const auto window = primary.back().position - primary.front().position + 1;
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), window);
  };
  if (phrase) return as_phrase();
  // Units: a chain of bigrams (one CJK run), or one term (a lone CJK character — the
  // index holds every character — or a word).
  std::vector<Xapian::Query> units;
  size_t i = 0;
  while (i < primary.size()) {
    const Token& t = primary[i];
    if (t.kind == TokenKind::kBigram) {
      size_t j = i + 1;
      while (j < primary.size() && primary[j].kind == TokenKind::kBigram &&
             primary[j].position == primary[j - 1].position + 1) {
        ++j;
      }
      // A run that is one dictionary word (北京大学, 参考文献) is that word's term: exact
      // where friso cut the text the same way, and one posting list instead of a phrase
      // over frequent bigrams (the slowest queries by far on a million pages). Other runs
      // must stand as written: their bigrams as a phrase; words inside add weight.
      const size_t run_chars = j - i + 1;
      Xapian::Query chain;
      std::vector<Xapian::Query> words;
      for (const auto& w : tokens) {
        if (w.kind != TokenKind::kWord || w.position < t.position ||
            w.position > primary[j - 1].position) {
          continue;
        }
        if (w.position == t.position && CodePoints(w.term) == run_chars) {
          chain = Xapian::Query(prefix + w.term);
        }
        words.emplace_back(prefix + w.term);
      }
      if (chain.empty()) {
        if (j - i == 1) {
          chain = Xapian::Query(prefix + t.term);
        } else {
          // Every other bigram (and the last) pins the run down: 超声速喷 is 超声 then 速喷
          // two positions on (the window leaves no other way for them to fit, unless
          // characters repeat), one position list fewer to read per bigram skipped.
          std::vector<Xapian::Query> terms;
          for (size_t k = i; k < j; k += 2) terms.emplace_back(prefix + primary[k].term);
          if ((j - i) % 2 == 0) terms.emplace_back(prefix + primary[j - 1].term);
          chain = Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), j - i);
        }
        if (!words.empty()) {
          chain = Xapian::Query(Xapian::Query::OP_AND_MAYBE, chain,
                                Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
        }
      }
      units.push_back(chain);
      i = j;
    } else {
      units.emplace_back(prefix + t.term);
      ++i;
    }
  }
  if (units.size() == 1) return units[0];
  // A clause typed without spaces is one string (第9节, 2022年报告, e-mail): its parts must
  // stand together, as written; its dictionary words still add weight.
  Xapian::Query together = as_phrase();
  std::vector<Xapian::Query> words;
  for (const auto& w : tokens) {
    if (w.kind == TokenKind::kWord) words.emplace_back(prefix + w.term);
  }
  if (words.empty()) return together;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, together,
                       Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
}

struct Built {
  Xapian::Query positive;  // empty: nothing to look for
  Xapian::Query negative;  // empty: nothing excluded
  std::vector<HighlightSequence> highlight;
};

// The whole query. `body_only`: page text alone (which pages hold the words).
// `category_names`: (lower-case name, slug); a clause equal to a name also matches C<slug>.
Built Build(const Segmenter& seg, const std::string& text, bool body_only,
            const std::vector<std::pair<std::string, std::string>>& category_names = {}) {
  Built b;
  std::vector<Xapian::Query> ands;
  std::vector<Xapian::Query> nots;
  for (const auto& group : Lex(text)) {
    std::vector<Xapian::Query> ors;
    for (const auto& clause : group) {
      std::vector<Token> tokens = seg.Tokenize(clause.text);
      Xapian::Query body = FieldQuery(tokens, clause.phrase, "");
      if (body.empty()) continue;
      Xapian::Query q = body;
      if (!body_only) {
        std::vector<Xapian::Query> fields = {
            body,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          FieldQuery(tokens, clause.phrase, schema::kTitle), kTitleWeight),
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          FieldQuery(tokens, clause.phrase, schema::kMeta), kMetaWeight)};
        std::string lower = clause.text;
        for (char& c : lower) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        for (const auto& [name, slug] : category_names) {
          if (name == lower) {
            fields.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                Xapian::Query(schema::kCategory + slug), kMetaWeight);
          }
        }
        q = Xapian::Query(Xapian::Query::OP_OR, fields.begin(), fields.end());
      }
      if (clause.negate) {
        nots.push_back(q);
      } else {
        ors.push_back(q);
        HighlightSequence seq;
        uint32_t base = 0;
        for (const auto& t : tokens) {
          if (!IsPrimary(t.kind)) continue;
          if (seq.terms.empty()) base = t.position;
          seq.terms.emplace_back(t.position - base, t.term);
        }
        if (!seq.terms.empty()) b.highlight.push_back(std::move(seq));
      }
    }
    if (ors.size() == 1) {
      ands.push_back(ors[0]);
    } else if (!ors.empty()) {
      ands.emplace_back(Xapian::Query::OP_OR, ors.begin(), ors.end());
    }
  }
  if (!ands.empty()) b.positive = Xapian::Query(Xapian::Query::OP_AND, ands.begin(), ands.end());
  if (!nots.empty()) b.negative = Xapian::Query(Xapian::Query::OP_OR, nots.begin(), nots.end());
  return b;
}

}  // namespace

struct Searcher::Reader {
  Xapian::Database db;
};

Searcher::Searcher(const Segmenter& segmenter, std::filesystem::path dir)
    : segmenter_(segmenter), location_{std::move(dir)} {}
Searcher::Searcher(const Segmenter& segmenter, IndexLocation location)
    : segmenter_(segmenter), location_(std::move(location)) {}
Searcher::~Searcher() = default;

std::unique_ptr<Searcher::Reader> Searcher::Acquire() {
  std::unique_ptr<Reader> r;
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      r = std::move(free_.back());
      free_.pop_back();
    }
  }
  if (r) {
    r->db.reopen();  // see the writer's last commit
    return r;
  }
  r = std::make_unique<Reader>();
  if (location_.is_remote()) {
    // Timeouts: 10 s for a reply, 3 s to connect. The server creates an empty index when
    // it has none, so there is no "nothing indexed yet" case here.
    r->db = Xapian::Remote::open(location_.host, location_.port, 10000, 3000);
    return r;
  }
  std::error_code ec;
  if (!std::filesystem::exists(location_.dir / "iamglass", ec)) return nullptr;  // nothing yet
  r->db = Xapian::Database(location_.dir.string());
  return r;
}

void Searcher::Release(std::unique_ptr<Reader> r) {
  if (!r) return;
  std::lock_guard lock(mu_);
  if (free_.size() < 32) free_.push_back(std::move(r));
}

// Runs fn(db) on a pooled reader; `none` when nothing is indexed yet. A commit landing in
// the middle of a read (DatabaseModifiedError) reopens and retries, twice at most. A
// broken connection to the search service (its idle timeout closed a pooled one; it was
// restarted) drops every pooled reader and tries once more on a new connection.
template <class T, class F>
Result<T> Searcher::WithReader(T none, F&& fn) {
  bool reconnected = false;
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Reader> reader;
    try {
      reader = Acquire();
      if (!reader) return none;
      T out = fn(reader->db);
      Release(std::move(reader));
      return out;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 2) return MakeError(ErrorCode::kIo, "the search index changed too often");
      if (reader) {
        try {
          reader->db.reopen();
          Release(std::move(reader));
        } catch (const Xapian::Error&) {
          // dropped; the next attempt opens a new one
        }
      }
    } catch (const Xapian::NetworkError& e) {
      {
        std::lock_guard lock(mu_);
        free_.clear();
      }
      if (reconnected || !location_.is_remote()) {
        return MakeError(ErrorCode::kIo, location_.Describe() + " unreachable: " + e.get_msg());
      }
      reconnected = true;
    } catch (const Xapian::Error& e) {
      return MakeError(ErrorCode::kIo, "cannot read the search index: " + e.get_description());
    }
  }
}

ParsedQuery Searcher::Parse(const std::string& query) const {
  Built b = Build(segmenter_, query, true);
  ParsedQuery p;
  p.empty = b.positive.empty();
  p.highlight = std::move(b.highlight);
  return p;
}

Result<IndexResult> Searcher::Search(const SearchRequest& request,
                                     const std::function<bool(DocumentId)>& accept) {
  namespace s = schema;
  IndexResult result;
  Built b = Build(segmenter_, request.query, false, request.category_names);
  if (b.positive.empty()) return result;
  return WithReader(result, [&](Xapian::Database& db) {
    Xapian::Query q = b.positive;
    if (!b.negative.empty()) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, b.negative);
    std::vector<Xapian::Query> filters;
    if (!request.format.empty()) filters.emplace_back(s::kFormat + request.format);
    if (!request.category.empty()) filters.emplace_back(s::kCategory + request.category);
    if (request.price == PriceFilter::kFree) filters.emplace_back(s::kFree);
    if (request.price == PriceFilter::kPaid) filters.emplace_back(s::kPaid);
    if (request.min_pages > 0 || request.max_pages > 0) {
      double lo = static_cast<double>(std::max<int64_t>(request.min_pages, 0));
      double hi = request.max_pages > 0 ? static_cast<double>(request.max_pages) : 1e12;
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, s::kSlotPageCount,
                           Xapian::sortable_serialise(lo), Xapian::sortable_serialise(hi));
    }
    if (!filters.empty()) {
      q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    // BM25 with the usual length normalisation (b = 0.75) and a low floor for short
    // pages: a short page holding every word beats a long one repeating some of them.
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.3));
    const bool by_relevance = request.sort == SortOrder::kRelevance;
    if (request.sort == SortOrder::kNewest) {
      enquire.set_sort_by_value_then_relevance(s::kSlotCreated, true);
    } else if (request.sort == SortOrder::kDownloads) {
      enquire.set_sort_by_value_then_relevance(s::kSlotDownloads, true);
    }
    const auto limit = static_cast<size_t>(std::clamp<int64_t>(request.limit, 1, 100));
    const auto offset = static_cast<size_t>(std::clamp<int64_t>(request.offset, 0, 1000));
    // Pages best first, grouped into documents in the order of their best page — what
    // Xapian's collapse key gives, measured 4× slower on a million pages (it defeats the
    // matcher's early termination; so does asking for many pages at once). Relevance
    // then adds the popularity value, mildly: it reorders the documents found, never
    // lifts others.
    struct Candidate {
      IndexHit hit;
      double popularity = 0;
    };
    std::vector<Candidate> docs;
    std::unordered_set<DocumentId> seen;
    const size_t want = offset + limit;
    Xapian::doccount first = 0, batch = static_cast<Xapian::doccount>(want + 10);
    size_t pages_seen = 0, rejected = 0;
    Xapian::doccount pages_estimate = 0;
    bool exhausted = false;
    for (int round = 0; round < 8 && docs.size() < want && !exhausted; ++round) {
      Xapian::MSet mset = enquire.get_mset(first, batch);
      if (round == 0) pages_estimate = mset.get_matches_estimated();
      if (location_.is_remote()) mset.fetch();  // every document in one exchange
      for (auto it = mset.begin(); it != mset.end() && docs.size() < want; ++it) {
        ++pages_seen;
        Xapian::Document d = it.get_document();
        const DocumentId id = std::stoll(d.get_value(s::kSlotDocument));
        if (!seen.insert(id).second) continue;
        if (!b.negative.empty()) {
          // Exclusion is per document: no page of it may hold an excluded word.
          Xapian::Enquire check(db);
          check.set_query(Xapian::Query(Xapian::Query::OP_FILTER, b.negative,
                                        Xapian::Query(s::DocumentTerm(id))));
          check.set_weighting_scheme(Xapian::BoolWeight());
          if (check.get_mset(0, 1).size() > 0) {
            ++rejected;
            continue;
          }
        }
        if (accept && !accept(id)) {
          ++rejected;
          continue;
        }
        Candidate c;
        c.hit.id = id;
        c.hit.weight = it.get_weight();
        c.hit.best_page =
            static_cast<int64_t>(Xapian::sortable_unserialise(d.get_value(s::kSlotPage)));
        c.popularity = Xapian::sortable_unserialise(d.get_value(s::kSlotPopularity));
        docs.push_back(c);
      }
      exhausted = mset.size() < batch;
      first += batch;
      batch *= 2;
    }
    if (by_relevance) {
      std::stable_sort(docs.begin(), docs.end(), [](const Candidate& x, const Candidate& y) {
        return x.hit.weight + x.popularity > y.hit.weight + y.popularity;
      });
    }
    result.hits.clear();
    for (size_t i = offset; i < docs.size() && result.hits.size() < limit; ++i) {
      result.hits.push_back(docs[i].hit);
    }
    if (exhausted && docs.size() < want) {
      result.total = static_cast<int64_t>(docs.size());  // every match seen
    } else {
      // Documents per matching page in what was read, times the pages matching.
      const double share = pages_seen == 0 ? 1.0
                                           : static_cast<double>(seen.size() - rejected) /
                                                 static_cast<double>(pages_seen);
      result.total = std::max<int64_t>(static_cast<int64_t>(docs.size()),
                                       static_cast<int64_t>(share * pages_estimate));
    }
    return result;
  });
}

Result<std::vector<int64_t>> Searcher::PagesWithHits(DocumentId id, const std::string& query,
                                                     int64_t limit) {
  std::vector<int64_t> pages;
  Built b = Build(segmenter_, query, true);
  if (b.positive.empty()) return pages;
  return WithReader(pages, [&](Xapian::Database& db) {
    Xapian::Query q(Xapian::Query::OP_FILTER, b.positive, Xapian::Query(schema::DocumentTerm(id)));
    if (!b.negative.empty()) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, b.negative);
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(std::clamp<int64_t>(limit, 1, 100000)));
    std::vector<int64_t> found;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      found.push_back(static_cast<int64_t>(
          Xapian::sortable_unserialise(it.get_document().get_value(schema::kSlotPage))));
    }
    std::sort(found.begin(), found.end());
    return found;
  });
}

Result<bool> Searcher::Contains(DocumentId id) {
  return WithReader(false,
                    [&](Xapian::Database& db) { return db.term_exists(schema::DocumentTerm(id)); });
}

Result<std::vector<DocumentId>> Searcher::DocumentIds() {
  return WithReader(std::vector<DocumentId>{}, [](Xapian::Database& db) {
    std::vector<DocumentId> ids;
    const std::string prefix = schema::kDocument;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      const std::string term = *it;
      char* end = nullptr;
      long long id = std::strtoll(term.c_str() + prefix.size(), &end, 10);
      if (end != nullptr && *end == '\0' && id > 0) ids.push_back(id);
    }
    return ids;
  });
}

}  // namespace wenku::search
