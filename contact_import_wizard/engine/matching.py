"""Company matching: the companies named in a file against the companies in Odoo.

Candidates are found at levels, strongest first, each with a score:

* ``alias``: a person linked this spelling to this company before (100);
* ``vat``: same VAT number (100);
* ``name``: same normalised name key (100);
* ``domain``: the contacts' email domain, or the file's company website, is a company's
  website or email domain; free-mail domains never count (90);
* ``fuzzy``: similar names (rapidfuzz, the similarity as score; 98 for one name written
  with and without umlauts, "Mueller" / "Müller").

Every candidate then carries evidence for it (same domain, a domain that spells its name,
same city or country) and against it (another VAT, another explicit legal form, other
domains, a domain that spells another name, another country), each a translatable reason.
Corroborating evidence lifts a suggestion's score; any evidence against ranks it below
the unopposed ones.

Only an unambiguous ``alias``, ``vat`` or ``name`` candidate on an active company links
by itself, and never against another VAT or legal form. Everything else is a ranked
suggestion: :func:`threshold_link` and :func:`preselect` decide which of them a
threshold may link or a form may pre-select, and say why not when they refuse.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from .clusters import (  # noqa: F401 (FileCompany, cluster_companies, propose_merges: the API)
    FileCompany,
    MergeProposal,
    affixes,
    cluster_companies,
    propose_merges,
    words_by_affix,
)
from .evidence import AGAINST, Evidence, company_domains, similar_names, similarity, weigh
from .messages import _lt, render
from .normalize import (
    CONNECTORS,
    company_key,
    normalize_vat,
    parse_company_name,
    read_company_name,
    spelling_keys,
)

MATCHED = "matched"
# Found by an exact level (name, VAT, alias) but with evidence against it (other domains,
# another country): linked only when a person confirms it.
CONTESTED = "contested"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
ARCHIVED = "archived"  # found exactly, but archived: link and unarchive, or create
LEVELS = ("alias", "vat", "name", "domain", "fuzzy")
EXACT_LEVELS = ("vat", "name")
LINK_LEVELS = ("alias", "vat", "name")  # the levels that link without a person
LEVEL_SCORES = {"alias": 100, "vat": 100, "name": 100, "domain": 90}
SPELLING_SCORE = 98  # "Mueller" for "Müller": the same name, not a typo
DEFAULT_FUZZY_THRESHOLD = 85  # least similarity of a suggestion
DEFAULT_LINK_THRESHOLD = 90  # least score a threshold link takes when none is given
AMBIGUITY_MARGIN = 3  # two suggestions closer than this are a tie no threshold breaks
MAX_SUGGESTIONS = 5
# A name token shared by more than this share of all companies ("group", "services")
# says nothing about which company is meant: it does not make a fuzzy candidate.
COMMON_TOKEN_SHARE = 0.02
# Most existing names one fuzzy search compares, its rarest tokens' companies first.
FUZZY_BLOCK_LIMIT = 5000
AFFIX_BLOCK_LIMIT = 5000  # words sharing a blocking key beyond which it tells nothing
SIMILAR_TOKEN = 75  # "zephir" is one typo from "zephyr" (83%), "acne" from "acme" (75%)

REASONS = {
    "alias": _lt("Alias saved by %(user)s on %(date)s"),
    "vat": _lt("Same VAT number %(vat)s"),
    "name": _lt("Same name once case, accents, punctuation and legal form are ignored (%(key)s)"),
    "domain": _lt("Contacts' email or website domain %(domain)s is this company's domain"),
    "fuzzy": _lt("Similar name: %(score)s%% alike (%(key)s / %(other)s)"),
    "spelling": _lt("Same name with umlauts or special letters spelled out (%(key)s / %(other)s)"),
}
WHY_NOTHING = _lt("No company in Odoo resembles %(company)r.")
WHY_AMBIGUOUS = _lt("%(count)s companies in Odoo match %(company)r equally; a person must choose.")
WHY_ARCHIVED = _lt("%(name)s is archived: link and unarchive it, or create a new company.")
WHY_BELOW = _lt("The best suggestion, %(name)s, scores %(score)s, below the threshold of %(threshold)s.")
WHY_CLOSE = _lt("%(name)s (%(score)s) and %(other)s (%(other_score)s) are too close to choose between.")
WHY_LOOK_ALIKE = _lt(
    "%(company)r looks like %(other)r, also in the file: whether they are one company is for a person "
    "to decide first."
)
WHY_BARE = _lt("Only the name of %(name)s is alike (%(score)s%%); nothing else confirms it.")
WHY_NAME_DIFFERS = _lt("%(name)s shares these contacts' domain, but its name is only %(score)s%% alike.")


@dataclass(frozen=True, slots=True)
class ExistingCompany:
    """A company already in Odoo, as plain data (``country``: ISO code)."""

    id: int
    name: str
    vat: str = ""
    website: str = ""
    email: str = ""
    active: bool = True
    country: str = ""
    city: str = ""


@dataclass(frozen=True)
class Alias:
    """A remembered decision: the spelling ``key`` is (or, ``negative``, is not) the
    company ``company_id``; ``by`` and ``on`` say who decided and when, for the reason."""

    key: str
    company_id: int
    negative: bool = False
    by: str = ""
    on: str = ""


@dataclass
class Candidate:
    company_id: int
    name: str
    level: str
    score: int
    params: dict
    archived: bool = False
    evidence: list = field(default_factory=list)  # Evidence, best first
    similarity: int = 0  # of the names, 0-100
    corroborated: bool = False  # evidence beyond the name: a shared domain, an alias

    @property
    def support(self):
        return [e for e in self.evidence if not e.against]

    @property
    def against(self):
        return [e for e in self.evidence if e.against]

    @property
    def vetoed(self):
        """Evidence forbids linking this company without a person (another VAT or legal form)."""
        return any(e.veto for e in self.evidence)

    @property
    def opposed(self):
        """Some evidence says this is not the company: no threshold link, no pre-selection."""
        return any(e.against for e in self.evidence)

    def reasons(self):
        """(template, params) of every piece of evidence, for it first, then against it."""
        if not self.evidence:
            return [(REASONS[self.level], self.params)]
        return [(e.template, e.params) for e in self.support + self.against]

    def reason(self, translate=None):
        return "; ".join(render(template, params, translate) for template, params in self.reasons())


@dataclass
class Match:
    status: str
    candidates: list
    company_id: int | None = None
    name: str = ""  # the file's company, for the reasons
    tied: list = field(default_factory=list)  # the candidates of an automatic link, or its tie
    look_alikes: list = field(default_factory=list)  # names of file companies that look like it

    @property
    def best(self):
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Verdict:
    """What a threshold or a pre-selection does with a match: the candidate to link, or
    None and why not. ``considered`` is the suggestion that was turned down, if any."""

    candidate: Candidate | None
    template: str
    params: dict
    considered: Candidate | None = None

    def __bool__(self):
        return self.candidate is not None

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


def _put(table, key, value):
    """Add ``value`` under ``key``: one value is kept as it is, several in a list (memory)."""
    known = table.get(key)
    if known is None:
        table[key] = value
    elif type(known) is list:
        known.append(value)
    else:
        table[key] = [known, value]


def _get(table, key):
    found = table.get(key)
    if found is None:
        return ()
    return found if type(found) is list else (found,)


# -- companies in Odoo -----------------------------------------------------------------------


class CompanyIndex:
    """Existing companies indexed by VAT, name key, spelling, domain and name tokens.

    Built for hundreds of thousands of companies: one position per company in plain
    dicts of positions (a lone position is stored as it is, several in a list), the
    companies themselves kept as given. ``aliases`` are remembered decisions
    (:class:`Alias`): a positive one links its spelling, a negative one removes its
    company from that spelling's candidates.
    """

    def __init__(self, companies, aliases=()):
        self.companies = companies if isinstance(companies, list) else list(companies)
        self.position = {}  # company id -> position
        self.by_vat, self.by_key, self.by_spelling, self.by_domain = {}, {}, {}, {}
        for position, company in enumerate(self.companies):
            self.position[company.id] = position
            if company.vat:
                vat = normalize_vat(company.vat)
                if vat and vat != "/":
                    _put(self.by_vat, vat, position)
            name = company.name or ""
            key = read_company_name(name).key  # uncached: each name is read once
            if key:
                _put(self.by_key, key, position)
                if not name.isascii():
                    for spelled in spelling_keys(name, key)[1:]:
                        _put(self.by_spelling, spelled, position)
            if company.website or company.email:
                for domain in company_domains(company):
                    _put(self.by_domain, domain, position)
        self.keys = list(self.by_key)
        self.by_token = defaultdict(list)
        for number, key in enumerate(self.keys):
            for token in set(key.split()):
                self.by_token[token].append(number)
        self.by_token.default_factory = None
        self.common_limit = max(50, int(len(self.keys) * COMMON_TOKEN_SHARE))
        self._similar = {}  # word -> its known typo variants, as found once
        self.aliases = defaultdict(list)  # key -> positive aliases
        self.rejected = defaultdict(set)  # key -> company ids a person said it is not
        for alias in aliases:
            key = company_key(alias.key) or alias.key
            if alias.negative:
                self.rejected[key].add(alias.company_id)
            else:
                self.aliases[key].append(alias)

    @cached_property
    def tokens_by_affix(self):
        """Known name words by their blocking keys, to find a word's typo variants."""
        return words_by_affix(self.by_token)

    def similar_tokens(self, token):
        """Known words one typo from ``token`` ("zephir" -> "zephyr")."""
        similar = self._similar.get(token)
        if similar is None:
            similar = []
            if len(token) >= 3:
                found = []
                for affix in affixes(token):  # words one letter shorter, as long or one longer
                    block = self.tokens_by_affix.get(affix, ())
                    if len(block) <= AFFIX_BLOCK_LIMIT:
                        found += block
                results = process.extract(
                    token, found, scorer=fuzz.ratio, score_cutoff=SIMILAR_TOKEN, limit=None
                )
                similar = list({other for other, _score, _n in results if other != token})
            self._similar[token] = similar
        return similar

    def fuzzy_choices(self, key):
        """Numbers (in :attr:`keys`) of the existing keys sharing a telling word, or a typo
        variant of one, with ``key``: the rarest words' first, at most about
        FUZZY_BLOCK_LIMIT of them, and always those of the rarest word."""
        lists = []
        for token in set(key.split()):
            found = self.by_token.get(token)
            if found:
                lists.append(found)
            lists += [self.by_token[similar] for similar in self.similar_tokens(token)]
        if not lists:
            return set()
        lists.sort(key=len)
        chosen = set(lists[0])
        budget = FUZZY_BLOCK_LIMIT - len(chosen)
        for found in lists[1:]:
            if len(found) > self.common_limit or len(found) > budget:
                break
            chosen.update(found)
            budget -= len(found)
        return chosen

    def _found(self, cluster, threshold, spelled, domains):
        """position -> [Evidence of a level], for every company found for ``cluster``
        (``spelled``: its spelling keys, ``domains``: its domain counts)."""
        found = defaultdict(list)

        def offer(position, level, score, template, /, code=None, **params):
            # One piece of evidence a level: a name found by its spelling is not fuzzy too.
            if not any(e.level == level for e in found.get(position, ())):
                found[position].append(Evidence(code or level, template, params, level=level, score=score))

        keys = cluster.keys
        for key in keys:
            for alias in self.aliases.get(key, ()):
                position = self.position.get(alias.company_id)
                if position is not None:
                    offer(position, "alias", 100, REASONS["alias"], user=alias.by, date=alias.on)
        for vat in cluster.vats:
            for position in _get(self.by_vat, vat):
                offer(position, "vat", 100, REASONS["vat"], vat=vat)
        for key in keys:
            for position in _get(self.by_key, key):
                offer(position, "name", 100, REASONS["name"], key=key)
        for key in spelled:
            positions = set(_get(self.by_spelling, key))
            if key not in keys:
                positions.update(_get(self.by_key, key))
            for position in positions:
                if position not in found:  # not found by its name
                    other = parse_company_name(self.companies[position].name).key
                    template = REASONS["spelling"]
                    offer(
                        position, "fuzzy", SPELLING_SCORE, template, "spelling", key=cluster.key, other=other
                    )
        for domain in domains:
            for position in _get(self.by_domain, domain):
                offer(position, "domain", LEVEL_SCORES["domain"], REASONS["domain"], domain=domain)
        for key in keys:
            numbers = [n for n in self.fuzzy_choices(key) if self.keys[n] not in spelled]
            for other, score in similar_names(
                key, [self.keys[n] for n in numbers], threshold, MAX_SUGGESTIONS
            ):
                for position in _get(self.by_key, other):
                    offer(position, "fuzzy", score, REASONS["fuzzy"], score=score, key=key, other=other)
        rejected = set().union(*(self.rejected.get(k, ()) for k in keys))
        for position in [p for p in found if self.companies[p].id in rejected]:
            del found[position]
        return found

    def _other_words(self, key, other):
        """Evidence against a bare fuzzy candidate: a word of ``key`` that ``other`` has not is
        the name of other companies in Odoo ("schmitt" for "schmidt"): a name of its own, not
        a typo. (Typos, "industires", are in no company's name.)"""
        words = other.split()
        for word in key.split():
            if word not in words and len(word) > 2 and word not in CONNECTORS and word in self.by_token:
                example = self.keys[self.by_token[word][0]]
                params = {"word": word, "example": example, "other": other}
                return [Evidence("word", AGAINST["word"], params, against=True)]
        return []

    def _candidate(self, position, levels, cluster, spelled, domains):
        """A :class:`Candidate` with the evidence for and against it."""
        company = self.companies[position]
        levels.sort(key=lambda e: (-e.score, LEVELS.index(e.level)))
        best = levels[0]
        archived = not company.active
        candidate = Candidate(company.id, company.name, best.level, best.score, best.params, archived)
        name = parse_company_name(company.name)
        candidate.similarity = max(
            [e.score for e in levels if e.level in ("name", "fuzzy")]
            + [similarity(key, name.key) for key in cluster.keys]
        )
        support, against, candidate.corroborated, lift = weigh(
            company, cluster, candidate.similarity, {e.level for e in levels}, spelled, domains
        )
        if best.code == "fuzzy" and not candidate.corroborated:
            against += self._other_words(best.params["key"], name.key)
        candidate.evidence = levels + support + against
        if best.level not in LINK_LEVELS:
            candidate.score = min(99, best.score + lift)
        return candidate

    def match(self, cluster, threshold=DEFAULT_FUZZY_THRESHOLD):
        """Match one :class:`FileCompany`; returns a :class:`Match`.

        ``threshold`` is the least similarity of a fuzzy suggestion.
        """
        spelled, domains = cluster.spelling_keys(), cluster.domain_counts()
        found = self._found(cluster, threshold, spelled, domains)
        candidates = sorted(
            (self._candidate(p, levels, cluster, spelled, domains) for p, levels in found.items()),
            key=_rank,
        )
        # Every company a link could go to stays listed (duplicates above all); the
        # suggestions fill the rest.
        room = MAX_SUGGESTIONS - sum(1 for c in candidates if c.level in LINK_LEVELS)
        kept = []
        for candidate in candidates:
            if candidate.level in LINK_LEVELS or room > 0:
                kept.append(candidate)
                room -= candidate.level not in LINK_LEVELS
        match = decide(kept, cluster.name)
        match.look_alikes = [params["other"] for _key, _template, params in cluster.look_alikes]
        return match


