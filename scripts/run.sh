#!/usr/bin/env bash
# `make run`: makes the bundled sample documents (PDFs laid out from samples/*.txt, the
# project's own text), imports them into the data folder (once: importing the same bytes
# again finds the existing document) and says how to look at them.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-./data}"
BUILD="${BUILD_DIR:-build}"

mkdir -p "$BUILD/samples"
for txt in samples/*.txt; do
  pdf="$BUILD/samples/$(basename "${txt%.txt}").pdf"
  if [ ! -f "$pdf" ] || [ "$txt" -nt "$pdf" ]; then
    "$BUILD/make-sample-pdf" "$txt" "$pdf"
  fi
done

echo "Importing the sample documents into $DATA …"
"$BUILD/wenku" import --data "$DATA" --owner admin --category guides "$BUILD"/samples/*.pdf

cat <<MSG

The sample documents are in $DATA. To look at them:
  $BUILD/wenku show 1                 facts and the text of every page
  $BUILD/wenku show 1 --json          the same as JSON (the API's shape)
  $BUILD/wenku page-image 1 2         the image of page 2 (drawn on first request)
  ls $DATA/derived/1/pages/           the free-preview page images (WebP)
  $BUILD/wenku import --data $DATA FILE.pdf …   import your own PDFs
  $BUILD/wenku check --data $DATA     database rows against stored files
The website (http://127.0.0.1:8080) arrives with the next milestone.
MSG
