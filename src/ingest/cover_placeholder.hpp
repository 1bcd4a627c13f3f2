// The cover of a document whose page 1 is not in the free preview: a neutral card showing the
// format ("PDF", "DOCX", …) and the title, drawn with Pango/cairo and saved as WebP. The cover
// is public (anyone who may open the document sees it in listings), so it may only be drawn
// from pages every visitor may see; with no free pages it shows none (render_stage.cpp).
//
// The title is drawn as plain text (never Pango markup): invalid UTF-8 is repaired, control
// characters become spaces, and it is cut to what fits on the card.
// Threading: safe for concurrent use (drawings are serialised; each takes a few ms).
#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace wenku::ingest {

// Writes a `width` px wide cover (√2 as tall) to `out`. Errors: kIo.
Status DrawPlaceholderCover(const std::string& title, const std::string& format, int width,
                            int quality, const std::filesystem::path& out);

// The title as the card draws it (repaired UTF-8, no control characters, at most 120
// characters). Exposed for tests.
std::string CoverTitleText(const std::string& title);

}  // namespace wenku::ingest
