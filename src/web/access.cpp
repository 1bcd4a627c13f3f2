#include "web/access.hpp"

namespace wenku::web {
namespace {

bool IsOwner(MaybeUser user, const Document& doc) { return user && user->id == doc.owner_id; }
bool IsModerator(MaybeUser user) { return user && user->IsModerator(); }

}  // namespace

bool MayView(MaybeUser user, const Document& doc) {
  switch (doc.state) {
    case DocState::kReady:
      return true;
    case DocState::kTakenDown:
      return IsModerator(user);
    default:
      return IsOwner(user, doc) || IsModerator(user);
  }
}

bool MaySeeAllPages(MaybeUser user, const Document& doc) {
  if (doc.state != DocState::kReady && !IsModerator(user)) return false;
  return IsOwner(user, doc) || IsModerator(user) || (user != nullptr && doc.price == 0);
}

int64_t VisiblePages(MaybeUser user, const Document& doc) {
  if (doc.state != DocState::kReady || !MayView(user, doc)) return 0;
  if (MaySeeAllPages(user, doc)) return doc.page_count;
  return std::min(doc.preview_pages, doc.page_count);
}

Status MayDownload(MaybeUser user, const Document& doc) {
  if (!MayView(user, doc) || doc.state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(doc.id));
  }
  if (user == nullptr) return MakeError(ErrorCode::kUnauthenticated, "log in to download");
  if (doc.price > 0 && !IsOwner(user, doc) && !IsModerator(user)) {
    return MakeError(ErrorCode::kInsufficientPoints,
                     "this document costs " + std::to_string(doc.price) +
                         " points; until points arrive only free documents can be downloaded");
  }
  return {};
}

bool MayManage(MaybeUser user, const Document& doc) {
  return IsOwner(user, doc) || IsModerator(user);
}

bool MayDeleteComment(MaybeUser user, const Document& doc, const storage::Comment& comment) {
  return MayManage(user, doc) || (user && user->id == comment.user_id);
}

}  // namespace wenku::web
