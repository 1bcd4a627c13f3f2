#include <spdlog/spdlog.h>
#include <xapian.h>

#include <chrono>
#include <cmath>
#include <string_view>
#include <thread>

#include "search/index.hpp"
#include "search/index_schema.hpp"

namespace wenku::search {
namespace {

void AddText(Xapian::Document& xd, const Segmenter& seg, const std::string& text,
             const std::string& prefix, uint32_t* position) {
  uint32_t next = *position;
  for (const auto& t : seg.Tokenize(text, Segmenter::Options{true, true}, *position, &next)) {
    xd.add_posting(prefix + t.term, t.position + 1);  // Xapian positions start at 1
  }
  *position = next + 1;  // a gap: a phrase never spans two texts
}

// A mild additive weight for popular documents: 0 for an unread one, ~1 for thousands of
// reads (a good title match weighs 10+).
double Popularity(int64_t views, int64_t downloads) {
  return 0.15 * std::log10(1.0 + static_cast<double>(views) + 5.0 * static_cast<double>(downloads));
}

}  // namespace

// Waits up to 30 s for another writer (a local lock, or a remote server already serving
// a writer), backing off from 50 ms to 1 s; a remote server that cannot be reached is
// tried for ~3 s (it may be restarting), then the call fails: the caller's job runs again.
Result<std::unique_ptr<Xapian::WritableDatabase>> IndexWriter::Open() {
  const auto started = std::chrono::steady_clock::now();
  const auto locked_deadline = started + std::chrono::seconds(30);
  const auto unreachable_deadline = started + std::chrono::seconds(3);
  auto pause = std::chrono::milliseconds(50);
  auto wait = [&] {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  };
  for (;;) {
    try {
      if (location_.is_remote()) {
        // Timeouts: 30 s for a reply (a long commit), 3 s to connect.
        return std::make_unique<Xapian::WritableDatabase>(
            Xapian::Remote::open_writable(location_.host, location_.port, 30000, 3000));
      }
      return std::make_unique<Xapian::WritableDatabase>(location_.dir.string(),
                                                        Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::DatabaseLockError& e) {
      if (std::chrono::steady_clock::now() > locked_deadline) {
        return MakeError(ErrorCode::kIo, "the " + location_.Describe() +
                                             " is locked by another writer: " + e.get_msg());
      }
      wait();
    } catch (const Xapian::NetworkError& e) {
      if (std::chrono::steady_clock::now() > unreachable_deadline) {
        return MakeError(ErrorCode::kIo, location_.Describe() + " unreachable: " + e.get_msg());
      }
      wait();
    } catch (const Xapian::Error& e) {
      return MakeError(ErrorCode::kIo,
                       "cannot open the " + location_.Describe() + ": " + e.get_description());
    }
  }
}

// A failed write: "unreachable" when the connection broke, else what Xapian said.
Error IndexWriter::WriteError(const std::string& what, const Xapian::Error& e) const {
  // NetworkError and its NetworkTimeoutError (Xapian::Error is not polymorphic).
  if (location_.is_remote() && std::string_view(e.get_type()).starts_with("Network")) {
    return MakeError(ErrorCode::kIo, location_.Describe() + " unreachable: " + e.get_msg());
  }
  return MakeError(ErrorCode::kIo, what + ": " + e.get_description());
}

std::vector<std::pair<std::string, Xapian::Document>> IndexWriter::PageDocuments(
    const IndexedDocument& doc) const {
  namespace s = schema;
  const std::string doc_term = s::DocumentTerm(doc.id);
  std::vector<std::pair<std::string, Xapian::Document>> out;
  // The text every page carries: title (S) and the short metadata (E).
  std::vector<Token> title = segmenter_.Tokenize(doc.title, Segmenter::Options{true, true});
  std::string short_meta = doc.uploader;
  const auto page_count = static_cast<int64_t>(doc.pages.size());
  for (int64_t n = 1; n <= std::max<int64_t>(page_count, 1); ++n) {
    Xapian::Document xd;
    xd.add_boolean_term(s::PageTerm(doc.id, n));
    xd.add_boolean_term(doc_term);
    if (!doc.format.empty()) xd.add_boolean_term(s::kFormat + doc.format);
    if (!doc.category.empty()) xd.add_boolean_term(s::kCategory + doc.category);
    xd.add_boolean_term(doc.price > 0 ? s::kPaid : s::kFree);
    xd.add_value(s::kSlotDocument, std::to_string(doc.id));
    xd.add_value(s::kSlotPage, Xapian::sortable_serialise(static_cast<double>(n)));
    xd.add_value(s::kSlotPageCount, Xapian::sortable_serialise(static_cast<double>(page_count)));
    xd.add_value(s::kSlotCreated, Xapian::sortable_serialise(static_cast<double>(doc.created_at)));
    xd.add_value(s::kSlotDownloads, Xapian::sortable_serialise(static_cast<double>(doc.downloads)));
    xd.add_value(s::kSlotPopularity,
                 Xapian::sortable_serialise(Popularity(doc.views, doc.downloads)));
    for (const auto& t : title) xd.add_posting(s::kTitle + t.term, t.position + 1);
    uint32_t meta_position = 0;
    AddText(xd, segmenter_, short_meta, s::kMeta, &meta_position);
    if (n == 1) AddText(xd, segmenter_, doc.description, s::kMeta, &meta_position);
    if (n <= page_count) {
      uint32_t position = 0;
      AddText(xd, segmenter_, doc.pages[static_cast<size_t>(n - 1)], "", &position);
    }
    xd.set_data(std::to_string(doc.id) + " " + std::to_string(n));
    out.emplace_back(s::PageTerm(doc.id, n), std::move(xd));
  }
  return out;
}

void IndexWriter::WritePages(Xapian::WritableDatabase& db, DocumentId id,
                             const std::vector<std::pair<std::string, Xapian::Document>>& pages) {
  db.delete_document(schema::DocumentTerm(id));
  for (const auto& [term, xd] : pages) db.replace_document(term, xd);
}

Status IndexWriter::Replace(const IndexedDocument& doc) {
  std::vector<std::pair<std::string, Xapian::Document>> pages;
  try {
    pages = PageDocuments(doc);
  } catch (const Xapian::Error& e) {
    return WriteError("cannot index the document", e);
  }
  std::lock_guard lock(mu_);
  auto db = Open();
  if (!db.ok()) return db.error();
  try {
    // One transaction: a failure half way cancels it (Xapian would otherwise commit the
    // half-written document when the database is closed).
    (*db)->begin_transaction();
    try {
      WritePages(**db, doc.id, pages);
    } catch (const Xapian::Error&) {
      (*db)->cancel_transaction();
      throw;
    }
    (*db)->commit_transaction();
  } catch (const Xapian::Error& e) {
    return WriteError("cannot write the search index", e);
  }
  return {};
}

Status IndexWriter::Remove(DocumentId id) {
  std::lock_guard lock(mu_);
  auto db = Open();
  if (!db.ok()) return db.error();
  try {
    (*db)->delete_document(schema::DocumentTerm(id));
    (*db)->commit();
  } catch (const Xapian::Error& e) {
    return WriteError("cannot write the search index", e);
  }
  return {};
}

Status IndexWriter::UpdateCounters(const std::vector<CounterUpdate>& updates) {
  std::lock_guard lock(mu_);
  auto db = Open();
  if (!db.ok()) return db.error();
  try {
    (*db)->begin_transaction();
    for (const auto& u : updates) {
      const std::string term = schema::DocumentTerm(u.id);
      std::vector<Xapian::docid> pages;
      for (auto it = (*db)->postlist_begin(term); it != (*db)->postlist_end(term); ++it) {
        pages.push_back(*it);
      }
      for (Xapian::docid page : pages) {
        Xapian::Document xd = (*db)->get_document(page);
        xd.add_value(schema::kSlotDownloads,
                     Xapian::sortable_serialise(static_cast<double>(u.downloads)));
        xd.add_value(schema::kSlotPopularity,
                     Xapian::sortable_serialise(Popularity(u.views, u.downloads)));
        (*db)->replace_document(page, xd);
      }
    }
    (*db)->commit_transaction();
  } catch (const Xapian::Error& e) {
    return WriteError("cannot write the search index", e);
  }
  return {};
}

Result<std::unique_ptr<IndexWriter::Batch>> IndexWriter::Begin() {
  std::unique_lock lock(mu_);
  auto db = Open();
  if (!db.ok()) return db.error();
  try {
    (*db)->begin_transaction();
  } catch (const Xapian::Error& e) {
    return WriteError("cannot write the search index", e);
  }
  std::unique_ptr<Batch> batch(new Batch(*this, std::move(db).value()));
  batch->lock_ = std::move(lock);
  return batch;
}

// A batch is one open transaction (begun by Begin): Commit ends it and starts the next;
// destroying the batch cancels the open one (closing a database would commit it).
IndexWriter::Batch::Batch(IndexWriter& w, std::unique_ptr<Xapian::WritableDatabase> db)
    : writer_(w), db_(std::move(db)) {}

IndexWriter::Batch::~Batch() {
  try {
    db_->cancel_transaction();
    db_.reset();
  } catch (...) {
  }
}

Status IndexWriter::Batch::Replace(const IndexedDocument& doc) {
  try {
    WritePages(*db_, doc.id, writer_.PageDocuments(doc));
    return {};
  } catch (const Xapian::Error& e) {
    return writer_.WriteError("cannot write the search index", e);
  }
}

Status IndexWriter::Batch::Remove(DocumentId id) {
  try {
    db_->delete_document(schema::DocumentTerm(id));
  } catch (const Xapian::Error& e) {
    return writer_.WriteError("cannot write the search index", e);
  }
  return {};
}

Status IndexWriter::Batch::Commit() {
  try {
    for (const auto& [key, value] : metadata_) db_->set_metadata(key, value);
    metadata_.clear();
    db_->commit_transaction();
    db_->begin_transaction();
  } catch (const Xapian::Error& e) {
    return writer_.WriteError("cannot commit the search index", e);
  }
  return {};
}

// Kept until Commit, which writes it inside the same try (a remote call may fail).
void IndexWriter::Batch::SetMetadata(const std::string& key, const std::string& value) {
  metadata_.emplace_back(key, value);
}

// "" when the index cannot be read (a resume cursor then starts from the beginning).
std::string IndexWriter::Batch::GetMetadata(const std::string& key) {
  try {
    return db_->get_metadata(key);
  } catch (const Xapian::Error&) {
    return "";
  }
}

}  // namespace wenku::search
