# shellcheck shell=bash
# Helpers shared by tools/run.sh and tools/test.sh: locate Odoo 19 and run a private PostgreSQL.
#
# Environment (all optional):
#   ODOO_PYTHON       Python interpreter that can `import odoo` (Odoo 19).
#                     Default: python3 if it imports Odoo 19, else /opt/odoo19/venv/bin/python.
#   ODOO_ADDONS_PATH  Comma-separated addons folders of Odoo (this repo is always added).
#                     Default: the `addons` folder next to the `odoo` package.
#   PG_BINDIR         Folder holding initdb and pg_ctl. Default: newest /usr/lib/postgresql/*/bin.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# Prints the interpreter that imports Odoo 19, or nothing.
find_odoo_python() {
  local candidate
  for candidate in "${ODOO_PYTHON:-}" python3 /opt/odoo19/venv/bin/python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import odoo.release as r; assert r.version_info[0] == 19' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# Prints the addons path Odoo must use: Odoo's own addons plus this repository.
odoo_addons_path() {
  local py=$1 odoo_addons=${ODOO_ADDONS_PATH:-}
  if [ -z "$odoo_addons" ]; then
    odoo_addons=$("$py" -c 'import os, odoo.release; print(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__))), "addons"))')
  fi
  printf '%s,%s\n' "$odoo_addons" "$REPO_ROOT"
}

find_pg_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    printf '%s\n' "$PG_BINDIR"
    return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
  printf '%s\n' "$dir"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb and postgres refuse to run as root: when we are root, run them as the
# unprivileged `postgres` system account (created by Debian's PostgreSQL packages).
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (install Debian's postgresql)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_cluster DATADIR PORT [EXTRA_SERVER_OPTIONS]: a cluster listening on 127.0.0.1 only,
# trusting local connections, whose superuser is `odoo` (Odoo refuses the `postgres` role).
start_cluster() {
  local datadir=$1 port=$2 extra=${3:-} bindir
  bindir=$(find_pg_bindir) || die "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BINDIR)"
  mkdir -p "$datadir"
  [ "$(id -u)" = 0 ] && chown postgres: "$datadir"
  if [ ! -f "$datadir/PG_VERSION" ]; then
    as_pg_owner "$bindir/initdb" -D "$datadir" -U odoo --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$datadir.initdb.log" 2>&1 ||
      die "initdb failed, see $datadir.initdb.log"
  fi
  as_pg_owner "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir $extra" start >/dev/null ||
    die "PostgreSQL did not start, see $datadir/server.log"
}

stop_cluster() {
  local datadir=$1 bindir
  bindir=$(find_pg_bindir) || return 0
  [ -f "$datadir/postmaster.pid" ] || return 0
  as_pg_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
}

# write_odoo_conf FILE DB HOST PORT USER PASSWORD ADDONS DATA_DIR
write_odoo_conf() {
  cat >"$1" <<CONF
[options]
db_name = $2
dbfilter = ^$2\$
db_host = $3
db_port = $4
db_user = $5
db_password = $6
addons_path = $7
data_dir = $8
without_demo = true
http_interface = 127.0.0.1
list_db = false
CONF
}

apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $* (or install it yourself)"
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Everything the test suite needs, from the registries, when it is missing: Debian's
# PostgreSQL server (the throwaway cluster) and Chromium (the browser tours), and the
# Python test requirements in the interpreter given (Odoo's, so pytest-odoo sees Odoo).
install_test_dependencies() {
  local py=$1
  find_pg_bindir >/dev/null || apt_install postgresql
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || apt_install chromium
  "$py" -m pip install --quiet --disable-pip-version-check -r "$REPO_ROOT/requirements-test.txt"
  if "$py" -c 'import odoo.release' >/dev/null 2>&1; then
    # queue_job is optional; its path is tested when present. An OCA wheel: --no-deps, since
    # Odoo itself is not on PyPI; openupgradelib is its own Python dependency.
    "$py" -m pip install --quiet --disable-pip-version-check --no-deps "odoo-addon-queue_job>=19.0,<19.1"
    "$py" -m pip install --quiet --disable-pip-version-check "openupgradelib>=3.6,<4"
  fi
}
