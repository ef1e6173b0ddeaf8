#!/usr/bin/env bash
# Runs bench/bench_server.py in a private PostgreSQL cluster, with template databases that
# have the module installed: one without queue_job (the cron path), one with it. Extra
# arguments go to bench_server.py, e.g.
#   bash bench/run_server_bench.sh --path cron --workers 2 --kill-at 0.5
#   bash bench/run_server_bench.sh --path queue_job --workers 2 --capacity 2
# BENCH_WORK=/some/dir keeps the cluster and the templates between runs (see
# run_import_bench.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_cluster.sh"
start_bench_cluster
TEMPLATE=srv_tpl
MODULES=contact_import_wizard
if [[ " $* " == *" --path queue_job "* ]]; then
  TEMPLATE=srv_tpl_qj
  MODULES=contact_import_wizard,queue_job
  "$ODOO_PY" -c 'import odoo.addons.queue_job' 2>/dev/null ||
    "$ODOO_PY" -m pip install --quiet --disable-pip-version-check --no-deps "odoo-addon-queue_job>=19.0,<19.1"
fi
if [ ! -f "$WORK/$TEMPLATE.ok" ]; then
  log "installing $MODULES into $TEMPLATE"
  "$ODOO_PY" -m odoo server -c "$WORK/odoo.conf" -d "$TEMPLATE" -i "$MODULES" --stop-after-init \
    --log-level=warn --http-port="$(free_port)"
  touch "$WORK/$TEMPLATE.ok"
fi
mkdir -p "$WORK/files"
"$ODOO_PY" "$REPO_ROOT/bench/bench_server.py" -c "$WORK/odoo.conf" -d "$TEMPLATE" --addons-path "$ADDONS_PATH" \
  --workdir "$WORK/files" "$@"
