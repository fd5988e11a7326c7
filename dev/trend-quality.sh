#!/usr/bin/env bash
# Measures demand-trend detection on simulated shops with planted spikes (TrendQuality, a test-source
# tool): builds this tree's jobs and test classes, then runs the tool with its arguments.
#   dev/trend-quality.sh                                   # the default grid, about 6 minutes on 2 cores
#   dev/trend-quality.sh --seeds 1 --multipliers 4 --conf pulse.trends.min-z=3 --out /tmp/tq.md
#   dev/trend-quality.sh --help
# MVN_FLAGS adds Maven flags to the build (e.g. MVN_FLAGS=-o offline); NO_BUILD=1 skips it.
exec "$(dirname "${BASH_SOURCE[0]}")/test-tool.sh" io.haitaopulse.trends.TrendQuality "$@"