def _rank(candidate):
    """Sort key: what may link by itself first (the matched company is the best), then the
    unopposed suggestions, best first, then the opposed ones."""
    linkable = candidate.level in LINK_LEVELS and not candidate.vetoed
    return (
        not linkable,
        candidate.opposed,
        -candidate.score,
        LEVELS.index(candidate.level),
        candidate.archived,
        candidate.name,
        candidate.company_id,
    )


def decide(candidates, name=""):
    """Link only when one active company is the single best unvetoed alias, VAT or name
    candidate; an archived one alone is ARCHIVED; several are AMBIGUOUS."""
    linkable = [c for c in candidates if c.level in LINK_LEVELS and not c.vetoed]
    if not linkable:
        return Match(UNMATCHED, candidates, name=name)
    best_level = min(LEVELS.index(c.level) for c in linkable)
    tied = [c for c in linkable if LEVELS.index(c.level) == best_level]
    active = [c for c in tied if not c.archived]
    if len(active) == 1:
        # the same VAT number is the same legal entity; a name (or an alias) with evidence
        # against it waits for a person
        contested = active[0].opposed and active[0].level != "vat"
        status, tied = (CONTESTED if contested else MATCHED), active
    elif not active and len(tied) == 1:
        status = ARCHIVED
    else:
        status, tied = AMBIGUOUS, active or tied
    # What links (or ties) comes first: the matched company is the best candidate.
    first = {id(c) for c in tied}
    candidates = tied + [c for c in candidates if id(c) not in first]
    company_id = tied[0].company_id if status in (MATCHED, CONTESTED) else None
    return Match(status, candidates, company_id, name, tied)


