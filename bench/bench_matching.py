#!/usr/bin/env python3
"""Benchmark of company matching at database scale: speed, memory, precision and recall.

Generates (seeded) E existing companies (most with a website, some with a VAT number,
each with a country and a city) and a CSV of N contact rows over S company spellings:

* 10% honest spelling variants of existing companies (case, punctuation, "The", legal
  form dropped or spelled otherwise, umlauts spelled out, one typo), their contacts at the
  company's domain (a fifth on free mail);
* 2% look-alikes of OTHER existing companies (one letter changed, same legal form, same
  country and city), their contacts at their own, different domain;
* 2% typos of the file's own companies, half with their contacts' domain (to merge into
  one company), half on free mail only (to propose as a merge);
* the rest half existing companies spelled as in Odoo, half new companies.

Then runs read + validate + match + plan, with every company that is not matched linked
by :func:`matching.threshold_link` at --threshold (as the headless --link-threshold and
"link to the best suggestion" do), and prints the time of each step, the peak RSS, and,
against the generator's truth: precision (look-alikes and other companies linked to a
company they are not: must be 0), recall (honest variants linked or suggested first:
must be >= 95%) and what became of the typos inside the file. Exits 1 when a bound fails.

    python bench/bench_matching.py                  # 100,000 rows, 10,000 spellings, 500,000 companies
    python bench/bench_matching.py --existing 50000 --rows 20000 --spellings 2000
"""

import argparse
import csv
import io
import os
import random
import resource
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from contact_import_wizard.engine import mapping, matching, plan, reader, validation
from contact_import_wizard.engine.normalize import company_key, spelling_keys

SYLLABLES = (
    "ar bel cor dan el fin gal hor in jas kel lum mor nor ox pel quin ros sil tor ul ven wes xan yor zel "
    "bra cre dro fla gri kro pla stra tri vex ka lo mi nu sa te vo ri de ba go hu je pi "
    "mül grün kö bär schö"
).split()
WORDS = (
    "Foods Systems Logistics Dynamics Partners Labs Works Industries Capital Energy Health Media "
    "Robotics Textiles Motors Consulting Analytics Pharma Bakery Marine Security Studios Farms Bau"
).split()
# Legal form, another spelling of the same form, country, website ending.
FORMS = [
    ("GmbH", "mbH", "DE", "de"),
    ("AG", "Aktiengesellschaft", "DE", "de"),
    ("Ltd", "Limited", "GB", "co.uk"),
    ("Inc.", "Incorporated", "US", "com"),
    ("LLC", "L.L.C.", "US", "com"),
    ("SA", "S.A.", "FR", "fr"),
    ("SARL", "S.à r.l.", "FR", "fr"),
    ("BV", "B.V.", "NL", "nl"),
    ("S.p.A.", "SpA", "IT", "it"),
    ("S.L.", "SL", "ES", "es"),
    ("Oy", "Osakeyhtiö", "FI", "fi"),
    ("AB", "Aktiebolag", "SE", "se"),
    ("KK", "Kabushiki Kaisha", "JP", "co.jp"),
    ("", "", "CH", "ch"),
]
CITIES = "Lyon Berlin Madrid Leeds Turin Delft Espoo Malmo Osaka Basel Austin Bremen Porto Graz".split()
COUNTRIES = sorted({f[2] for f in FORMS})
FREE_MAIL = ["gmail.com", "web.de", "hotmail.it", "outlook.fr", "yahoo.co.jp", "gmx.ch", "icloud.com"]
FIRST = "Ann Bob Cid Dan Eve Fay Gus Hal Ida Jo Kim Lea Max Ned Ola Pia Raj Sam Tea Uma Vic Wen".split()
LAST = "Lee Roe Diaz Kim Chen Singh Novak Rossi Muller Dubois Silva Ito Berg Costa Wolf Hahn".split()
LETTERS = "abcdefghiklmnoprstuvz"


def slug(name):
    """The domain label a company would register: umlauts spelled out, words run together."""
    keys = spelling_keys(name)
    return (keys[1] if len(keys) > 1 else keys[0]).replace(" ", "")


