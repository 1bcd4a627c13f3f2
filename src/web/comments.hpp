// Posting a comment, for the page form and the API alike: login required; the text is
// normalised to NFC and must have 1–150 code points (a Chinese character counts 1);
// at most 5 comments per user a minute (counted in the database, so every server process
// sees the same count). The text is stored as written and escaped when shown.
#pragma once

#include "core/document.hpp"
#include "storage/comment_store.hpp"
#include "web/context.hpp"

namespace wenku::web {

inline constexpr size_t kMaxCommentPoints = 150;

// Errors (messages are catalog keys): kUnauthenticated, kNotFound (no document the user may
// see), kInvalidInput (comment_empty / comment_too_long), kRateLimited
// (comment_rate_limited), kIo.
Result<storage::Comment> PostComment(Context& ctx, DocumentId id, const std::string& text);

}  // namespace wenku::web
