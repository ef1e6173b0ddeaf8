#!/usr/bin/env python3
"""Benchmark: importing contacts with Odoo's base_import vs this addon vs plain create.

One run, one generated data set (bench_data.py: N rows over M existing companies, 10% of
the rows spelling an existing company otherwise, 10% naming new companies, every contact
with its company's address), and for each method a fresh copy of a template database
(the module installed, the M companies created with their address) and a process of
its own, timed WHOLE from the outside: wall time of the subprocess (interpreter start,
registry load and everything it does) and its peak RSS (wait4's ru_maxrss).

  (a) base_import as the web client drives it: create the import record, upload the file,
      preview, then execute_import in batches of 2,000 rows, each batch in a transaction
      of its own (one RPC each, committed), with the context the web client sends from
      Contacts: the action's {'default_is_company': True} and tracking_disable=True (its
      "Track history" option is unticked by default; --track-history ticks it: every new
      contact then gets its "created" message in the chatter). base_import links a contact to its company
      by exact name only and creates no company with an address: the user imports the new
      companies first (a file of their own), then the contacts with every company spelled
      as in the database, and an "Is a Company" column of 0 (else the Contacts context
      makes every contact a company). bench_data.py writes both files from its truth.
  (b) this addon's headless command, the whole process:
      odoo-bin --addons-path=... contact_import -c CONF -d DB --file contacts.csv
      on the file as it is (variants and new companies in it).
  (c) plain res.partner.create, 2,000 per batch, each batch committed, tracking disabled,
      companies resolved to ids by a dict of exact names (the lower bound of the ORM).

After each, the partners it wrote are read back and compared across the methods (names,
emails, phones, company, address, type, lang, display name, ...): the figures compare
the same work only if they are the same.

    bash bench/run_import_bench.sh                  # 20,000 rows, 2,000 companies
    bash bench/run_import_bench.sh --rows 100000 --companies 10000 --only b
    bash bench/run_import_bench.sh --only b --profile   # + a pyinstrument profile of (b)

or on an existing cluster and template (the module installed):

    python bench/bench_import.py -c odoo.conf -d TEMPLATE --addons-path ADDONS [--rows N] ...
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_data

BATCH = 2000
METHODS = {
    "a": "base_import (web client)",
    "b": "contact_import (headless)",
    "c": "plain create",
}
# What is compared between the methods, for every partner an import wrote.
FINGERPRINT = """
    SELECT p.name, p.email, p.phone, p.is_company, p.type, parent.name, commercial.name,
           p.street, p.street2, p.city, p.zip, state.code, country.code, p.lang, p.active,
           p.complete_name, p.company_id, p.vat, p.create_uid, p.email_normalized
      FROM res_partner p
 LEFT JOIN res_partner parent ON parent.id = p.parent_id
 LEFT JOIN res_partner commercial ON commercial.id = p.commercial_partner_id
 LEFT JOIN res_country_state state ON state.id = p.state_id
 LEFT JOIN res_country country ON country.id = p.country_id
     WHERE p.id > %s
