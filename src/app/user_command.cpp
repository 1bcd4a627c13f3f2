// wenku user add NAME --role user|moderator|admin [--password P] — creates the account (or
// sets the password and role of an existing one). Without --password a random password is
// made and printed: it is shown once and stored only as an Argon2id hash.
#include <sodium.h>

#include <cstdio>

#include "app/commands.hpp"
#include "web/auth.hpp"

namespace wenku::app {

int RunUserAdd(App& app, const UserAddOptions& options) {
  if (auto bad = web::CheckUserName(options.name)) {
    std::fprintf(stderr, "wenku: a user name has 2–32 letters, digits, _ or -\n");
    return 2;
  }
  std::string password = options.password;
  bool generated = password.empty();
  if (generated) password = web::NewToken().substr(0, 16);
  if (web::CheckPassword(password)) {
    std::fprintf(stderr, "wenku: a password has 8–128 characters\n");
    return 2;
  }
  std::string hash = web::HashPassword(password);
  auto created = app.users().Create(options.name, options.role, hash);
  if (!created.ok() && created.error().code == ErrorCode::kConflict) {
    Status s = app.users().SetPassword(options.name, hash, options.role);
    if (!s.ok()) {
      std::fprintf(stderr, "wenku: %s\n", s.error().message.c_str());
      return 1;
    }
    std::printf("updated %s (role %s)\n", options.name.c_str(), options.role.c_str());
  } else if (!created.ok()) {
    std::fprintf(stderr, "wenku: %s\n", created.error().message.c_str());
    return 1;
  } else {
    std::printf("created %s (role %s)\n", options.name.c_str(), options.role.c_str());
  }
  if (generated) std::printf("password: %s\n", password.c_str());
  return 0;
}

}  // namespace wenku::app
