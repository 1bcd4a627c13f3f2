#include "library/access.hpp"

#include <algorithm>

namespace wenku::library {
namespace {

bool IsOwner(Visitor visitor, const Document& doc) {
  return visitor && visitor->id == doc.owner_id;
}
bool IsModerator(Visitor visitor) { return visitor && visitor->IsModerator(); }

}  // namespace

Visitor Operator() {
  static const storage::User kOperator{0, "operator", "admin"};
  return &kOperator;
}

bool MayView(Visitor visitor, const Document& doc) {
  if (doc.owner_disabled && !IsModerator(visitor)) return false;
  switch (doc.state) {
    case DocState::kReady:
      return !IsHeld(doc) || IsOwner(visitor, doc) || IsModerator(visitor);
    case DocState::kTakenDown:
      return IsModerator(visitor);
    default:
      return IsOwner(visitor, doc) || IsModerator(visitor);
  }
}

Status CheckView(Visitor visitor, const Document& doc) {
  if (MayView(visitor, doc)) return {};
  if (doc.state == DocState::kTakenDown && !doc.owner_disabled) {
    return MakeError(ErrorCode::kRemoved,
                     doc.removal_reason.empty() ? "other" : doc.removal_reason);
  }
  return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(doc.id));
}

int64_t FreePreviewPages(const Document& doc, PreviewPages preview) {
  if (doc.state != DocState::kReady) return 0;
  return std::clamp<int64_t>(preview.n, 0, doc.page_count);
}

bool MaySeeAllPages(Visitor visitor, const Document& doc, Bought bought) {
  if (doc.state != DocState::kReady && !IsModerator(visitor)) return false;
  return IsOwner(visitor, doc) || IsModerator(visitor) ||
         (visitor != nullptr && (doc.price == 0 || bought == Bought::kYes));
}

int64_t VisiblePages(Visitor visitor, const Document& doc, Bought bought, PreviewPages preview) {
  if (doc.state != DocState::kReady || !MayView(visitor, doc)) return 0;
  if (MaySeeAllPages(visitor, doc, bought)) return doc.page_count;
  return FreePreviewPages(doc, preview);
}

bool MaySeePage(Visitor visitor, const Document& doc, Bought bought, PreviewPages preview,
                int64_t n) {
  return n >= 1 && n <= VisiblePages(visitor, doc, bought, preview);
}

Status MayDownload(Visitor visitor, const Document& doc, Bought bought) {
  WENKU_TRY(CheckView(visitor, doc));
  if (doc.state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(doc.id));
  }
  if (visitor == nullptr) return MakeError(ErrorCode::kUnauthenticated, "log in to download");
  if (!MaySeeAllPages(visitor, doc, bought)) {
    return MakeError(ErrorCode::kInsufficientPoints,
                     "this document costs " + std::to_string(doc.price) + " points: buy it first");
  }
  return {};
}

bool AlreadyEntitled(Visitor visitor, const Document& doc, Bought bought) {
  return visitor != nullptr && !IsOwner(visitor, doc) && doc.price > 0 &&
         MaySeeAllPages(visitor, doc, bought);
}

bool MayManage(Visitor visitor, const Document& doc) {
  return IsOwner(visitor, doc) || IsModerator(visitor);
}

bool MaySeeFileDetails(Visitor visitor, const Document& doc) { return MayManage(visitor, doc); }

Status MayComment(Visitor visitor, const Document& doc) {
  if (visitor == nullptr) return MakeError(ErrorCode::kUnauthenticated, "log in to comment");
  WENKU_TRY(CheckView(visitor, doc));
  if (doc.state != DocState::kReady) {
    return MakeError(ErrorCode::kNotFound, "document " + std::to_string(doc.id) + " is not out");
  }
  return {};
}

bool MayDeleteComment(Visitor visitor, const Document& doc, const storage::Comment& comment) {
  return MayManage(visitor, doc) || (visitor && visitor->id == comment.user_id);
}

bool MayListUnready(Visitor visitor, UserId uploader) {
  return (visitor && visitor->id == uploader) || IsModerator(visitor);
}

bool MaySeeDisabledUploads(Visitor visitor) { return IsModerator(visitor); }

bool Searchable(const Document& doc) {
  return doc.state == DocState::kReady && !doc.owner_disabled;
}

}  // namespace wenku::library
