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


# the services' token key pair (the private half stays here) and a viewer's token for Prometheus (a year)
command -v openssl >/dev/null || { echo "openssl is needed for the token key pair" >&2; exit 1; }
[ -s "$dir/jwt_sign_pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/jwt_sign_pem" 2>/dev/null
[ -s "$dir/jwt_verify_pem" ] || openssl pkey -in "$dir/jwt_sign_pem" -pubout -out "$dir/jwt_verify_pem"
# the coordinators' key pair for agent operations: the replication-service signs, the nodes' agents verify
[ -s "$dir/agent_command_sign_pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/agent_command_sign_pem" 2>/dev/null
[ -s "$dir/agent_command_verify_pem" ] || openssl pkey -in "$dir/agent_command_sign_pem" -pubout -out "$dir/agent_command_verify_pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
if [ ! -s "$dir/prometheus_token" ]; then
  now=$(date +%s)
  head=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  body=$(printf '{"iss":"pgops","sub":"prometheus","upn":"prometheus","groups":["pgops-viewer"],"iat":%s,"exp":%s}' \
    "$now" "$((now + 365 * 24 * 3600))" | b64url)
  sig=$(printf '%s.%s' "$head" "$body" | openssl dgst -sha256 -sign "$dir/jwt_sign_pem" -binary | b64url)
  printf '%s.%s.%s' "$head" "$body" "$sig" > "$dir/prometheus_token"
fi
echo "token key pair and Prometheus' token in $dir"
