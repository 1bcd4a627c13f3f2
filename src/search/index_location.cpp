// IndexLocation (search/index.hpp): the local index folder, or tcp://host:port of a
// xapian-tcpsrv. Parse accepts only what the setting documents: empty, or tcp://HOST:PORT
// with a host of letters, digits, '.', '-' (or a bracketed IPv6 address) and a port 1–65535;
// anything else is kInvalidInput naming what is expected.
#include <cctype>
#include <charconv>

#include "search/index.hpp"

namespace wenku::search {

std::string IndexLocation::Describe() const {
  return is_remote() ? "search service " + remote : "search index " + dir.string();
}

Result<IndexLocation> IndexLocation::Parse(std::filesystem::path dir, const std::string& remote) {
  IndexLocation l;
  l.dir = std::move(dir);
  if (remote.empty()) return l;
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidInput,
                     "search.remote: expected empty (the index in the data folder) or "
                     "tcp://host:port of a xapian-tcpsrv, not \"" +
                         remote + "\" (" + why + ")");
  };
  constexpr std::string_view kScheme = "tcp://";
  if (remote.size() > 300) return bad("too long");
  if (remote.rfind(kScheme, 0) != 0) return bad("it must start with tcp://");
  std::string_view rest = std::string_view(remote).substr(kScheme.size());
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string_view host = rest.substr(0, colon);
  std::string_view port = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    for (char c : host) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':')) return bad("bad host");
    }
  } else {
    for (char c : host) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) {
        return bad("bad host");
      }
    }
  }
  if (host.empty()) return bad("no host");
  int n = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  if (ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535) {
    return bad("the port must be 1-65535");
  }
  l.remote = remote;
  l.host = std::string(host);
  l.port = n;
  return l;
}

}  // namespace wenku::search
