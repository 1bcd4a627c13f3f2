#!/usr/bin/env bash
# Installs every Debian 12 package Wenku needs to build, run and test. Idempotent: when all
# packages are present it returns at once without touching apt. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config ccache mold
  # the website: Boost.Beast/Asio (headers) and Boost.URL; templates (kainjow mustache)
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev libkainjow-mustache-dev
  libxapian-dev libfriso-dev friso friso-dict libopencc-dev libopencc-data libstemmer-dev
  zlib1g-dev
  # the converter sandbox: bubblewrap (namespaces) and libseccomp (system call filter)
  bubblewrap libseccomp-dev
  # storage, hashing
  libsqlite3-dev sqlite3 libsodium-dev
  # PostgreSQL: the client library, and the server for the store tests (scripts/start-postgres.sh)
  libpq-dev postgresql-15
  # the S3 blob store (libcurl's SigV4) and its test endpoint, a one-machine Ceph RGW
  # (scripts/start-s3.sh)
  libcurl4-openssl-dev radosgw ceph-mon ceph-osd
  # the search service several nodes share, xapian-tcpsrv (scripts/start-xapian.sh)
  xapian-tools
  # PDF and images
  libpoppler-cpp-dev poppler-utils poppler-data libwebp-dev
  # laying out plain text as pages
  libcairo2-dev libpango1.0-dev
  # file type detection, text encodings, archives
  libmagic-dev file libuchardet-dev libicu-dev libarchive-dev libxml2-dev
  # office documents (converted to PDF by LibreOffice), OCR
  libreoffice-core-nogui libreoffice-writer-nogui libreoffice-calc-nogui
  libreoffice-impress-nogui libreoffice-draw-nogui libreoffice-dev
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng
  # CAD drawings: SVG pages to PDF (librsvg + cairo's rsvg-convert); Node runs LibreDWG's
  # WebAssembly build (tools/cad, installed below from npm)
  librsvg2-bin
  # JSON, logging, CLI, config
  nlohmann-json3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  # fuzzing (tests/fuzz, make fuzz): clang and its libFuzzer/sanitizer runtimes
  clang libclang-rt-14-dev
  # tests: GoogleTest, cairo to make PDFs with known text, qpdf to encrypt them, fonts
  libgtest-dev libgmock-dev qpdf fonts-noto-cjk fonts-dejavu-core
  # browser tests (Playwright drives Debian's chromium; playwright-core comes from npm),
  # fixtures made with python3's zipfile
  chromium python3
  # benchmarks: peak RSS, arithmetic, WebP tools, HTTP load (wrk) and the reference (nginx)
  time bc webp wrk nginx-light curl
  # bench/ocr_languages: opencc (counts traditional characters), pango-view (draws pages);
  # bench/profile_ingest: linux-perf
  opencc pango1.0-tools linux-perf
)

# Node.js: the machine's own when there is one (Debian's nodejs otherwise).
if ! command -v node >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -o DPkg::Lock::Timeout=600 -qq
  $SUDO apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
fi

# The CAD renderer needs Node 20.15 or newer (--disable-wasm-trap-handler); on Debian 12's
# own nodejs (18) every drawing would fail, so say so now.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=15)?0:1)'; then
  echo "install-deps: warning: Node $(node --version) is older than 20.15; DWG/DXF drawings need a newer Node (cad.node)" >&2
fi

# The CAD renderer's npm packages (LibreDWG's WebAssembly build, dxf-json), pinned by
# tools/cad/package-lock.json, into tools/cad/node_modules; again only when the lock changed.
CAD_DIR="$(cd "$(dirname "$0")/.." && pwd)/tools/cad"
if ! cmp -s "$CAD_DIR/package-lock.json" "$CAD_DIR/node_modules/.wenku-installed-lock"; then
  echo "install-deps: installing the CAD renderer's npm packages (tools/cad)"
  (cd "$CAD_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$CAD_DIR/package-lock.json" "$CAD_DIR/node_modules/.wenku-installed-lock"
fi
