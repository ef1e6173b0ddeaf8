#!/usr/bin/env python3
"""Benchmark of the pure-Python engine: read + map + validate + match + plan.

Generates (seeded) a CSV of N contact rows over M company spellings (10% of them
variants: other case, punctuation or legal form) against E existing companies, then
times each step and prints the peak RSS. With --stream-rows it also reads a CSV of that
many rows in a child process and compares its peak RSS with a 1,000-row file: reading
streams when both are about the same.

    python bench/bench_engine.py                       # 100,000 rows, 10,000 spellings, 50,000 companies
    python bench/bench_engine.py --stream-rows 1000000
"""

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench_data import SYLLABLES, WORDS  # the words of every generated company name

from contact_import_wizard.engine import mapping, matching, plan, reader, validation

FORMS = ["Inc.", "GmbH", "Ltd", "SA", "SARL", "BV", "LLC", "AG", "S.p.A.", "Oy", "AB", "PLC", ""]
FIRST = (
    "Ann Bob Cid Dan Eve Fay Gus Hal Ida Jo Kim Lea Max Ned Ola Pia Raj Sam Tea Uma Vic Wen Yan Zoe".split()
)
LAST = "Lee Roe Diaz Kim Chen Singh Novak Rossi Muller Dubois Silva Ito Berg Costa Wolf Hahn Moreau".split()


def company_name(rng, used):
    while True:
        base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"{base} {rng.choice(WORDS)}"
        key = matching.company_key(name)
        if key not in used:
            used.add(key)
            form = rng.choice(FORMS)
            return f"{name} {form}".strip()


def variant(rng, name):
    choice = rng.randint(0, 3)
    if choice == 0:
        return name.lower()
    if choice == 1:
        return name.upper()
    if choice == 2:
        return name.replace(" ", ", ", 1) if " " in name else name + "."
    return "The " + name


def generate(rows, spellings, existing, seed=42):
    rng = random.Random(seed)
    used = set()
    companies = [matching.ExistingCompany(i + 1, company_name(rng, used)) for i in range(existing)]
    # 90% of the spellings are distinct companies, half of them already in Odoo; the
    # other 10% are variants of those (other case, punctuation, "The ...").
    distinct = spellings - spellings // 10
    file_companies = [c.name for c in rng.sample(companies, distinct // 2)]
    file_companies += [company_name(rng, used) for _ in range(distinct - len(file_companies))]
    file_spellings = file_companies + [
        variant(rng, rng.choice(file_companies)) for _ in range(spellings // 10)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["First name", "Last name", "E-mail", "Company", "Phone", "Country", "City"])
    for i in range(rows):
        company = file_spellings[i % len(file_spellings)]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = matching.company_key(company).replace(" ", "")[:20] or "x"
        email = f"{first}.{last}{i}@{slug}.example".lower() if rng.random() > 0.02 else "broken@"
        writer.writerow(
            [first, last, email, company, f"+33 1 {i % 100:02d} {i % 97:02d} 45 67", "France", "Lyon"]
        )
    return buffer.getvalue().encode("utf-8"), companies


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args):
    t0 = time.perf_counter()
    data, companies = generate(args.rows, args.spellings, args.existing)
    t_gen = time.perf_counter() - t0
    rss_before = peak_rss_mb()
    lookups = validation.Lookups(
        existing_emails={f"known{i}@example.com": [i] for i in range(20000)},
        countries=[validation.Country(75, "FR", ("France",))],
        companies=companies,
    )
    timings = {}
    t = time.perf_counter()
    table = reader.open_table(data, "bench.csv")
    suggestions = mapping.suggest(table.headers)
    chosen = {s.column: s.target for s in suggestions}
    timings["open + map"] = time.perf_counter() - t
    t = time.perf_counter()
    result = validation.validate(table.rows(), table.headers, chosen, lookups)
    timings["read + validate + match"] = time.perf_counter() - t
    t = time.perf_counter()
    the_plan = plan.build_plan(result, plan.default_decisions(result), "skip")
    timings["plan"] = time.perf_counter() - t
    total = sum(timings.values())
    statuses = {}
    for match in result.matches.values():
        statuses[match.status] = statuses.get(match.status, 0) + 1
    print(
        f"data: {args.rows:,} rows ({len(data) / 1e6:.1f} MB CSV), {args.spellings:,} company spellings, "
        f"{args.existing:,} existing companies (generated in {t_gen:.1f} s)"
    )
    print(f"mapping: {chosen}")
    for name, seconds in timings.items():
        print(f"{name:>26}: {seconds:6.2f} s")
    print(f"{'total engine':>26}: {total:6.2f} s  ({args.rows / total:,.0f} rows/s)")
    print(f"file companies: {len(result.clusters):,} after clustering; match status: {statuses}")
    print(f"plan: {the_plan.summary()}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (after generating the data: {rss_before:.0f} MB)")


STREAM_CHILD = """
import sys, resource
sys.path.insert(0, sys.argv[2])
from contact_import_wizard.engine import reader
table = reader.open_table(sys.argv[1], "stream.csv")
rows = reader.count_rows(table)
print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def stream(rows):
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    results = {}
    for count in (1000, rows):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Name", "Email", "Company", "Notes"])
            for i in range(count):
                writer.writerow([f"Person {i}", f"p{i}@example.com", f"Company {i % 5000}", "x" * 40])
            path = handle.name
        try:
            size = os.path.getsize(path) / 1e6
            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", STREAM_CHILD, path, repo], capture_output=True, text=True, check=True
            ).stdout.split()
            seconds = time.perf_counter() - t
        finally:
            os.unlink(path)
        results[count] = (int(out[0]), float(out[1]), size, seconds)
        print(
            f"stream read {int(out[0]):>9,} rows ({size:6.1f} MB): peak RSS {float(out[1]):6.1f} MB, "
            f"{seconds:5.1f} s"
        )
    small, large = results[1000][1], results[rows][1]
    print(f"peak RSS grows by {large - small:.1f} MB from 1,000 to {rows:,} rows")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--spellings", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=50_000)
    parser.add_argument("--stream-rows", type=int, default=0)
    args = parser.parse_args()
    run(args)
    if args.stream_rows:
        stream(args.stream_rows)


if __name__ == "__main__":
    main()
