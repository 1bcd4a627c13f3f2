#include "library/downloads.hpp"

namespace wenku::library {

bool CountsAsDownload(std::string_view method, int status, int64_t first_byte) {
  if (method != "GET") return false;
  return status == 200 || (status == 206 && first_byte == 0);
}

Result<bool> CountDownload(storage::DocumentStore& documents, const TimeZone& zone, int64_t now_ms,
                           DocumentId id, UserId user) {
  return documents.CountDownload(id, user, zone.DayStart(now_ms, 0));
}

}  // namespace wenku::library
