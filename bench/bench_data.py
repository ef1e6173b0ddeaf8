"""Generated contacts for the import benchmarks (seeded, the same on every run).

``generate(rows, companies)`` returns a :class:`Dataset`: ``companies`` companies that
exist in the database before the import (each with its address), and ``rows`` contact
rows over them, of which

* 80% name their company exactly as it is in the database,
* 10% name an existing company with another spelling (other case, punctuation, a legal
  form spelled otherwise or left out, a leading "The"): what this addon links and
  base_import cannot,
* 10% name a company that does not exist yet (about ten contacts each).

Every contact carries its company's address (the file's address equals the company's):
whatever the address policy, every method writes the same thing.

The files each method imports:

* ``addon_csv``: the file as it is (the spelling variants and the new companies in it);
* ``base_import_files``: what a user must prepare for Odoo's base_import, which links a
  contact to a company by its exact name only and cannot create companies with their
  address: the new companies first, in a file of their own (``Is a Company`` = 1), then
  the contacts with every company spelled exactly as in the database (the variants
  replaced by hand: here, from the generator's truth);
* ``plain_batches``: the values plain ``res.partner.create`` receives (the same exact
  names, resolved to ids the way a script would: a dict of name -> id).
"""

import csv
import io
import random
from dataclasses import dataclass, field

SYLLABLES = (
    "ar bel cor dan el fin gal hor in jas kel lum mor nor ox pel quin ros sil tor ul ven wes xan yor zel "
    "bra cre dro fla gri kro pla stra tri vex"
).split()
WORDS = (
    "Foods Systems Logistics Dynamics Partners Labs Works Industries Capital Energy Health Media "
    "Robotics Textiles Motors Consulting Analytics Pharma Bakery Marine Security Studios Farms"
).split()
# (as written in the database, other spellings of the same legal form)
FORMS = [
    ("GmbH", ["G.m.b.H.", "Gmbh"]),
    ("Inc.", ["Inc", "Incorporated"]),
    ("Ltd", ["Limited", "Ltd."]),
    ("SA", ["S.A."]),
    ("BV", ["B.V."]),
    ("LLC", ["L.L.C."]),
    ("S.p.A.", ["SpA"]),
]
FIRST = (
    "Ann Bob Cid Dan Eve Fay Gus Hal Ida Jo Kim Lea Max Ned Ola Pia Raj Sam Tea Uma Vic Wen Yan Zoe "
    "Alba Bruno Carla Dario Elsa Felix Greta Hugo Ines Jonas Karin Lukas Marta Nils Olga Paul"
).split()
LAST = (
    "Lee Roe Diaz Kim Chen Singh Novak Rossi Muller Dubois Silva Ito Berg Costa Wolf Hahn Moreau "
    "Garcia Petit Lambert Janssen Peeters Romano Ricci Weber Fischer Martin Bernard Fontaine"
).split()
COUNTRIES = [("France", "FR"), ("Germany", "DE"), ("Belgium", "BE"), ("Spain", "ES"), ("Italy", "IT")]
CITIES = "Lyon Bremen Ghent Sevilla Torino Nantes Mainz Leuven Bilbao Parma Lille Kiel".split()
STREETS = "Main Street|Rue du Port|Hafenweg|Calle Mayor|Via Roma|Station Road|Kerkstraat".split("|")

# Tags of the server benchmark's --tags (twelve, two per row).
TAGS = "Lead Customer Supplier Partner Press Investor Alumni Fair Webinar Referral Newsletter Event".split()
HEADERS = ["Name", "Email", "Phone", "Company", "Street", "City", "Zip", "Country"]
BASE_IMPORT_CONTACT_FIELDS = [
    "name",
    "email",
    "phone",
    "parent_id",
    "is_company",
    "street",
    "city",
    "zip",
    "country_id",
]
BASE_IMPORT_CONTACT_HEADERS = [*HEADERS[:4], "Is a Company", *HEADERS[4:]]
BASE_IMPORT_COMPANY_FIELDS = ["name", "is_company", "street", "city", "zip", "country_id"]
BASE_IMPORT_COMPANY_HEADERS = ["Name", "Is a Company", "Street", "City", "Zip", "Country"]


@dataclass
class Company:
    name: str
    street: str
    city: str
    zip: str
    country: str  # its name, as a file gives it
    code: str  # its ISO code

    def address(self):
        return [self.street, self.city, self.zip, self.country]


