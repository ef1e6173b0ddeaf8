"""Company matching: the companies named in a file against the companies in Odoo.

Levels, strongest first, each with a score and a reason a user can read:

* ``vat``: same VAT number (100);
* ``name``: same normalised name key (100);
* ``domain``: the contacts' email domain, or the file's company website, equals a
  company's website or email domain; free-mail domains never count (90);
* ``fuzzy``: similar normalised names (rapidfuzz, the similarity as score).

Only an unambiguous ``vat`` or ``name`` match on an active company links by itself;
everything else is a ranked suggestion for the user.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .messages import _lt, render
from .normalize import company_key, email_domain, is_free_mail, normalize_vat, url_domain

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
EXACT_LEVELS = ("vat", "name")
LEVEL_SCORES = {"vat": 100, "name": 100, "domain": 90}
DEFAULT_FUZZY_THRESHOLD = 85
MAX_SUGGESTIONS = 5
# A name token shared by more than this share of all companies ("group", "services")
# says nothing about which company is meant: it does not make a fuzzy candidate.
COMMON_TOKEN_SHARE = 0.02

REASONS = {
    "vat": _lt("Same VAT number %(vat)s"),
    "name": _lt("Same name once case, accents, punctuation and legal form are ignored (%(key)s)"),
    "domain": _lt("Contacts' email or website domain %(domain)s is this company's domain"),
    "fuzzy": _lt("Similar name: %(score)s%% alike (%(key)s / %(other)s)"),
}


@dataclass(frozen=True)
class ExistingCompany:
    """A company already in Odoo, as plain data."""

    id: int
    name: str
    vat: str = ""
    website: str = ""
    email: str = ""
    active: bool = True


@dataclass
class Candidate:
    company_id: int
    name: str
    level: str
    score: int
    params: dict
    archived: bool = False
    # The same company found at other levels too: (level, params), each a reason more.
    also: list = field(default_factory=list)

    def reasons(self):
        """(template, params) of every level this company was found at, best first."""
        return [(REASONS[self.level], self.params)] + [
            (REASONS[level], params) for level, params in self.also
        ]

    def reason(self, translate=None):
        return "; ".join(render(template, params, translate) for template, params in self.reasons())


@dataclass
class FileCompany:
    """One company of the file: every spelling with the same key, and its rows."""

    key: str
    spellings: Counter = field(default_factory=Counter)
    rows: list = field(default_factory=list)
    domains: Counter = field(default_factory=Counter)
    vats: Counter = field(default_factory=Counter)
    websites: Counter = field(default_factory=Counter)

    @property
    def name(self):
        """The most frequent spelling; the first seen wins a tie."""
        return self.spellings.most_common(1)[0][0]

    def add(self, spelling, row, email="", vat="", website=""):
        self.spellings[spelling] += 1
        self.rows.append(row)
        domain = email_domain(email)
        if domain and not is_free_mail(domain):
            self.domains[domain] += 1
        if vat:
            self.vats[normalize_vat(vat)] += 1
        site = url_domain(website)
        if site:
            self.websites[site] += 1


@dataclass
class Match:
    status: str
    candidates: list
    company_id: int | None = None

    @property
    def best(self):
        return self.candidates[0] if self.candidates else None


def cluster_companies(entries):
    """Group (spelling, row, email, vat, website) entries by company key.

    Spelling variants ("Blue River Foods Inc.", "blue river foods") become one
    :class:`FileCompany`, in the order companies first appear.
    """
    clusters = {}
    for spelling, row, email, vat, website in entries:
        key = company_key(spelling)
        if not key:
            continue
        cluster = clusters.get(key)
        if cluster is None:
            cluster = clusters[key] = FileCompany(key)
        cluster.add(spelling, row, email, vat, website)
    return clusters


class CompanyIndex:
    """Existing companies indexed by VAT, name key, domain and name tokens."""

    def __init__(self, companies):
        self.companies = {c.id: c for c in companies}
        self.by_vat = defaultdict(list)
        self.by_key = defaultdict(list)
        self.by_domain = defaultdict(list)
        for company in self.companies.values():
            vat = normalize_vat(company.vat)
            if vat and vat != "/":
                self.by_vat[vat].append(company.id)
            key = company_key(company.name)
            if key:
                self.by_key[key].append(company.id)
            for domain in {url_domain(company.website), email_domain(company.email)}:
                if domain and not is_free_mail(domain):
                    self.by_domain[domain].append(company.id)
        self.keys = list(self.by_key)
        self.by_token = defaultdict(list)
        for position, key in enumerate(self.keys):
            for token in set(key.split()):
                self.by_token[token].append(position)
        self.common_limit = max(50, int(len(self.keys) * COMMON_TOKEN_SHARE))

    def _candidate(self, company_id, level, score, /, **params):
        company = self.companies[company_id]
        return Candidate(company_id, company.name, level, score, params, archived=not company.active)

    def fuzzy_choices(self, key):
        """Positions of the existing keys sharing a telling token with ``key``."""
        tokens = key.split()
        lists = [self.by_token.get(t, ()) for t in tokens]
        telling = [positions for positions in lists if 0 < len(positions) <= self.common_limit]
        if not telling:
            # Only common tokens (or none known): fall back to the rarest one.
            telling = sorted((p for p in lists if p), key=len)[:1]
        positions = set()
        for chunk in telling:
            positions.update(chunk)
        return positions

    def match(self, cluster, threshold=DEFAULT_FUZZY_THRESHOLD):
        """Match one :class:`FileCompany`; returns a :class:`Match`."""
        found = {}

        def offer(candidate):
            known = found.get(candidate.company_id)
            if known is None:
                found[candidate.company_id] = candidate
            elif (candidate.score, -_rank(candidate.level)) > (known.score, -_rank(known.level)):
                candidate.also = [(known.level, known.params), *known.also]
                found[candidate.company_id] = candidate
            else:
                known.also.append((candidate.level, candidate.params))

        for vat in cluster.vats:
            for company_id in self.by_vat.get(vat, ()):
                offer(self._candidate(company_id, "vat", 100, vat=vat))
        for company_id in self.by_key.get(cluster.key, ()):
            offer(self._candidate(company_id, "name", 100, key=cluster.key))
        for domain in list(cluster.websites) + list(cluster.domains):
            for company_id in self.by_domain.get(domain, ()):
                offer(self._candidate(company_id, "domain", LEVEL_SCORES["domain"], domain=domain))
        positions = self.fuzzy_choices(cluster.key)
        if positions:
            choices = {p: self.keys[p] for p in positions if self.keys[p] != cluster.key}
            results = process.extract(
                cluster.key,
                choices,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=threshold,
                limit=MAX_SUGGESTIONS,
            )
            for other, score, _position in results:
                for company_id in self.by_key[other]:
                    offer(
                        self._candidate(
                            company_id, "fuzzy", int(score), score=int(score), key=cluster.key, other=other
                        )
                    )
        candidates = sorted(
            found.values(), key=lambda c: (-c.score, _rank(c.level), c.archived, c.name, c.company_id)
        )
        return decide(candidates[:MAX_SUGGESTIONS])


def _rank(level):
    return ("vat", "name", "domain", "fuzzy").index(level)


def decide(candidates):
    """Link only when one active company is the single best exact-level candidate."""
    exact = [c for c in candidates if c.level in EXACT_LEVELS]
    if exact:
        best_level = min(_rank(c.level) for c in exact)
        best = [c for c in exact if _rank(c.level) == best_level]
        if len(best) > 1:
            return Match(AMBIGUOUS, candidates)
        if not best[0].archived:
            return Match(MATCHED, candidates, best[0].company_id)
    return Match(UNMATCHED, candidates)


def match_all(clusters, index, threshold=DEFAULT_FUZZY_THRESHOLD):
    """Match every :class:`FileCompany` of ``clusters`` (a dict key -> cluster)."""
    return {key: index.match(cluster, threshold) for key, cluster in clusters.items()}
