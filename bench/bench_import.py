#!/usr/bin/env python3
"""Benchmark: importing contacts with Odoo's base_import vs this addon vs plain create.

In one run, on the same generated file and copies of the same template database (the
module installed, N companies pre-created under their exact names), it imports:

  (a) with base_import exactly as the web client drives it: execute_import in batches of
      2,000 rows, each batch committed, the parent company mapped by name;
  (b) with this addon: engine (read, map, validate, match, plan) + the executor, committing
      every chunk, as the background job does;
  (c) with plain res.partner.create in batches of 2,000, tracking disabled: the practical
      lower bound of the ORM.

Each runs in a fresh process (peak RSS is its own). Prints rows/s, the ratios and peak RSS.
Run it with bench/run_import_bench.sh, which starts a throwaway PostgreSQL cluster.

    python bench/bench_import.py -c odoo.conf -d TEMPLATE --rows 20000 --companies 2000 [--only a,b,c]
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time

BATCH = 2000
HEADERS = ["Name", "Email", "Company", "Phone", "City"]


def generate(rows, companies, seed=7):
    rng = random.Random(seed)
    names = [f"Bench Company {i:05d} {rng.choice(['Inc.', 'GmbH', 'Ltd', 'SA'])}" for i in range(companies)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for i in range(rows):
        company = names[i % companies]
        writer.writerow(
            [
                f"Person {i:06d}",
                f"person{i}@bench{i % companies}.example",
                company,
                f"+33 1 00 {i % 100:02d} {i % 97:02d} 00",
                "Lyon",
            ]
        )
    return buffer.getvalue().encode(), names


def parse_config(conf, addons_path):
    from odoo.tools import config

    config.parse_config(["-c", conf] + ([f"--addons-path={addons_path}"] if addons_path else []))
    return config


def odoo_env(conf, db, addons_path):
    import odoo
    from odoo.modules.registry import Registry

    parse_config(conf, addons_path)
    return odoo, Registry(db)


def run_base_import(env, data, rows):
    Import = env["base_import.import"]
    record = Import.create(
        {"res_model": "res.partner", "file": data, "file_name": "bench.csv", "file_type": "text/csv"}
    )
    options = {
        "has_headers": True,
        "separator": ",",
        "quoting": '"',
        "encoding": "utf-8",
        "date_format": "",
        "datetime_format": "",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
        "advanced": True,
        "keep_matches": False,
        "name_create_enabled_fields": {},
        "import_set_empty_fields": [],
        "import_skip_records": [],
        "fallback_values": {},
        "limit": BATCH,
        "tracking_disable": True,
    }
    fields = ["name", "email", "parent_id", "phone", "city"]
    env.cr.commit()
    for skip in range(0, rows, BATCH):
        result = record.execute_import(fields, HEADERS, dict(options, skip=skip))
        errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
        if errors:
            raise RuntimeError(errors[:3])
        env.cr.commit()


def run_addon(env, data, rows):
    from odoo.addons.contact_import_wizard.engine import mapping, plan

    Log = env["contact.import.log"]
    column_map = {s.column: s.target for s in mapping.suggest(HEADERS)}
    _table, result = env["contact.import.engine"]._validate_file(data, "bench.csv", {}, column_map)
    decisions = plan.default_decisions(result)
    the_plan = plan.build_plan(result, decisions, "skip")
    log = Log.create({"file_name": "bench.csv", "headers": HEADERS, "mapping_used": column_map})

    def commit(done):
        env.cr.commit()
        return True

    log._execute(result, the_plan, {}, commit=commit, chunk_size=BATCH)
    env.cr.commit()
    if log.contacts_created != rows:
        raise RuntimeError(
            f"addon imported {log.contacts_created} of {rows} ({log.state}, {log.rows_ignored} ignored)"
        )


def run_plain(env, data, rows):
    Partner = env["res.partner"].with_context(tracking_disable=True)
    companies = {p.name: p.id for p in Partner.search_fetch([("is_company", "=", True)], ["name"])}
    reader = csv.reader(io.StringIO(data.decode()))
    next(reader)
    batch = []
    for name, email, company, phone, city in reader:
        batch.append(
            {"name": name, "email": email, "parent_id": companies[company], "phone": phone, "city": city}
        )
        if len(batch) == BATCH:
            Partner.create(batch)
            env.cr.commit()
            batch = []
    if batch:
        Partner.create(batch)
    env.cr.commit()


METHODS = {
    "a": ("base_import (web client batches)", run_base_import),
    "b": ("contact_import_wizard", run_addon),
    "c": ("plain create, tracking off", run_plain),
}


def child(args):
    """One method, in this fresh process, on its own copy of the template."""
    odoo, registry = odoo_env(args.config, args.db, args.addons_path)
    data, _names = generate(args.rows, args.companies)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        before = env["res.partner"].search_count([])
        profiler = None
        if args.profile:
            from pyinstrument import Profiler  # pip install pyinstrument

            profiler = Profiler()
            profiler.start()
        started = time.perf_counter()
        METHODS[args.child][1](env, data, args.rows)
        seconds = time.perf_counter() - started
        if profiler:
            profiler.stop()
            out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, f"profile-{args.child}.txt"), "w") as handle:
                handle.write(profiler.output_text(show_all=False))
        env.invalidate_all()
        created = env["res.partner"].search_count([]) - before
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "created": created, "rss_mb": rss}))


def prepare_template(args):
    odoo, registry = odoo_env(args.config, args.db, args.addons_path)
    _data, names = generate(args.rows, args.companies)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["res.partner"].search_count([("name", "=", names[0])]):
            env["res.partner"].with_context(tracking_disable=True).create(
                [{"name": name, "is_company": True} for name in names]
            )
        cr.commit()
    odoo.sql_db.close_db(args.db)


def copy_db(args, name):
    import psycopg2

    config = parse_config(args.config, args.addons_path)
    conn = psycopg2.connect(
        dbname="postgres", host=config["db_host"], port=config["db_port"], user=config["db_user"]
    )
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.db}"')
    conn.close()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--db", required=True, help="template database, the module installed")
    parser.add_argument("--addons-path")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--only", default="a,b,c")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of each method")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    prepare_template(args)
    results = {}
    for key in args.only.split(","):
        name = f"{args.db}_{key}"
        copy_db(args, name)
        command = [
            sys.executable,
            __file__,
            "-c",
            args.config,
            "-d",
            name,
            "--rows",
            str(args.rows),
            "--companies",
            str(args.companies),
            "--child",
            key,
        ]
        if args.addons_path:
            command += ["--addons-path", args.addons_path]
        if args.profile:
            command.append("--profile")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"{METHODS[key][0]} failed:\n{done.stderr[-3000:]}")
        results[key] = json.loads(done.stdout.strip().splitlines()[-1])
        seconds, created, rss = results[key]["seconds"], results[key]["created"], results[key]["rss_mb"]
        print(
            f"({key}) {METHODS[key][0]:<34} {args.rows:>7,} rows in {seconds:7.1f} s = "
            f"{args.rows / seconds:7.0f} rows/s, {created:,} partners, peak RSS {rss:.0f} MB",
            flush=True,
        )
    seconds = {key: value["seconds"] for key, value in results.items()}
    if "a" in seconds and "b" in seconds:
        print(f"contact_import_wizard vs base_import: {seconds['a'] / seconds['b']:.1f}x faster")
    if "b" in seconds and "c" in seconds:
        print(f"contact_import_wizard time / plain create time: {seconds['b'] / seconds['c']:.2f}")


if __name__ == "__main__":
    main()
