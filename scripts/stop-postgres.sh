#!/usr/bin/env bash
# Stops a cluster started by scripts/start-postgres.sh and removes its folder.
# Usage: scripts/stop-postgres.sh FOLDER   (the second line start-postgres.sh printed)
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${1:?usage: stop-postgres.sh FOLDER}
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  echo "stop-postgres: $DIR is not a cluster folder made by start-postgres.sh" >&2
  exit 1
fi
if [ -f "$DIR/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  else
    "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  fi
fi
rm -rf "$DIR"
