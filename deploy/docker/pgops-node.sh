#!/bin/bash
# Entry point of the node image: one PostgreSQL node and its replication agent in one container, sharing
# the data volume. On an empty volume the node named by PGOPS_BOOTSTRAP_NODE runs initdb and creates the
# roles pgops needs; every other node clones it with pg_basebackup. Then PostgreSQL starts and the agent
# runs under a supervisor (started again 1 s after it exits, as bin/pgops up and the systemd unit do):
# an agent that dies never takes PostgreSQL down with it. SIGTERM stops the agent, then PostgreSQL (fast).
set -euo pipefail
: "${PGOPS_NODE:?PGOPS_NODE names this node}" "${PGOPS_CLUSTER:=local}" "${PGOPS_BOOTSTRAP_NODE:=node1}"
PGDATA=${PGDATA:-/var/lib/postgresql/data/pgdata}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
secret() { cat "/run/secrets/$1"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  if [ "$PGOPS_NODE" = "$PGOPS_BOOTSTRAP_NODE" ]; then
    "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 --data-checksums \
      --pwfile=<(secret pg_superuser_password)
    cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
wal_level = replica
wal_log_hints = on
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
shared_preload_libraries = 'pg_stat_statements'
password_encryption = 'scram-sha-256'
CONF
    echo "host replication pgops_replication all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    "$PGBIN/pg_ctl" -D "$PGDATA" -w start -o "-c listen_addresses=''"
    psql -v ON_ERROR_STOP=1 -U postgres -d postgres \
      -v pgops_pw="$(secret pgops_password)" -v repl_pw="$(secret replication_password)" <<'SQL'
CREATE ROLE pgops LOGIN SUPERUSER PASSWORD :'pgops_pw';
CREATE ROLE pgops_replication LOGIN REPLICATION PASSWORD :'repl_pw';
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL
    "$PGBIN/pg_ctl" -D "$PGDATA" -w stop -m fast
  else
    until pg_isready -h "$PGOPS_BOOTSTRAP_NODE" -p 5432 -q; do sleep 1; done
    PGPASSWORD=$(secret replication_password) "$PGBIN/pg_basebackup" -h "$PGOPS_BOOTSTRAP_NODE" -p 5432 \
      -U pgops_replication -D "$PGDATA" -X stream -R -c fast
  fi
fi

"$PGBIN/pg_ctl" -D "$PGDATA" -w -l "$PGDATA/../postgresql.log" start -o "-c cluster_name=$PGOPS_NODE"

export PGOPS_AGENT_CLUSTER="$PGOPS_CLUSTER" PGOPS_AGENT_NODE="$PGOPS_NODE" PGOPS_AGENT_DATA_DIR="$PGDATA"
export PGOPS_AGENT_SERVER_OPTIONS="-c cluster_name=$PGOPS_NODE" PGOPS_AGENT_LOG_FILE="$PGDATA/../postgresql.log"
export PGOPS_AGENT_PG_BIN="$PGBIN" PGOPS_AGENT_TERM_FILE="$PGDATA/../agent.term"
export PGOPS_AGENT_REPLICATION_USERNAME=pgops_replication
# the agent's heap is smaller than a service's (it runs beside every node), as in the local stack
export JAVA_OPTS="${JAVA_OPTS:--Xmx64m -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=24m}"
export PGOPS_AGENT_REPLICATION_PASSWORD_FILE=/run/secrets/replication_password
child=0
stop() {
  [ "$child" -ne 0 ] && kill -TERM "$child" 2>/dev/null && wait "$child" || true
  "$PGBIN/pg_ctl" -D "$PGDATA" -w stop -m fast || true
  exit 0
}
trap stop TERM INT
while :; do
  /usr/local/bin/pgops-java.sh "$@" &
  child=$!
  wait "$child" || true
  echo "$(date -u +%FT%TZ) pgops node: the agent exited; starting it again in 1 s" >&2
  sleep 1
done
