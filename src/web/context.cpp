#include "web/context.hpp"

#include "web/auth.hpp"

namespace wenku::web {

std::string Context::CsrfToken() {
  if (csrf.empty()) RotateCsrf(*this);
  csrf_shown = true;
  return MaskedCsrfToken(csrf, session_hash);
}

library::Bought Context::BoughtOf(const Document& doc) const {
  if (!user) return library::Bought::kNo;
  auto has = site.entitlements().Has(user->id, doc.id);
  return has.ok() && *has ? library::Bought::kYes : library::Bought::kNo;
}

}  // namespace wenku::web
