#include "core/result.hpp"

namespace wenku {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kUnsupportedType:
      return "unsupported_type";
    case ErrorCode::kEncrypted:
      return "encrypted";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kEmptyFile:
      return "empty_file";
    case ErrorCode::kConversionFailed:
      return "conversion_failed";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kResourceLimit:
      return "resource_limit";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kInsufficientPoints:
      return "insufficient_points";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kRemoved:
      return "removed";
  }
  return "internal";
}

bool IsTransient(ErrorCode code) {
  return code == ErrorCode::kIo || code == ErrorCode::kInternal ||
         code == ErrorCode::kUnavailable || code == ErrorCode::kBusy;
}

}  // namespace wenku
