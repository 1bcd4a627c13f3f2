// Access: who may see and do what with a document. Every route asks here; nothing else
// decides it. The free-preview limit lives here: pages past `preview_pages` (images, text,
// the original) are for those entitled to the whole document only.
//
//   see the document page     ready: everyone; queued/processing/failed: its owner and
//                             moderators; taken down: moderators
//   see every page            its owner, moderators, and — until points arrive — logged-in
//                             users when the document is free (they may download it anyway)
//   download the original     logged in, and free (price 0) or its owner or a moderator
//   delete it, its comments   its owner or a moderator (a comment also by its author)
#pragma once

#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/comment_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::web {

using MaybeUser = const storage::User*;

bool MayView(MaybeUser user, const Document& doc);
bool MaySeeAllPages(MaybeUser user, const Document& doc);
// The highest page number `user` may see (0 while the document is not ready).
int64_t VisiblePages(MaybeUser user, const Document& doc);
// Errors: kUnauthenticated, kInsufficientPoints (a priced document), kNotFound (not ready).
Status MayDownload(MaybeUser user, const Document& doc);
bool MayManage(MaybeUser user, const Document& doc);
bool MayDeleteComment(MaybeUser user, const Document& doc, const storage::Comment& comment);

}  // namespace wenku::web
