// The upload page's view, shared by ShowUpload and CreateUpload (which shows the form again
// with a message next to each wrong field).
#pragma once

#include "web/context.hpp"
#include "web/uploads.hpp"

namespace wenku::web {

Response RenderUploadPage(Context& ctx, const UploadFields& fields, const UploadFieldErrors& errors,
                          const std::string& file_error, int status);

}  // namespace wenku::web
