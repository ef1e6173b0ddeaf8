#!/usr/bin/env bash
# Runs bench/bench_import.py in a private PostgreSQL cluster: a template database with the
# module installed, copied once per method. Extra arguments go to bench_import.py
# (e.g. --rows 100000 --companies 10000 --only b, or --profile).
#
# BENCH_WORK=/some/dir keeps the cluster, the template and the files there between runs
# (the cluster is stopped at the end, and started again by the next run); without it,
# everything is thrown away.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench_cluster.sh"
if [[ " $* " == *" --profile "* ]] && ! "$ODOO_PY" -c 'import pyinstrument' 2>/dev/null; then
  "$ODOO_PY" -m pip install --quiet --disable-pip-version-check -r "$REPO_ROOT/bench/requirements.txt"
fi
start_bench_cluster
if [ ! -f "$WORK/template.ok" ]; then
  log "installing contact_import_wizard into the template database"
  "$ODOO_PY" -m odoo server -c "$WORK/odoo.conf" -d bench_tpl -i contact_import_wizard --stop-after-init \
    --log-level=warn --http-port="$(free_port)"
  touch "$WORK/template.ok"
fi
mkdir -p "$WORK/files"
"$ODOO_PY" "$REPO_ROOT/bench/bench_import.py" -c "$WORK/odoo.conf" -d bench_tpl --addons-path "$ADDONS_PATH" \
  --workdir "$WORK/files" "$@"
