// wenku user add NAME --role user|moderator|admin [--password P] — creates the account (or
// sets the password and role of an existing one, which ends all its sessions and revokes its
// API tokens). Without --password a
// random password is made and printed: it is shown once and stored only as an Argon2id hash.
#include <cstdio>

#include "accounts/password.hpp"
#include "app/commands.hpp"

namespace wenku::app {

int RunUserAdd(App& app, const UserAddOptions& options) {
  std::string generated;
  auto created =
      app.accounts().AddOrUpdate(options.name, options.role, options.password, &generated);
  if (!created.ok()) {
    std::fprintf(stderr, "wenku: %s\n", created.error().message.c_str());
    return created.error().code == ErrorCode::kInvalidInput ? 2 : 1;
  }
  std::printf("%s %s (role %s)\n", *created ? "created" : "updated", options.name.c_str(),
              options.role.c_str());
  if (!*created) {
    // A reset of a lost account: its API tokens go with the old password
    // (accounts/api_tokens.hpp, "Password changes").
    auto user = app.accounts().FindByName(accounts::NormalizeUserName(options.name));
    auto revoked = user.ok() ? app.api_tokens().RevokeAll(user->id) : Result<int64_t>(user.error());
    if (!revoked.ok()) {
      std::fprintf(stderr, "wenku: %s\n", revoked.error().message.c_str());
      return 1;
    }
    if (*revoked > 0) std::printf("revoked %lld API tokens\n", static_cast<long long>(*revoked));
  }
  if (!generated.empty()) std::printf("password: %s\n", generated.c_str());
  return 0;
}

}  // namespace wenku::app
