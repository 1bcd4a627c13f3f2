// Fuzz target: the header and cookie parsing of web/http.hpp and web/multipart.hpp.
// Input: up to six '\n'-separated pieces: a Cookie header value, a cookie name, a peer
// address, an X-Forwarded-For value, a ','-separated list of trusted proxies, a
// Content-Type value. Feeds Request::Cookie, ClientAddress, SubscriberAddress and
// MultipartBoundary.
// Asserts: a cookie's value is a piece of the Cookie header holding no ';'; the client
// address is the peer when the peer is not trusted, otherwise the peer or one hop of
// X-Forwarded-For (at most 45 bytes, no ',' and no edge spaces); SubscriberAddress is
// idempotent and maps every IPv6 address to an address with its last 64 bits zero (or, for
// IPv4-mapped ones, to the IPv4 address); a multipart boundary is 1–70 bytes without ';'.
#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "web/http.hpp"
#include "web/multipart.hpp"

namespace {

std::string_view Next(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view piece = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  return piece;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string cookie_header(Next(rest));
  const std::string cookie_name(Next(rest));
  const std::string peer(Next(rest));
  const std::string_view forwarded = Next(rest);
  std::string_view trusted_list = Next(rest);
  const std::string_view content_type = Next(rest);

  wenku::web::Request req;
  req.headers.emplace_back("cookie", cookie_header);
  std::string value = req.Cookie(cookie_name);
  FUZZ_CHECK(value.find(';') == std::string::npos, "a cookie value holding ';'");
  FUZZ_CHECK(cookie_header.find(value) != std::string::npos, "a cookie value not in the header");

  std::vector<std::string> trusted;
  while (!trusted_list.empty()) {
    size_t comma = trusted_list.find(',');
    trusted.emplace_back(trusted_list.substr(0, comma));
    trusted_list = comma == std::string_view::npos ? "" : trusted_list.substr(comma + 1);
  }
  std::string client = wenku::web::ClientAddress(peer, forwarded, trusted);
  if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end()) {
    FUZZ_CHECK(client == peer, "an untrusted peer's X-Forwarded-For was believed");
  } else if (client != peer) {
    FUZZ_CHECK(!client.empty() && client.size() <= 45, "a forwarded address of a bad length");
    FUZZ_CHECK(client.find(',') == std::string::npos, "a forwarded address holding ','");
    FUZZ_CHECK(client.front() != ' ' && client.back() != ' ', "a forwarded address with spaces");
    FUZZ_CHECK(forwarded.find(client) != std::string_view::npos, "an address not forwarded");
  }

  for (const std::string& ip : {peer, client}) {
    std::string sub = wenku::web::SubscriberAddress(ip);
    FUZZ_CHECK(wenku::web::SubscriberAddress(sub) == sub, "SubscriberAddress not idempotent");
    in6_addr a6{};
    if (inet_pton(AF_INET6, ip.c_str(), &a6) == 1 && ip.find('\0') == std::string::npos) {
      in6_addr s6{};
      in_addr s4{};
      if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        FUZZ_CHECK(inet_pton(AF_INET, sub.c_str(), &s4) == 1, "a mapped address not as IPv4");
        FUZZ_CHECK(std::memcmp(&s4, a6.s6_addr + 12, 4) == 0, "a mapped address changed");
      } else {
        FUZZ_CHECK(inet_pton(AF_INET6, sub.c_str(), &s6) == 1, "an IPv6 address lost");
        FUZZ_CHECK(std::memcmp(s6.s6_addr, a6.s6_addr, 8) == 0, "the /64 prefix changed");
        static const unsigned char zero[8] = {};
        FUZZ_CHECK(std::memcmp(s6.s6_addr + 8, zero, 8) == 0, "the interface half kept");
      }
    }
  }

  std::string boundary = wenku::web::MultipartBoundary(content_type);
  FUZZ_CHECK(boundary.size() <= 70, "a boundary over 70 bytes");
  FUZZ_CHECK(boundary.find(';') == std::string::npos, "a boundary holding ';'");
  return 0;
}
