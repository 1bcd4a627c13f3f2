#include "web/router.hpp"

namespace wenku::web {
namespace {

bool MatchPattern(std::string_view pattern, std::string_view path, Fields* params) {
  params->clear();
  if (pattern.empty() || path.empty() || path.front() != '/') return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  while (true) {
    size_t ps = pattern.find('/');
    std::string_view pseg = pattern.substr(0, ps);
    if (pseg.size() > 3 && pseg.front() == '{' && pseg.ends_with("*}")) {
      if (path.empty()) return false;
      params->emplace_back(std::string(pseg.substr(1, pseg.size() - 3)), std::string(path));
      return true;
    }
    size_t xs = path.find('/');
    std::string_view xseg = path.substr(0, xs);
    if (!pseg.empty() && pseg.front() == '{') {
      size_t close = pseg.find('}');
      std::string_view name = pseg.substr(1, close - 1);
      std::string_view suffix = pseg.substr(close + 1);
      if (xseg.size() <= suffix.size() || !xseg.ends_with(suffix)) return false;
      params->emplace_back(std::string(name),
                           std::string(xseg.substr(0, xseg.size() - suffix.size())));
    } else if (pseg != xseg) {
      return false;
    }
    bool pattern_done = ps == std::string_view::npos;
    bool path_done = xs == std::string_view::npos;
    if (pattern_done || path_done) return pattern_done && path_done;
    pattern.remove_prefix(ps + 1);
    path.remove_prefix(xs + 1);
  }
}

}  // namespace

std::optional<Method> ParseMethod(std::string_view method) {
  if (method == "GET" || method == "HEAD") return Method::kGet;
  if (method == "POST") return Method::kPost;
  if (method == "DELETE") return Method::kDelete;
  return std::nullopt;
}

const Route* Match(std::string_view method, std::string_view path, Fields* params,
                   bool* path_exists) {
  *path_exists = false;
  auto m = ParseMethod(method);
  Fields scratch;
  for (const Route& r : Routes()) {
    if (!MatchPattern(r.pattern, path, &scratch)) continue;
    *path_exists = true;
    if (m && r.method == *m) {
      *params = std::move(scratch);
      return &r;
    }
  }
  return nullptr;
}

std::vector<std::string> RoutePatterns() {
  std::vector<std::string> out;
  for (const Route& r : Routes()) out.emplace_back(r.pattern);
  return out;
}

int RouteId(const Route* route) {
  return route == nullptr ? -1 : static_cast<int>(route - Routes().data());
}

}  // namespace wenku::web
