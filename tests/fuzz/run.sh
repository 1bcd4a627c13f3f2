#!/usr/bin/env bash
# The fuzz targets (tests/fuzz/*_fuzz.cpp): builds them with clang into $FUZZ_BUILD_DIR
# (default build-fuzz) when missing or stale, then for each target
#   1. replays every saved finding in tests/fuzz/crashes/<target>/ (fails if one still crashes),
#   2. fuzzes it for $FUZZ_SECONDS seconds (default 5; `make fuzz` uses 120), starting from the
#      project's seeds (tests/fuzz/corpus/<target>/, read only) and the inputs earlier runs
#      found (build-fuzz/corpus/<target>/). A finding is written to build-fuzz/findings/<target>/
#      and fails the run: fix the code, then copy the file into tests/fuzz/crashes/<target>/ so
#      it is replayed forever.
# Usage: tests/fuzz/run.sh [target…]   (targets: multipart query http_fields text_decoder
#        segmenter archive; default all). Exit status: 0 when nothing was found.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_EACH="${FUZZ_SECONDS:-5}"
ALL=(multipart query http_fields text_decoder segmenter archive)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi

if ! command -v clang++ >/dev/null ||
  ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, long) { return 0; }' |
  clang++ -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "fuzz: clang++ with libFuzzer is missing (scripts/install-deps.sh installs clang and" \
    "libclang-rt-14-dev)" >&2
  exit 1
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$HERE" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" -j "${JOBS:-2}" -- --quiet 2>&1 | grep -v '^\[' || true
for t in "${TARGETS[@]}"; do
  [ -x "$BUILD/fuzz_$t" ] || { echo "fuzz: no target $t (build failed?)" >&2; exit 1; }
done

# Leaks are not findings here (ICU, friso and OpenCC keep caches for the process's life);
# everything ASan and UBSan see otherwise is.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for t in "${TARGETS[@]}"; do
  bin="$BUILD/fuzz_$t"
  mapfile -t saved < <(find "$HERE/crashes/$t" -type f ! -name '*.md' ! -name .gitkeep 2>/dev/null | sort)
  if [ ${#saved[@]} -gt 0 ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "${saved[@]}" >"$BUILD/replay-$t.log" 2>&1; then
      echo "fuzz: $t: a saved finding still fails (see $BUILD/replay-$t.log)" >&2
      tail -n 30 "$BUILD/replay-$t.log" >&2
      status=1
      continue
    fi
  fi
  mkdir -p "$BUILD/corpus/$t" "$BUILD/findings/$t"
  dict=()
  [ -f "$HERE/$t.dict" ] && dict=("-dict=$HERE/$t.dict")
  log="$BUILD/fuzz-$t.log"
  if "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$BUILD/findings/$t/" "${dict[@]}" \
    "$BUILD/corpus/$t" "$HERE/corpus/$t" >"$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $t: ${#saved[@]} saved findings replayed, ${SECONDS_EACH}s, ${execs:-?} runs, nothing found"
  else
    echo "fuzz: $t: FOUND something (input in $BUILD/findings/$t/, log $log):" >&2
    grep -m1 -A25 'ERROR\|FUZZ_CHECK\|runtime error\|deadly signal\|timeout' "$log" >&2 || tail -n 30 "$log" >&2
    status=1
  fi
done
exit $status