"""
COLUMNS = (
    "name email phone is_company type parent commercial street street2 city zip state country lang "
    "active complete_name company_id vat create_uid email_normalized"
).split()


# -- in the children ---------------------------------------------------------------------
def odoo_registry(args):
    import odoo  # noqa: F401 - the packages Odoo's modules import
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.config, f"--addons-path={args.addons_path}", "--log-level=warn"])
    return Registry(args.db)


def user_env(cr, login="admin", **context):
    """An environment of ``login`` with the context its web client session has."""
    from odoo import api

    env = api.Environment(cr, api.SUPERUSER_ID, {})
    user = env["res.users"].search([("login", "=", login)], limit=1)
    ctx = dict(user.context_get(), allowed_company_ids=[user.company_id.id], **context)
    return env(user=user.id, context=ctx)


def country_ids(env):
    codes = [code for _name, code in bench_data.COUNTRIES]
    return {c.code: c.id for c in env["res.country"].search_fetch([("code", "in", codes)], ["code"])}


def prepare(args):
    """Create the existing companies in this data set's template (once); print its last
    partner id (what the methods write comes after it)."""
    registry = odoo_registry(args)
    data = bench_data.generate(args.rows, args.companies)
    with registry.cursor() as cr:
        env = user_env(cr, tracking_disable=True)
        Partner = env["res.partner"]
        if not Partner.search_count([("name", "=", data.existing[0].name), ("is_company", "=", True)]):
            Partner.create(data.company_vals(country_ids(env), data.existing))
            cr.commit()
        cr.execute("SELECT max(id) FROM res_partner")
        print(json.dumps({"max_partner_id": cr.fetchone()[0]}))


def run_base_import(args):
    """(a): the web client's calls, one transaction (request) each."""
    registry = odoo_registry(args)
    companies = os.path.join(args.workdir, "base_import_companies.csv")
    contacts = os.path.join(args.workdir, "base_import_contacts.csv")
    jobs = [
        (companies, bench_data.BASE_IMPORT_COMPANY_FIELDS, bench_data.BASE_IMPORT_COMPANY_HEADERS),
        (contacts, bench_data.BASE_IMPORT_CONTACT_FIELDS, bench_data.BASE_IMPORT_CONTACT_HEADERS),
    ]
    # What the web client sends: the Contacts action's context (contacts.action_contacts),
    # and the import's "Track history" option (tracking_disable, true by default).
    web_context = {"default_is_company": True, "tracking_disable": not args.track_history}
    options = {
        "advanced": True,
        "has_headers": True,
        "keep_matches": False,
        "limit": BATCH,
        "sheets": [],
        "sheet": "",
        "skip": 0,
        "tracking_disable": not args.track_history,
        "import_skip_records": [],
        "import_set_empty_fields": [],
        "fallback_values": {},
        "name_create_enabled_fields": {},
        "encoding": "utf-8",
        "separator": ",",
        "quoting": '"',
        "date_format": "",
        "datetime_format": "",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
    }
    batches = 0
    for path, fields, headers in jobs:
        with open(path, "rb") as handle:
            content = handle.read()
        with registry.cursor() as cr:  # orm.call("base_import.import", "create")
            record_id = user_env(cr)["base_import.import"].create({"res_model": "res.partner"}).id
        with registry.cursor() as cr:  # /base_import/set_file
            user_env(cr)["base_import.import"].browse(record_id).write(
                {"file": content, "file_name": os.path.basename(path), "file_type": "text/csv"}
            )
        with registry.cursor() as cr:  # the preview the client shows
            user_env(cr, **web_context)["base_import.import"].browse(record_id).parse_preview(
                dict(options), count=10
            )
        skip = 0
        while True:
            with registry.cursor() as cr:  # execute_import: one RPC, committed at its end
                result = (
                    user_env(cr, **web_context)["base_import.import"]
                    .browse(record_id)
                    .execute_import(fields, [h.lower() for h in headers], dict(options, skip=skip))
                )
            batches += 1
            errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
            if errors:
                raise RuntimeError(f"base_import refused {path}: {errors[:3]}")
            if not result.get("nextrow"):
                break
            skip = result["nextrow"]
    print(json.dumps({"batches": batches}))


