#!/usr/bin/env bash
# Runs a measurement tool that lives in the test sources (a class with a main method), after
# building this tree's jobs and test classes: dev/test-tool.sh CLASS [ARGS...].
# MVN_FLAGS adds Maven flags to the build (e.g. MVN_FLAGS=-o offline); NO_BUILD=1 skips it.
set -euo pipefail
MAIN="$1"
shift
TOOL="${MAIN##*.}"
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
if [[ "${NO_BUILD:-}" != 1 ]]; then
  # shellcheck disable=SC2086
  mvn -B -ntp -q ${MVN_FLAGS:-} -pl schemas,jobs package -DskipTests >&2 \
    || { echo "$TOOL: the build failed" >&2; exit 1; }
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
  "$MAIN" "$@"
