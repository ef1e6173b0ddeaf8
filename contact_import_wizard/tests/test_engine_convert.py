"""Plain pytest: partners already in Odoo -> companies to create or link (Convert to
Customer, Link to companies, the unattended link)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_import_wizard.engine import convert, matching, plan, validation
from contact_import_wizard.engine.matching import ExistingCompany

COMPANIES = [
    ExistingCompany(100, "Acme GmbH", website="https://acme.example"),
    ExistingCompany(101, "Umbrella Ltd"),
    ExistingCompany(102, "Umbrella Limited"),
    ExistingCompany(103, "Stark Industries"),
    ExistingCompany(104, "Zephyr Analytics", website="https://zephyr.example"),
    ExistingCompany(105, "Wayne Enterprises", website="https://wayne.example"),
    ExistingCompany(106, "Globex", active=False),
]
LOOKUPS = validation.Lookups(companies=COMPANIES)


def partner(pid, name, **values):
    return {"id": pid, "name": name, **values}


def only(result_pair):
    result, left = result_pair
    assert not left
    return result


def result_for(*partners, source=convert.COMPANY_NAME):
    return convert.partners_result(list(partners), LOOKUPS, source)


# -- who is converted or linked ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "source", "expected"),
    [
        ({"is_company": True, "company_name": "X"}, convert.OWN_NAME, convert.WHY_IS_COMPANY),
        ({"parent_id": 7, "parent_name": "Acme GmbH"}, convert.OWN_NAME, convert.WHY_HAS_PARENT),
        ({"parent_id": 7}, convert.COMPANY_NAME, convert.WHY_HAS_PARENT),
        ({}, convert.COMPANY_NAME, convert.WHY_NO_COMPANY_NAME),
        ({"company_name": "  "}, convert.COMPANY_NAME, convert.WHY_NO_COMPANY_NAME),
        ({"company_name": "Acme"}, convert.COMPANY_NAME, None),
        ({}, convert.OWN_NAME, None),  # their own business: the company takes their name
        ({"company_name": "Acme"}, convert.OWN_NAME, None),
    ],
)
def test_who_is_left_out(values, source, expected):
    why = convert.left_out(partner(1, "Ann Lee", **values), source)
    assert (why[0] if why else None) == expected


def test_a_partner_without_any_name_is_named_by_its_email_in_the_reason():
    why = convert.left_out({"id": 9, "name": "", "email": "x@y.example"}, convert.OWN_NAME)
    assert why == (convert.WHY_NO_NAME, {"partner": "x@y.example"})
    assert "Ann Lee ALREADY belongs to the company Acme GmbH" in convert.LeftOut(
        1, 1, *convert.left_out(partner(1, "Ann Lee", parent_id=4, parent_name="Acme GmbH"))
    ).reason(lambda template: template.replace("already", "ALREADY"))


@pytest.mark.parametrize(
    ("values", "source", "company"),
    [
        ({"company_name": "Blue River"}, convert.COMPANY_NAME, "Blue River"),
        ({"company_name": "Blue River"}, convert.OWN_NAME, "Blue River"),
        ({}, convert.OWN_NAME, "Ann Lee"),
        ({}, convert.COMPANY_NAME, ""),
    ],
)
def test_company_of(values, source, company):
    assert convert.company_of(partner(1, "Ann Lee", **values), source) == company


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        convert.company_of(partner(1, "Ann"), "file")


def test_records_keep_positions_and_company_hints():
    records, left = convert.partner_records(
        [
            partner(11, "Ann", company_name="Blue River", email="Ann@Blue.example", vat="de 123.456"),
            partner(12, "Bob", is_company=True),
            partner(
                13, "Cid", company_name="Cid Co", website="www.gmail.com", country_code="de", city="Köln"
            ),
            partner(14, "Dan", company_name="Dan Co", website="dan.example", phone="+49 1", country_id=5),
        ]
    )
    assert [r.row for r in records] == [1, 3, 4]
    assert [o.row for o in left] == [2] and left[0].partner_id == 12
    ann, cid, dan = records
    assert ann.existing_ids == (11,) and ann.company == "Blue River" and ann.company_key == "blue river"
    assert ann.values == {"name": "Ann", "email": "ann@blue.example", "company_vat": "DE123456"}
    assert ann.raw == ("Ann", "Blue River", "Ann@Blue.example")
    # A free-mail provider's site is never a company's website.
    assert "company_website" not in cid.values
    assert cid.values["country_code"] == "DE" and cid.values["city"] == "Köln"
    assert dan.values["company_website"] == "https://dan.example"
    assert dan.values["phone"] == "+49 1" and dan.values["country_id"] == 5


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(max_size=12),
                "company_name": st.one_of(st.none(), st.text(max_size=12)),
                "is_company": st.booleans(),
                "parent_id": st.one_of(st.none(), st.integers(1, 5)),
                "email": st.one_of(st.none(), st.emails()),
            }
        ),
        max_size=8,
    ),
    st.sampled_from(convert.SOURCES),
)
def test_every_partner_is_either_a_record_or_left_out_at_its_position(partners, source):
    partners = [dict(p, id=i + 100) for i, p in enumerate(partners)]
    records, left = convert.partner_records(partners, source)
    rows = sorted([r.row for r in records] + [o.row for o in left])
    assert rows == list(range(1, len(partners) + 1))
    for record in records:
        source_partner = partners[record.row - 1]
        assert record.existing_ids == (source_partner["id"],)
        assert record.company_key and not source_partner["is_company"] and not source_partner["parent_id"]
    result, _left = convert.partners_result(partners, LOOKUPS, source)
    assert {r.company_key for r in result.records} <= set(result.clusters)


# -- matching and proposals -------------------------------------------------------------------------


def test_several_contacts_naming_one_company_are_one_company():
    result = only(
        result_for(
            partner(1, "Ann", company_name="Blue River Foods Inc."),
            partner(2, "Bob", company_name="blue river foods"),
            partner(3, "Cid", company_name="Blue River Foods, Inc"),
        )
    )
    assert list(result.clusters) == ["blue river foods"]
    assert result.clusters["blue river foods"].rows == [1, 2, 3]
    assert result.matches["blue river foods"].status == matching.UNMATCHED


def test_typo_variants_with_a_shared_domain_are_one_company():
    result = only(
        result_for(
            partner(1, "Ann", company_name="Drovobar Dynamics", email="ann@drovobar.example"),
            partner(2, "Bob", company_name="Drovobar Dynamcs", email="bob@drovobar.example"),
        )
    )
    assert len(result.clusters) == 1
    assert {r.company_key for r in result.records} == set(result.clusters)


@pytest.mark.parametrize(
    ("values", "status", "decision", "suggested", "accepted", "template"),
    [
        # exact name (legal form ignored): linked
        (
            {"company_name": "ACME"},
            "matched",
            plan.Decision("link", 100),
            100,
            True,
            matching.REASONS["name"],
        ),
        # a typo confirmed by the contact's domain: a suggestion, pre-accepted
        (
            {"company_name": "Zephir Analytics", "email": "a@zephyr.example"},
            "unmatched",
            plan.Decision("link", 104),
            104,
            True,
            matching.REASONS["fuzzy"],
        ),
        # only the name is alike: offered, not pre-accepted, the company is created
        (
            {"company_name": "Stark Industires"},
            "unmatched",
            plan.Decision("create"),
            103,
            False,
            matching.WHY_BARE,
        ),
        # two companies of that name: a person chooses
        ({"company_name": "Umbrella"}, "ambiguous", None, 102, False, matching.WHY_AMBIGUOUS),
        # archived: offered; creating is forced (a company of that name exists)
        (
            {"company_name": "Globex"},
            "archived",
            plan.Decision("create", forced=True),
            106,
            False,
            matching.WHY_ARCHIVED,
        ),
        (
            {"company_name": "Nothing Alike"},
            "unmatched",
            plan.Decision("create"),
            None,
            False,
            matching.WHY_NOTHING,
        ),
    ],
)
def test_proposals(values, status, decision, suggested, accepted, template):
    result = only(result_for(partner(1, "Ann Lee", **values)))
    (proposal,) = convert.propose(result).values()
    assert proposal.status == status
    assert proposal.decision == decision
    assert (proposal.suggestion.company_id if proposal.suggestion else None) == suggested
    assert proposal.accepted is accepted
    assert proposal.template == template
    assert proposal.reason()  # the reason renders with its parameters
    assert proposal.rows == [1]


def test_accepting_an_archived_company_unarchives_it():
    result = only(result_for(partner(1, "Ann", company_name="Globex")))
    (proposal,) = convert.propose(result).values()
    assert proposal.decide(True) == plan.Decision("link", 106, unarchive=True)
    the_plan = convert.partners_plan(result, {proposal.key: proposal.decide(True)})
    assert the_plan.unarchive == [106]


def test_accepting_or_refusing_a_suggestion():
    result = only(result_for(partner(1, "Ann", company_name="Stark Industires")))
    (proposal,) = convert.propose(result).values()
    assert proposal.decide(True) == plan.Decision("link", 103)
    assert proposal.decide(False) == plan.Decision("create")


@pytest.mark.parametrize(
    ("values", "threshold", "linked", "template"),
    [
        ({"company_name": "Acme"}, 90, 100, matching.REASONS["name"]),
        (
            {"company_name": "Zephir Analytics", "email": "a@zephyr.example"},
            90,
            104,
            matching.REASONS["fuzzy"],
        ),
        # the same suggestion below a stricter threshold: not linked
        ({"company_name": "Zephir Analytics", "email": "a@zephyr.example"}, 100, None, matching.WHY_BELOW),
        # opposed: another domain than the company's
        ({"company_name": "Wayne Enterprise", "email": "a@wayne-other.example"}, 50, None, None),
        ({"company_name": "Umbrella"}, 50, None, matching.WHY_AMBIGUOUS),
        ({"company_name": "Nothing Alike"}, 50, None, matching.WHY_NOTHING),  # never created
    ],
)
def test_automatic_decisions_link_only_unopposed_matches(values, threshold, linked, template):
    result = only(result_for(partner(1, "Ann", **values)))
    ((decision, verdict),) = convert.automatic_decisions(result, threshold).values()
    if linked:
        assert decision == plan.Decision("link", linked) and verdict.candidate.company_id == linked
    else:
        assert decision == plan.Decision("skip") and not verdict
    if template:
        assert verdict.template == template
    else:  # evidence against the suggestion is the reason
        assert verdict.considered.opposed and verdict.template == verdict.considered.against[0].template


# -- the plan --------------------------------------------------------------------------------------------


def test_plan_updates_the_partners_and_creates_companies_from_their_data():
    partners = [
        partner(11, "Ann", company_name="Blue River", email="ann@blueriver.example", phone="+1 555 0100",
                city="Lyon", zip="69001", country_id=75, vat="FR 123"),
        partner(12, "Bob", company_name="blue river", email="bob@blueriver.example", phone="+1 555 0100",
                city="Lyon", zip="69001", country_id=75),
        partner(13, "Cid", company_name="Acme", email="cid@gmail.com"),
        partner(14, "Dan", is_company=True),
        partner(15, "Eve Solo", email="eve@gmail.com", phone="+33 1 23 45 67"),
    ]  # fmt: skip
    result, left = convert.partners_result(partners, LOOKUPS, convert.OWN_NAME)
    proposals = convert.propose(result)
    decisions = {key: p.decision for key, p in proposals.items()}
    the_plan = convert.partners_plan(result, decisions, carry_phone=True, left_out=left)
    assert the_plan.rows_total == 5
    assert {c.row: (c.action, c.partner_id, c.values) for c in the_plan.contacts} == {
        1: ("update", 11, {}),
        2: ("update", 12, {}),
        3: ("update", 13, {}),
        5: ("update", 15, {}),
    }
    by_name = {c.name: c for c in the_plan.companies}
    assert set(by_name) == {"Blue River", "Eve Solo"}
    assert by_name["Blue River"].values == {
        "name": "Blue River",
        "vat": "FR123",
        "website": "https://blueriver.example",
        "phone": "+1 555 0100",
        "city": "Lyon",
        "zip": "69001",
        "country_id": 75,
    }
    # a free-mail address never makes a website
    assert by_name["Eve Solo"].values == {"name": "Eve Solo", "phone": "+33 1 23 45 67"}
    acme = next(c for c in the_plan.contacts if c.row == 3)
    assert acme.company_id == 100
    (ignored,) = the_plan.ignored
    assert (ignored.row, ignored.status, ignored.template) == (4, "ignored", convert.WHY_IS_COMPANY)
    assert ignored.raw == ("Dan", "", "")


def test_without_carry_phone_a_new_company_has_no_phone():
    result = only(result_for(partner(1, "Ann", company_name="Newcomer Labs", phone="+1 555 0100")))
    the_plan = convert.partners_plan(result, {"newcomer labs": plan.Decision("create")})
    assert "phone" not in the_plan.companies[0].values


def test_existing_company_is_filled_only_where_odoo_would_copy_a_contact_value_up():
    result = only(
        result_for(
            partner(1, "Ann", company_name="Acme", vat="DE1", website="acme.example", city="Berlin"),
        )
    )
    the_plan = convert.partners_plan(result, {"acme": plan.Decision("link", 100)}, company_addresses={})
    (fill,) = the_plan.fills
    assert fill.company_id == 100 and fill.address == {"city": "Berlin"} and fill.fields == {"vat": "DE1"}
    kept = convert.partners_plan(result, {"acme": plan.Decision("link", 100)}, {100: {"city": "Munich"}})
    assert [f.address for f in kept.fills] == [{}]


def test_skipped_rows_take_the_reason_given():
    result = only(
        result_for(partner(1, "Ann", company_name="Nothing Alike"), partner(2, "Bob", company_name="Acme"))
    )
    auto = convert.automatic_decisions(result)
    the_plan = convert.partners_plan(
        result,
        {key: decision for key, (decision, _verdict) in auto.items()},
        reasons={key: (v.template, v.params) for key, (_d, v) in auto.items() if not v},
    )
    assert [c.row for c in the_plan.contacts] == [2]
    (ignored,) = the_plan.ignored
    assert ignored.status == "skipped"
    assert ignored.reason() == "No company in Odoo resembles 'Nothing Alike'."


def test_row_messages_name_the_company_and_why():
    result = only(
        result_for(
            partner(1, "Ann", company_name="Acme"),
            partner(2, "Bob", company_name="Newcomer Labs"),
            partner(3, "Cid", company_name="Stark Industires"),
        )
    )
    decisions = {"acme": plan.Decision("link", 100), "newcomer labs": plan.Decision("create")}
    decisions["stark industires"] = plan.Decision("link", 103)
    the_plan = convert.partners_plan(result, decisions)
    why = matching.preselect(result.matches["acme"])
    messages = convert.row_messages(
        the_plan, {100: "Acme GmbH", 103: "Stark Industries"}, {100: (why.template, why.params)}
    )
    assert messages == {
        1: "Linked to Acme GmbH: Same name once case, accents, punctuation and legal form are ignored (acme)",
        2: "Company Newcomer Labs created from the contacts' data.",
        3: "Linked to Stark Industries, chosen by the person who confirmed.",
    }
