// Helpers the JSON API actions share: reading a JSON object body, and error answers whose
// messages are catalog keys translated for the caller.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "web/auth.hpp"
#include "web/context.hpp"
#include "web/view.hpp"

namespace wenku::web {

// The body as a JSON object, or nullopt (then `error` holds the 400 answer).
inline std::optional<nlohmann::json> JsonObjectBody(const Context& ctx, Response* error) {
  auto j = nlohmann::json::parse(ctx.req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = ApiError(400, "invalid_input", "the body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

// A string member ("" when absent or not a string).
inline std::string JsonString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An error whose message is a catalog key, as API JSON in the caller's language.
inline Response ApiKeyedError(Context& ctx, const Error& e) {
  if (Find(ctx.lang, e.message)) {
    return ApiError(HttpStatus(e.code), ErrorCodeName(e.code), T(ctx.lang, e.message));
  }
  return Fail(ctx, e);
}

// The 429 of a log-in attempt the throttle refused (web/auth.hpp): the error "rate_limited"
// whose message says how long to wait, "retry_after" in seconds, and Retry-After.
inline Response ApiLoginWait(Context& ctx, int64_t wait_ms) {
  const int64_t seconds = RetryAfterSeconds(wait_ms);
  nlohmann::json j = {{"error",
                       {{"code", "rate_limited"},
                        {"message", LoginWaitMessage(ctx.lang, wait_ms)},
                        {"retry_after", seconds}}}};
  Response r = Json(429, j.dump());
  r.Set("Retry-After", std::to_string(seconds));
  return r;
}

}  // namespace wenku::web
