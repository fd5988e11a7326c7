#!/usr/bin/env bash
# The scaling tables of docs/development/benchmarks.md: how the cost of hot items grows with events, distinct items
# and the window/slide ratio, for ours, Flink SQL and the classic approach, each point in one run
# of bin/pulse bench. Writes one JSON per point into the directory given (default bench/results/scaling).
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$HOME_DIR/bench/results/scaling}"
mkdir -p "$OUT"
CASES=hot_items_pulse,hot_items_flink_sql,hot_items_classic
run() {
  local name="$1"; shift
  echo "== $name: $*"
  "$HOME_DIR/bin/pulse" bench --no-check --cases "$CASES" --out "$OUT/$name.json" "$@" | tail -5
}
POINTS="${POINTS:-events items slide}"
[[ " $POINTS " == *" events "* ]] && for e in 1000000 2000000 4000000; do run "events-$e" --events "$e"; done
# At most 999,990 items: the simulator numbers items category * 100000 + k over 10 categories.
[[ " $POINTS " == *" items "* ]] && for i in 20000 200000 900000; do run "items-$i" --events 2000000 --items "$i"; done
[[ " $POINTS " == *" slide "* ]] && for s in 30m 5m 1m; do run "slide-$s" --events 2000000 --window 1h --slide "$s"; done
exit 0
