#include "library/delete.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace wenku::library {

Status Delete(const DeleteDeps& deps, Visitor visitor, DocumentId id,
              const std::function<Status(storage::Sql&)>& also) {
  if (visitor == nullptr) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  auto doc = deps.documents.Find(id);
  if (!doc.ok()) return doc.error();
  if (!MayView(visitor, *doc)) return MakeError(ErrorCode::kNotFound, "no such document");
  if (!MayManage(visitor, *doc)) {
    return MakeError(ErrorCode::kForbidden, "only its owner or a moderator may delete it");
  }
  auto deleted = deps.documents.Delete(id, also);  // 1. rows
  if (!deleted.ok()) return deleted.error();
  if (Status s = deps.index.Remove(id); !s.ok()) {  // 2. index entry
    spdlog::warn("library: document {} stays in the search index until `wenku reindex`: {}", id,
                 s.error().message);
  }
  if (Status s = deps.derived.RemoveAll(id); !s.ok()) {  // 3. derived files
    spdlog::warn("library: derived files of document {} stay until `wenku check`: {}", id,
                 s.error().message);
  }
  if (!deleted->unreferenced_blob.empty()) {  // 4. the original bytes
    if (Status s = deps.blobs.Remove(deleted->unreferenced_blob); !s.ok()) {
      spdlog::warn("library: blob {} of document {} stays until `wenku check --repair`: {}",
                   deleted->unreferenced_blob, id, s.error().message);
    }
  }
  spdlog::info("library: document {} deleted by {}", id, visitor->name);
  return {};
}

}  // namespace wenku::library
