#include "web/comments.hpp"

#include "core/text.hpp"
#include "library/access.hpp"

namespace wenku::web {

Result<storage::Comment> PostComment(Context& ctx, DocumentId id, const std::string& raw) {
  if (!ctx.user) return MakeError(ErrorCode::kUnauthenticated, "log in to comment");
  auto doc = ctx.site.documents().Find(id);
  if (!doc.ok()) return doc.error();
  WENKU_TRY(library::MayComment(&*ctx.user, *doc));
  if (!IsValidUtf8(raw)) return MakeError(ErrorCode::kInvalidInput, "comment_empty");
  std::string text = NormalizeNfc(raw);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return MakeError(ErrorCode::kInvalidInput, "comment_empty");
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  if (CodePointCount(text) > kMaxCommentPoints) {
    return MakeError(ErrorCode::kInvalidInput, "comment_too_long");
  }
  // Sensitive words hold the comment for review (moderation.hpp), in the same transaction.
  auto words = ctx.site.moderation().Screen({text});
  if (!words.ok()) return words.error();
  const UserId author = ctx.user->id;
  auto created = ctx.site.comments().CreateLimited(
      id, author, text, 5, ctx.site.NowMs() - 60 * 1000, !words->empty(),
      [&](storage::Sql& tx, int64_t comment) -> Status {
        if (words->empty()) return {};
        auto held = ctx.site.moderation().HoldComment(tx, id, comment, author, *words);
        return held.ok() ? Status{} : Status(held.error());
      });
  if (!created.ok() && created.error().code == ErrorCode::kRateLimited) {
    return MakeError(ErrorCode::kRateLimited, "comment_rate_limited");
  }
  return created;
}

}  // namespace wenku::web
