// CommentStore: comments under documents, newest first. Text validation (1–150 code points
// after NFC) is the caller's; this stores what it is given. A comment held for review
// (held_at set; moderation/sensitive_words.hpp) is listed only to its author and to
// moderators (CommentReader) until moderation releases or deletes it.
// Threading: safe for concurrent use; each method is one statement.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct Comment {
  int64_t id = 0;
  DocumentId document_id = 0;
  UserId user_id = 0;
  std::string user_name;
  std::string text;
  int64_t created_at = 0;
  bool held = false;  // waiting for a moderator's review
};

// Who lists comments: held comments are shown to their author and to moderators only.
struct CommentReader {
  UserId user = 0;         // 0: an anonymous visitor
  bool moderator = false;  // sees every held comment
};

class CommentStore {
 public:
  CommentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Errors: kNotFound (no such document), kIo.
  Result<Comment> Create(DocumentId document, UserId user, const std::string& text);
  // The same, refused with kRateLimited when `user` already wrote `max_recent` comments
  // since `since_ms`; the count and the insert are one statement, so concurrent posts
  // cannot both slip under the limit. `held`: held for review from the start; `also`, when
  // given, runs in the same transaction with the new comment's id (the review case).
  Result<Comment> CreateLimited(DocumentId document, UserId user, const std::string& text,
                                int64_t max_recent, int64_t since_ms, bool held = false,
                                const std::function<Status(Sql&, int64_t)>& also = {});
  // Newest first; held comments only for `reader` as CommentReader says.
  Result<std::vector<Comment>> List(DocumentId document, int64_t limit, int64_t offset,
                                    const CommentReader& reader = {});
  Result<int64_t> Count(DocumentId document, const CommentReader& reader = {});
  // A review hold released. False when the comment was not held (or is gone).
  Result<bool> Release(Sql& tx, int64_t id);
  Status Delete(Sql& tx, int64_t id);
  // Errors: kNotFound.
  Result<Comment> Find(int64_t id);
  Result<Comment> Find(Sql& tx, int64_t id);
  Status Delete(int64_t id);
  // Comments `user` wrote since `since_ms` (for rate limiting).
  Result<int64_t> CountSince(UserId user, int64_t since_ms);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
