// wenku check [--repair] — rows ↔ blobs consistency: every document's blob is recorded and
// on disk, every blob on disk and every blob row belongs to a document or is a case's proof
// (proofs have no blob rows; --repair never removes them), ready documents have
// their pages, waiting documents have exactly one open job, derived folders belong to
// documents (in the derived store: data folder or S3), the search index holds exactly the ready
// documents, the drawing renderer is installed, and the converter sandbox works (or is
// deliberately off, which is reported).
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>

#include "app/commands.hpp"

namespace wenku::app {
namespace fs = std::filesystem;

int RunCheck(App& app, bool repair) {
  auto referenced = app.documents().ReferencedBlobs();
  auto recorded = app.documents().RecordedBlobs();
  auto row_problems = app.documents().RowProblems();
  auto proofs = app.cases().ProofBlobs();  // report and claim proofs: kept, not orphans
  for (const auto* r : {&referenced, &recorded, &row_problems, &proofs}) {
    if (!r->ok()) {
      std::fprintf(stderr, "wenku check: %s\n", r->error().message.c_str());
      return 2;
    }
  }
  std::set<std::string> refs(referenced->begin(), referenced->end());
  std::set<std::string> rows(recorded->begin(), recorded->end());
  auto on_disk_list = app.blobs().List();
  std::set<std::string> disk(on_disk_list.begin(), on_disk_list.end());
  std::vector<std::string> problems = *row_problems;
  int repaired = 0;
  auto old_enough = [&](const std::string& sha) {  // not an upload still being recorded
    auto info = app.blobs().Stat(sha);
    return info.ok() && info->modified_unix > 0 && std::time(nullptr) - info->modified_unix > 60;
  };

  for (const auto& sha : refs) {
    if (!rows.count(sha))
      problems.push_back("blob " + sha + " is used by a document but has no blob row");
    if (!disk.count(sha))
      problems.push_back("blob " + sha + " is used by a document but missing on disk");
  }
  for (const auto& sha : *proofs) {
    if (!disk.count(sha)) problems.push_back("proof blob " + sha + " of a case is missing");
  }
  const std::set<std::string> proof_set(proofs->begin(), proofs->end());
  for (const auto& sha : rows) {
    if (!refs.count(sha)) {
      problems.push_back("blob row " + sha + " belongs to no document");
    }
  }
  for (const auto& sha : disk) {
    if (!refs.count(sha) && !proof_set.count(sha)) {
      if (repair && old_enough(sha) && app.blobs().Remove(sha).ok()) {
        ++repaired;
        std::printf("removed orphan blob %s\n", sha.c_str());
      } else {
        problems.push_back("blob " + sha + " on disk belongs to no document");
      }
    }
  }
  if (repair) {
    auto removed = app.documents().RemoveUnreferencedBlobRows();
    if (removed.ok()) {
      repaired += static_cast<int>(removed->size());
      std::erase_if(problems, [](const std::string& p) { return p.starts_with("blob row "); });
    }
  }
  if (auto derived = app.derived().List(); !derived.ok()) {
    problems.push_back("derived files: " + derived.error().message);
  } else {
    for (int64_t id : *derived) {
      if (id <= 0) {
        problems.push_back("the derived files hold a folder that is not a document id");
      } else if (!app.documents().Find(id).ok()) {
        if (repair && app.derived().RemoveAll(id).ok()) {
          ++repaired;
          std::printf("removed the derived files of document %lld\n", static_cast<long long>(id));
        } else {
          problems.push_back("derived files of document " + std::to_string(id) +
                             " belong to no document");
        }
      }
    }
  }
  // The search index against the database: every ready document in it, nothing else.
  if (auto searcher = app.search().searcher(); !searcher.ok()) {
    problems.push_back("search index: " + searcher.error().message);
  } else {
    std::set<DocumentId> ready;
    for (DocumentId after = 0;;) {
      auto ids = app.documents().ReadyIdsAfter(after, 1000);
      if (!ids.ok() || ids->empty()) break;
      ready.insert(ids->begin(), ids->end());
      after = ids->back();
    }
    auto indexed_list = (*searcher)->DocumentIds();
    if (!indexed_list.ok()) {
      problems.push_back("search index: " + indexed_list.error().message);
    } else {
      std::set<DocumentId> indexed(indexed_list->begin(), indexed_list->end());
      for (DocumentId id : ready) {
        if (!indexed.count(id)) {
          problems.push_back("document " + std::to_string(id) +
                             " is missing from the search index (run wenku reindex)");
        }
      }
      for (DocumentId id : indexed) {
        if (!ready.count(id)) {
          problems.push_back("the search index holds document " + std::to_string(id) +
                             ", which is not ready (run wenku reindex)");
        }
      }
    }
  }
  if (Status cad = app.cad().Installed(); !cad.ok()) {
    problems.push_back("drawing renderer: " + cad.error().message);
  }
  // Converters run only in a working sandbox: say why they cannot.
  if (Status sandbox = app.sandbox().Ready(); !sandbox.ok()) {
    problems.push_back("converter sandbox: " + sandbox.error().message +
                       " (documents wait in the queue until it works)");
  } else if (!app.sandbox().enabled()) {
    std::printf("warning: the converter sandbox is off (sandbox.mode = \"off\")\n");
  }
  for (const auto& p : problems) std::printf("problem: %s\n", p.c_str());
  std::printf("checked %zu blobs on disk, %zu blob rows, %zu referenced: %zu problem(s)%s\n",
              disk.size(), rows.size(), refs.size(), problems.size(),
              repair ? (", " + std::to_string(repaired) + " repaired").c_str() : "");
  return problems.empty() ? 0 : 1;
}

}  // namespace wenku::app
