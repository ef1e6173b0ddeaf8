"""Plain pytest: evidence for and against a candidate, vetoes, lifts, threshold links,
pre-selection, aliases, archived and duplicated companies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_import_wizard.engine import evidence
from contact_import_wizard.engine import matching as m

Co = m.ExistingCompany


def match(name, companies, email="", vat="", website="", country="", city="", aliases=(), threshold=85):
    """Match one company of a file (one row, or one per email) against ``companies``."""
    emails = email if isinstance(email, list) else [email]
    entries = [(name, row, mail, vat, website, country, city) for row, mail in enumerate(emails, 2)]
    (cluster,) = m.cluster_companies(entries).values()
    return m.CompanyIndex(companies, aliases).match(cluster, threshold)


def linked(result, threshold=90):
    """The company id a run links to without a person: matched, or at the threshold."""
    verdict = m.threshold_link(result, threshold)
    return verdict.candidate.company_id if verdict else None


# -- pairs that must never be linked by themselves ---------------------------------------------

LOOK_ALIKES = [
    # (file company, its contacts' email, VAT, country, existing company, what says no)
    (
        "Möller Bau GmbH",
        "ann@moeller-bau.de",
        "",
        "DE",
        Co(1, "Müller Bau GmbH", website="mueller-bau.de"),
        "domain",
    ),
    (
        "Intratech Solutions AG",
        "bob@intratech.ch",
        "",
        "CH",
        Co(1, "Intertech Solutions AG", website="https://www.intertech.ch"),
        "domain",
    ),
    (
        "Schmitt & Sohn KG",
        "cid@schmitt-sohn.de",
        "",
        "",
        Co(1, "Schmidt & Sohn KG", email="info@schmidt-sohn.de"),
        "domain",
    ),
    (
        "Boulangerie Martin SARL",
        "dan@boulangerie-martin.fr",
        "",
        "FR",
        Co(1, "Boulangerie Marin SARL", website="boulangerie-marin.fr"),
        "domain",
    ),
    (
        "Van der Berg Logistiek B.V.",
        "eve@vdberg-logistiek.nl",
        "",
        "NL",
        Co(1, "Van den Berg Logistiek BV", website="vandenberg.nl"),
        "domain",
    ),
    # The company has no domain, but the contacts' domain spells the file's name.
    ("Zephir Analytics", "fay@zephir.io", "", "", Co(1, "Zephyr Analytics Ltd"), "domain_name"),
    # Same key, two legal entities: exact names are vetoed too.
    ("Siemens Inc.", "", "US 12-3456789", "US", Co(1, "Siemens AG", vat="DE129274202"), "vat"),
    ("Siemens Inc.", "", "", "", Co(1, "Siemens AG"), "legal_form"),
    ("Müller Bau GmbH & Co. KG", "", "", "DE", Co(1, "Müller Bau GmbH"), "legal_form"),
    ("Dupont SA", "", "", "FR", Co(1, "Dupont B.V."), "legal_form"),
    ("Acme Widgets PLC", "", "", "GB", Co(1, "Acme Widgets Ltd"), "legal_form"),
    ("Brightside LLC", "", "", "US", Co(1, "Brightside Inc."), "legal_form"),
    ("Construcciones García S.L.", "", "", "ES", Co(1, "Construcciones Garcia S.A."), "legal_form"),
    ("Tanaka Shoji G.K.", "", "", "JP", Co(1, "Tanaka Shoji Kabushiki Kaisha"), "legal_form"),
    ("Nestlé AG", "", "", "DE", Co(1, "Nestlé S.A.", country="FR"), "legal_form"),
    # Another country.
    ("Nordwind Energie GmbH", "", "", "AT", Co(1, "Nordwind Energy GmbH", country="DE"), "country"),
]


@pytest.mark.parametrize(("name", "email", "vat", "country", "company", "code"), LOOK_ALIKES)
def test_look_alikes_are_never_linked_by_themselves(name, email, vat, country, company, code):
    result = match(name, [company], email=email, vat=vat, country=country)
    assert result.status == m.UNMATCHED
    best = result.best
    assert best.company_id == company.id  # still a suggestion for a person to judge
    assert best.opposed and code in {e.code for e in best.against}
    for threshold in (0, 50, 90, 100):
        verdict = m.threshold_link(result, threshold)
        assert not verdict and verdict.considered is best
    assert not m.preselect(result)
    # The refusal says why, in the words of the evidence against.
    assert m.threshold_link(result).reason() == best.against[0].message()


def test_reasons_show_both_sides():
    result = match(
        "Möller Bau GmbH", [Co(1, "Müller Bau GmbH", website="mueller-bau.de")], email="ann@moeller-bau.de"
    )
    assert result.best.reason() == (
        "Similar name: 90% alike (moller bau / muller bau); "
        "Contacts use moeller-bau.de while this company uses mueller-bau.de"
    )
    assert [t for t, _p in result.best.reasons()] == [m.REASONS["fuzzy"], evidence.AGAINST["domain"]]


@pytest.mark.parametrize(
    ("name", "forms_reason"),
    [
        ("Siemens Inc.", "Different legal forms: Inc. in the file (Siemens Inc.), AG for this company"),
    ],
)
def test_legal_form_reason(name, forms_reason):
    result = match(name, [Co(1, "Siemens AG")])
    assert result.best.level == "name" and result.best.vetoed
    assert forms_reason in result.best.reason()


# -- pairs that must be linked ------------------------------------------------------------------

SAME_COMPANY = [
    # (file company, email, country, existing company, linked with no threshold)
    ("Nestlé AG", "", "CH", Co(1, "Nestlé S.A."), True),  # one entity in German and French
    ("Solvay NV", "", "BE", Co(1, "Solvay SA"), True),
    ("Maple Leaf Foods Ltd", "", "CA", Co(1, "Maple Leaf Foods Inc."), True),
    ("Toyota Tsusho Corporation", "", "JP", Co(1, "Toyota Tsusho Kabushiki Kaisha"), True),
    ("Acme Widgets Limited", "", "GB", Co(1, "Acme Widgets Ltd"), True),
    ("Bäckerei Schulz mbH", "", "DE", Co(1, "Baeckerei Schulz GmbH"), False),  # umlaut spelled out
    ("Bäckerei Schulz mbH", "", "DE", Co(1, "Backerei Schulz GmbH"), True),
    ("Société Générale", "", "FR", Co(1, "Société Générale S.A."), True),
    ("Telefonica", "", "ES", Co(1, "Telefónica, S.A."), True),
    ("Grupo Bimbo", "", "MX", Co(1, "Grupo Bimbo S.A.B. de C.V."), True),
    ("Kowalski Sp. z o.o.", "", "PL", Co(1, "Kowalski Spółka z o.o."), True),
    (
        "Mueller Bau GmbH",
        "ann@mueller-bau.de",
        "DE",
        Co(1, "Müller Bau GmbH", website="mueller-bau.de"),
        False,
    ),
    (
        "Stark Industires",
        "tony@stark.example",
        "US",
        Co(1, "Stark Industries", website="stark.example"),
        False,
    ),
    ("Zephir Analytics", "fay@zephyranalytics.com", "", Co(1, "Zephyr Analytics Ltd"), False),
    ("Ørsted", "kim@orsted.dk", "DK", Co(1, "Orsted A/S", website="orsted.com"), False),  # other ending
]


@pytest.mark.parametrize(("name", "email", "country", "company", "exact"), SAME_COMPANY)
def test_same_company_is_linked(name, email, country, company, exact):
    result = match(name, [company], email=email, country=country)
    assert (result.status == m.MATCHED) is exact
    assert not result.best.opposed
    assert linked(result, 90) == company.id


def test_same_company_with_other_ending_is_supported():
    result = match("Ørsted", [Co(1, "Orsted A/S", website="orsted.com")], email="kim@orsted.dk")
    assert "domain_tld" in {e.code for e in result.best.support}


# -- lifts, ranking, ambiguity --------------------------------------------------------------------


def test_a_shared_domain_lifts_a_weaker_name_above_a_bare_stronger_one():
    companies = [
        Co(1, "Atlas Marine Sup"),  # 91% alike, nothing else
        Co(2, "Atlas Marine Supply Group", website="atlasmarine.example"),  # 86% alike + domain
    ]
    result = match("Atlas Marine Supply", companies, email="ann@atlasmarine.example")
    first, second = result.candidates
    assert (first.company_id, second.company_id) == (2, 1)
    assert first.similarity < second.similarity
    assert first.score > second.score
    assert m.preselect(result).candidate is first  # corroborated: pre-selected
    assert linked(result) == 2


def test_opposed_candidates_rank_below_unopposed_ones():
    companies = [
        Co(1, "Orion Lab", website="orion-lab.example"),  # 95% alike, but other domain
        Co(2, "Orion Laboratories"),  # less alike, nothing against
    ]
    result = match("Orion Labs", companies, email="x@orion-group.example", threshold=70)
    assert [c.company_id for c in result.candidates] == [2, 1]
    assert result.candidates[1].opposed and not result.candidates[0].opposed


def test_two_close_suggestions_are_never_linked_by_a_threshold():
    companies = [Co(1, "Orion Lab"), Co(2, "Orion Labz")]  # 94% and 90%: apart enough
    result = match("Orion Labs", companies)
    assert result.candidates[0].score - result.candidates[1].score >= m.AMBIGUITY_MARGIN
    assert linked(result) == 1
    companies = [Co(1, "Orion Lab"), Co(2, "Orion Lbs")]  # both 94% alike
    result = match("Orion Labs", companies)
    assert result.candidates[0].score == result.candidates[1].score
    verdict = m.threshold_link(result, 90)
    assert not verdict
    assert verdict.reason() == "Orion Lab (94) and Orion Lbs (94) are too close to choose between."


def test_a_threshold_links_only_what_reaches_it():
    result = match("Stark Industires", [Co(1, "Stark Industries")])
    assert result.best.score == 93
    assert linked(result, 93) == 1
    verdict = m.threshold_link(result, 94)
    assert not verdict
    assert verdict.reason() == "The best suggestion, Stark Industries, scores 93, below the threshold of 94."


def test_a_bare_fuzzy_score_is_never_preselected():
    result = match("Stark Industires", [Co(1, "Stark Industries")])
    verdict = m.preselect(result)
    assert not verdict
    assert verdict.reason() == "Only the name of Stark Industries is alike (93%); nothing else confirms it."


def test_a_shared_domain_with_another_name_is_not_preselected():
    result = match("BRF", [Co(1, "Blue River Foods Inc.", website="bluefoods.com")], email="a@bluefoods.com")
    assert result.best.level == "domain" and result.best.corroborated
    verdict = m.preselect(result)
    assert not verdict and "only" in verdict.reason()


def test_nothing_to_link():
    result = match("Nobody Knows Us", [Co(1, "Stark Industries")])
    for verdict in (m.threshold_link(result, 0), m.preselect(result)):
        assert not verdict and verdict.reason() == "No company in Odoo resembles 'Nobody Knows Us'."


def test_a_matched_company_stays_linked():
    result = match("Stark Industries", [Co(1, "Stark Industries")])
    assert result.status == m.MATCHED
    assert m.threshold_link(result, 100).candidate.company_id == 1
    assert m.preselect(result).candidate.company_id == 1


def test_same_city_and_country_support_but_do_not_corroborate():
    company = Co(1, "Stark Industries", country="US", city="New York")
    result = match("Stark Industires", [company], country="US", city="new york")
    best = result.best
    assert {e.code for e in best.support} >= {"city", "country"}
    assert best.score == best.similarity + 3
    assert not best.corroborated and not m.preselect(result)


@pytest.mark.parametrize(
    ("name", "companies", "word"),
    [
        # "schmitt" names another company: a surname of its own, not a typo of "schmidt".
        ("Schmitt & Sohn KG", [Co(1, "Schmidt & Sohn KG"), Co(2, "Schmitt Logistik GmbH")], "schmitt"),
        ("Möller Bau GmbH", [Co(1, "Müller Bau GmbH"), Co(2, "Möller Elektro")], "moller"),
        ("Stark Industries Group", [Co(1, "Stark Industries"), Co(2, "Wayne Group")], "group"),
    ],
)
def test_a_known_word_is_no_typo(name, companies, word):
    result = match(name, companies, threshold=80)
    best = result.best
    assert best.company_id == 1 and best.opposed
    (evidence,) = best.against
    assert evidence.code == "word" and evidence.params["word"] == word
    assert not m.threshold_link(result, 80)


def test_an_unknown_word_may_be_a_typo():
    result = match("Schmitt & Sohn KG", [Co(1, "Schmidt & Sohn KG"), Co(2, "Wagner Logistik GmbH")])
    assert not result.best.opposed and linked(result) == 1


def test_a_known_word_does_not_oppose_a_shared_domain():
    companies = [Co(1, "Schmidt & Sohn KG", website="schmidt-sohn.de"), Co(2, "Schmitt Logistik GmbH")]
    result = match("Schmitt & Sohn KG", companies, email="ann@schmidt-sohn.de")
    assert not result.best.opposed and linked(result) == 1


def test_a_look_alike_in_the_file_stops_threshold_links():
    entries = [("Stark Industires", 2, "", "", ""), ("Stark Industrie", 3, "", "", "")]
    found = m.cluster_companies(entries)
    index = m.CompanyIndex([Co(1, "Stark Industries")])
    result = index.match(found["stark industires"])
    assert result.look_alikes == ["Stark Industrie"]
    verdict = m.threshold_link(result, 80)
    assert not verdict and verdict.reason() == (
        "'Stark Industires' looks like 'Stark Industrie', also in the file: whether they are one "
        "company is for a person to decide first."
    )
    assert not m.preselect(result)


def test_a_matched_company_is_the_best_even_against_a_weaker_evidence():
    # Another country does not veto a name: it is found, listed first, with both reasons,
    # and waits for a person to confirm it (a user found such links made silently).
    companies = [Co(1, "Nordwind Energie GmbH", country="DE"), Co(2, "Nordwind Energy GmbH", country="AT")]
    result = match("Nordwind Energie GmbH", companies, country="AT")
    assert result.status == m.CONTESTED and result.company_id == 1
    assert result.best.company_id == 1 and result.best.opposed
    assert result.best.reason() == (
        "Same name once case, accents, punctuation and legal form are ignored (nordwind energie); "
        "Contacts are in AT, this company in DE"
    )
    assert not m.threshold_link(result)


def test_the_vat_company_is_the_best_of_a_match_over_a_namesake():
    companies = [Co(1, "Acme Holding", vat="DE111", country="AT"), Co(2, "Acme GmbH", country="DE")]
    result = match("Acme GmbH", companies, vat="DE 111", country="DE")
    assert result.status == m.MATCHED and result.company_id == 1
    assert result.best.company_id == 1 and result.best.opposed  # another country: shown, no veto


def test_a_connector_is_no_name_of_its_own():
    companies = [Co(1, "Procter Gamble"), Co(2, "Smith and Wesson")]
    result = match("Procter and Gamble", companies, threshold=80)
    assert result.best.company_id == 1 and not result.best.opposed


# -- archived and duplicated companies --------------------------------------------------------


def test_an_archived_company_found_exactly_is_archived_not_unmatched():
    result = match("Initech", [Co(4, "Initech Inc.", active=False)])
    assert result.status == m.ARCHIVED and result.company_id is None
    assert [c.company_id for c in result.tied] == [4] and result.best.archived
    verdict = m.threshold_link(result, 0)
    assert (
        not verdict
        and verdict.reason() == "Initech Inc. is archived: link and unarchive it, or create a new company."
    )
    assert verdict.considered.company_id == 4


def test_an_active_company_wins_over_its_archived_duplicate():
    result = match("Initech", [Co(4, "Initech", active=False), Co(5, "Initech Inc.")])
    assert result.status == m.MATCHED and result.company_id == 5
    assert {c.company_id for c in result.candidates} == {4, 5}


def test_an_archived_suggestion_is_never_linked_by_a_threshold():
    result = match("Stark Industires", [Co(1, "Stark Industries", active=False)])
    assert result.status == m.UNMATCHED
    assert not m.threshold_link(result, 50)


def test_duplicates_are_ambiguous_and_all_listed():
    companies = [
        Co(i, f"Umbrella {form}")
        for i, form in enumerate(["Ltd", "Limited", "", "Ltd.", "LTD", "Limited", "Ltd"], 1)
    ]
    companies.append(Co(99, "Umbrela", website="umbrella.example"))
    result = match("Umbrella Ltd", companies, email="x@umbrella.example")
    assert result.status == m.AMBIGUOUS
    assert {c.company_id for c in result.tied} == set(range(1, 8))
    assert {c.company_id for c in result.candidates} >= set(range(1, 8))  # more than MAX_SUGGESTIONS
    verdict = m.threshold_link(result, 0)
    assert (
        not verdict
        and verdict.reason() == "7 companies in Odoo match 'Umbrella Ltd' equally; a person must choose."
    )


def test_a_legal_form_picks_one_of_two_namesakes():
    result = match("Siemens Inc.", [Co(1, "Siemens AG"), Co(2, "Siemens Corporation")])
    assert result.status == m.MATCHED and result.company_id == 2
    result = match("Siemens", [Co(1, "Siemens AG"), Co(2, "Siemens Corporation")])
    assert result.status == m.AMBIGUOUS


# -- remembered decisions ------------------------------------------------------------------------


def test_a_positive_alias_links_with_who_and_when():
    aliases = [m.Alias("SEG", 7, by="Ann", on="2026-01-02")]
    result = match("SEG", [Co(7, "Stadtwerke Erlangen GmbH"), Co(8, "Seg Holding")], aliases=aliases)
    assert result.status == m.MATCHED and result.company_id == 7
    assert result.best.level == "alias"
    assert result.best.reason() == "Alias saved by Ann on 2026-01-02"


def test_an_alias_is_stronger_than_a_name():
    aliases = [m.Alias("umbrella", 2, by="Ann", on="2026-01-02")]
    result = match("Umbrella", [Co(1, "Umbrella Ltd"), Co(2, "Umbrella Limited")], aliases=aliases)
    assert result.status == m.MATCHED and result.company_id == 2


def test_an_alias_to_an_archived_company_is_archived():
    result = match("SEG", [Co(7, "Stadtwerke Erlangen GmbH", active=False)], aliases=[m.Alias("seg", 7)])
    assert result.status == m.ARCHIVED


def test_an_alias_does_not_link_another_legal_entity():
    aliases = [m.Alias("siemens", 1, by="Ann", on="2026-01-02")]  # saved for "Siemens AG"
    result = match("Siemens Inc.", [Co(1, "Siemens AG")], aliases=aliases)
    assert result.status == m.UNMATCHED and result.best.vetoed


def test_a_negative_alias_removes_the_company_from_the_candidates():
    companies = [Co(1, "Stark Industries"), Co(2, "Stark Industries Ltd")]
    rejected = [m.Alias("Stark Industries", 1, negative=True, by="Ann", on="2026-01-02")]
    result = match("Stark Industries", companies, aliases=rejected)
    assert [c.company_id for c in result.candidates] == [2]
    assert result.status == m.MATCHED and result.company_id == 2
    result = match("Stark Industires", companies, aliases=[m.Alias("stark industires", 1, negative=True)])
    assert [c.company_id for c in result.candidates] == [2]


def test_aliases_of_unknown_companies_are_ignored():
    result = match("SEG", [Co(7, "Stark Industries")], aliases=[m.Alias("seg", 404)])
    assert result.status == m.UNMATCHED and result.candidates == []


# -- properties ---------------------------------------------------------------------------------

WORDS = st.text(alphabet="abcdefghiklmnoprstuvz", min_size=4, max_size=9)


@given(WORDS, WORDS, st.integers(min_value=0, max_value=100))
def test_no_threshold_links_against_a_conflicting_domain(word, other, threshold):
    company = Co(1, f"{word} {other} GmbH", website=f"{word}-{other}.example")
    result = match(f"{word} {other}", [company], email=f"x@{other}{word}x.example", threshold=0)
    if result.status != m.MATCHED:
        assert not m.threshold_link(result, threshold)
        assert not m.preselect(result)


@given(WORDS, st.sampled_from(["Ltd", "Inc.", "BV", "SA", "KK", "LLC"]))
def test_no_link_of_any_kind_against_another_legal_form(word, form):
    result = match(f"{word} {form}", [Co(1, f"{word} GmbH")])
    assert result.status == m.UNMATCHED
    assert not m.threshold_link(result, 0) and not m.preselect(result)


def test_another_number_in_the_name_opposes_a_suggestion():
    index = m.CompanyIndex([m.ExistingCompany(1, "Bench Company 00012 Inc.")])
    clusters = m.cluster_companies([("Bench Company 00013 Inc.", 2, "", "", "")])
    match = index.match(next(iter(clusters.values())))
    assert match.best.company_id == 1 and match.best.opposed
    assert "Other numbers in the names: 13 in the file, 12 for this company" in match.best.reason()
    assert not m.threshold_link(match, 80)


def test_a_name_found_with_evidence_against_it_is_contested_not_linked_by_itself():
    index = m.CompanyIndex(
        [m.ExistingCompany(21, "Globex Corporation", website="https://globex.example", country="US")]
    )
    entries = [("Globex Corp", 2, "lee.wong@globexcorp-asia.example", "", "", "SG", "Singapore")]
    cluster = next(iter(m.cluster_companies(entries).values()))
    match = index.match(cluster)
    assert (match.status, match.company_id) == (m.CONTESTED, 21)
    assert not m.threshold_link(match, 50)
    assert "globexcorp-asia.example" in m.threshold_link(match, 50).reason()
    assert not m.preselect(match)


def test_one_name_with_two_legal_entities_in_the_file_is_two_companies():
    index = m.CompanyIndex([m.ExistingCompany(7, "Acme GmbH", website="https://acme.example", country="DE")])
    entries = (
        [("Acme GmbH", row, f"p{row}@acme.example", "", "", "DE", "Berlin") for row in range(2, 6)]
        + [("ACME", row, f"p{row}@acme.example", "", "", "DE", "Berlin") for row in range(6, 11)]
        + [("Acme Inc", row, f"p{row}@acme-inc.example", "", "", "US", "Phoenix") for row in range(11, 14)]
    )
    clusters = m.cluster_companies(entries)
    assert len(clusters) == 2
    german, american = sorted(clusters.values(), key=lambda c: -len(c.rows))
    assert (german.key, sorted(german.spellings)) == ("acme", ["ACME", "Acme GmbH"])
    assert american.key != "acme" and list(american.spellings) == ["Acme Inc"]
    assert index.match(german).status == m.MATCHED and index.match(german).company_id == 7
    assert index.match(american).status == m.UNMATCHED  # another legal entity: never linked to it


def entries(name, domain, rows, country="CH", city="Zürich"):
    return [(name, row, f"p{row}@{domain}", "", "", country, city) for row in rows]


def test_forms_one_only_in_a_country_are_two_companies_when_their_domains_differ():
    # A Swiss "GmbH" is its "Sàrl": one company when its contacts share a domain...
    swiss = entries("Vandelay Media GmbH", "vandelay.example", (2, 3))
    swiss += entries("Vandelay Media SARL", "vandelay.example", (4, 5), city="Genève")
    assert len(m.cluster_companies(swiss)) == 1
    # ...two when each spelling's contacts write from a domain of its own, in whatever country.
    two = entries("Vandelay Media GmbH", "vandelay297.example", (2, 3))
    two += entries("Vandelay Media SARL", "vandelay244.example", (4, 5), city="Genève")
    two += [("Vandelay Media SARL", 6, "someone@gmail.com", "", "", "FR", "Lyon")]
    clusters = m.cluster_companies(two)
    assert sorted(sorted(c.spellings) for c in clusters.values()) == [
        ["Vandelay Media GmbH"],
        ["Vandelay Media SARL"],
    ]
    assert sorted(len(c.rows) for c in clusters.values()) == [2, 3]
