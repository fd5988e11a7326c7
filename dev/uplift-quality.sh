#!/usr/bin/env bash
# Measures the campaign scoreboard against planted truth (UpliftQuality, a test-source tool): scenario
# experiments per seed, the uplift job replayed, coverage of the plain and CUPED intervals, variance
# reduction and guardrail warnings.
#   dev/uplift-quality.sh                                  # seeds 1-5, about 8 minutes on 2 cores
#   dev/uplift-quality.sh --seeds 1,2 --out /tmp/uq.md
# MVN_FLAGS adds Maven flags to the build (e.g. MVN_FLAGS=-o offline); NO_BUILD=1 skips it.
exec "$(dirname "${BASH_SOURCE[0]}")/test-tool.sh" io.haitaopulse.uplift.UpliftQuality "$@"
