"""The headless command, run for real in a subprocess on a committed database.

tools/test.sh copies the freshly installed test database to CIM_CLI_DB for these tests
(the other Odoo tests run in transactions that are never committed, so a subprocess
could not see their data).
"""

import configparser
import json
import os
import subprocess
import sys

import psycopg2
import pytest

from ..engine.normalize import company_key
from .exports import EXPECTED, EXPORTS, expected_people

CLI_DB = os.environ.get("CIM_CLI_DB")
CONF = os.environ.get("CIM_ODOO_CONF")
ADDONS_PATH = os.environ.get("CIM_ADDONS_PATH")

pytestmark = pytest.mark.skipif(not (CLI_DB and CONF and ADDONS_PATH), reason="run by tools/test.sh only")

SETUP = """
user, manager = env.ref("base.group_user"), env.ref("base.group_partner_manager")
env["res.users"].create({"name": "CLI Plain", "login": "cli_plain", "group_ids": [(6, 0, user.ids)]})
env["res.users"].create({"name": "CLI Importer", "login": "cli_importer",
                         "group_ids": [(6, 0, (user + manager).ids)]})
env["res.partner"].create({"name": "Wayne Enterprises", "is_company": True})
env["res.partner"].create({"name": "Oscorp Industries", "is_company": True})
env["res.partner"].create({"name": "Müller Bau GmbH", "is_company": True, "website": "https://mueller-bau.de"})
env["res.partner"].create({"name": "Intertech Solutions AG", "is_company": True, "website": "https://intertech.example"})
env["res.partner"].create({"name": "Old Name", "email": "bruce@wayne.example"})
env["contact.import.mapping"].create({"name": "CLI mapping", "duplicate_policy": "update",
    "column_map": {"Who": "name", "Mail": "email", "Employer": "company", "Remark": None}})
env.cr.commit()
"""


def odoo(*args, stdin=None):
    command = [sys.executable, "-m", "odoo", f"--addons-path={ADDONS_PATH}", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=300, check=False)


