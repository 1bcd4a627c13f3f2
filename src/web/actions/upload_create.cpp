// POST /upload — the upload form without JavaScript (multipart/form-data): one set of
// fields for every chosen file (the title only when there is one file). One file leads to
// its document page; several to a page listing them.
#include "web/actions/actions.hpp"
#include "web/actions/upload_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response CreateUpload(Context& ctx) {
  if (!ctx.user) return Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
  if (!ctx.multipart) {
    return RenderUploadPage(ctx, {}, {}, T(ctx.lang, "file_missing"), 400);
  }
  const MultipartForm& form = *ctx.multipart;
  UploadFields fields{FindField(form.fields, "title"), FindField(form.fields, "category"),
                      FindField(form.fields, "price"), FindField(form.fields, "description")};
  UploadFieldErrors errors = CheckUploadFields(ctx.site.categories(), fields);
  std::vector<const MultipartFile*> files;
  for (const auto& f : form.files) {
    if (f.field == "file") files.push_back(&f);
  }
  if (errors.any() || files.empty()) {
    return RenderUploadPage(ctx, fields, errors, files.empty() ? T(ctx.lang, "file_missing") : "",
                            400);
  }
  std::vector<int64_t> ids;
  for (const MultipartFile* f : files) {
    UploadFields these = fields;
    if (files.size() > 1) these.title.clear();
    auto created = AcceptUpload(ctx.site, *ctx.user, f->path, f->filename, these);
    if (!created.ok()) {
      const Error& e = created.error();
      if (auto why = FileProblem(ctx, e)) {
        return RenderUploadPage(ctx, fields, {}, f->filename + ": " + *why, HttpStatus(e.code));
      }
      return Fail(ctx, e);
    }
    ids.push_back(created->id);
  }
  if (ids.size() == 1) return Redirect("/d/" + std::to_string(ids[0]));
  return Redirect("/u/" + PathSegment(ctx.user->name));
}

}  // namespace wenku::web
