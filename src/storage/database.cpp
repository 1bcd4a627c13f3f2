#include "storage/database.hpp"

namespace wenku::storage {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<int64_t>(&v)) return *p;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "";
}

Status Sql::Exec(std::string_view sql, const Params& params) {
  auto r = Query(sql, params);
  if (!r.ok()) return r.error();
  return {};
}

Result<Row> Sql::QueryOne(std::string_view sql, const Params& params) {
  auto r = Query(sql, params);
  if (!r.ok()) return r.error();
  if (r->empty()) return MakeError(ErrorCode::kNotFound, "no such row");
  return std::move(r->front());
}

}  // namespace wenku::storage