def cli(tmp_path, content, *options, name="people.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return odoo("contact_import", "-c", CONF, "-d", CLI_DB, "--log-level=warn", "--file", str(path), *options)


def query(sql, params=()):
    conf = configparser.ConfigParser()
    conf.read(CONF)
    options = conf["options"]
    with (
        psycopg2.connect(
            dbname=CLI_DB, host=options["db_host"], port=options["db_port"], user=options["db_user"]
        ) as conn,
        conn.cursor() as cr,
    ):
        cr.execute(sql, params)
        return cr.fetchall()


@pytest.fixture(scope="module", autouse=True)
def cli_database():
    done = odoo("shell", "-c", CONF, "-d", CLI_DB, "--no-http", "--log-level=warn", stdin=SETUP)
    assert done.returncode == 0, done.stderr


FILE = """Name,Email,Company
Peter Parker,peter@daily.example,Daily Bugle
Ned Leeds,ned@daily.example,daily bugle
Lucius Fox,lucius@wayne.example,Wayne Enterprises Inc.
Norman Osborn,norman@oscorp.example,Oscorp Industrys
Bad Row,not-an-email,Daily Bugle
"""


def summary_of(done):
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # exactly one JSON object on stdout
    return json.loads(lines[0])


def test_import_prints_json_and_writes_contacts(tmp_path):
    summary = summary_of(cli(tmp_path, FILE, "--login", "cli_importer"))
    assert set(summary) == {
        "log_id",
        "state",
        "rows",
        "rows_done",
        "contacts_created",
        "contacts_updated",
        "companies_created",
        "linked",
        "ignored",
        "errors",
        "seconds",
    }
    # Daily Bugle and "Oscorp Industrys" (a fuzzy suggestion only, no threshold) are created.
    assert {
        k: summary[k]
        for k in ("rows", "contacts_created", "companies_created", "linked", "ignored", "errors")
    } == {
        "rows": 5,
        "contacts_created": 4,
        "companies_created": 2,
        "linked": 1,
        "ignored": 1,
        "errors": 0,
    }
    assert (summary["state"], summary["rows_done"]) == ("done", 5)
    rows = query(
        "SELECT p.name, c.name FROM res_partner p LEFT JOIN res_partner c ON c.id = p.parent_id "
        "WHERE p.contact_import_log_id = %s AND NOT p.is_company ORDER BY p.name",
        (summary["log_id"],),
    )
    assert rows == [
        ("Lucius Fox", "Wayne Enterprises"),
        ("Ned Leeds", "Daily Bugle"),
        ("Norman Osborn", "Oscorp Industrys"),
        ("Peter Parker", "Daily Bugle"),
    ]
    assert query(
        "SELECT state, user_id IS NOT NULL FROM contact_import_log WHERE id = %s", (summary["log_id"],)
    ) == [("done", True)]


def test_dry_run_writes_only_the_log(tmp_path):
    # Companies of its own: the other tests commit theirs into the same database.
    content = (
        FILE.replace("example", "dry").replace("Daily Bugle", "Dry Bugle").replace("daily bugle", "dry bugle")
    )
    content = content.replace("Oscorp Industrys", "Oscorp Industriez")
    summary = summary_of(cli(tmp_path, content, "--dry-run", "--link-threshold", "90"))
    assert (summary["contacts_created"], summary["companies_created"], summary["linked"]) == (4, 1, 2)
    assert query("SELECT count(*) FROM res_partner WHERE email LIKE %s", ("%.dry",)) == [(0,)]
    assert query("SELECT count(*) FROM contact_import_log_line WHERE log_id = %s", (summary["log_id"],)) == [
        (5,)
    ]


def test_saved_mapping_and_update_policy(tmp_path):
    content = "Who,Mail,Employer,Remark\nBruce Wayne,bruce@wayne.example,Wayne Enterprises,ignored\n"
    summary = summary_of(cli(tmp_path, content, "--mapping", "CLI mapping"))
    assert (summary["contacts_updated"], summary["contacts_created"]) == (1, 0)
    assert query("SELECT name FROM res_partner WHERE email = 'bruce@wayne.example'") == [("Bruce Wayne",)]


def test_skip_unmatched(tmp_path):
    content = "Name,Email,Company\nMary Jane,mj@nowhere.example,Nowhere Theatre\n"
    summary = summary_of(cli(tmp_path, content, "--unmatched", "skip"))
    assert (summary["contacts_created"], summary["ignored"]) == (0, 1)


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("Name,Email\n", (), "has a header row but no data rows"),
        (FILE, ("--mapping", "Nope"), "no mapping template named 'Nope'"),
        (FILE, ("--login", "cli_plain"), "user 'cli_plain' is not allowed to import contacts"),
        (FILE, ("--login", "nobody"), "no user with login 'nobody'"),
        (FILE, ("--link-threshold", "120"), "--link-threshold takes a number from 0 to 100"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, (), "cannot be read as an Excel 97-2003 workbook"),
    ],
)
def test_failures_exit_non_zero_with_one_line(tmp_path, content, options, message):
    before = query("SELECT count(*) FROM contact_import_log")
    done = cli(tmp_path, content, *options)
    assert done.returncode != 0
    assert done.stdout == ""
    reason = [line for line in done.stderr.splitlines() if line.startswith("contact_import: ")]
    assert len(reason) == 1 and message in reason[0], done.stderr
    assert query("SELECT count(*) FROM contact_import_log") == before  # nothing written


