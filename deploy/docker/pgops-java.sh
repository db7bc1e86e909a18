#!/bin/sh
# Entry point of every pgops service image: secrets by reference, then the Quarkus fast-jar.
# Each environment variable NAME__FILE (two underscores, as Grafana spells it; pgops' own *_FILE settings
# such as PGOPS_AGENT_REPLICATION_PASSWORD_FILE are paths the service reads itself) names a file whose
# content becomes NAME (Docker and Kubernetes
# secrets are files); the value itself never appears in the environment the image was built with, in
# compose files or in logs.
set -eu
for var in $(env | sed -n 's/^\([A-Z0-9_]*[A-Z0-9]\)__FILE=.*/\1/p'); do
  file=$(printenv "${var}__FILE")
  [ -r "$file" ] || { echo "pgops: ${var}__FILE names $file, which cannot be read" >&2; exit 1; }
  export "$var=$(cat "$file")"
  unset "${var}__FILE"
done
# JAVA_OPTS: the same sizing as the local stack's services (stack/bench/footprint), overridable per container
exec java ${JAVA_OPTS:--Xmx128m -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC \
  -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=24m} \
  -Dquarkus.http.host=0.0.0.0 -jar /deployments/quarkus-run.jar "$@"
