#include "web/comments.hpp"

#include "core/text.hpp"
#include "web/access.hpp"

namespace wenku::web {

Result<storage::Comment> PostComment(Context& ctx, DocumentId id, const std::string& raw) {
  if (!ctx.user) return MakeError(ErrorCode::kUnauthenticated, "log in to comment");
  auto doc = ctx.site.app().documents().Find(id);
  if (!doc.ok()) return doc.error();
  if (!MayView(&*ctx.user, *doc)) return MakeError(ErrorCode::kNotFound, "no such document");
  if (!IsValidUtf8(raw)) return MakeError(ErrorCode::kInvalidInput, "comment_empty");
  std::string text = NormalizeNfc(raw);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return MakeError(ErrorCode::kInvalidInput, "comment_empty");
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  if (CodePointCount(text) > kMaxCommentPoints) {
    return MakeError(ErrorCode::kInvalidInput, "comment_too_long");
  }
  auto& comments = ctx.site.app().comments();
  auto recent = comments.CountSince(ctx.user->id, ctx.site.NowMs() - 60 * 1000);
  if (!recent.ok()) return recent.error();
  if (*recent >= 5) return MakeError(ErrorCode::kRateLimited, "comment_rate_limited");
  return comments.Create(id, ctx.user->id, text);
}

}  // namespace wenku::web
