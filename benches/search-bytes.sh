#!/usr/bin/env bash
# The bytes a first search query loads (the search page, its scripts and the index files), for
# every query of two or more characters of a generated corpus's index, and whether each one-word
# answer equals the ranking from the shards; then the same for 1,500 queries of two or three of
# the commonest words (benches/README.md, "Search bytes"). Needs node.
# Usage: bash benches/search-bytes.sh [--docs 10000] [--out-dir /dev/shm/annexa-search] [--sample N]
# NO_BUILD=1 skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=10000
out=/dev/shm/annexa-search
sample=()
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs=$2; shift 2 ;;
    --out-dir) out=$2; shift 2 ;;
    --sample) sample=(--sample "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "${NO_BUILD:-}" ] || cargo build --release --locked --bin annexa --example gen-corpus
rm -rf "$out" && mkdir -p "$out"
target/release/examples/gen-corpus --docs "$docs" --out "$out/corpus" >/dev/null
target/release/annexa build "$out/corpus" -o "$out/site" --today 2026-11-01 2>/dev/null
du -sb "$out/site/search"/* | sed "s|$out/site/||"
node benches/search-check.js "$out/site" "${sample[@]}"
echo "queries of two or three common words:"
node benches/search-check.js "$out/site" --multi 1500
echo "queries of four or five of the twelve words found in most documents:"
node benches/search-check.js "$out/site" --widest 600
rm -rf "$out"
