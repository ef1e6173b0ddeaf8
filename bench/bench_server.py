#!/usr/bin/env python3
"""Benchmark: a large import through the web background path, on a real running server.

Starts ``odoo server`` on a free port (a fresh copy of a template database: the module
installed, with or without queue_job, the existing companies created), then does what a
user does in the browser, over XML-RPC: create the wizard with the file, its four Next
clicks (mapping, validation, reference data, review: the default decisions), then
Import. From that click it polls the database every second (its own connection, not
the server: busy workers would delay the answers) and prints the timeline of rows done
until the log is done, then the click-to-done time and the peak RSS of each server
process (VmHWM, read from /proc).

  --path cron        queue_job not installed: the addon's cron runs the import, slice
                     after slice (Odoo's ir.cron gives a job 10 s per slice).
  --path queue_job   queue_job installed and its job runner running (server-wide
                     module, ``[queue_job] channels = root:C,root.contact_import:C``):
                     one job per chunk on channel root.contact_import (--capacity).
  --workers 0        threaded server (HTTP, cron and job runner threads in one process);
  --workers N        prefork: N HTTP workers (+ a cron worker, + the job runner process).
  --kill-at 0.5      kill -9 the whole server when half the rows are done, start it again
                     and time how long it takes to go on and to finish; then check that
                     no contact was created twice and that every row has one log line.

    bash bench/run_server_bench.sh --path cron --workers 2 --kill-at 0.5
    bash bench/run_server_bench.sh --path queue_job --workers 2 --capacity 2
"""

import argparse
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_data
import bench_import

DONE_STATES = ("done", "done_errors", "failed", "cancelled")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_server_conf(args, db, port):
    """The benchmark's configuration: the given one, plus this server's port, workers,
    limits for a large import and the job runner's channels."""
    options = bench_import.read_conf(args.config)
    options.update(
        {
            "db_name": db,
            "dbfilter": f"^{db}$",
            "http_port": str(port),
            "gevent_port": str(free_port()),
            "http_interface": "127.0.0.1",
            "workers": str(args.workers),
            "max_cron_threads": "1",
            # A click on Next reads the whole file: give a large file's requests time.
            "limit_time_cpu": "600",
            "limit_time_real": "1200",
            "logfile": os.path.join(args.workdir, f"server-{db}.log"),
            "log_level": "info",
            "server_wide_modules": "base,web,queue_job" if args.path == "queue_job" else "base,web",
        }
    )
    path = os.path.join(args.workdir, f"server-{db}.conf")
    with open(path, "w") as handle:
        handle.write("[options]\n")
        for key, value in options.items():
            handle.write(f"{key} = {value}\n")
        if args.path == "queue_job":
            capacity = args.capacity
            handle.write(
                f"\n[queue_job]\nchannels = root:{max(capacity, 2)},root.contact_import:{capacity}\n"
            )
    return path


class Server:
    """``odoo server`` in a session of its own (so that kill -9 reaches every process)."""

    def __init__(self, args, conf, port):
        self.args, self.conf, self.port = args, conf, port
        self.process = None
        self.peak = {}  # pid -> (VmHWM MB, what it is)
        self.phases = []  # (name, {pid: (VmHWM MB, what it is)})
        self.roles = {}  # pid -> what it is, from the order prefork spawns them in
        self.sampling = False

    def start(self):
        launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "odoo_launcher.py")
        command = [sys.executable, launcher, "server", "-c", self.conf]
        self.sampling = True
        threading.Thread(target=self._sample_every, args=(0.5,), daemon=True).start()
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=bench_import.child_environment(self.args.workdir),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}/xmlrpc/2/common").version()
                self.name_workers()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer within 120 s")

    def kill(self):
        self.sample()
        self.sampling = False
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.sampling = False
        if self.process and self.process.poll() is None:
            self.sample()
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def name_workers(self):
        """Prefork spawns its HTTP workers, its websocket worker, its cron worker, then
        queue_job's runner."""
        if not self.args.workers:
            return
        time.sleep(1)
        children = sorted(
            int(pid) for pid in os.listdir("/proc") if pid.isdigit() and self._parent(pid) == self.process.pid
        )
        names = [f"HTTP worker {n + 1}" for n in range(self.args.workers)]
        names += ["websocket worker", "cron worker"]
        if self.args.path == "queue_job":
            names.append("queue_job runner")
        self.roles.update(zip(children, names, strict=False))

    @staticmethod
    def _parent(pid):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                return int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return None

    def _sample_every(self, seconds):
        while self.sampling:
            self.sample()
            time.sleep(seconds)

    def phase(self, name):
        """The peak RSS of each process so far, as of the end of phase ``name``."""
        self.sample()
        self.phases.append((name, dict(self.peak)))

    def report(self):
        shown = {pid for _name, peaks in self.phases for pid, (mb, _role) in peaks.items() if mb >= 50}
        for pid in sorted(shown):
            figures = ", ".join(
                f"{name} {peaks[pid][0]:.0f} MB" for name, peaks in self.phases if pid in peaks
            )
            role = next(peaks[pid][1] for _name, peaks in self.phases if pid in peaks)
            print(f"  peak RSS of pid {pid} ({role}) so far, after each step: {figures}")

    def sample(self):
        """Peak RSS of every process of the server's session, so far."""
        if not self.process:
            return
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    session = int(handle.read().rsplit(")", 1)[1].split()[3])
                if session != self.process.pid:
                    continue
                with open(f"/proc/{pid}/status") as handle:
                    hwm = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM"))
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            role = "main process" if int(pid) == self.process.pid else self.roles.get(int(pid), "worker")
            self.peak[int(pid)] = (max(hwm / 1024, self.peak.get(int(pid), (0, ""))[0]), role)


