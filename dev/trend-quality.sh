#!/usr/bin/env bash
# Measures demand-trend detection on simulated shops with planted spikes (TrendQuality, a test-source
# tool): builds this tree's jobs and test classes, then runs the tool with its arguments.
#   dev/trend-quality.sh                                   # the default grid, about 6 minutes on 2 cores
#   dev/trend-quality.sh --seeds 1 --multipliers 4 --conf pulse.trends.min-z=3 --out /tmp/tq.md
#   dev/trend-quality.sh --help
# MVN_FLAGS adds Maven flags to the build (e.g. MVN_FLAGS=-o offline); TQ_NO_BUILD=1 skips it.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
if [[ "${TQ_NO_BUILD:-}" != 1 ]]; then
  # shellcheck disable=SC2086
  mvn -B -ntp -q ${MVN_FLAGS:-} -pl schemas,jobs package -DskipTests >&2 \
    || { echo "trend-quality: the build failed" >&2; exit 1; }
fi
# The same JDK 17 flags as bin/pulse: Flink needs them.
exec java \
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.text=ALL-UNNAMED \
  --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED \
  ${PULSE_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel="${PULSE_LOG_LEVEL:-error}" \
  -cp "jobs/target/test-classes:jobs/target/classes:$(cat jobs/target/classpath.txt)" \
  io.haitaopulse.trends.TrendQuality "$@"