def run_plain(args):
    """(c): res.partner.create in batches of 2,000, each committed."""
    registry = odoo_registry(args)
    data = bench_data.generate(args.rows, args.companies)
    with registry.cursor() as cr:
        env = user_env(cr, tracking_disable=True)
        countries = country_ids(env)
        env["res.partner"].create(data.company_vals(countries))
        cr.commit()
        names = [c.name for c in data.existing + data.new]
        company_ids = {
            p.name: p.id
            for p in env["res.partner"].search_fetch(
                [("is_company", "=", True), ("name", "in", names)], ["name"]
            )
        }
        vals_list = data.contact_vals(company_ids, countries)
    for start in range(0, len(vals_list), BATCH):
        with registry.cursor() as cr:
            user_env(cr, tracking_disable=True)["res.partner"].create(vals_list[start : start + BATCH])
    print(json.dumps({"batches": -(-len(vals_list) // BATCH)}))


# -- the parent ----------------------------------------------------------------------------
def pg_connect(args, dbname):
    import psycopg2

    config = read_conf(args.config)
    return psycopg2.connect(
        dbname=dbname,
        host=config.get("db_host") or None,
        port=config.get("db_port") or None,
        user=config.get("db_user") or None,
        password=config.get("db_password") or None,
    )


def read_conf(path):
    import configparser

    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser["options"])


def db_exists(args, name):
    conn = pg_connect(args, "postgres")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        found = bool(cr.fetchone())
    conn.close()
    return found


def copy_db(args, name, template):
    """A fresh copy of ``template`` (and of its filestore)."""
    conn = pg_connect(args, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    conn.close()
    data_dir = read_conf(args.config).get("data_dir")
    if data_dir:
        source, target = (os.path.join(data_dir, "filestore", db) for db in (template, name))
        shutil.rmtree(target, ignore_errors=True)
        if os.path.isdir(source):
            shutil.copytree(source, target)


def drop_db(args, name):
    conn = pg_connect(args, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def child_environment(workdir, pycache=True):
    """The environment of the measured processes: with a bytecode cache of their own
    (PYTHONPYCACHEPREFIX), as a deployed Odoo has one, unless ``pycache`` is False. Where
    PYTHONDONTWRITEBYTECODE is set and the sources have no cache for this Python, every
    process would compile Odoo's modules at start (about half a second more each)."""
    env = dict(os.environ)
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(workdir, "pycache")
    return env


def timed(command, log_path, env=None):
    """Run ``command``; (wall seconds, peak RSS in MB, exit code, its stdout, CPU seconds)."""
    with open(log_path + ".out", "w") as out, open(log_path + ".err", "w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(log_path + ".out") as out:
        stdout = out.read()
    return seconds, usage.ru_maxrss / 1024, process.returncode, stdout, usage.ru_utime + usage.ru_stime


def child_command(args, key, db):
    return [
        sys.executable,
        os.path.abspath(__file__),
        "-c",
        args.config,
        "-d",
        db,
        "--addons-path",
        args.addons_path,
        "--rows",
        str(args.rows),
        "--companies",
        str(args.companies),
        "--workdir",
        args.workdir,
        "--child",
        key,
        *(["--track-history"] if getattr(args, "track_history", False) else []),
    ]


def odoo_bin():
    """[odoo-bin] when Odoo's checkout has one (next to the odoo package), else ["-m", "odoo"]:
    what follows the interpreter to run an Odoo command. A prefork server started with
    -m respawns its websocket worker for ever (it runs sys.argv[0] as a script: Odoo's
    __main__.py cannot), which burns the CPU a benchmark measures."""
    found = subprocess.run(
        [sys.executable, "-c", "import os, odoo; print(os.path.dirname(list(odoo.__path__)[0]))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    path = os.path.join(found, "odoo-bin") if found else ""
    return [path] if path and os.path.isfile(path) else ["-m", "odoo"]


def addon_command(args, db, python=(sys.executable,)):
    return [
        *python,
        *odoo_bin(),
        f"--addons-path={args.addons_path}",
        "contact_import",
        "-c",
        args.config,
        "-d",
        db,
        "--log-level=warn",
        "--file",
        os.path.join(args.workdir, "contacts.csv"),
    ]


def fingerprint(args, db, after_id):
    conn = pg_connect(args, db)
    with conn.cursor() as cr:
        cr.execute(FINGERPRINT, (after_id,))
        rows = sorted(cr.fetchall(), key=repr)
    conn.close()
    return rows


def compare(results):
    """Say whether the methods wrote the same partners, and show the first differences."""
    keys = [k for k in results if results[k].get("partners") is not None]
    if len(keys) < 2:
        return
    first = keys[0]
    for other in keys[1:]:
        a, b = results[first]["partners"], results[other]["partners"]
        if a == b:
            print(f"({first}) and ({other}) wrote the same {len(a):,} partners (all {len(COLUMNS)} columns)")
            continue
        only_a, only_b = sorted(set(a) - set(b), key=repr), sorted(set(b) - set(a), key=repr)
        print(
            f"({first}) and ({other}) DIFFER: {len(a):,} vs {len(b):,} partners, "
            f"{len(only_a):,} only in ({first}), {len(only_b):,} only in ({other})"
        )
        for row_a, row_b in list(zip(only_a, only_b, strict=False))[:3]:
            diff = {c: (x, y) for c, x, y in zip(COLUMNS, row_a, row_b, strict=True) if x != y}
            print(f"    e.g. {row_a[0]!r}: {diff}")


def profile(args, db, env=None):
    """Run (b) under pyinstrument and print what dominates."""
    out = os.path.join(args.workdir, "profile-b.pyisession")
    command = addon_command(
        args, db, python=(sys.executable, "-m", "pyinstrument", "-i", "0.002", "-r", "pyisession", "-o", out)
    )
    seconds, _rss, code, _stdout, _cpu = timed(command, os.path.join(args.workdir, "profile-b"), env)
    if code:
        sys.exit(f"profiled run failed, see {args.workdir}/profile-b.err")
    print(f"\nprofile of (b), {seconds:.1f} s under pyinstrument ({out}):")
    print_profile(out, args.profile_lines)


def print_profile(path, lines=40):
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    session = Session.load(path)
    root = session.root_frame()
    total = root.time
    own, inclusive = {}, {}

    def walk(frame, stack):
        name = f"{frame.function} ({os.path.basename(frame.file_path or '')}:{frame.line_no})"
        if frame.function and not frame.function.startswith("["):
            own[name] = own.get(name, 0.0) + frame.total_self_time
            if "contact_import_wizard" in (frame.file_path or "") and name not in stack:
                inclusive[name] = inclusive.get(name, 0.0) + frame.time  # a recursion counts once
        for child in frame.children:
            walk(child, stack | {name})

    walk(root, frozenset())
    print(f"  total {total:.1f} s; self time (where the CPU is), top {lines}:")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1])[:lines]:
        print(f"    {seconds:7.2f} s {100 * seconds / total:5.1f}%  {name}")
    print(f"  inclusive time of the addon's functions, top {lines}:")
    for name, seconds in sorted(inclusive.items(), key=lambda item: -item[1])[:lines]:
        print(f"    {seconds:7.2f} s {100 * seconds / total:5.1f}%  {name}")
    tree = ConsoleRenderer(
        unicode=False,
        color=False,
        show_all=False,
        processor_options={
            "filter_threshold": 0.02,
            "hide_regex": r".*/(python3\.\d+|site-packages/(?!odoo))/.*",
        },
    ).render(session)
    print("  call tree (frames above 2%):")
    for line in tree.splitlines()[: lines * 3]:
        print("    " + line)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--db", required=True, help="template database, the module installed")
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--only", default="a,b,c")
    parser.add_argument("--profile", action="store_true", help="also profile (b) with pyinstrument")
    parser.add_argument("--profile-lines", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the databases of the methods")
    parser.add_argument(
        "--track-history",
        action="store_true",
        help="(a) with base_import's 'Track history' option ticked (tracking_disable=False)",
    )
    parser.add_argument(
        "--no-pycache", action="store_true", help="no bytecode cache for the measured processes"
    )
    parser.add_argument("--workdir")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        {"prepare": prepare, "a": run_base_import, "c": run_plain}[args.child](args)
        return
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="bench_import_")
    env = child_environment(args.workdir, pycache=not args.no_pycache)
    data = bench_data.generate(args.rows, args.companies)
    with open(os.path.join(args.workdir, "contacts.csv"), "wb") as handle:
        handle.write(data.addon_csv())
    companies_file, contacts_file = data.base_import_files()
    with open(os.path.join(args.workdir, "base_import_companies.csv"), "wb") as handle:
        handle.write(companies_file)
    with open(os.path.join(args.workdir, "base_import_contacts.csv"), "wb") as handle:
        handle.write(contacts_file)
    kinds = data.counts()
    print(
        f"data: {args.rows:,} rows over {args.companies:,} existing companies: {kinds.get('exact', 0):,} "
        f"exact names, {kinds.get('variant', 0):,} other spellings, {kinds.get('new', 0):,} rows of "
        f"{len(data.new):,} new companies; files in {args.workdir}"
    )
    print(
        "bytecode cache of the measured processes: "
        + (
            "none"
            if args.no_pycache
            else os.path.join(args.workdir, "pycache") + " (warmed by the template run)"
        )
    )
    # The template of this data set: the module's template and the existing companies.
    template = f"{args.db}_c{args.companies}"
    if not db_exists(args, template):
        copy_db(args, template, args.db)
    seconds, rss, code, stdout, _cpu = timed(
        child_command(args, "prepare", template), os.path.join(args.workdir, "prepare"), env
    )
    if code:
        sys.exit(f"preparing the template failed, see {args.workdir}/prepare.err")
    after_id = json.loads(stdout.strip().splitlines()[-1])["max_partner_id"]
    results = {}
    for key in args.only.split(","):
        db = f"{args.db}_{key}"
        copy_db(args, db, template)
        command = addon_command(args, db) if key == "b" else child_command(args, key, db)
        seconds, rss, code, stdout, cpu = timed(command, os.path.join(args.workdir, f"method-{key}"), env)
        if code:
            sys.exit(f"({key}) {METHODS[key]} failed (exit {code}), see {args.workdir}/method-{key}.err")
        partners = fingerprint(args, db, after_id)
        results[key] = {"seconds": seconds, "rss": rss, "partners": partners}
        detail = ""
        if key == "b":
            summary = json.loads(stdout.strip().splitlines()[-1])
            detail = (
                f" [log {summary['state']}: {summary['contacts_created']:,} contacts, "
                f"{summary['companies_created']:,} companies created, {summary['linked']:,} linked, "
                f"{summary['errors']} errors; {summary['seconds']:.1f} s inside the command]"
            )
        companies = sum(1 for p in partners if p[3])
        print(
            f"({key}) {METHODS[key]:<26} {seconds:7.1f} s whole = {args.rows / seconds:6,.0f} rows/s "
            f"(its CPU {cpu:5.1f} s), peak RSS {rss:5.0f} MB, {len(partners) - companies:,} contacts + "
            f"{companies:,} companies" + detail,
            flush=True,
        )
        if not args.keep:
            drop_db(args, db)
    times = {key: value["seconds"] for key, value in results.items()}
    if "a" in times and "b" in times:
        print(f"contact_import vs base_import: {times['a'] / times['b']:.1f}x faster (whole processes)")
    if "b" in times and "c" in times:
        print(f"contact_import time / plain create time: {times['b'] / times['c']:.2f}")
    compare(results)
    if args.profile:
        db = f"{args.db}_profile"
        copy_db(args, db, template)
        profile(args, db, env)
        if not args.keep:
            drop_db(args, db)


if __name__ == "__main__":
    main()
