#include "web/http.hpp"

#include <arpa/inet.h>

#include <cstring>

#include <boost/url/encode.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <algorithm>

namespace wenku::web {

std::string SubscriberAddress(const std::string& ip) {
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) != 1) return ip;
  char text[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    in_addr a4{};
    std::memcpy(&a4, a6.s6_addr + 12, 4);
    inet_ntop(AF_INET, &a4, text, sizeof text);
  } else {
    std::memset(a6.s6_addr + 8, 0, 8);  // the /64
    inet_ntop(AF_INET6, &a6, text, sizeof text);
  }
  return text;
}
namespace {

std::string First(const Fields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string Request::Header(std::string_view name) const { return First(headers, name); }
std::string Request::Query(std::string_view name) const { return First(query, name); }
std::string Request::Param(std::string_view name) const { return First(path_params, name); }
bool Request::HasQuery(std::string_view name) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; });
}

std::string Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      size_t eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return {};
}

void Response::Set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name) && !EqualsIgnoreCase(name, "set-cookie")) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::Get(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

Response Html(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", "text/html; charset=utf-8");
  return r;
}

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", std::move(content_type));
  return r;
}

Response Redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.Set("Location", std::move(location));
  return r;
}

Fields ParseUrlEncoded(std::string_view text) {
  Fields out;
  // Boost.URL 1.81's parse_query (params_view calls it too) keeps text.data() alone and
  // measures it again with strlen: a view that is not followed by a NUL is read past its
  // end (found by tests/fuzz/query_fuzz.cpp). A std::string copy ends with one.
  const std::string copy(text);
  auto parsed = boost::urls::parse_query(copy);
  if (!parsed) return out;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;                                 // forms send a space as '+'
  for (auto param : boost::urls::params_view(copy, opts)) {  // decodes %XX and '+'
    out.emplace_back(std::string(param.key), std::string(param.value));
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view ip) {
    return std::find(trusted.begin(), trusted.end(), ip) != trusted.end();
  };
  if (!is_trusted(peer)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? "" : forwarded_for.substr(0, comma);
    while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
    while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
    if (hop.empty() || hop.size() > 45) break;
    client = std::string(hop);
    if (!is_trusted(hop)) break;
  }
  return client;
}

std::string SelfLinkWith(const Request& req, std::string_view key, std::string_view value,
                         const std::vector<std::string_view>& keep) {
  constexpr size_t kMaxKeptValue = 256;
  auto parsed = boost::urls::parse_origin_form(req.target);
  if (!parsed || parsed->encoded_path().starts_with("//")) {
    return "/?" + UrlEncode(key) + "=" + UrlEncode(value);
  }
  // The query rebuilt by hand: Boost.URL 1.81's params().set/erase keep some earlier
  // matches when a value holds '=' ("lang=a=b&lang=c" set gave "lang=en&lang=c"; found by
  // tests/fuzz/query_fuzz.cpp). The parameters kept stay as they were sent.
  std::string link(parsed->encoded_path());
  char sep = '?';
  for (auto p : parsed->encoded_params()) {
    const std::string name = p.key.decode();
    if (name == key || !p.has_value || p.value.size() > kMaxKeptValue ||
        std::find(keep.begin(), keep.end(), std::string_view(name)) == keep.end()) {
      continue;
    }
    link += sep;
    link += p.key;
    link += '=';
    link += p.value;
    sep = '&';
  }
  return link + sep + UrlEncode(key) + "=" + UrlEncode(value);
}

std::string FindField(const Fields& fields, std::string_view name) { return First(fields, name); }

std::string CookieHeader(std::string_view name, std::string_view value, int64_t max_age_seconds,
                         bool secure, bool http_only) {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; SameSite=Lax";
  if (max_age_seconds >= 0) c += "; Max-Age=" + std::to_string(max_age_seconds);
  if (http_only) c += "; HttpOnly";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace wenku::web
