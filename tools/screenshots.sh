#!/usr/bin/env bash
# Takes the screenshots of README.md (docs/screenshots/*.png) with one command:
#
#   bash tools/screenshots.sh
#
# It starts tools/run.sh on a fresh database of its own (a private PostgreSQL cluster in a
# temporary run dir, free ports on 127.0.0.1), waits until Odoo answers, then runs
# tools/screenshots.mjs in headless Chromium: the script seeds the companies the sample
# file names (over JSON-RPC, as admin) and walks through the product as a user would.
# Odoo and its cluster are stopped and the run dir removed at the end, whatever happens.
#
# Needs: Odoo 19 (see tools/common.sh), PostgreSQL, Debian's chromium, node and npm
# (installed with apt-get when missing and run as root). playwright-core comes from npm
# (tools/package.json) into $SCREENSHOTS_NODE_DIR.
#
# Environment (all optional):
#   SCREENSHOTS_OUT       where the PNGs go                  (default: docs/screenshots)
#   SCREENSHOTS_NODE_DIR  where playwright-core is installed (default: .run/screenshots-node)
#   SCREENSHOTS_ONLY      comma-separated parts to take: french, story, background, convert
#                         (default: all of them, in that order)
#   KEEP_SCREENSHOTS_RUN  1 keeps the run dir (database, Odoo log) and prints where it is
#   CHROMIUM              the browser                        (default: /usr/bin/chromium)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

OUT=${SCREENSHOTS_OUT:-$REPO_ROOT/docs/screenshots}
NODE_DIR=${SCREENSHOTS_NODE_DIR:-$REPO_ROOT/.run/screenshots-node}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

find_odoo_python >/dev/null || die "no Python here imports Odoo 19: set ODOO_PYTHON"
find_pg_bindir >/dev/null || apt_install postgresql
[ -x "$CHROMIUM" ] || apt_install chromium
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm

# playwright-core only drives the browser: Debian's Chromium is used, nothing is downloaded.
if ! [ -f "$NODE_DIR/node_modules/playwright-core/package.json" ] ||
  ! cmp -s "$REPO_ROOT/tools/package.json" "$NODE_DIR/package.json"; then
  log "installing playwright-core into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  cp "$REPO_ROOT/tools/package.json" "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error) ||
    die "npm install of playwright-core failed"
fi

RUN_DIR=$(mktemp -d /tmp/cim-screenshots.XXXXXX)
HTTP_PORT=$(free_port)
PG_PORT=$(free_port)
DB=cim_screenshots
ODOO_PID=

stop_odoo() {
  if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
    # run.sh leads its own process group (setsid): Odoo stops, then run.sh's trap stops
    # the cluster.
    kill -TERM -- "-$ODOO_PID" 2>/dev/null || true
    for _ in $(seq 60); do
      kill -0 "$ODOO_PID" 2>/dev/null || break
      sleep 1
    done
  fi
  stop_cluster "$RUN_DIR/pgdata"
  if [ "${KEEP_SCREENSHOTS_RUN:-}" = 1 ]; then
    log "kept $RUN_DIR (Odoo log: $RUN_DIR/odoo.log)"
  else
    rm -rf "$RUN_DIR"
  fi
}
trap stop_odoo EXIT
trap 'exit 130' INT TERM

log "starting Odoo on 127.0.0.1:$HTTP_PORT with a fresh database in $RUN_DIR (installing the module takes a minute or two)"
ODOO_RUN_DIR=$RUN_DIR ODOO_DB=$DB ODOO_HTTP_PORT=$HTTP_PORT ODOO_PG_PORT=$PG_PORT \
  setsid bash "$REPO_ROOT/tools/run.sh" --log-level=warn >"$RUN_DIR/odoo.log" 2>&1 &
ODOO_PID=$!

for second in $(seq 900); do
  if ! kill -0 "$ODOO_PID" 2>/dev/null; then
    tail -n 30 "$RUN_DIR/odoo.log" >&2
    die "Odoo stopped before it answered (log above)"
  fi
  if curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/web/login"; then
    break
  fi
  [ "$second" = 900 ] && die "Odoo did not answer within 15 minutes (see $RUN_DIR/odoo.log)"
  sleep 1
done
log "Odoo answers; taking the screenshots into $OUT"

mkdir -p "$OUT"
BASE_URL="http://127.0.0.1:$HTTP_PORT" SCREENSHOTS_OUT=$OUT PLAYWRIGHT_DIR=$NODE_DIR CHROMIUM=$CHROMIUM \
  node "$REPO_ROOT/tools/screenshots.mjs"
# Odoo's own ERROR records fail the run (docutils' "(ERROR/3)" about other modules'
# descriptions are not Odoo records), except a query that lost a serialization conflict:
# Odoo runs that request again by itself (seen on discuss_channel_member as an import ends).
if ! python3 - "$RUN_DIR/odoo.log" <<'PY'; then
import re
import sys

record = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
records, current = [], None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    match = record.match(line)
    if match:
        current = [match.group(1), line]
        records.append(current)
    elif current is not None:
        current[1] += line
bad = [
    text
    for level, text in records
    if level in ("ERROR", "CRITICAL")
    and not ("odoo.sql_db: bad query" in text and "could not serialize access" in text)
]
sys.stderr.write("".join(bad))
sys.exit(1 if bad else 0)
PY
  die "Odoo logged errors while the screenshots were taken (above)"
fi

# The main ones also illustrate the module's page in Apps (static/description/index.html).
if [ -z "${SCREENSHOTS_OUT:-}" ]; then
  DESCRIPTION=$REPO_ROOT/contact_import_wizard/static/description/screenshots
  mkdir -p "$DESCRIPTION"
  for shot in 02-mapping 04-reference-data 05-company-dialog 06-review 07-import-log 09-background-import; do
    [ -f "$OUT/$shot.png" ] && cp "$OUT/$shot.png" "$DESCRIPTION/"
  done
fi
log "done: $(ls "$OUT"/*.png | wc -l) screenshots in $OUT"
