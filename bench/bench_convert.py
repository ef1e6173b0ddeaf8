#!/usr/bin/env python3
"""Benchmark of the engine on contacts already in Odoo (Convert to Customer, Link to
companies, the unattended link): partners as plain dicts -> records -> matched companies
-> proposals / threshold decisions -> plan.

Generates (seeded) P partners naming S company spellings (half of the companies already
in Odoo under that exact name, 10% of the spellings variants of another), a third of
them without a company name (their own business, for Convert to Customer), against E
existing companies; times each step and prints the peak RSS.

    python bench/bench_convert.py                     # 20,000 partners, 2,000 spellings, 50,000 companies
    python bench/bench_convert.py --partners 100000 --spellings 10000 --existing 200000
"""

import argparse
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench_engine import FIRST, LAST, company_name, variant  # the generator's words

from contact_import_wizard.engine import convert, matching, validation


def generate(partners, spellings, existing, seed=42):
    rng = random.Random(seed)
    used = set()
    companies = [matching.ExistingCompany(i + 1, company_name(rng, used)) for i in range(existing)]
    distinct = spellings - spellings // 10
    names = [c.name for c in rng.sample(companies, distinct // 2)]
    names += [company_name(rng, used) for _ in range(distinct - len(names))]
    names += [variant(rng, rng.choice(names)) for _ in range(spellings // 10)]
    data = []
    for number in range(partners):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}"
        company = rng.choice(names) if rng.random() < 2 / 3 else ""
        domain = "".join(ch for ch in (company or person).lower() if ch.isalnum())[:20] or "x"
        data.append(
            {
                "id": 1_000_000 + number,
                "name": person,
                "company_name": company,
                "email": f"p{number}@{domain}.example" if rng.random() < 0.8 else f"p{number}@gmail.com",
                "phone": f"+49 30 {rng.randint(1000000, 9999999)}",
                "city": rng.choice(["Berlin", "Lyon", "Madrid", "Oslo", ""]),
                "is_company": False,
            }
        )
    return companies, data


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(timings, name, function):
    started = time.perf_counter()
    value = function()
    timings.append((name, time.perf_counter() - started))
    return value


def run(args):
    companies, data = generate(args.partners, args.spellings, args.existing, args.seed)
    lookups = validation.Lookups(companies=companies)
    print(
        f"{args.partners:,} partners, {args.spellings:,} company spellings, "
        f"{args.existing:,} existing companies (seed {args.seed})"
    )
    for source in (convert.COMPANY_NAME, convert.OWN_NAME):
        timings = []
        result, left = timed(
            timings, "records + match", lambda source=source: convert.partners_result(data, lookups, source)
        )
        proposals = timed(timings, "proposals", lambda result=result: convert.propose(result))
        decisions = {key: p.decision for key, p in proposals.items() if p.decision is not None}
        the_plan = timed(
            timings,
            "plan",
            lambda result=result, decisions=decisions, left=left: convert.partners_plan(
                result, decisions, carry_phone=True, left_out=left
            ),
        )
        automatic = timed(
            timings, "threshold decisions", lambda result=result: convert.automatic_decisions(result)
        )
        total = sum(seconds for _name, seconds in timings)
        statuses = {}
        for proposal in proposals.values():
            label = "accepted" if proposal.accepted and proposal.status != "matched" else proposal.status
            statuses[label] = statuses.get(label, 0) + 1
        linked = sum(1 for decision, _verdict in automatic.values() if decision.action == "link")
        print(f"\nsource {source}: {len(result.records):,} partners kept, {len(left):,} left out")
        for name, seconds in timings:
            print(f"  {name:<20} {seconds:8.2f} s")
        print(f"  {'total':<20} {total:8.2f} s  ({len(data) / total:,.0f} partners/s)")
        counts = ", ".join(f"{label} {count:,}" for label, count in sorted(statuses.items()))
        print(f"  companies: {len(result.clusters):,} ({counts})")
        print(
            f"  plan: {len(the_plan.companies):,} companies to create, {len(the_plan.contacts):,} updates, "
            f"{len(the_plan.ignored):,} ignored; unattended: {linked:,} companies linked"
        )
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--spellings", type=int, default=2_000)
    parser.add_argument("--existing", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=42)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
