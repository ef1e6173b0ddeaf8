# Sourced by the run_*_bench.sh scripts: Odoo's Python (ODOO_PY), a private PostgreSQL
# cluster in WORK (BENCH_WORK keeps it between runs, stopped at the end; without it,
# everything is thrown away), and WORK/odoo.conf for it (ADDONS_PATH).
# A kept BENCH_WORK keeps its template databases too, built from the code of their day:
# after a change of the module's models, delete the folder (or its *.ok files and databases).
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
ODOO_PY=$(find_odoo_python) || die "no Python here imports Odoo 19 (set ODOO_PYTHON)"

start_bench_cluster() {
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
}
