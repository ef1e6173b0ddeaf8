"""Plain pytest: company matching levels, ambiguity, archived companies, clustering."""

import pytest

from contact_import_wizard.engine import matching as m

COMPANIES = [
    m.ExistingCompany(1, "Acme GmbH", vat="DE 123 456 789"),
    m.ExistingCompany(2, "Blue River Foods Inc.", website="https://www.bluefoods.com"),
    m.ExistingCompany(3, "Globex Corporation", email="info@globex.example"),
    m.ExistingCompany(4, "Initech", active=False),
    m.ExistingCompany(5, "Umbrella Ltd"),
    m.ExistingCompany(6, "Umbrella Limited"),
    m.ExistingCompany(7, "Free Mail Co", website="https://gmail.com"),
    m.ExistingCompany(8, "Stark Industries"),
]


def match(name, email="", vat="", website="", threshold=85, companies=COMPANIES):
    clusters = m.cluster_companies([(name, 2, email, vat, website)])
    (cluster,) = clusters.values()
    return m.CompanyIndex(companies).match(cluster, threshold)


@pytest.mark.parametrize(
    ("name", "kwargs", "status", "company_id", "level"),
    [
        ("ACME", {}, m.MATCHED, 1, "name"),
        ("Whatever Name", {"vat": "de123456789"}, m.MATCHED, 1, "vat"),
        ("the blue river foods", {}, m.MATCHED, 2, "name"),
        ("BRF", {"email": "ann@bluefoods.com"}, m.UNMATCHED, None, "domain"),
        ("BRF", {"website": "bluefoods.com"}, m.UNMATCHED, None, "domain"),
        ("Globex Intl", {"email": "x@globex.example"}, m.UNMATCHED, None, "domain"),
        ("Stark Industires", {}, m.UNMATCHED, None, "fuzzy"),
        ("Initech", {}, m.ARCHIVED, None, "name"),  # archived: found, flagged, not linked
        ("Umbrella", {}, m.AMBIGUOUS, None, "name"),  # two companies share the key
        ("Nobody Knows Us", {}, m.UNMATCHED, None, None),
    ],
)
def test_levels(name, kwargs, status, company_id, level):
    result = match(name, **kwargs)
    assert result.status == status
    assert result.company_id == company_id
    assert (result.best.level if result.best else None) == level


def test_free_mail_domain_never_counts():
    result = match("Some Freelancer", email="someone@gmail.com")
    assert result.candidates == []


def test_archived_company_is_flagged():
    result = match("Initech")
    assert result.best.company_id == 4
    assert result.best.archived


def test_ambiguity_lists_both_never_picks():
    result = match("Umbrella Ltd.")
    assert result.status == m.AMBIGUOUS
    assert {c.company_id for c in result.candidates} >= {5, 6}


def test_fuzzy_candidates_ranked_with_score_and_reason():
    result = match("Stark Industires")
    best = result.best
    assert best.company_id == 8
    assert 85 <= best.score < 100
    assert best.reason() == f"Similar name: {best.score}% alike (stark industires / stark industries)"


def test_fuzzy_threshold_applies():
    assert match("Stark Industires", threshold=99).candidates == []


def test_a_company_found_at_several_levels_gives_every_reason():
    result = match("Blue River Foods", email="ann@bluefoods.com")
    assert result.status == m.MATCHED and result.company_id == 2
    reasons = result.best.reason()
    assert "Same name" in reasons and "bluefoods.com" in reasons


def test_common_tokens_do_not_make_candidates_alone():
    companies = [m.ExistingCompany(i, f"Group {i:04d} Services") for i in range(1, 3000)]
    companies.append(m.ExistingCompany(5000, "Zephyr Services"))
    result = match("Zephyr Service", companies=companies)
    assert result.best.company_id == 5000
    assert len(result.candidates) <= m.MAX_SUGGESTIONS


def test_clustering_spelling_variants():
    entries = [
        ("Blue River Foods Inc.", 2, "", "", ""),
        ("blue river foods", 3, "", "", ""),
        ("Blue River Foods, Inc", 4, "", "", ""),
        ("blue river foods", 5, "", "", ""),
        ("Acme", 6, "", "", ""),
    ]
    clusters = m.cluster_companies(entries)
    assert list(clusters) == ["blue river foods", "acme"]
    cluster = clusters["blue river foods"]
    assert cluster.rows == [2, 3, 4, 5]
    assert cluster.name == "blue river foods"  # the most frequent spelling
    assert sorted(cluster.spellings) == ["Blue River Foods Inc.", "Blue River Foods, Inc", "blue river foods"]
