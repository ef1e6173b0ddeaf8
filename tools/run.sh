#!/usr/bin/env bash
# Runs the product: installs contact_import_wizard into a database (created when missing)
# and serves Odoo on 127.0.0.1. Without a configured database server, a private
# PostgreSQL cluster is started in .run/pgdata (kept between runs, stopped on exit).
#
# Environment (all optional), besides ODOO_PYTHON, ODOO_ADDONS_PATH and PG_BINDIR
# (see tools/common.sh):
#   ODOO_DB           database name                        (default: contact_import)
#   ODOO_HTTP_PORT    port Odoo serves on, on 127.0.0.1     (default: 8069)
#   ODOO_DB_HOST      an existing PostgreSQL server; when set, no private cluster is
#   ODOO_DB_PORT,     started and these are passed to Odoo  (defaults: 5432, $USER, empty)
#   ODOO_DB_USER, ODOO_DB_PASSWORD
#   ODOO_RUN_DIR      where the private cluster, config and filestore live (default: .run)
#   ODOO_PG_PORT      port of the private cluster           (default: 54329)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ODOO_PY=$(find_odoo_python) || die "no Python here imports Odoo 19: set ODOO_PYTHON to the interpreter of your Odoo 19 installation"
DB=${ODOO_DB:-contact_import}
HTTP_PORT=${ODOO_HTTP_PORT:-8069}
RUN_DIR=${ODOO_RUN_DIR:-$REPO_ROOT/.run}
mkdir -p "$RUN_DIR"
chmod 755 "$RUN_DIR"

"$ODOO_PY" -m pip install --quiet -r "$REPO_ROOT/requirements.txt" ||
  die "could not install requirements.txt into $ODOO_PY"

if [ -n "${ODOO_DB_HOST:-}" ]; then
  DB_HOST=$ODOO_DB_HOST DB_PORT=${ODOO_DB_PORT:-5432} DB_USER=${ODOO_DB_USER:-$(id -un)} DB_PASSWORD=${ODOO_DB_PASSWORD:-}
  log "using the PostgreSQL server at $DB_HOST:$DB_PORT as $DB_USER"
else
  DB_HOST=127.0.0.1 DB_PORT=${ODOO_PG_PORT:-54329} DB_USER=odoo DB_PASSWORD=""
  PGDATA_DIR="$RUN_DIR/pgdata"
  log "starting a private PostgreSQL cluster in $PGDATA_DIR on $DB_HOST:$DB_PORT"
  start_cluster "$PGDATA_DIR" "$DB_PORT"
  trap 'stop_cluster "$PGDATA_DIR"' EXIT
  trap 'exit 130' INT TERM
fi

CONF="$RUN_DIR/odoo.conf"
write_odoo_conf "$CONF" "$DB" "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASSWORD" \
  "$(odoo_addons_path "$ODOO_PY")" "$RUN_DIR/data"

cat <<MSG

  Odoo starts with contact_import_wizard installed in database '$DB' (created when missing).
  Open  http://127.0.0.1:$HTTP_PORT/odoo/contacts  and log in as  admin / admin
  (a new database's administrator), then Contacts > Import Contacts.
  Stop with Ctrl+C.

MSG
# -i installs the module into a new database (and creates the database), -u upgrades
# it in an existing one so that the code you run is the code that is installed.
if "$ODOO_PY" - "$CONF" "$DB" <<'PY' 2>/dev/null; then
import sys
import psycopg2
from configparser import ConfigParser

conf = ConfigParser()
conf.read(sys.argv[1])
opts = conf["options"]
conn = psycopg2.connect(dbname=sys.argv[2], host=opts["db_host"], port=opts["db_port"],
                        user=opts["db_user"], password=opts["db_password"] or None)
with conn.cursor() as cr:
    cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'contact_import_wizard' AND state = 'installed'")
    sys.exit(0 if cr.fetchone() else 1)
PY
  MODULE_OPT=(-u contact_import_wizard)
else
  MODULE_OPT=(-i contact_import_wizard)
fi
"$ODOO_PY" -m odoo server -c "$CONF" -d "$DB" "${MODULE_OPT[@]}" --http-port="$HTTP_PORT" "$@"
