"""The companies a file names: its spellings grouped into companies, before matching.

Spellings with one key ("Blue River Foods Inc.", "blue river foods") are one company.
Typo variants of one name ("Zephyr Analytics", "Zephir Analytics", "Zephyr Analytcs")
are one company too when their contacts share a domain or a VAT number; without such
evidence they stay apart and are proposed for a person to merge. Blocking by words and
word affixes keeps this cheap on tens of thousands of spellings.
"""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .evidence import same_vat, similarity
from .messages import _lt, render
from .normalize import (
    company_key,
    email_domain,
    is_free_mail,
    legal_forms,
    legal_forms_compatible,
    name_numbers,
    normalize_vat,
    registrable_domain,
    spelling_keys,
    url_domain,
)

MERGE_THRESHOLD = 88  # least similarity of two spellings of the file to be one company
MERGE_BLOCK_LIMIT = 60  # a word used by more of the file's companies tells none of them apart
SIMILAR_WORD = 75  # "zephir" is one typo from "zephyr" (83%), "acne" from "acme" (75%)

MERGED_DOMAIN = _lt(
    "Spelling %(other)r merged in: %(score)s%% alike, and its contacts share the domain %(domain)s"
)
MERGED_VAT = _lt("Spelling %(other)r merged in: %(score)s%% alike, with the same VAT number %(vat)s")
LOOK_ALIKE = _lt("%(name)r and %(other)r look like one company (%(score)s%% alike); merge them?")


@dataclass
class FileCompany:
    """One company of the file: every spelling with its key (or merged into it), and its rows."""

    key: str
    spellings: Counter = field(default_factory=Counter)
    rows: list = field(default_factory=list)
    domains: Counter = field(default_factory=Counter)  # of the contacts' emails, free mail left out
    vats: Counter = field(default_factory=Counter)
    websites: Counter = field(default_factory=Counter)
    countries: Counter = field(default_factory=Counter)  # ISO codes of the contacts' countries
    cities: Counter = field(default_factory=Counter)
    keys: list = field(default_factory=list)  # every key of this company, its own first
    merged: list = field(default_factory=list)  # (key, template, params): variants merged in
    look_alikes: list = field(default_factory=list)  # (key, template, params): merge proposals

    def __post_init__(self):
        if not self.keys:
            self.keys = [self.key]

    @property
    def name(self):
        """The most frequent spelling; the first seen wins a tie."""
        return self.spellings.most_common(1)[0][0]

    def add(self, spelling, row, email="", vat="", website="", country="", city=""):
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
        if country:
            self.countries[country] += 1
        if city:
            self.cities[city] += 1

    def absorb(self, other, template, params):
        """Take in the spellings and rows of ``other``, a variant of this company, and why."""
        for mine, theirs in (
            (self.spellings, other.spellings),
            (self.domains, other.domains),
            (self.vats, other.vats),
            (self.websites, other.websites),
            (self.countries, other.countries),
            (self.cities, other.cities),
        ):
            mine.update(theirs)
        self.rows = sorted(self.rows + other.rows)
        self.keys += [k for k in other.keys if k not in self.keys]
        self.merged += [(other.key, template, params), *other.merged]

    def domain_counts(self):
        """Registrable domains of the website and the contacts' emails, free mail left out."""
        counts = Counter()
        for domain, count in itertools.chain(self.websites.items(), self.domains.items()):
            if not is_free_mail(domain):
                counts[registrable_domain(domain)] += count
        return counts

    def spelling_keys(self):
        """Every key of every spelling, with umlauts spelled out or not."""
        return set(self.keys).union(*(spelling_keys(s) for s in self.spellings))

    def legal_forms(self):
        return {form for spelling in self.spellings for form in legal_forms(spelling)}


@dataclass(frozen=True)
class MergeProposal:
    """Two companies of the file that look like one, for a person to merge or not."""

    keys: tuple
    template: str
    params: dict

    def reason(self, translate=None):
        return render(self.template, self.params, translate)


def affixes(token):
    """Blocking keys of a word, so that a word and its one-typo variant share at least one:
    its first and last letters with its length, and with the next length (four letters
    from nine on, where one typo still leaves one end whole, else three); a word of up to
    six letters, whose one typo may touch both ends, also by itself and each letter left
    out."""
    size = len(token)
    keys = []
    for length in (size, size + 1):
        ends = 4 if length >= 9 else 3
        keys += (("<", token[:ends], length), (">", token[-ends:], length))
    if size <= 6:
        keys.append(("-", token))
        keys += [("-", token[:at] + token[at + 1 :]) for at in range(size)]
    return keys


