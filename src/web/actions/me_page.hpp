// The /me page's view, shared by ShowMe (me_show.cpp) and the API-token form
// (me_tokens.cpp), which shows the page again with the token just made — once — or with the
// refused name and its error next to the field.
#pragma once

#include <string>

#include "web/context.hpp"
#include "web/view.hpp"

namespace wenku::web {

// The API-token section's state after a form post ({} on a plain GET /me).
struct TokenForm {
  std::string name;        // the name typed (kept when refused)
  std::string name_error;  // catalog key, shown next to the name field
  std::string new_secret;  // the token just made: shown once, never again
  std::string new_name;
};

// /me with its every section; `status` 200 unless a form was refused.
Response RenderMe(Context& ctx, const TokenForm& tokens, int status = 200);
// Fills the API-token section of `v`: the list (name, made, last used — never a secret), the
// create form, the revoke buttons, and `tokens`' new token or error (me_tokens.cpp).
Status AddApiTokens(Context& ctx, View& v, const TokenForm& tokens);

}  // namespace wenku::web
