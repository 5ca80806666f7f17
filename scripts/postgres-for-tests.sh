#!/usr/bin/env bash
# Install (Debian's package), start and prepare a local PostgreSQL for the store tests.
# Prints the export line the tests read:  WARTA_TEST_POSTGRES=postgresql://...
# Used by .ci/run (as root); on a developer machine, run it with sudo or skip the PostgreSQL tests.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgresql is not installed and this is not root: cannot install it" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q && break
  sleep 1
done
pg_isready -q || { echo "PostgreSQL $version did not start" >&2; exit 1; }
run_psql() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt $*"; }
if [ "$(run_psql "-c \"SELECT 1 FROM pg_roles WHERE rolname='warta'\"")" != "1" ]; then
  run_psql "-c \"CREATE ROLE warta LOGIN PASSWORD 'warta' CREATEDB\""
fi
# tests drop their databases WITH (FORCE): let the role end sessions of other ordinary roles too
run_psql "-c \"GRANT pg_signal_backend TO warta\""
if [ "$(run_psql "-c \"SELECT 1 FROM pg_database WHERE datname='warta_test'\"")" != "1" ]; then
  run_psql "-c \"CREATE DATABASE warta_test OWNER warta\""
fi
echo "WARTA_TEST_POSTGRES=postgresql://warta:warta@localhost:5432/warta_test"
