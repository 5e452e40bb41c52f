#!/bin/bash
# Paired, interleaved runs of two annexa binaries over their own copies of one corpus:
#   bash benches/paired.sh OLD_BINARY NEW_BINARY [ROUNDS] [CORPUS] [OUT_DIR]
# First ROUNDS rebuilds after appending a line to the same document (each binary over its own
# copy, taking turns), then ROUNDS builds from nothing (the output folder and annexa's caches
# beside it removed before each). Prints "old SECONDS PEAK_KB | new SECONDS PEAK_KB" per round
# (`/usr/bin/time`). The corpus defaults to the benchmark's 10,000 documents (run
# `bash benches/run.sh --sizes 10000 --runs 1` once to make it); OUT_DIR to /dev/shm.
set -euo pipefail
old=$1
new=$2
rounds=${3:-6}
corpus=${4:-target/bench/corpus-10000}
out=${5:-/dev/shm}
doc=$(cd "$corpus" && find . -name '*.md' | sort | sed -n 5000p)
for v in old new; do
  rm -rf "$out/paired-$v"
  cp -r "$corpus" "$out/paired-$v"
done
run() { # binary version
  /usr/bin/time -f "%e %M" "$1" build "$out/paired-$2" -o "$out/paired-out-$2" \
    --today 2026-11-01 > /dev/null 2> "$out/paired-time"
  tail -n 1 "$out/paired-time"
}
clean() { rm -rf "$out/paired-out-$1" "$out"/.paired-out-"$1".annexa-*; }
echo "== build again, one document edited"
clean old
clean new
run "$old" old > /dev/null
run "$new" new > /dev/null
for i in $(seq 1 "$rounds"); do
  echo "edit $i" >> "$out/paired-old/$doc"
  o=$(run "$old" old)
  echo "edit $i" >> "$out/paired-new/$doc"
  n=$(run "$new" new)
  echo "old $o | new $n"
done
echo "== build from nothing"
for i in $(seq 1 "$rounds"); do
  clean old
  o=$(run "$old" old)
  clean new
  n=$(run "$new" new)
  echo "old $o | new $n"
done