@dataclass
class Row:
    name: str
    email: str
    phone: str
    spelling: str  # the company as the file writes it
    company: Company  # the company it is (an existing one, or a new one)
    kind: str  # "exact", "variant" or "new"


@dataclass
class Dataset:
    existing: list
    new: list
    rows: list = field(default_factory=list)

    def counts(self):
        kinds = {}
        for row in self.rows:
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
        return kinds

    def addon_csv(self, tags=False):
        """The file as it is; ``tags``: with a Tags column too (two of TAGS per row)."""
        rows = [[r.name, r.email, r.phone, r.spelling, *r.company.address()] for r in self.rows]
        if not tags:
            return _csv(HEADERS, rows)
        return _csv(
            [*HEADERS, "Tags"], [[*row, f"{TAGS[i % 7]}, {TAGS[7 + i % 5]}"] for i, row in enumerate(rows)]
        )

    def base_import_files(self):
        """(companies file, contacts file) as a user would prepare them for base_import."""
        companies = _csv(BASE_IMPORT_COMPANY_HEADERS, [[c.name, "1", *c.address()] for c in self.new])
        contacts = _csv(
            BASE_IMPORT_CONTACT_HEADERS,
            [[r.name, r.email, r.phone, r.company.name, "0", *r.company.address()] for r in self.rows],
        )
        return companies, contacts

    def company_vals(self, country_ids, companies=None):
        """res.partner values of ``companies`` (the new ones by default), with their address."""
        return [
            {
                "name": c.name,
                "is_company": True,
                "street": c.street,
                "city": c.city,
                "zip": c.zip,
                "country_id": country_ids[c.code],
            }
            for c in (self.new if companies is None else companies)
        ]

    def contact_vals(self, company_ids, country_ids):
        """res.partner values of every row, its company resolved by exact name."""
        return [
            {
                "name": r.name,
                "email": r.email,
                "phone": r.phone,
                "parent_id": company_ids[r.company.name],
                "street": r.company.street,
                "city": r.company.city,
                "zip": r.company.zip,
                "country_id": country_ids[r.company.code],
            }
            for r in self.rows
        ]


def _csv(headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _company(rng, used):
    while True:
        base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        stem = f"{base} {rng.choice(WORDS)}"
        if stem.lower() not in used:
            used.add(stem.lower())
            break
    country, code = rng.choice(COUNTRIES)
    return Company(
        name=f"{stem} {rng.choice(FORMS)[0]}",
        street=f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
        city=rng.choice(CITIES),
        zip=f"{rng.randint(10000, 99999)}",
        country=country,
        code=code,
    )


def variant(rng, name):
    """Another spelling of ``name`` that is the same company: case, punctuation, the legal
    form spelled otherwise or left out, a leading "The"."""
    stem, form = name.rsplit(" ", 1)
    others = next(spellings for written, spellings in FORMS if written == form)
    choice = rng.randrange(6)
    if choice == 0:
        return name.lower()
    if choice == 1:
        return name.upper()
    if choice == 2:
        return f"{stem}, {form}"
    if choice == 3:
        return f"{stem} {rng.choice(others)}"
    if choice == 4:
        return stem
    return f"The {name}"


def generate(rows, companies, seed=20):
    rng = random.Random(seed)
    used = set()
    existing = [_company(rng, used) for _ in range(companies)]
    new_count = max(rows // 100, 1)  # 10% of the rows, about ten contacts each
    new = [_company(rng, used) for _ in range(new_count)]
    data = Dataset(existing, new)
    for i in range(rows):
        draw = rng.random()
        if draw < 0.1:
            company, kind = rng.choice(new), "new"
            spelling = company.name
        elif draw < 0.2:
            company, kind = rng.choice(existing), "variant"
            spelling = variant(rng, company.name)
        else:
            company, kind = rng.choice(existing), "exact"
            spelling = company.name
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = company.name.rsplit(" ", 1)[0].lower().replace(" ", "-")
        data.rows.append(
            Row(
                name=f"{first} {last}",
                email=f"{first}.{last}.{i}@{domain}.example".lower(),
                phone=f"+33 1 {i % 100:02d} {i // 100 % 100:02d} {i % 97:02d} {i % 89:02d}",
                spelling=spelling,
                company=company,
                kind=kind,
            )
        )
    return data
