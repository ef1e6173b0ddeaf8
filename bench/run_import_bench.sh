#!/usr/bin/env bash
# Runs bench/bench_import.py in a private PostgreSQL cluster: a template database with the
# module installed, copied once per method. Extra arguments go to bench_import.py
# (e.g. --rows 100000 --companies 10000 --only b, or --profile).
#
# BENCH_WORK=/some/dir keeps the cluster, the template and the files there between runs
# (the cluster is stopped at the end, and started again by the next run); without it,
# everything is thrown away.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
ODOO_PY=$(find_odoo_python) || die "no Python here imports Odoo 19 (set ODOO_PYTHON)"
if [[ " $* " == *" --profile "* ]] && ! "$ODOO_PY" -c 'import pyinstrument' 2>/dev/null; then
  "$ODOO_PY" -m pip install --quiet --disable-pip-version-check -r "$REPO_ROOT/bench/requirements.txt"
fi
if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
  stop_cluster "$WORK/pgdata" # left running by an interrupted run
  trap 'stop_cluster "$WORK/pgdata"' EXIT
else
  WORK=$(mktemp -d /tmp/cim-bench.XXXXXX)
  trap 'stop_cluster "$WORK/pgdata"; rm -rf "$WORK"' EXIT
fi
chmod 755 "$WORK"
PG_PORT=$(free_port)
start_cluster "$WORK/pgdata" "$PG_PORT" "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
ADDONS_PATH=$(odoo_addons_path "$ODOO_PY")
write_odoo_conf "$WORK/odoo.conf" bench_tpl 127.0.0.1 "$PG_PORT" odoo "" "$ADDONS_PATH" "$WORK/data"
sed -i '/^dbfilter/d' "$WORK/odoo.conf"
if [ ! -f "$WORK/template.ok" ]; then
  log "installing contact_import_wizard into the template database"
  "$ODOO_PY" -m odoo server -c "$WORK/odoo.conf" -d bench_tpl -i contact_import_wizard --stop-after-init \
    --log-level=warn --http-port="$(free_port)"
  touch "$WORK/template.ok"
fi
mkdir -p "$WORK/files"
"$ODOO_PY" "$REPO_ROOT/bench/bench_import.py" -c "$WORK/odoo.conf" -d bench_tpl --addons-path "$ADDONS_PATH" \
  --workdir "$WORK/files" "$@"
