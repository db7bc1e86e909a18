#!/bin/sh
# Creates the compose file's secrets (random, mode 600) unless they exist: PostgreSQL's superuser, pgops'
# account on the nodes, the replication account, pgops' own database, PgBouncer's auth file, Grafana's admin.
set -eu
dir=${PGOPS_SECRETS_DIR:-$(dirname "$0")/secrets}
mkdir -p "$dir" && chmod 700 "$dir"
umask 077
for s in pg_superuser_password pgops_password replication_password pgops_db_password grafana_admin_password; do
  [ -s "$dir/$s" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/$s"
done
[ -s "$dir/pgbouncer_userlist" ] || printf '"pgops" "%s"\n' "$(cat "$dir/pgops_password")" > "$dir/pgbouncer_userlist"
echo "secrets in $dir"
