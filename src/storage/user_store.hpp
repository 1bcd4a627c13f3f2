// UserStore: the accounts table. For now the minimal part the importer needs (the owner of
// an import); log-in and passwords arrive with the website.
// Threading: safe for concurrent use; each method is one statement.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct User {
  UserId id = 0;
  std::string name;
  std::string role;  // user | moderator | admin
};

class UserStore {
 public:
  UserStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // The user named `name`, created with `role` when missing. Errors: kInvalidInput for an
  // empty or over-long name or an unknown role; kIo.
  Result<User> Ensure(const std::string& name, const std::string& role);
  // Errors: kNotFound.
  Result<User> FindByName(const std::string& name);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
