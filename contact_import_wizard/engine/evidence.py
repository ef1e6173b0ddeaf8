"""Evidence for and against an existing company being the company a file names.

For: the same domain (found as a level by the index), a domain that spells the
company's name, the same city or country. Against: another VAT number or another
explicit legal form (two legal entities: no automatic link at all), other domains, a
domain that spells the file's name rather than the company's, another country. Each is
a translatable template with its parameters, shown as the candidate's reasons.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .messages import _lt, render
from .normalize import (
    CONNECTORS,
    domain_label,
    email_domain,
    is_free_mail,
    legal_form_label,
    legal_forms,
    legal_forms_compatible,
    name_numbers,
    normalize_vat,
    parse_company_name,
    registrable_domain,
    simple_key,
    spelling_keys,
    url_domain,
)

# What each piece of evidence adds to a suggestion's score.
LIFTS = {"domain": 6, "domain_name": 4, "domain_tld": 2, "city": 2, "country": 1}
# A shared domain lifts a suggestion whose name is at least this similar.
CORROBORATED_SIMILARITY = 80

SUPPORT = {
    "domain_name": _lt("Contacts' domain %(domain)s spells this company's name"),
    "domain_tld": _lt("Contacts' domain %(domain)s has this company's name under another ending (%(other)s)"),
    "city": _lt("Same city: %(city)s"),
    "country": _lt("Same country: %(country)s"),
}
AGAINST = {
    "vat": _lt("Different VAT numbers: %(vat)s in the file, %(other)s for this company"),
    "legal_form": _lt(
        "Different legal forms: %(form)s in the file (%(spelling)s), %(other)s for this company: "
        "two legal entities"
    ),
    "domain": _lt("Contacts use %(domains)s while this company uses %(other)s"),
    "domain_name": _lt("Contacts use %(domain)s, which spells %(name)s rather than this company's name"),
    "country": _lt("Contacts are in %(countries)s, this company in %(country)s"),
    "word": _lt("%(word)r is a name of its own in Odoo (as in %(example)s), not a typo in %(other)s"),
    "number": _lt("Other numbers in the names: %(numbers)s in the file, %(other)s for this company"),
}
VETOES = frozenset({"vat", "legal_form"})  # no automatic link at all, exact name included


@dataclass(frozen=True)
class Evidence:
    """One reason for (or, ``against``, against) a candidate, as a translatable template.

    ``level`` is set when this evidence is what found the company (with its ``score``);
    ``veto`` forbids every automatic link; ``lift`` adds to a suggestion's score.
    """

    code: str
    template: str
    params: dict
    against: bool = False
    veto: bool = False
    lift: int = 0
    level: str = ""
    score: int = 0

    def message(self, translate=None):
        return render(self.template, self.params, translate)


def similarity(key, other):
    """How alike two name keys are, 0-100: the better of the plain and the word-sorted
    ratio ("acme labs" / "labs acme" are alike; so are "drovobar dynamics" / "rdovobar
    dynamics", whose words a first-letter typo sorts apart)."""
    return int(max(fuzz.ratio(key, other), fuzz.token_sort_ratio(key, other)))


def similar_names(key, choices, cutoff, limit):
    """The ``limit`` names of ``choices`` most like ``key``, at least ``cutoff`` alike, as
    (name, similarity) best first, alike as :func:`similarity` says."""
    best = {}
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for name, score, _number in process.extract(
            key, choices, scorer=scorer, score_cutoff=cutoff, limit=limit
        ):
            best[name] = max(best.get(name, 0), int(score))
    return sorted(best.items(), key=lambda item: -item[1])[:limit]


def same_vat(vat, other):
    """Equal VAT numbers, with or without their country prefix ("DE123" / "123")."""
    return vat == other or vat[2:] == other or other[2:] == vat


def company_domains(company):
    """Registrable domains of an existing company's website and email, free mail left out."""
    domains = set()
    for domain in (url_domain(company.website), email_domain(company.email)):
        if domain and not is_free_mail(domain):
            domains.add(registrable_domain(domain))
    return domains


def spells(label, keys, whole=False):
    """Whether a domain label ("mueller-bau") spells one of ``keys`` ("mueller bau"), its
    words run together, or, unless ``whole``, its first words ("zephyr" for "zephyr labs")."""
    label = label.replace("-", "")
    if len(label) < 4:
        return False
    for key in keys:
        words = [w for w in key.split() if w not in CONNECTORS]
        if whole:
            if "".join(words) == label:
                return True
        elif any("".join(words[:size]) == label for size in range(1, len(words) + 1)):
            return True
    return False


def weigh(company, cluster, alike, levels, spelled, domains):
    """Evidence on ``company`` (an ExistingCompany) being ``cluster`` (a FileCompany).

    ``alike`` is the similarity of their names (0-100), ``levels`` the levels that found the company,
    ``spelled`` the cluster's spelling keys and ``domains`` its domain counts. Returns
    ``(support, against, corroborated, lift)``: the evidence for and against it, whether
    something beyond the name confirms it, and what it adds to a suggestion's score.
    """
    support, against = [], []

    def add(code, params):
        support.append(Evidence(code, SUPPORT[code], params, lift=LIFTS[code]))

    def oppose(code, params):
        against.append(Evidence(code, AGAINST[code], params, against=True, veto=code in VETOES))

    # Another VAT number, another legal form: two legal entities.
    vat = normalize_vat(company.vat)
    if vat and vat != "/":
        others = [v for v in cluster.vats if not same_vat(v, vat)]
        if others:
            oppose("vat", {"vat": ", ".join(sorted(others)), "other": vat})
    forms = parse_company_name(company.name).forms
    if forms:
        countries = set(cluster.countries)
        if company.country:
            countries.add(company.country)
        for spelling in cluster.spellings:
            theirs = legal_forms(spelling)
            if not legal_forms_compatible(theirs, forms, countries):
                params = {
                    "form": legal_form_label(theirs[-1]),
                    "spelling": spelling,
                    "other": legal_form_label(forms[-1]),
                }
                oppose("legal_form", params)
                break
    # "Store 12" is not "Store 13": a number in a name is never a typo.
    numbers = name_numbers(company.name)
    for spelling in cluster.spellings:
        theirs = name_numbers(spelling)
        if theirs != numbers:
            oppose("number", {"numbers": " ".join(theirs) or "-", "other": " ".join(numbers) or "-"})
            break
    # Domains: the same one found the company as a level; another one says otherwise.
    corroborated = bool(levels & {"alias", "vat", "domain"})
    lift = LIFTS["domain"] if "domain" in levels and alike >= CORROBORATED_SIMILARITY else 0
    theirs = company_domains(company) if (company.website or company.email) else set()
    if domains and theirs and domains.keys().isdisjoint(theirs):
        labels = {domain_label(d): d for d in theirs}
        same_name = [d for d in domains if domain_label(d) in labels]
        if same_name:
            add("domain_tld", {"domain": same_name[0], "other": labels[domain_label(same_name[0])]})
        else:
            listed = ", ".join(sorted(domains)[:3])
            oppose("domain", {"domains": listed, "other": ", ".join(sorted(theirs))})
    elif domains and not theirs:
        # No domain of its own: the contacts' domain may spell its name, or another one.
        domain = domains.most_common(1)[0][0]
        label = domain_label(domain)
        names = spelling_keys(company.name)
        if spells(label, names, whole=True):
            add("domain_name", {"domain": domain})
            corroborated = True
        elif spells(label, spelled) and not spells(label, names):
            oppose("domain_name", {"domain": domain, "name": cluster.name})
    # Where the company and its contacts are.
    if company.country and cluster.countries:
        if company.country in cluster.countries:
            add("country", {"country": company.country})
        else:
            listed = ", ".join(sorted(cluster.countries))
            oppose("country", {"countries": listed, "country": company.country})
    if company.city and any(simple_key(c) == simple_key(company.city) for c in cluster.cities):
        add("city", {"city": company.city})
    lift += sum(e.lift for e in support)
    return support, against, corroborated, lift
