#!/usr/bin/env bash
# Runs one test class N times in a row and counts passes and failures, for tests whose failures
# depend on timing (recovery, outages, exactly-once under load). Builds once, then runs the test
# with Maven offline; each failing run's reports are kept under target/repeat/<class>/<run>.
#   dev/repeat-test.sh LiveRecoveryIT 20            (an *IT runs through failsafe)
#   dev/repeat-test.sh FuzzReplayTest 5             (a *Test through surefire)
set -uo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLASS="${1:?usage: dev/repeat-test.sh TEST_CLASS [RUNS]}"
RUNS="${2:-20}"
cd "$HOME_DIR"
mvn -B -ntp -q -pl schemas,jobs -am package -DskipTests >/dev/null || { echo "repeat-test: the build failed" >&2; exit 1; }
if [[ "$CLASS" == *IT ]]; then
  ARGS=(verify "-Dit.test=$CLASS" -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false)
  REPORTS=jobs/target/failsafe-reports
else
  ARGS=(test "-Dtest=$CLASS" -Dsurefire.failIfNoSpecifiedTests=false)
  REPORTS=jobs/target/surefire-reports
fi
KEEP="jobs/target/repeat/$CLASS"
mkdir -p "$KEEP"
pass=0; fail=0
for ((i = 1; i <= RUNS; i++)); do
  start=$(date +%s)
  if mvn -B -ntp -o -pl schemas,jobs "${ARGS[@]}" >"$KEEP/run-$i.log" 2>&1; then
    pass=$((pass + 1)); verdict=pass
    rm -f "$KEEP/run-$i.log"
  else
    fail=$((fail + 1)); verdict=FAIL
    cp -r "$REPORTS" "$KEEP/run-$i-reports" 2>/dev/null
  fi
  echo "$CLASS run $i/$RUNS: $verdict in $(( $(date +%s) - start )) s"
done
echo "$CLASS: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
