// Access: who may see and do what with a document — the one answer, as pure functions of
// (visitor, document). Every route, the search code (through a VisiblePages function) and
// the CLI ask here; nothing else decides it, and a second copy of one of these rules is a
// bug. The free-preview limit lives here: pages past the preview (images, text, the
// original) are for those entitled to the whole document only.
//
//   see the document page     ready: everyone; queued/processing/failed: its owner and
//                             moderators; taken down: moderators (others: 451 and why);
//                             held for review (Document::held_at): its owner and
//                             moderators, whatever its state (others: not found)
//                             its owner's account disabled: moderators only (others — the
//                             owner too, who cannot log in anyway — 404, see CheckView)
//   listed publicly           ready, not held, its owner enabled (IsListed): search, listings, the
//   home
//                             page, the sitemap — the storage queries say the same in SQL
//                             (DocumentStore's Browse, CountReady, CategoryCounts)
//   the free preview          pages 1..min(preview.pages, page_count) of a ready document —
//                             the setting now (PreviewPages, read by the caller from the
//                             live settings), not the count drawn at ingest
//   see every page            its owner, moderators, its buyers (Bought::kYes), and logged-in
//                             users when the document is free (they may download it anyway)
//   see page k                1 <= k <= VisiblePages
//   download the original     logged in, and free (price 0) or its owner, a moderator or a
//                             buyer; anyone else is asked to buy it (kInsufficientPoints)
//   buy it                    a priced ready document, not one's own; a buyer or a
//                             moderator already has it (AlreadyEntitled)
//   comment on it             logged in, and a ready document the visitor may see (not
//                             one queued, failed or taken down: moderators neither)
//   delete it, its comments   its owner or a moderator (a comment also by its author)
//   its file details          its owner and moderators (MaySeeFileDetails): the original
//                             file name and the sha256 of its bytes, which could tell
//                             others who made it or whether they hold the same file
//   an uploader's unready     (queued, processing, failed) listed on their page: the
//     documents               uploader and moderators, as MayView
//   a disabled account's      in listings: moderators (MaySeeDisabledUploads); in search:
//     documents               nobody (Searchable: they leave the index until re-enabled)
//
// "Moderator" means the roles moderator and admin (storage::User::IsModerator).
// Threading: pure functions; safe everywhere.
#pragma once

#include <cstdint>

#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/comment_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::library {

// Who is asking: a logged-in user, or nullptr for an anonymous visitor.
using Visitor = const storage::User*;

// Whether the visitor bought this document (storage::EntitlementStore::Has, looked up by the
// caller, so these functions stay pure). Callers that do not know pass kNo: the policy then
// answers as for a visitor who did not buy it.
enum class Bought : bool { kNo, kYes };

// The free-preview length in force now: the runtime setting preview.pages, read by the
// caller (Settings::GetInt) so these functions stay pure.
struct PreviewPages {
  int64_t n = 0;
};

// The operator at the command line (`wenku show`, `wenku search`): as an admin.
Visitor Operator();

bool MayView(Visitor visitor, const Document& doc);
// Which comments `visitor` is shown: held ones to their author and to moderators only.
inline storage::CommentReader CommentReaderOf(Visitor visitor) {
  return {visitor ? visitor->id : 0, visitor != nullptr && visitor->IsModerator()};
}
// Held for a moderator's review (sensitive words).
inline bool IsHeld(const Document& doc) { return doc.held_at != 0; }
// Ready, not held and its owner's account enabled: what search and listings may show anyone.
inline bool IsListed(const Document& doc) {
  return doc.state == DocState::kReady && !IsHeld(doc) && !doc.owner_disabled;
}
// MayView as an answer to give: kNotFound when its owner's account is disabled (404, not
// 410: disabling is undone by enabling, and a stranger is not told that an account was
// disabled — the document is simply not there), kRemoved (message: the removal reason) for a
// taken-down document and anyone but a moderator — every route answers 451 for it — else
// kNotFound when the visitor may not see it.
Status CheckView(Visitor visitor, const Document& doc);
// How many pages form the free preview, shown to every visitor of a ready document.
int64_t FreePreviewPages(const Document& doc, PreviewPages preview);
bool MaySeeAllPages(Visitor visitor, const Document& doc, Bought bought);
// The highest page number `visitor` may see (0 while the document is not ready).
int64_t VisiblePages(Visitor visitor, const Document& doc, Bought bought, PreviewPages preview);
// Page `n` (1-based) of a ready document, its image and its text.
bool MaySeePage(Visitor visitor, const Document& doc, Bought bought, PreviewPages preview,
                int64_t n);
// Errors: kUnauthenticated, kInsufficientPoints (a priced document the visitor must buy
// first), kRemoved (taken down), kNotFound (not ready, or not one the visitor may see).
Status MayDownload(Visitor visitor, const Document& doc, Bought bought);
// Whether buying priced `doc` would give `visitor` nothing new: they bought it already, or
// have it by their role (a moderator). False for its owner and for a free document, which a
// purchase refuses (points::Points::Purchase: kForbidden, kInvalidInput).
bool AlreadyEntitled(Visitor visitor, const Document& doc, Bought bought);
bool MayManage(Visitor visitor, const Document& doc);
// Errors: kUnauthenticated (anonymous), else as CheckView, and kNotFound for a document that
// is not ready.
Status MayComment(Visitor visitor, const Document& doc);
// The original file name and the sha256 (the API's JSON, `wenku show`): its owner and
// moderators.
bool MaySeeFileDetails(Visitor visitor, const Document& doc);
bool MayDeleteComment(Visitor visitor, const Document& doc, const storage::Comment& comment);
bool MayListUnready(Visitor visitor, UserId uploader);
bool MaySeeDisabledUploads(Visitor visitor);
// Whether `doc` belongs in the search index, the sitemap and the listings: ready, and its
// owner's account enabled.
bool Searchable(const Document& doc);

}  // namespace wenku::library
