// GET /copyright — how to report a document or claim it (the 举报 / 认领 links of every
// document page lead here until the online forms arrive with the copyright milestone).
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowCopyright(Context& ctx) {
  return MessagePage(ctx, 200, "copyright_page_heading",
                     Format(ctx.lang, "copyright_page_message", {ctx.site.contact()}));
}

}  // namespace wenku::web
