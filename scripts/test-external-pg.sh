#!/usr/bin/env bash
# Runs the API integration tier (apps/api/test) against Debian's PostgreSQL instead of the
# embedded one (issue 14): a throwaway cluster in a temp folder on a free loopback port,
# started as the `postgres` user, removed afterwards. Extra arguments go to jest
# (e.g. a spec path). Needs: apt-get install -y postgresql
#   --if-available  (first argument; what `npm test` passes through `nx run api:test-external-pg`):
#                   without Debian's PostgreSQL, say so and exit 0 — except under CI=true,
#                   where .ci/run installs it and a skip would hide the non-embedded path.
set -euo pipefail
cd "$(dirname "$0")/.."

if_available=false
if [ "${1:-}" = "--if-available" ]; then
  if_available=true
  shift
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  message="Debian's PostgreSQL is not installed: run \`apt-get install -y postgresql\`, then try again."
  if $if_available && [ "${CI:-}" != "true" ]; then
    echo "test:external-pg: SKIPPED — $message" >&2
    exit 0
  fi
  echo "test:external-pg: $message" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/sessions-external-pg.XXXXXX)
chmod 755 "$dir"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')

# As root, PostgreSQL must run as an unprivileged user: Debian's `postgres`.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"

cleanup() {
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

printf '%s\n' "$password" >"$dir/pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
# A free port can be taken between choosing and binding it (other suites run alongside):
# try a few, and show PostgreSQL's own log when it still does not start.
started=false
for attempt in 1 2 3; do
  if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 120 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off" start >/dev/null; then
    started=true
    break
  fi
  echo "test:external-pg: PostgreSQL did not start on port $port (attempt $attempt); its log:" >&2
  tail -n 20 "$dir/postgres.log" >&2 || true
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')
done
$started || exit 1
echo "test:external-pg: $("$bindir/postgres" --version) on 127.0.0.1:$port (data in $dir/data)"

export TEST_DATABASE_URL="postgresql://postgres:${password}@127.0.0.1:${port}/postgres"
# faults.spec.ts kills and freezes its own embedded server: not about which server the suite uses.
[ $# -gt 0 ] || set -- apps/api/test/
NX_DAEMON=false npx jest -c apps/api/jest.config.cts --testPathIgnorePatterns faults.spec.ts -- "$@"
