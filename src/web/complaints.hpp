// Reports and claims (举报, 认领) as the forms and the API share them: one budget per visitor
// (Site::complaints: 10 an hour per account, or per IP address when anonymous). The rules of
// a report or a claim are moderation::Moderation's.
#pragma once

#include "web/context.hpp"

namespace wenku::web {

// Spends one of the visitor's complaints; false when their budget is spent (answer 429).
bool AllowComplaint(Context& ctx);

}  // namespace wenku::web