def rpc(port, db):
    common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common", allow_none=True)
    uid = common.authenticate(db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, "admin", model, method, list(args), kwargs)

    return call


def click_through(port, db, path, server):
    """The wizard's steps as a user clicks them; returns (log id, seconds of each step,
    time of the Import click). The server's peak RSS is noted after each step."""
    call = rpc(port, db)
    with open(path, "rb") as handle:
        content = base64.b64encode(handle.read()).decode()
    steps = {}
    started = time.perf_counter()
    wizard = call("contact.import.wizard", "create", {"file": content, "file_name": os.path.basename(path)})
    steps["upload"] = time.perf_counter() - started
    server.phase("upload")
    for step in ("mapping", "validation", "reference", "review"):
        started = time.perf_counter()
        call("contact.import.wizard", "action_next", [wizard])
        steps[step] = time.perf_counter() - started
        server.phase(step)
    clicked = time.perf_counter()
    action = call("contact.import.wizard", "action_import", [wizard])
    steps["import click"] = time.perf_counter() - clicked
    return action["res_id"], steps, clicked


def progress(conn, log_id):
    with conn.cursor() as cr:
        cr.execute("SELECT state, rows_total FROM contact_import_log WHERE id = %s", (log_id,))
        state, total = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM contact_import_log_line WHERE log_id = %s AND status <> 'not_done'",
            (log_id,),
        )
        return state, cr.fetchone()[0], total


def watch(server, conn, log_id, since, until=None, kill_at=None, label=""):
    """Print rows done every second until the log is done (or ``kill_at`` of the rows
    are); returns (seconds since ``since``, rows done, state, longest time without progress)."""
    last_rows, last_change, longest_gap, first_progress = None, time.perf_counter(), 0.0, None
    while True:
        state, rows, total = progress(conn, log_id)
        now = time.perf_counter()
        server.sample()
        if rows != last_rows:
            if last_rows is not None and first_progress is None:
                first_progress = now - since
            longest_gap = max(longest_gap, now - last_change)
            last_change = now
        print(
            f"  {label}t={now - since:6.1f}s  rows done {rows:>8,}/{total:,}"
            f"{'' if last_rows is None else f'  (+{rows - last_rows:,})':<12}  {state}",
            flush=True,
        )
        last_rows = rows
        if state in DONE_STATES:
            return now - since, rows, state, longest_gap, first_progress
        if kill_at is not None and total and rows >= kill_at * total:
            return now - since, rows, state, longest_gap, first_progress
        if until and now - since > until:
            raise RuntimeError(f"not done after {until} s")
        time.sleep(1)