def cluster_companies(entries, merge=True):
    """Group (spelling, row, email, vat, website[, country, city]) entries into companies.

    Spellings with one key are one :class:`FileCompany`, in the order companies first
    appear. With ``merge``, typo variants whose contacts share a domain or a VAT number
    ("Zephyr Analytics" / "Zephir Analytics", both @zephyr.example) become the one with
    most rows (see :attr:`FileCompany.merged`, :attr:`FileCompany.keys`); look-alikes
    without such evidence stay apart, each with a merge proposal (:func:`propose_merges`).
    """
    by_key = {}
    for entry in entries:
        key = company_key(entry[0])
        if key:
            by_key.setdefault(key, []).append(entry)
    clusters = {}
    for key, key_entries in by_key.items():
        for family_key, family in _legal_entities(key, key_entries):
            cluster = clusters[family_key] = FileCompany(family_key, keys=[key])
            for spelling, row, email, vat, website, *place in family:
                cluster.add(spelling, row, email, vat, website, *place)
    return _merge_variants(clusters) if merge else clusters


def _legal_entities(key, entries):
    """The entries of one name key, split by legal entity: "Acme GmbH" and "Acme Inc" are
    two companies (one name, two explicit legal forms that cannot be one entity), each with
    a key of its own; a spelling without a legal form ("ACME") joins the one whose contacts
    share its email domain, else the one with most rows. Yields (key, entries); the most
    common entity keeps the name's key."""
    families = []  # [forms, countries, entries, company domains]
    loose = []
    for entry in entries:
        forms = legal_forms(entry[0])
        if not forms:
            loose.append(entry)
            continue
        country = entry[5] if len(entry) > 5 else ""
        domain = _company_domain(entry[2])
        # a family of the same form first, then one whose form a country makes this one
        for family in sorted(families, key=lambda f: not set(forms) & f[0]):
            countries = family[1] | ({country} if country else set())
            if not legal_forms_compatible(forms, family[0], countries):
                continue
            if not set(forms) & family[0] and domain and family[3] and domain not in family[3]:
                # One entity only if a country makes its forms one ("GmbH" is a Swiss
                # "Sàrl"), and the contacts' company domains say two companies.
                continue
            family[1].update({country} if country else set())
            family[2].append(entry)
            family[3].update({domain} if domain else set())
            break
        else:
            families.append([set(forms), {country} if country else set(), [entry], {domain} - {""}])
    if len(families) < 2:
        yield key, list(entries)
        return
    domains = [{email_domain(e[2]) for e in family[2]} - {""} for family in families]
    for entry in loose:
        domain = email_domain(entry[2])
        home = next((f for f, d in zip(families, domains, strict=True) if domain and domain in d), None)
        if home is None:
            home = max(families, key=lambda f: len(f[2]))
        home[2].append(entry)
    families.sort(key=lambda f: -len(f[2]))
    yield key, families[0][2]
    for family in families[1:]:
        label = " ".join(sorted(family[0]))
        yield f"{key} ({label})", family[2]


def _company_domain(email):
    """The domain of a contact's address that says something of its company ("" for free
    mail and none)."""
    domain = email_domain(email)
    return "" if is_free_mail(domain) else domain


def words_by_affix(words):
    """Blocking key -> the ``words`` that have it (see :func:`affixes`)."""
    by_affix = defaultdict(list)
    for word in words:
        if len(word) >= 3:
            for affix in affixes(word):
                by_affix[affix].append(word)
    return by_affix


def similar_words(words, limit=200):
    """word -> the other ``words`` one typo from it ("zephir" -> ["zephyr"]): words sharing
    a blocking key (:func:`affixes`) held by at most ``limit`` words, then compared in one
    rapidfuzz call each."""
    by_affix = words_by_affix(words)
    similar = {}
    for word in words:
        if len(word) < 3:
            continue
        found = []
        for affix in affixes(word):
            block = by_affix[affix]
            if len(block) <= limit:
                found += block
        results = process.extract(word, found, scorer=fuzz.ratio, score_cutoff=SIMILAR_WORD, limit=None)
        others = {other for other, _score, _n in results if other != word}
        if others:
            similar[word] = others
    return similar


