#!/usr/bin/env bash
# Benchmarks annexa against the floor programs on synthetic corpora (see benches/README.md).
# Usage: bash benches/run.sh [--sizes 1000,10000] [--runs 5]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bins --examples
target/release/examples/bench "$@"
# The bytes a first search query loads at 10,000 documents (needs node).
NO_BUILD=1 bash benches/search-bytes.sh