def match_all(clusters, index, threshold=DEFAULT_FUZZY_THRESHOLD):
    """Match every :class:`FileCompany` of ``clusters`` (a dict key -> cluster)."""
    return {key: index.match(cluster, threshold) for key, cluster in clusters.items()}


# -- decisions a threshold may take ---------------------------------------------------------------


def _linked_or_refused(match):
    """The verdict on a match whose status decides alone, or None to look at its suggestions."""
    if match.status == MATCHED:
        linked = match.tied[0] if match.tied else match.best
        return Verdict(linked, *linked.reasons()[0])
    if match.status == CONTESTED:  # a person judges: the evidence against it is the reason
        found = match.tied[0]
        evidence = found.against[0]
        return Verdict(None, evidence.template, evidence.params, found)
    if match.status == AMBIGUOUS:
        return Verdict(None, WHY_AMBIGUOUS, {"count": len(match.tied), "company": match.name})
    if match.status == ARCHIVED:
        archived = match.tied[0]
        return Verdict(None, WHY_ARCHIVED, {"name": archived.name}, archived)
    best = match.best
    if best is None:
        return Verdict(None, WHY_NOTHING, {"company": match.name})
    if best.opposed:  # then all are: the unopposed rank first
        evidence = best.against[0]
        return Verdict(None, evidence.template, evidence.params, best)
    if best.archived:
        return Verdict(None, WHY_ARCHIVED, {"name": best.name}, best)
    if match.look_alikes:  # the file may name this company twice, with other evidence
        return Verdict(None, WHY_LOOK_ALIKE, {"company": match.name, "other": match.look_alikes[0]}, best)
    return None


