#include "web/context.hpp"

#include "web/auth.hpp"

namespace wenku::web {

const std::string& Context::CsrfToken() {
  if (csrf.empty()) RotateCsrf(*this);
  return csrf;
}

}  // namespace wenku::web
