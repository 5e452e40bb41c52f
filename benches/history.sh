#!/usr/bin/env bash
# What the Git history costs a build (benches/README.md, "Document control from Git"): a
# 10,000-document corpus given 20,000 commits (examples/gen-history.rs), built with history on
# and with `[history] enabled = false`, taking turns run by run; the medians and their difference.
# Usage: bash benches/history.sh [--docs 10000] [--commits 20000] [--runs 5] [--out-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
docs=10000 commits=20000 runs=5 out=target/bench
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out-dir) out=$2; shift 2 ;;
    *) echo "usage: $0 [--docs N] [--commits N] [--runs N] [--out-dir DIR]" >&2; exit 2 ;;
  esac
done
[ -n "${NO_BUILD:-}" ] || cargo build --release --locked --bins --examples
bin=target/release
work=target/bench/history-$docs-$commits
if [ ! -f "$work/on/.generated-history" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  "$bin/examples/gen-corpus" --docs "$docs" --out "$work/on" --seed 1
  "$bin/examples/gen-history" --dir "$work/on" --commits "$commits"
  touch "$work/on/.generated-history"
fi
# The same repository with history off (a copy, .git and all; only annexa.toml differs).
rm -rf "$work/off"
cp -a "$work/on" "$work/off"
printf '\n[history]\nenabled = false\n' >> "$work/off/annexa.toml"
mkdir -p "$out"
time_of() { # prints the wall time of one build in seconds
  local start end
  start=$(date +%s.%N)
  "$bin/annexa" build "$1" -o "$out/history-site-$2" --today 2026-11-01 --force > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
git_log_time() {
  local start end
  start=$(date +%s.%N)
  git -C "$work/on" -c core.quotepath=off log -z --raw -M --no-abbrev --no-merges --relative \
    --format='%x1e%H%x00%cs%x00%an%x00%s' -- . > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
on=() off=() logs=()
time_of "$work/on" on > /dev/null   # warm the page cache
time_of "$work/off" off > /dev/null
for _ in $(seq "$runs"); do
  on+=("$(time_of "$work/on" on)")
  off+=("$(time_of "$work/off" off)")
  logs+=("$(git_log_time)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_on=$(median "${on[@]}") m_off=$(median "${off[@]}") m_log=$(median "${logs[@]}")
echo "history on:  ${on[*]} (median $m_on s)"
echo "history off: ${off[*]} (median $m_off s)"
echo "git log alone: median $m_log s"
echo "added by history: $(echo "$m_on - $m_off" | bc) s (target: at most 1 s)"
rm -rf "$out/history-site-on" "$out/history-site-off"