def test_concurrent_imports_create_a_shared_new_company_once():
    """Two real transactions on the committed database, both validated before either
    writes: the second waits for the first to commit, fails with a serialization error
    as Odoo expects, and its retry (as Odoo retries a request) links to the company."""
    import base64
    import threading
    import time

    from psycopg2.errors import SerializationFailure

    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    # Load that database's registry without building its test suites (pytest runs them).
    test_enable, config["test_enable"] = config["test_enable"], False
    try:
        registry = Registry(CLI_DB)
    finally:
        config["test_enable"] = test_enable
    both_validated = threading.Barrier(2, timeout=60)
    logs, retried, errors = {}, [], []

    def attempt(name, wait):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            data = f"Name,Email,Company\n{name},{name}@concurrent.example,Concurrent Co Inc.\n".encode()
            wizard = env["contact.import.wizard"].create(
                {"file": base64.b64encode(data), "file_name": f"{name}.csv"}
            )
            for _step in range(4):
                wizard.action_next()
            if wait:
                assert wizard.review_companies == 1  # neither sees the other's company yet
                both_validated.wait()
            log = wizard._import()
            time.sleep(1)  # hold the claim a while: the other import must wait for it
            cr.commit()
            return (log.state, log.companies_created, log.contacts_linked)

    def run(name):
        try:
            try:
                logs[name] = attempt(name, wait=True)
            except SerializationFailure:
                retried.append(name)
                logs[name] = attempt(name, wait=False)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(retried) == 1
    assert sorted(logs.values()) == [("done", 0, 1), ("done", 1, 0)]
    companies = query("SELECT id FROM res_partner WHERE name = 'Concurrent Co Inc.' AND is_company")
    assert len(companies) == 1
    parents = query(
        "SELECT DISTINCT parent_id FROM res_partner WHERE email LIKE %s", ("%@concurrent.example",)
    )
    assert parents == companies


