#!/usr/bin/env bash
# `make run`: makes the bundled sample documents (PDFs laid out from samples/*.txt, the
# project's own text), creates the admin account once (its password is kept in
# DATA/admin-password.txt, readable only by you), imports the samples (once: the same bytes
# again find the existing document) and serves the site until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-./data}"
BUILD="${BUILD_DIR:-build}"
LISTEN="${WENKU_WEB_LISTEN:-127.0.0.1:8080}"

mkdir -p "$BUILD/samples" "$DATA"
for txt in samples/*.txt; do
  pdf="$BUILD/samples/$(basename "${txt%.txt}").pdf"
  if [ ! -f "$pdf" ] || [ "$txt" -nt "$pdf" ]; then
    "$BUILD/make-sample-pdf" "$txt" "$pdf"
  fi
done

PASSWORD_FILE="$DATA/admin-password.txt"
if [ ! -s "$PASSWORD_FILE" ]; then
  password="$("$BUILD/wenku" user add admin --role admin --data "$DATA" | sed -n 's/^password: //p')"
  (umask 077 && printf '%s\n' "$password" > "$PASSWORD_FILE")
fi

echo "Importing the sample documents into $DATA …"
"$BUILD/wenku" import --data "$DATA" --owner admin --category guides "$BUILD"/samples/*.pdf

cat <<MSG

Wenku is starting at http://$LISTEN/
  admin login:  admin / $(cat "$PASSWORD_FILE")   (kept in $PASSWORD_FILE)
  Register your own account at http://$LISTEN/register, then upload at /upload.
  Stop with Ctrl-C.
MSG
exec "$BUILD/wenku" serve --data "$DATA" --listen "$LISTEN"