def _variant_pairs(items, spelled):
    """Pairs of positions of ``items`` that may be variants of one name, each once: they
    share a word, or have words a typo apart, used by few of them, or a spelling key."""
    clusters_of = defaultdict(list)  # word -> positions of the companies using it
    for position, cluster in enumerate(items):
        for word in set(cluster.key.split()):
            clusters_of[word].append(position)
    telling = {w: p for w, p in clusters_of.items() if len(p) <= MERGE_BLOCK_LIMIT}
    pairs = set()
    for positions in telling.values():
        pairs.update(itertools.combinations(positions, 2))
    for word, others in similar_words(list(telling)).items():
        for other in others:
            if other > word:  # each pair of words once
                pairs.update((min(a, b), max(a, b)) for a in telling[word] for b in telling[other] if a != b)
    by_spelling = defaultdict(list)
    for position, keys in enumerate(spelled):
        for key in keys:
            by_spelling[key].append(position)
    for positions in by_spelling.values():
        pairs.update(itertools.combinations(sorted(set(positions)), 2))
    return sorted(pairs)


def _two_companies(one, other, domains, other_domains):
    """Whether evidence says two companies of the file are two, whatever their names."""
    if {name_numbers(s) for s in one.spellings} != {name_numbers(s) for s in other.spellings}:
        return True  # "Store 12" and "Store 13": numbers are never typos
    if one.vats and other.vats and not any(same_vat(a, b) for a in one.vats for b in other.vats):
        return True
    if domains and other_domains and domains.keys().isdisjoint(other_domains):
        return True
    countries = set(one.countries) | set(other.countries)
    return not legal_forms_compatible(one.legal_forms(), other.legal_forms(), countries)


def _merge_variants(clusters):
    items = list(clusters.values())
    spelled = [cluster.spelling_keys() for cluster in items]
    domains = [cluster.domain_counts() for cluster in items]
    parent = list(range(len(items)))

    def root(position):
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    why = {}  # (one, other) -> (template, params) of their merge
    look_alikes = []
    for one, other in _variant_pairs(items, spelled):
        first, second = items[one], items[other]
        score = 100 if spelled[one] & spelled[other] else similarity(first.key, second.key)
        if score < MERGE_THRESHOLD or _two_companies(first, second, domains[one], domains[other]):
            continue
        shared = domains[one].keys() & domains[other].keys()
        vats = [v for v in first.vats if any(same_vat(v, w) for w in second.vats)]
        if shared:
            why[(one, other)] = why[(other, one)] = (MERGED_DOMAIN, {"domain": min(shared), "score": score})
        elif vats:
            why[(one, other)] = why[(other, one)] = (MERGED_VAT, {"vat": vats[0], "score": score})
        else:
            look_alikes.append((one, other, score))
            continue
        parent[root(other)] = root(one)

    groups = defaultdict(list)
    for position in range(len(items)):
        groups[root(position)].append(position)
    merged, head_of = {}, {}
    for position in range(len(items)):
        members = groups[root(position)]
        if position != members[0]:
            continue  # placed with its group, where the group first appears
        head = max(members, key=lambda p: (len(items[p].rows), -p))
        for member in members:
            head_of[member] = head
            if member != head:
                # The merge that brought it in: with the head, or with another member.
                pair = (
                    (head, member)
                    if (head, member) in why
                    else next((member, m) for m in members if (member, m) in why)
                )
                template, params = why[pair]
                items[head].absorb(items[member], template, dict(params, other=items[member].name))
        merged[items[head].key] = items[head]

    seen = set()
    for one, other, score in look_alikes:
        first, second = head_of[one], head_of[other]
        if first == second or (first, second) in seen:
            continue
        seen.update({(first, second), (second, first)})
        a, b = items[first], items[second]
        a.look_alikes.append((b.key, LOOK_ALIKE, {"name": a.name, "other": b.name, "score": score}))
        b.look_alikes.append((a.key, LOOK_ALIKE, {"name": b.name, "other": a.name, "score": score}))
    return merged


def propose_merges(clusters):
    """Companies of the file that look like one, without a shared domain or VAT number to
    prove it: each pair once, as a :class:`MergeProposal` with its reason."""
    proposals = []
    seen = set()
    for key, cluster in clusters.items():
        for other, template, params in cluster.look_alikes:
            if (other, key) not in seen:
                seen.add((key, other))
                proposals.append(MergeProposal((key, other), template, params))
    return proposals
