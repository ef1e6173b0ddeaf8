"""Plain pytest: the companies of a file, typo variants merged or proposed for a merge."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_import_wizard.engine import clusters as clusters_module
from contact_import_wizard.engine import matching as m
from contact_import_wizard.engine import plan, reader, validation


def clusters(*entries, merge=True):
    """Clusters of (spelling, email[, vat]) entries, one row each from row 2."""
    rows = [(e[0], row, e[1], e[2] if len(e) > 2 else "", "") for row, e in enumerate(entries, 2)]
    return m.cluster_companies(rows, merge=merge)


ZEPHYR = [
    ("Zephyr Analytics", "ann@zephyr-analytics.example"),
    ("Zephir Analytics", "bob@zephyr-analytics.example"),
    ("Zephyr Analytics", "cid@zephyr-analytics.example"),
    ("Zephyr Analytcs", "dan@zephyr-analytics.example"),
    ("Blue River Foods", "eve@bluefoods.example"),
]


def test_typo_variants_with_a_shared_domain_are_one_company():
    found = clusters(*ZEPHYR)
    assert list(found) == ["zephyr analytics", "blue river foods"]
    zephyr = found["zephyr analytics"]
    assert zephyr.rows == [2, 3, 4, 5]
    assert zephyr.name == "Zephyr Analytics"
    assert zephyr.keys == ["zephyr analytics", "zephir analytics", "zephyr analytcs"]
    reasons = sorted(m.render(t, p) for _key, t, p in zephyr.merged)
    assert reasons == [
        "Spelling 'Zephir Analytics' merged in: 93% alike, and its contacts share the domain "
        "zephyr-analytics.example",
        "Spelling 'Zephyr Analytcs' merged in: 96% alike, and its contacts share the domain "
        "zephyr-analytics.example",
    ]
    assert m.propose_merges(found) == []


def test_the_spelling_with_most_rows_names_the_merged_company():
    found = clusters(
        ("Zephir Analytics", "a@zephyr.example"),
        ("Zephyr Analytics", "b@zephyr.example"),
        ("Zephyr Analytics", "c@zephyr.example"),
    )
    assert list(found) == ["zephyr analytics"]
    assert found["zephyr analytics"].rows == [2, 3, 4]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Zephyr Analytics", "ann@gmail.com"), ("Zephir Analytics", "bob@hotmail.it")),  # free mail
        (("Zephyr Analytics", ""), ("Zephir Analytics", "")),
        (("Müller Bau", ""), ("Mueller Bau", "")),  # umlaut spelled out
    ],
)
def test_look_alikes_without_evidence_stay_apart_with_a_proposal(one, other):
    found = clusters(one, other)
    assert len(found) == 2
    (proposal,) = m.propose_merges(found)
    first, second = (m.company_key(e[0]) for e in (one, other))
    assert proposal.keys == (first, second)
    assert proposal.reason().startswith(f"{one[0]!r} and {other[0]!r} look like one company (")
    assert proposal.reason().endswith("alike); merge them?")
    assert found[first].look_alikes[0][0] == second and found[second].look_alikes[0][0] == first


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Möller Bau", "a@moeller-bau.de"), ("Müller Bau", "b@mueller-bau.de")),  # two domains
        (("Zephyr Analytics", "", "DE111"), ("Zephir Analytics", "", "DE222")),  # two VAT numbers
        (("Zephyr Analytics GmbH", "a@z.example"), ("Zephir Analytics Ltd", "b@z.example")),  # two forms
        (("Stark Industries", "a@stark.example"), ("Stark Logistics", "b@stark.example")),  # not alike
    ],
)
def test_two_companies_stay_apart_without_a_proposal(one, other):
    found = clusters(one, other)
    assert len(found) == 2
    assert m.propose_merges(found) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Müller Bau GmbH", "a@mueller-bau.de"), ("Mueller Bau", "b@mueller-bau.de")),
        (("Zephyr Analytics", "", "DE 111 222 333"), ("Zephir Analytics", "", "de111222333")),
        (("Zephyr Analytics", "a@www.zephyr.example"), ("Zephir Analytics", "b@mail.zephyr.example")),
        (("Ripi Consulting", "a@ripi.example"), ("Rii Consulting", "b@ripi.example")),  # short word
        (("Quinkel Analytics", "a@qk.example"), ("Qcinkel Analytics", "b@qk.example")),
    ],
)
def test_variants_sharing_a_domain_or_vat_are_merged(one, other):
    found = clusters(one, other)
    assert len(found) == 1
    (company,) = found.values()
    assert company.rows == [2, 3] and len(company.keys) == 2


def test_without_merge_only_equal_keys_are_grouped():
    found = clusters(*ZEPHYR, merge=False)
    assert list(found) == ["zephyr analytics", "zephir analytics", "zephyr analytcs", "blue river foods"]


def test_many_companies_sharing_common_words_are_not_compared_pairwise():
    # Thousands of companies ending in "Services": only telling words make pairs.
    entries = [(f"Company{n:05d} Services", f"x@c{n}.example") for n in range(3000)]
    entries += [("Zephyr Services", "a@zephyr.example"), ("Zephir Services", "b@zephyr.example")]
    found = clusters(*entries)
    assert len(found) == 3001
    assert found["zephyr services"].keys == ["zephyr services", "zephir services"]


def test_a_merged_company_matches_an_existing_one_by_any_of_its_keys():
    found = clusters(
        ("Zephir Analytics", "a@zephyr.example"),
        ("Zephir Analytics", "b@zephyr.example"),
        ("Zephyr Analytics", "c@zephyr.example"),
    )
    (cluster,) = found.values()
    assert cluster.key == "zephir analytics"
    result = m.CompanyIndex([m.ExistingCompany(9, "Zephyr Analytics GmbH")]).match(cluster)
    assert result.status == m.MATCHED and result.company_id == 9


# -- through validation and the plan ------------------------------------------------------------

HEADERS = ["Name", "Email", "Company"]
MAPPING = {"Name": "name", "Email": "email", "Company": "company"}


def validate(rows, companies=()):
    table_rows = [reader.Row(i + 2, tuple(r)) for i, r in enumerate(rows)]
    lookups = validation.Lookups(companies=list(companies))
    return validation.validate(table_rows, HEADERS, MAPPING, lookups)


def test_rows_of_merged_variants_make_one_new_company():
    result = validate(
        [
            ["Ann", "ann@zephyr.example", "Zephyr Analytics"],
            ["Bob", "bob@zephyr.example", "Zephir Analytics"],
            ["Cid", "cid@zephyr.example", "Zephyr Analytics"],
        ]
    )
    assert list(result.clusters) == ["zephyr analytics"]
    assert {r.company_key for r in result.records} == {"zephyr analytics"}
    the_plan = plan.build_plan(result, plan.default_decisions(result))
    (company,) = the_plan.companies
    assert company.name == "Zephyr Analytics" and company.rows == [2, 3, 4]
    assert company.values["website"] == "https://zephyr.example"


def test_a_proposed_merge_accepted_makes_one_company():
    result = validate(
        [
            ["Ann", "ann@gmail.com", "Zephyr Analytics"],
            ["Bob", "bob@gmail.com", "Zephir Analytics"],
        ]
    )
    (proposal,) = m.propose_merges(result.clusters)
    first, second = proposal.keys
    decisions = plan.default_decisions(result)
    assert len(plan.build_plan(result, decisions).companies) == 2
    decisions[second] = plan.Decision(plan.MERGE, into=first)
    the_plan = plan.build_plan(result, decisions)
    (company,) = the_plan.companies
    assert company.key == first and company.rows == [2, 3]
    assert {c.company_key for c in the_plan.contacts} == {first}
    # Merged into a company that is linked: the rows are linked too.
    decisions[first] = plan.Decision(plan.LINK, 42)
    the_plan = plan.build_plan(result, decisions)
    assert the_plan.companies == [] and {c.company_id for c in the_plan.contacts} == {42}


def test_an_archived_company_asks_for_a_decision():
    result = validate([["Ann", "", "Initech"]], [m.ExistingCompany(4, "Initech Inc.", active=False)])
    assert result.matches["initech"].status == m.ARCHIVED
    (problem,) = [p for p in result.problems if p.stage == "reference"]
    assert problem.code == "company_archived"
    assert problem.message() == (
        "Company 'Initech' is archived in Odoo (Initech Inc.); in Reference Data, "
        "link and unarchive it or create a new one."
    )
    assert "initech" not in plan.default_decisions(result)  # never a silent duplicate


def test_ambiguous_companies_count_every_namesake():
    companies = [m.ExistingCompany(i, "Umbrella Ltd") for i in range(1, 8)]
    result = validate([["Ann", "", "Umbrella"]], companies)
    (problem,) = [p for p in result.problems if p.stage == "reference"]
    assert (
        problem.message() == "Company 'Umbrella' matches 7 companies in Odoo; choose one in Reference Data."
    )


def test_aliases_reach_the_matching():
    lookups = validation.Lookups(
        companies=[m.ExistingCompany(7, "Stadtwerke Erlangen GmbH")],
        aliases=[m.Alias("SEG", 7, by="Ann", on="2026-01-02")],
    )
    result = validation.validate([reader.Row(2, ("Ann", "", "SEG"))], HEADERS, MAPPING, lookups)
    assert result.matches["seg"].status == m.MATCHED and result.matches["seg"].company_id == 7


def test_contacts_countries_and_cities_reach_the_evidence():
    lookups = validation.Lookups(
        countries=[validation.Country(1, "DE", ("Germany",)), validation.Country(2, "AT", ("Austria",))],
        companies=[
            m.ExistingCompany(1, "Nordwind Energy GmbH", country="DE"),
            m.ExistingCompany(2, "Nordwind Energie Holding", country="AT", city="Wien"),
        ],
    )
    headers = [*HEADERS, "Country", "City"]
    mapping = dict(MAPPING, Country="country", City="city")
    rows = [reader.Row(2, ("Ann", "", "Nordwind Energie GmbH", "Austria", "Wien"))]
    result = validation.validate(rows, headers, mapping, lookups, threshold=70)
    cluster = result.clusters["nordwind energie"]
    assert cluster.countries == {"AT": 1} and cluster.cities == {"Wien": 1}
    by_id = {c.company_id: c for c in result.matches["nordwind energie"].candidates}
    # Another country; and "energie" is a word of another company's name, not a typo.
    assert [e.code for e in by_id[1].against] == ["country", "word"]
    assert {e.code for e in by_id[2].support} == {"fuzzy", "country", "city"}


def test_a_chain_of_merges_is_no_decision():
    result = validate([["Ann", "", "Zephyr Analytics"], ["Bob", "", "Zephir Analytics"]])
    keys = list(result.clusters)
    decisions = {
        keys[0]: plan.Decision(plan.MERGE, into=keys[1]),
        keys[1]: plan.Decision(plan.MERGE, into=keys[0]),
    }
    the_plan = plan.build_plan(result, decisions)
    assert the_plan.contacts == [] and len(the_plan.ignored) == 2


@pytest.mark.parametrize("domain", ["hotmail.it", "yahoo.co.jp", "gmx.ch", "pm.me", "comcast.net"])
def test_a_new_company_never_gets_a_free_mail_website(domain):
    result = validate(
        [["Ann", f"ann@{domain}", "Zephyr Analytics"], ["Bob", f"bob@{domain}", "Zephyr Analytics"]]
    )
    assert result.clusters["zephyr analytics"].domain_counts() == {}
    (company,) = plan.build_plan(result, plan.default_decisions(result)).companies
    assert "website" not in company.values


# -- blocking ------------------------------------------------------------------------------------


def one_typo(word, at, letter, kind):
    at %= len(word)
    if kind == "substitute":
        return word[:at] + letter + word[at + 1 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "insert":
        return word[:at] + letter + word[at:]
    at = max(at, 1)
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=14),
    st.integers(min_value=0, max_value=20),
    st.sampled_from("aeioustz"),
    st.sampled_from(["substitute", "drop", "insert", "swap"]),
)
def test_a_word_and_its_one_typo_variant_share_a_blocking_key(word, at, letter, kind):
    other = one_typo(word, at, letter, kind)
    if len(other) >= 4 and other != word:
        assert set(clusters_module.affixes(word)) & set(clusters_module.affixes(other))


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("zephir", "zephyr"),
        ("kresa", "krosa"),
        ("rdovobar", "drovobar"),
        ("acne", "acme"),
        ("analytcs", "analytics"),
    ],
)
def test_the_index_finds_known_words_one_typo_away(typo, word):
    index = m.CompanyIndex([m.ExistingCompany(1, f"{word} Holding"), m.ExistingCompany(2, "Other Holding")])
    assert word in index.similar_tokens(typo)


def test_a_typo_in_the_first_letter_is_still_alike():
    # Sorting the words would put "rdovobar" after "dynamics" and "drovobar" before it.
    companies = [m.ExistingCompany(1, "Drovobar Dynamics"), m.ExistingCompany(2, "Dynamics Partners")]
    cluster = clusters(("Rdovobar Dynamics", ""))["rdovobar dynamics"]
    best = m.CompanyIndex(companies).match(cluster).best
    assert best.company_id == 1 and best.similarity == 94


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Above Co 0", "Above Co 1"),
        ("Store 12", "Store 13"),
        ("Unit 7 Ltd", "Unit 8 Ltd"),
        ("Hotel 1", "Hotel 10"),
    ],
)
def test_names_with_other_numbers_are_never_merged(one, other):
    entries = [(one, 2, "a@same.example", "", ""), (other, 3, "b@same.example", "", "")]
    clusters = m.cluster_companies(entries)
    assert len(clusters) == 2