def typo(rng, word):
    """One letter changed, dropped, added or two swapped, away from the first letter."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + rng.choice(LETTERS.replace(word[at], "")) + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + rng.choice(LETTERS) + word[at:]
    return (
        word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :] if word[at] != word[at - 1] else word[:at]
    )


class World:
    """Existing companies and the file's company spellings, with the truth about each."""

    def __init__(self, existing, spellings, seed):
        self.rng = random.Random(seed)
        self.keys = set()  # every key in use, existing or new
        self.companies = []
        self.parts = []  # (base, word, form index) of each existing company
        vat_number = 100_000_000
        for company_id in range(1, existing + 1):
            base, word, form = self.new_name()
            name = self.name(base, word, form, 0)
            country = FORMS[form][2]
            website = f"https://www.{slug(name)}.{FORMS[form][3]}" if self.rng.random() < 0.8 else ""
            vat = ""
            if self.rng.random() < 0.3:
                vat_number += 1
                vat = f"{country}{vat_number}"
            city = self.rng.choice(CITIES)
            self.companies.append(
                matching.ExistingCompany(company_id, name, vat, website, "", True, country, city)
            )
            self.parts.append((base, word, form))
        self.spellings = []  # (spelling, kind, truth id or None, domain, country, city)
        self.targets = {}  # look-alike spelling -> the existing company it looks like
        variants = spellings // 10
        look_alikes = spellings // 50
        file_typos = spellings // 50
        rest = spellings - variants - look_alikes - file_typos
        parts = {}  # spelling of the file -> (base, word, form)
        for _ in range(variants):
            self.spellings.append(self.variant())
        for _ in range(look_alikes):
            self.spellings.append(self.look_alike())
        for _ in range(rest // 2):
            position = self.rng.randrange(existing)
            company = self.companies[position]
            self.spellings.append((company.name, "exact", company.id, *self.place(position)))
            parts[company.name] = self.parts[position]
        for _ in range(rest - rest // 2):
            base, word, form = self.new_name()
            name = self.name(base, word, form, 0)
            domain = f"{slug(name)}.{FORMS[form][3]}"
            self.spellings.append((name, "new", None, domain, FORMS[form][2], self.rng.choice(CITIES)))
            parts[name] = (base, word, form)
        # Typos of the file's own companies: half with their contacts' domain (one company),
        # half on free mail only (a merge to propose).
        self.file_typos = {}  # typo -> the spelling it is a typo of
        originals = [s for s in self.spellings if s[0] in parts]
        while len(self.file_typos) < file_typos:
            spelling, _kind, truth, domain, country, city = self.rng.choice(originals)
            base, word, form = parts[spelling]
            changed = self.typo_name(base, word)
            if changed is None:
                continue
            self.keys.add(company_key(f"{changed} {word}"))
            name = self.name(changed, word, form, 0)
            shared = len(self.file_typos) % 2 == 0
            kind = "file typo: same domain" if shared else "file typo: free mail"
            self.spellings.append((name, kind, truth, domain if shared else "gmail.com", country, city))
            self.file_typos[name] = spelling
        self.rng.shuffle(self.spellings)

    def new_name(self):
        while True:
            base = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()
            word, form = self.rng.choice(WORDS), self.rng.randrange(len(FORMS))
            key = company_key(f"{base} {word}")
            if key not in self.keys:
                self.keys.add(key)
                return base, word, form

    @staticmethod
    def name(base, word, form, spelling):
        return f"{base} {word} {FORMS[form][spelling]}".strip()

    def place(self, position):
        """Domain, country and city of an existing company's contacts."""
        company = self.companies[position]
        domain = company.website.split("www.", 1)[1] if company.website else f"{slug(company.name)}.example"
        return domain, company.country, company.city

    def typo_name(self, base, word):
        """The base with one typo, as a key in use by no company (else it is not a typo)."""
        for _ in range(20):
            changed = typo(self.rng, base.lower()).capitalize()
            if len(changed) > 2 and company_key(f"{changed} {word}") not in self.keys:
                return changed
        return None

    def variant(self):
        while True:
            position = self.rng.randrange(len(self.companies))
            company = self.companies[position]
            base, word, form = self.parts[position]
            kind = self.rng.choice(["case", "punctuation", "form dropped", "form spelled", "umlauts", "typo"])
            if kind == "case":
                spelling = self.rng.choice([company.name.upper(), company.name.lower()])
            elif kind == "punctuation":
                spelling = self.rng.choice([f"The {company.name}", f"{base}-{word}, {FORMS[form][0]}"])
            elif kind == "form dropped":
                spelling = f"{base} {word}"
            elif kind == "form spelled":
                spelling = self.name(base, word, form, 1)
            elif kind == "umlauts":
                if company.name.isascii():
                    continue
                spelling = slug(base).capitalize() + f" {word} {FORMS[form][0]}"
            else:
                changed = self.typo_name(base, word)
                if changed is None:
                    continue
                spelling = self.name(changed, word, form, 0)
            return (spelling.strip(), f"variant: {kind}", company.id, *self.place(position))

    def look_alike(self):
        while True:
            position = self.rng.randrange(len(self.companies))
            base, word, form = self.parts[position]
            changed = self.typo_name(base, word)
            if changed is None:
                continue
            self.keys.add(company_key(f"{changed} {word}"))
            name = self.name(changed, word, form, 0)
            self.targets[name] = self.companies[position].id
            _domain, country, city = self.place(position)
            return (name, "look-alike", None, f"{slug(name)}.{FORMS[form][3]}", country, city)

    def csv(self, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["First name", "Last name", "E-mail", "Company", "Country", "City"])
        rng = self.rng
        for i in range(rows):
            spelling, _kind, _truth, domain, country, city = self.spellings[i % len(self.spellings)]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            host = domain if rng.random() < 0.8 else rng.choice(FREE_MAIL)
            writer.writerow([first, last, f"{first}.{last}{i}@{host}".lower(), spelling, country, city])
        return buffer.getvalue().encode("utf-8")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(timings, name, function):
    """Wrap ``function`` to add its run time to ``timings[name]``."""

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0) + time.perf_counter() - started

    return wrapper


def run(args):
    t0 = time.perf_counter()
    world = World(args.existing, args.spellings, args.seed)
    data = world.csv(args.rows)
    truth = {spelling: (kind, company_id) for spelling, kind, company_id, *_rest in world.spellings}
    countries = [validation.Country(i, code, (code,)) for i, code in enumerate(COUNTRIES, 1)]
    lookups = validation.Lookups(countries=countries, companies=world.companies)
    t_gen = time.perf_counter() - t0
    rss_before = peak_rss_mb()

    # Time the matching steps inside validation too.
    inner = {}
    matching.cluster_companies = timed(inner, "cluster + merge variants", matching.cluster_companies)
    init = matching.CompanyIndex.__init__
    matching.CompanyIndex.__init__ = timed(inner, "index 500k" if args.existing == 500_000 else "index", init)
    matching.match_all = timed(inner, "match", matching.match_all)

    timings = {}
    t = time.perf_counter()
    table = reader.open_table(data, "bench.csv")
    chosen = {s.column: s.target for s in mapping.suggest(table.headers)}
    timings["open + map"] = time.perf_counter() - t
    t = time.perf_counter()
    result = validation.validate(table.rows(), table.headers, chosen, lookups)
    timings["read + validate + match"] = time.perf_counter() - t
    t = time.perf_counter()
    decisions = plan.default_decisions(result)
    verdicts = {}
    for key, match in result.matches.items():
        if match.status != matching.MATCHED:
            verdicts[key] = matching.threshold_link(match, args.threshold)
            if verdicts[key]:
                decisions[key] = plan.Decision(plan.LINK, verdicts[key].candidate.company_id)
    preselected = sum(1 for match in result.matches.values() if matching.preselect(match))
    proposals = matching.propose_merges(result.clusters)
    timings["threshold links"] = time.perf_counter() - t
    t = time.perf_counter()
    the_plan = plan.build_plan(result, decisions, "skip")
    timings["plan"] = time.perf_counter() - t
    total = sum(timings.values())

    # Against the truth: what each spelling's rows were linked to, and suggested first.
    key_of = {r.row: r.company_key for r in result.records}
    linked_to = {c.row: c.company_id for c in the_plan.contacts}
    spelling_rows = {}
    for record in result.records:
        if record.company:
            spelling_rows.setdefault(record.company, []).append(record.row)
    outcome = Counter()
    wrong = Counter()
    look_alikes_linked = 0
    for spelling, rows in spelling_rows.items():
        kind, company_id = truth[spelling]
        links = {linked_to[r] for r in rows if linked_to.get(r)}
        wrong_links = links - {company_id}
        if wrong_links:
            wrong[kind] += 1
            if args.verbose:
                match = result.matches[key_of[rows[0]]]
                why = match.best.reason()
                print(f"WRONG {spelling!r} ({kind}, truth {company_id}) -> {wrong_links}: {why}")
            look_alikes_linked += kind == "look-alike"
        if kind.startswith("variant"):
            match = result.matches[key_of[rows[0]]]
            if company_id in links:
                outcome[kind, "linked"] += 1
            elif match.best and match.best.company_id == company_id:
                outcome[kind, "suggested first"] += 1
            else:
                outcome[kind, "missed"] += 1
    # Look-alikes: was the company they look like suggested, alike enough for the
    # threshold, and what evidence turned the link down?
    dangerous, refusals, missed = 0, Counter(), []
    for spelling, target in world.targets.items():
        match = result.matches[key_of[spelling_rows[spelling][0]]]
        suggested = next((c for c in match.candidates if c.company_id == target), None)
        if suggested and suggested.similarity >= args.threshold:
            dangerous += 1
            refusals.update({e.code for e in suggested.against} or {"nothing against"})
    for spelling, rows in spelling_rows.items():
        kind, company_id = truth[spelling]
        if kind.startswith("variant") and company_id not in {linked_to.get(r) for r in rows}:
            match = result.matches[key_of[rows[0]]]
            if not (match.best and match.best.company_id == company_id):
                best = match.best.reason() if match.best else "no suggestion"
                missed.append(f"{spelling!r} (company {company_id}): {match.status}, best: {best}")
    proposed = {frozenset(p.keys) for p in proposals}
    typos = Counter()
    for typo, original in world.file_typos.items():
        kind = truth[typo][0]
        first, second = key_of[spelling_rows[typo][0]], key_of[spelling_rows[original][0]]
        typos[
            kind, "merged" if first == second else "proposed" if {first, second} in proposed else "apart"
        ] += 1
    variants = sum(n for (kind, _o), n in outcome.items())
    found = sum(n for (_kind, o), n in outcome.items() if o != "missed")
    statuses = Counter(match.status for match in result.matches.values())

    print(
        f"data: {args.rows:,} rows ({len(data) / 1e6:.1f} MB CSV), "
        f"{len(world.spellings):,} company spellings, {args.existing:,} existing companies "
        f"(generated in {t_gen:.1f} s)"
    )
    for name, seconds in timings.items():
        print(f"{name:>34}: {seconds:6.2f} s")
    for name, seconds in inner.items():
        print(f"{'  of which ' + name:>34}: {seconds:6.2f} s")
    print(f"{'total engine':>34}: {total:6.2f} s  ({args.rows / total:,.0f} rows/s)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (after generating the data: {rss_before:.0f} MB)")
    print(
        f"file companies: {len(result.clusters):,} after clustering "
        f"({sum(len(c.keys) - 1 for c in result.clusters.values()):,} variants merged, "
        f"{len(proposals):,} merge proposals); match status: {dict(statuses)}"
    )
    linked_by_threshold = sum(1 for v in verdicts.values() if v)
    print(f"threshold {args.threshold}: {linked_by_threshold:,} linked; pre-selected: {preselected:,}")
    print(f"plan: {the_plan.summary()}")
    kinds = Counter(kind for _s, kind, *_rest in world.spellings)
    print(
        f"precision: look-alikes linked automatically: {look_alikes_linked} of {kinds['look-alike']} "
        "(must be 0)"
    )
    print(f"           spellings linked to a company they are not, by kind: {dict(wrong) or 0}")
    print(
        f"           look-alikes whose company was suggested at least {args.threshold}% alike: {dangerous}, "
        f"turned down by the evidence against: {dict(refusals)}"
    )
    print(
        f"recall: {found:,} of {variants:,} honest variants linked or suggested first: {found / variants:.1%}"
    )
    for kind in sorted({k for k, _o in outcome}):
        parts = ", ".join(f"{o} {outcome[kind, o]}" for o in ("linked", "suggested first", "missed"))
        print(f"        {kind}: {parts}")
    for kind in sorted({k for k, _o in typos}):
        parts = ", ".join(f"{o} {typos[kind, o]}" for o in ("merged", "proposed", "apart"))
        print(f"in the file, {kind}: {parts}")
    for line in missed:
        print(f"        missed: {line}")
    ok = look_alikes_linked == 0 and not wrong and found >= 0.95 * variants
    print("OK" if ok else "NOT OK")
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--spellings", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=500_000)
    parser.add_argument("--threshold", type=int, default=90)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--verbose", action="store_true", help="print every wrong link")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