def big_file(prefix, rows):
    lines = ["Name,Email,Company"]
    lines += [f"{prefix} {i},{prefix.lower()}{i}@big.example,{prefix} Co {i % 7}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def set_param(key, value):
    query(
        "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING key",
        (key, value),
    )


@pytest.fixture
def small_chunks():
    set_param("contact_import_wizard.background_threshold", "50")
    set_param("contact_import_wizard.chunk_size", "40")
    yield
    query("DELETE FROM ir_config_parameter WHERE key LIKE %s RETURNING key", ("contact_import_wizard.%",))


def test_above_the_background_threshold_the_command_imports_everything(tmp_path, small_chunks):
    done = cli(tmp_path, big_file("Above", 200), "--login", "cli_importer")
    summary = summary_of(done)
    assert (summary["state"], summary["rows"], summary["contacts_created"], summary["companies_created"]) == (
        "done",
        200,
        200,
        7,
    )
    # one progress line per committed chunk on stderr (not a terminal)
    progress = [
        line for line in done.stderr.splitlines() if line.startswith("contact_import: ") and "rows/s" in line
    ]
    assert len(progress) >= 5 and progress[-1].startswith("contact_import: 200/200 rows")
    assert query("SELECT count(*) FROM res_partner WHERE email LIKE %s", ("above%@big.example",)) == [(200,)]


def test_background_queues_and_says_so(tmp_path, small_chunks):
    summary = summary_of(cli(tmp_path, big_file("Queued", 60), "--background"))
    assert (summary["state"], summary["contacts_created"], summary["rows_done"]) == ("queued", 0, 0)
    queue_job = query(
        "SELECT count(*) FROM ir_module_module WHERE name = 'queue_job' AND state = 'installed'"
    )
    runner = "queue_job" if queue_job == [(1,)] else "cron"
    assert query("SELECT state, runner FROM contact_import_log WHERE id = %s", (summary["log_id"],)) == [
        ("queued", runner)
    ]
    # the server's cron will run it; this test's database has no server: leave it cancelled
    query(
        "UPDATE contact_import_log SET state = 'cancelled' WHERE id = %s RETURNING id", (summary["log_id"],)
    )


def test_an_interrupted_import_resumes_without_duplicates(tmp_path, small_chunks):
    path = tmp_path / "killed.csv"
    path.write_text(big_file("Killed", 400))
    command = [sys.executable, "-m", "odoo", f"--addons-path={ADDONS_PATH}", "contact_import", "-c", CONF]
    command += ["-d", CLI_DB, "--log-level=warn", "--file", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:  # killed (-9) right after its second committed chunk
        if "rows/s" in line and not line.startswith("contact_import: 0/"):
            if line.startswith("contact_import: 40/"):
                continue
            process.kill()
            break
    process.wait(60)
    [(log_id, state, lines)] = query(
        "SELECT l.id, l.state, (SELECT count(*) FROM contact_import_log_line WHERE log_id = l.id) "
        "FROM contact_import_log l WHERE file_name = 'killed.csv'"
    )
    assert state == "running" and 0 < lines < 400
    summary = summary_of(
        odoo("contact_import", "-c", CONF, "-d", CLI_DB, "--log-level=warn", "--resume", str(log_id))
    )
    assert (summary["log_id"], summary["state"], summary["contacts_created"]) == (log_id, "done", 400)
    assert query(
        "SELECT count(*), count(DISTINCT email) FROM res_partner WHERE email LIKE %s", ("killed%",)
    ) == [(400, 400)]
    assert query(
        "SELECT count(*), count(DISTINCT row_number) FROM contact_import_log_line WHERE log_id = %s",
        (log_id,),
    ) == [(400, 400)]
    assert query("SELECT count(*) FROM res_partner WHERE is_company AND name LIKE 'Killed Co %%'") == [(7,)]


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_each_exporters_file_through_the_command(tmp_path, sample):
    """The headless command, defaults only: every person of a real export, with the
    email, job position and company the file gives them."""
    data = (EXPORTS / sample).read_bytes()
    people = expected_people(sample, EXPECTED[sample][1])
    # several samples share people and the database is shared: create them anyway
    summary = summary_of(cli(tmp_path, data, "--duplicates", "create", name=sample))
    assert summary["state"] == "done" and summary["errors"] == 0
    rows = query(
        "SELECT l.row_number, p.name, p.email, COALESCE(p.function, ''), COALESCE(c.name, '') "
        "FROM contact_import_log_line l JOIN res_partner p ON p.id = l.partner_id "
        "LEFT JOIN res_partner c ON c.id = p.parent_id "
        "WHERE l.log_id = %s AND l.status IN ('created', 'linked')",
        (summary["log_id"],),
    )
    got = {row: (name, email or "", function, company) for row, name, email, function, company in rows}
    assert len(got) == len(people)
    for row, expected in people:
        name, email, function, company = got[row]
        assert (name, email, function) == (expected["name"], expected["email"], expected["function"])
        assert company_key(company) == company_key(expected["company"])


def test_a_link_threshold_never_links_look_alikes(tmp_path):
    content = (
        "Name,Email,Company\n"
        "Ola Berg,ola@moeller-bau.de,Möller Bau GmbH\n"
        "Ida Lund,ida@intratech.example,Intratech Solutions AG\n"
        "Lucius Fox,lucius.fox@wayne.example,Wayne Enterprises Inc\n"
    )
    summary = summary_of(cli(tmp_path, content, "--link-threshold", "90", "--duplicates", "create"))
    rows = query(
        "SELECT p.name, c.name FROM contact_import_log_line l JOIN res_partner p ON p.id = l.partner_id "
        "JOIN res_partner c ON c.id = p.parent_id WHERE l.log_id = %s ORDER BY p.name",
        (summary["log_id"],),
    )
    # look-alikes with other domains get companies of their own; the honest variant links
    assert rows == [
        ("Ida Lund", "Intratech Solutions AG"),
        ("Lucius Fox", "Wayne Enterprises"),
        ("Ola Berg", "Möller Bau GmbH"),
    ]
    assert summary["companies_created"] == 2
