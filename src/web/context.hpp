// Context: one request as the actions see it — the request, who is asking (the logged-in
// user, if any, and how they proved it), the language, the CSRF token their forms must
// send back, and cookies to set. Built by the dispatcher (dispatch.cpp) before an action
// runs; actions never read cookies or auth headers themselves.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "library/access.hpp"
#include "storage/user_store.hpp"
#include "web/http.hpp"
#include "web/messages.hpp"
#include "web/multipart.hpp"
#include "web/site.hpp"

namespace wenku::web {

struct Context;

// An action's answer that waits for work done elsewhere (AnswerLater, view.hpp).
struct Deferred {
  // As Later::OnReady: calls `wake` once, from any thread, when `finish` can answer at once.
  std::function<void(std::function<void()>)> on_ready;
  // The answer, on a handler thread, with the same Context; `gave_up`: the server stopped
  // waiting first (its request timeout).
  std::function<Response(Context&, bool gave_up)> finish;
};

struct Context {
  Site& site;
  Request& req;
  Lang lang = Lang::kZh;
  std::optional<storage::User> user;
  std::string session_hash;  // SHA-256 of the session token, when logged in
  bool bearer = false;       // authenticated by an Authorization header (API clients)
  int64_t api_token_id = 0;  // the API token (accounts/api_tokens.hpp) that did, if any
  std::string csrf;          // the wenku_csrf cookie's secret ("" until a page needs one)
  bool csrf_shown = false;   // the answer carries a CSRF token (never cached)
  Fields cookies_to_set;     // full Set-Cookie values
  Fields form;               // a url-encoded form body, parsed
  std::optional<MultipartForm> multipart;
  DocumentId viewed_document = 0;    // set when a document page counted a view
  std::optional<Deferred> deferred;  // set by AnswerLater

  bool LoggedIn() const { return user.has_value(); }
  bool IsModerator() const { return user && user->IsModerator(); }
  UserId UserIdOr0() const { return user ? user->id : 0; }
  // Who is asking, as the access policy (library/access.hpp) takes it.
  library::Visitor visitor() const { return user ? &*user : nullptr; }
  // Whether the visitor bought `doc` (an entitlement row), as the access policy takes it;
  // kNo when anonymous or when the lookup fails (fail closed). One query.
  library::Bought BoughtOf(const Document& doc) const;
  std::string Field(std::string_view name) const { return FindField(form, name); }
  // A token this visitor's forms must carry, bound to the session and masked afresh on
  // every call (MaskedCsrfToken, auth.hpp); the secret (and its cookie) is made on first
  // use, so that pages without forms set no cookie and can be cached.
  std::string CsrfToken();
};

}  // namespace wenku::web
