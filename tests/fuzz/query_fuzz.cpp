// Fuzz target: the URL and query-string parsing the server does for every request.
// Input: a request target as sent on the request line ("/search?q=…").
// Feeds what server.cpp does with it (boost::urls::parse_origin_form, the decoded path and
// query parameters), ParseUrlEncoded on the query and on the whole input (a form body), and
// SelfLinkWith (the language link that repeats the parameters the pages read).
// Asserts: a parsed target's path starts with '/'; ParseUrlEncoded never gives more fields
// than there are '&'-separated pieces; the self link is a local path ("/…", never "//…"
// or a scheme) that parses back with the new parameter set exactly once to its value and
// no parameter outside the kept list;
// UrlEncode then ParseUrlEncoded gives back any bytes unchanged.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "fuzz_support.hpp"
#include "web/http.hpp"

using wenku::web::ParseUrlEncoded;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);

  wenku::web::Request req;
  req.target = std::string(target);
  auto url = boost::urls::parse_origin_form(target);
  if (url) {
    req.path = std::string(url->path());
    FUZZ_CHECK(!req.path.empty() && req.path.front() == '/', "a path not starting with /");
    for (auto p : url->params()) req.query.emplace_back(std::string(p.key), std::string(p.value));
    if (url->has_query()) {
      auto fields = ParseUrlEncoded(url->encoded_query());
      size_t pieces = static_cast<size_t>(std::count(url->encoded_query().begin(),
                                                     url->encoded_query().end(), '&')) +
                      1;
      FUZZ_CHECK(fields.size() <= pieces, "more fields than pieces");
    }
  }
  auto form = ParseUrlEncoded(target);
  FUZZ_CHECK(form.size() <= static_cast<size_t>(std::count(target.begin(), target.end(), '&')) + 1,
             "more form fields than pieces");

  // The language link: always a local path with lang set once.
  static const std::vector<std::string_view> kKeep = {"q", "page", "sort", "lang"};
  std::string link = wenku::web::SelfLinkWith(req, "lang", "en", kKeep);
  FUZZ_CHECK(!link.empty() && link.front() == '/', "a self link that is not a path");
  FUZZ_CHECK(link.size() < 2 || link[1] != '/', "a self link to another host");
  FUZZ_CHECK(link.find('\\') == std::string::npos || link.find('?') < link.find('\\'),
             "a backslash in the self link's path");
  auto back = boost::urls::parse_origin_form(link);
  FUZZ_CHECK(back.has_value(), "a self link that does not parse");
  size_t langs = 0;
  for (auto p : back->params()) {
    FUZZ_CHECK(std::find(kKeep.begin(), kKeep.end(), std::string_view(p.key)) != kKeep.end(),
               "the self link repeats a parameter the pages do not read");
    if (p.key == "lang") {
      ++langs;
      FUZZ_CHECK(p.value == "en", "the self link's lang is not the value set");
    }
  }
  FUZZ_CHECK(langs == 1, "the self link does not set lang exactly once");

  // Encoding round trip on arbitrary bytes (the value half of the input).
  std::string_view value = target.substr(target.size() / 2);
  auto round = ParseUrlEncoded("k=" + wenku::web::UrlEncode(value));
  FUZZ_CHECK(round.size() == 1 && round[0].first == "k" && round[0].second == value,
             "UrlEncode then ParseUrlEncoded changed the value");
  return 0;
}