def _rival(match):
    """Verdict refusing the best suggestion when an unopposed other one is as good."""
    best = match.best
    for other in match.candidates[1:]:
        if not other.opposed and best.score - other.score < AMBIGUITY_MARGIN:
            params = {"name": best.name, "score": best.score, "other": other.name, "other_score": other.score}
            return Verdict(None, WHY_CLOSE, params, best)
    return None


def threshold_link(match, threshold=DEFAULT_LINK_THRESHOLD):
    """The company a link threshold links ``match`` to, as a :class:`Verdict`.

    The one engine rule for every threshold decision (the headless ``--link-threshold``,
    "link to the best suggestion" in Reference Data): a matched company is kept; else the
    best suggestion, when it scores at least ``threshold``, is active, has no evidence
    against it and no unopposed rival within AMBIGUITY_MARGIN points. Otherwise the
    verdict's candidate is None and its reason says why.
    """
    verdict = _linked_or_refused(match)
    if verdict is not None:
        return verdict
    best = match.best
    if best.score < threshold:
        params = {"name": best.name, "score": best.score, "threshold": threshold}
        return Verdict(None, WHY_BELOW, params, best)
    rival = _rival(match)  # a refusal is falsy: no "or" here
    return rival if rival is not None else Verdict(best, *best.reasons()[0])


def preselect(match):
    """The suggestion Reference Data pre-selects for ``match``, as a :class:`Verdict`.

    Only an unopposed, unrivalled suggestion with evidence beyond its name (a shared
    domain, a domain spelling its name) and a similar name: a bare fuzzy score never is.
    """
    verdict = _linked_or_refused(match)
    if verdict is not None:
        return verdict
    best = match.best
    params = {"name": best.name, "score": best.similarity}
    if not best.corroborated:
        return Verdict(None, WHY_BARE, params, best)
    if best.similarity < DEFAULT_FUZZY_THRESHOLD:
        return Verdict(None, WHY_NAME_DIFFERS, params, best)
    rival = _rival(match)  # a refusal is falsy: no "or" here
    return rival if rival is not None else Verdict(best, *best.reasons()[0])
