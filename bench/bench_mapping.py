#!/usr/bin/env python3
"""Benchmark of the column mapping: suggest() on a 100-column header with 1,000 sampled rows.

Builds (seeded) a file laid out as Outlook exports it, widened to 100 columns with custom
fields, and 1,000 rows of realistic values; then prints the median (and min/max) of N
runs of suggest() with its samples, with and without presets, and of recognise() alone.
The country-name index (Babel's CLDR names in every language) is built once per process:
its cold build time is measured in a fresh interpreter and printed apart.

    python bench/bench_mapping.py             # 50 runs
    python bench/bench_mapping.py --runs 200
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

from contact_import_wizard.engine import countries, mapping  # noqa: E402

FIRST = "Ann Bob Cid Dana Émilie Jürgen Priya Tom Mei Luca Aiko Carlos Zoé Olga Jan Sofia".split()
LAST = "Lee Roe Diaz Müller Dubois Natarajan Becker Chen Rossi Tanaka García Nowak Vries Almeida".split()
CITIES = ["Berlin", "Lyon", "München", "Toronto", "Redmond", "Madrid", "Milano", "Tokyo", "Köln"]
COUNTRIES = ["Deutschland", "France", "Canada", "United States of America", "España", "Italy", "Japan"]
WORDS = "alpha beta gamma delta sales purchasing engineering north south east west".split()


def value_for(header, rng, i):
    """A plausible value for an Outlook column (or a custom one), sometimes empty."""
    if rng.random() < 0.35:
        return ""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if "E-mail" in header and "Address" in header:
        return f"{first}.{last}{i}@example{i % 50}.com".lower()
    if "E-mail" in header and "Type" in header:
        return "SMTP"
    if "Display Name" in header:
        return f"{first} {last} ({first}@example.com)"
    if "Phone" in header or "Fax" in header:
        return f"+49 30 {rng.randint(1000000, 9999999)}"
    if "Postal Code" in header:
        return f"{rng.randint(10000, 99999)}"
    if "Country" in header:
        return rng.choice(COUNTRIES)
    if "City" in header:
        return rng.choice(CITIES)
    if "Street" in header:
        return f"{rng.choice(WORDS).title()}straße {rng.randint(1, 200)}"
    if header == "First Name":
        return first
    if header == "Last Name":
        return last
    if header == "Title":
        return rng.choice(["Mr.", "Ms.", "Dr.", "Prof."])
    if header in ("Birthday", "Anniversary"):
        return "0/0/00"
    if header == "Web Page":
        return f"www.example{i % 50}.com"
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))


def build(columns=100, rows=1000, seed=7):
    rng = random.Random(seed)
    headers = list(mapping.PRESETS_BY_KEY["outlook"].headers)
    headers += [f"Custom field {n}" for n in range(1, columns - len(headers) + 1)]
    headers = headers[:columns]
    samples = {h: [] for h in headers}
    for i in range(rows):
        for header in headers:
            value = value_for(header, rng, i)
            if value:
                samples[header].append(value)
    return headers, samples


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def cold_index_seconds():
    """Build time of the country-name index in a fresh interpreter (what the first import pays)."""
    code = (
        "import sys, time; sys.path.insert(0, %r)\n"
        "from contact_import_wizard.engine import countries\n"
        "t = time.perf_counter(); names = countries.country_names()\n"
        "print(time.perf_counter() - t, len(names))\n"
    ) % ROOT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    seconds, count = out.split()
    return float(seconds), int(count)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--columns", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()

    seconds, count = cold_index_seconds()
    print(f"country-name index, cold build in a fresh process: {seconds * 1000:.0f} ms ({count:,} names)")

    headers, samples = build(args.columns, args.rows)
    filled = sum(len(v) for v in samples.values())
    countries.country_names()  # built once per process, as in a running server
    print(f"file: {len(headers)} columns, {args.rows:,} sampled rows ({filled:,} non-empty values)")
    match = mapping.recognise(headers)
    print(f"recognised: {match.message() if match else None}")
    cases = {
        "suggest(headers, samples)": lambda: mapping.suggest(headers, samples),
        "suggest(..., presets=False)": lambda: mapping.suggest(headers, samples, presets=False),
        "suggest(headers) (no samples)": lambda: mapping.suggest(headers),
        "recognise(headers)": lambda: mapping.recognise(headers),
    }
    print(f"median of {args.runs} runs (min - max), target < 50 ms for suggest with samples:")
    for name, function in cases.items():
        median, low, high = timed(function, args.runs)
        print(f"  {name:>30}: {median:7.2f} ms  ({low:.2f} - {high:.2f})")
    mapped = {s.column: s.target for s in mapping.suggest(headers, samples) if s.target}
    print(f"mapped: {mapped}")


if __name__ == "__main__":
    main()