def check_result(conn, log_id, rows):
    """(duplicated contacts, rows with more than one line, rows without line, lines,
    tags created twice)."""
    with conn.cursor() as cr:
        cr.execute(
            """SELECT count(*) FROM (SELECT lower(name->>'en_US') FROM res_partner_category
                 GROUP BY lower(name->>'en_US') HAVING count(*) > 1) d"""
        )
        tags_twice = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*) FROM (SELECT email FROM res_partner WHERE email LIKE '%%.example'
                 AND NOT is_company GROUP BY email HAVING count(*) > 1) d"""
        )
        duplicates = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*) FROM (SELECT row_number FROM contact_import_log_line WHERE log_id = %s
                 GROUP BY row_number HAVING count(*) > 1) d""",
            (log_id,),
        )
        twice = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*), count(DISTINCT row_number) FROM contact_import_log_line WHERE log_id = %s",
            (log_id,),
        )
        lines, distinct = cr.fetchone()
    return duplicates, twice, rows - distinct, lines, tags_twice


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument(
        "-d", "--db", required=True, help="template: the module installed (+ queue_job for that path)"
    )
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--path", choices=["cron", "queue_job"], default="cron")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--capacity", type=int, default=1, help="root.contact_import's capacity (queue_job)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--kill-at", type=float, help="kill -9 the server at this share of the rows")
    parser.add_argument("--tags", action="store_true", help="a Tags column too (twelve tags over the rows)")
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    data = bench_data.generate(args.rows, args.companies)
    path = os.path.join(args.workdir, f"contacts-{args.rows}{'-tags' if args.tags else ''}.csv")
    with open(path, "wb") as handle:
        handle.write(data.addon_csv(tags=args.tags))
    template = f"{args.db}_c{args.companies}"
    if not bench_import.db_exists(args, template):
        bench_import.copy_db(args, template, args.db)
    env = bench_import.child_environment(args.workdir)
    _seconds, _rss, code, _out, _cpu = bench_import.timed(
        bench_import.child_command(args, "prepare", template), os.path.join(args.workdir, "prepare"), env
    )
    if code:
        sys.exit(f"preparing {template} failed, see {args.workdir}/prepare.err")
    db = f"{args.db}_run"
    bench_import.copy_db(args, db, template)
    port = free_port()
    conf = write_server_conf(args, db, port)
    if os.path.exists(os.path.join(args.workdir, f"server-{db}.log")):
        os.unlink(os.path.join(args.workdir, f"server-{db}.log"))
    mode = "threaded (workers=0)" if not args.workers else f"prefork, workers={args.workers} + a cron worker"
    extra = f", root.contact_import capacity {args.capacity}" if args.path == "queue_job" else ""
    print(
        f"{args.rows:,} rows over {args.companies:,} companies; {args.path} path; {mode}{extra}; port {port}"
    )
    server = Server(args, conf, port)
    conn = bench_import.pg_connect(args, db)
    conn.autocommit = True
    try:
        server.start()
        log_id, steps, clicked = click_through(port, db, path, server)
        server.phase("import click")
        print("  wizard steps: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items()))
        seconds, rows, state, gap, first = watch(server, conn, log_id, clicked, args.timeout, args.kill_at)
        if args.kill_at is not None and state not in DONE_STATES:
            server.kill()
            killed = time.perf_counter()
            print(f"  kill -9 of the server at t={seconds:.1f}s with {rows:,} rows done; starting it again")
            server.start()
            print(f"  server answering again {time.perf_counter() - killed:.1f} s after the kill")
            after, rows2, state, gap2, first2 = watch(
                server, conn, log_id, killed, args.timeout, label="after kill: "
            )
            resumed = "never" if first2 is None else f"{first2:.1f} s"
            print(
                f"after the kill: first progress {resumed} after it, {state} {after:.1f} s after it; "
                f"click-to-done {time.perf_counter() - clicked:.1f} s in all"
            )
            gap = max(gap, gap2)
        else:
            print(
                f"click-to-done: {seconds:.1f} s ({rows:,} rows: {rows / seconds:,.0f} rows/s), state {state}"
            )
        duplicates, twice, missing, lines, tags_twice = check_result(conn, log_id, args.rows)
        print(
            f"longest time without progress while running: {gap:.1f} s; contacts created twice: "
            f"{duplicates}; rows logged twice: {twice}; rows without line: {missing}; lines: {lines:,}; "
            f"tags created twice: {tags_twice}"
        )
        with conn.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM queue_job WHERE state = 'done' AND retry > 1"
                if args.path == "queue_job"
                else "SELECT 0"
            )
            retried = cr.fetchone()[0]
        if args.path == "queue_job":
            print(f"jobs that had to be retried (a conflict, a serialization failure): {retried}")
    finally:
        server.stop()
        conn.close()
        server.phase("at the end")
        server.report()
        if not args.keep:
            bench_import.drop_db(args, db)
    print(json.dumps({"log": log_id}))


if __name__ == "__main__":
    main()
