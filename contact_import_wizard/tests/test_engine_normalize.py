"""Plain pytest: normalisation of names, emails, phones, websites and VAT numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_import_wizard.engine import normalize as n


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Blue River Foods Inc.", "blue river foods"),
        ("blue river foods", "blue river foods"),
        ("Blue River Foods, Inc", "blue river foods"),
        ("The Blue-River Foods", "blue river foods"),
        ("  BLUE   river\tFOODS  ", "blue river foods"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Société Générale S.A.", "societe generale"),
        ("Grupo Bimbo S.A. de C.V.", "grupo bimbo"),
        ("A.P. Møller - Mærsk A/S", "ap møller mærsk"),
        ("Procter & Gamble Co", "procter and gamble"),
        ("Procter and Gamble Company", "procter and gamble"),
        ("Smith & Co", "smith"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Acme Pty Ltd", "acme"),
        ("Acme Oy", "acme"),
        ("Acme AB", "acme"),
        ("Acme SpA", "acme"),
        ("Acme S.r.l.", "acme"),
        ("Acme BV", "acme"),
        ("Acme N.V.", "acme"),
        ("Acme PLC", "acme"),
        ("Acme SARL", "acme"),
        ("Acme SAS", "acme"),
        ("Acme AG", "acme"),
        ("Acme LLC", "acme"),
        ("Acme Limited", "acme"),
        ("Acme Corp.", "acme"),
        ("Acme KK", "acme"),
        # Legal forms of several words, with their connectors
        ("Müller Bau GmbH und Co. KG", "muller bau"),
        ("Müller Bau GmbH u. Co. KG", "muller bau"),
        ("Acme S. de R.L. de C.V.", "acme"),
        ("Firma Kowalski Sp. z o.o.", "firma kowalski"),
        ("Acme Gesellschaft mit beschränkter Haftung", "acme"),
        ("Acme UG (haftungsbeschränkt)", "acme"),
        ("Toyota Jidosha Kabushiki Kaisha", "toyota jidosha"),
        ("Acme S.à r.l.", "acme"),
        ("Acme Ltée", "acme"),
        ("Dupont & Cie", "dupont"),
        ("Banco de Chile", "banco de chile"),
        ("SAP SE", "sap"),
        ("O'Reilly Media", "oreilly media"),
        ("The", "the"),
        ("Ltd", "ltd"),
        ("", ""),
    ],
)
def test_company_key(name, key):
    assert n.company_key(name) == key


@given(st.text(max_size=40))
def test_company_key_is_idempotent_and_case_insensitive(name):
    key = n.company_key(name)
    assert n.company_key(key) == key or n.company_key(n.company_key(key)) == n.company_key(key)
    assert n.company_key(name.upper()) == n.company_key(name.lower()) or "ß" in name or "ı" in name.lower()
    assert key == key.strip() and "  " not in key


@given(st.text(max_size=40))
def test_clean_text_has_no_edge_or_double_spaces(value):
    cleaned = n.clean_text(value)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned and "\n" not in cleaned


@given(st.text())
def test_clean_text_collapses_every_run_of_white_space_to_one_space(value):
    assert n.clean_text(value) == " ".join(value.split())


def test_clean_text_gives_back_a_clean_value_itself():
    value = "".join(["Ann", " ", "Lee"])  # a string of its own, as a file's cell is
    assert n.clean_text(value) is value


@pytest.mark.parametrize(
    ("raw", "email", "valid"),
    [
        (" Ann.Lee@Example.COM ", "ann.lee@example.com", True),
        ("mailto:bob@example.org", "bob@example.org", True),
        ("<cid@example.co.uk>", "cid@example.co.uk", True),
        ("first+tag@sub.example.io", "first+tag@sub.example.io", True),
        ("not-an-email", "not-an-email", False),
        ("a@b", "a@b", False),
        ("a b@example.com", "a b@example.com", False),
        ("a@@example.com", "a@@example.com", False),
        ("a@example..com", "a@example..com", False),
    ],
)
def test_email(raw, email, valid):
    assert n.normalize_email(raw) == email
    assert n.is_valid_email(n.normalize_email(raw)) is valid


@pytest.mark.parametrize(
    ("raw", "url", "domain"),
    [
        ("example.com", "https://example.com", "example.com"),
        ("www.Example.com/about", "https://www.Example.com/about", "example.com"),
        ("http://shop.example.de", "http://shop.example.de", "shop.example.de"),
        ("not a website", "", ""),
        ("ftp://example.com", "", ""),
        ("localhost", "", ""),
    ],
)
def test_url(raw, url, domain):
    assert n.normalize_url(raw) == url
    assert n.url_domain(raw) == domain


@given(
    st.text(alphabet=st.sampled_from("aAbz09.-_:/@?# \twWhtps"), max_size=30)
    | st.builds(
        "{}://{}{}".format, st.sampled_from(["http", "HTTPS", "ftp"]), st.text("abc.-w:@"), st.text("/?#x ")
    )
)
def test_url_domain_reads_plain_websites_as_urlsplit_does(value):
    host = n._website(value)[1]
    assert n.url_domain(value) == (host[4:] if host.startswith("www.") else host)


@pytest.mark.parametrize(
    ("raw", "plausible"),
    [
        ("+49 151 1234 5678", True),
        ("(555) 123-4567", True),
        ("01 23 45 67 89", True),
        ("+1 555 123 4567 ext. 12", True),
        ("0123", False),
        ("call me", False),
        ("+1234567890123456789", False),
    ],
)
def test_phone_plausibility(raw, plausible):
    assert bool(n.normalize_phone(raw)) is plausible


def test_vat_and_domains():
    assert n.normalize_vat("de 123.456-789") == "DE123456789"
    assert n.email_domain("Ann@Example.com") == "example.com"
    assert n.email_domain("nobody") == ""


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "hotmail.it",
        "outlook.fr",
        "yahoo.co.jp",
        "gmx.ch",
        "web.de",
        "pm.me",
        "icloud.com",
        "comcast.net",
        "t-online.de",
        "orange.fr",
        "libero.it",
        "seznam.cz",
        "naver.com",
        "bluewin.ch",
        "mailinator.com",  # disposable
        " GMAIL.com. ",
    ],
)
def test_free_mail(domain):
    assert n.is_free_mail(domain)


@pytest.mark.parametrize("domain", ["example.com", "mueller-bau.de", "siemens.com", "acme.co.uk", "", None])
def test_company_domains_are_not_free_mail(domain):
    assert not n.is_free_mail(domain)


def test_free_mail_list_is_the_maintained_one():
    # Thousands of domains from the data file, its comments left out.
    assert len(n.FREE_MAIL_DOMAINS) > 5000
    assert all(d == d.strip().lower() and "." in d and not d.startswith("#") for d in n.FREE_MAIL_DOMAINS)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Siemens AG", ("ag",)),
        ("Siemens Aktiengesellschaft", ("ag",)),
        ("Siemens Inc.", ("inc",)),
        ("Acme Corporation", ("inc",)),
        ("Müller Bau GmbH", ("gmbh",)),
        ("Müller Bau mbH", ("gmbh",)),
        ("Müller Bau GmbH & Co. KG", ("gmbh_co_kg",)),
        ("Müller Bau GmbH und Co KG", ("gmbh_co_kg",)),
        ("Acme UG (haftungsbeschraenkt)", ("ug",)),
        ("Acme Ltd", ("ltd",)),
        ("Acme Limited", ("ltd",)),
        ("Acme Pty. Ltd.", ("pty",)),
        ("Grupo Bimbo S.A.B. de C.V.", ("sa",)),
        ("Société Générale S.A.", ("sa",)),
        ("Acme B.V.", ("bv",)),
        ("Acme N.V.", ("nv",)),
        ("Maersk A/S", ("as",)),
        ("Kowalski Sp. z o.o.", ("sp_zoo",)),
        ("Sony Kabushiki Kaisha", ("kk",)),
        ("Amazon Japan G.K.", ("gk",)),
        ("Procter & Gamble Co", ()),  # "Co" says nothing of the legal form
        ("Smith & Co", ()),
        ("Acme", ()),
        ("Ltd", ()),  # a name is never only a legal form
    ],
)
def test_legal_forms(name, forms):
    assert n.legal_forms(name) == forms


@pytest.mark.parametrize(
    ("one", "other", "countries", "compatible"),
    [
        # Spellings of one form, in any country.
        ("Acme GmbH", "Acme mbH", (), True),
        ("Acme Ltd", "Acme Limited", (), True),
        ("Acme Inc.", "Acme Corp", (), True),
        ("Acme SA", "Acme S.A.", (), True),
        ("Acme", "Acme GmbH", (), True),  # no explicit form on one side
        ("Acme & Co", "Acme AG", (), True),
        # Two legal entities.
        ("Acme GmbH", "Acme Ltd", (), False),
        ("Siemens AG", "Siemens Inc.", (), False),
        ("Acme SA", "Acme BV", (), False),
        ("Acme GmbH", "Acme GmbH & Co. KG", (), False),
        ("Acme LLC", "Acme Inc.", (), False),
        ("Acme PLC", "Acme Ltd", (), False),
        ("Acme SL", "Acme SA", ("ES",), False),
        ("Acme KK", "Acme GK", ("JP",), False),
        # One entity under the names of several languages, only where that holds.
        ("Nestlé AG", "Nestlé SA", ("CH",), True),
        ("Nestlé AG", "Nestlé SA", (), False),
        ("Nestlé AG", "Nestlé SA", ("DE", "FR"), False),
        ("Acme GmbH", "Acme Sàrl", ("CH",), True),
        ("Acme NV", "Acme SA", ("BE",), True),
        ("Acme BV", "Acme SRL", ("BE",), True),
        ("Acme BV", "Acme SRL", ("NL",), False),
        ("Acme Ltd", "Acme Inc.", ("CA",), True),
        ("Toyota KK", "Toyota Co., Ltd.", ("JP",), True),
        ("Toyota KK", "Toyota Corporation", ("JP",), True),
        ("Toyota KK", "Toyota Corporation", ("US",), False),
    ],
)
def test_legal_forms_compatible(one, other, countries, compatible):
    forms, others = n.legal_forms(one), n.legal_forms(other)
    assert n.legal_forms_compatible(forms, others, countries) is compatible
    assert n.legal_forms_compatible(others, forms, countries) is compatible


def test_legal_form_table():
    for form in n.LEGAL_FORM_TABLE.values():
        assert form.id == n.NO_FORM or (form.label and form.countries)
    assert n.legal_form_label("gmbh_co_kg") == "GmbH & Co. KG"
    assert {"gmbh", "ltd", "kk", "sa", "bv", "inc", "llc"} <= n.LEGAL_FORMS


def test_legal_form_table_refuses_a_spelling_of_two_forms(tmp_path, monkeypatch):
    (tmp_path / "legal_forms.txt").write_text("ltd | GB | Ltd | Ltd\nllc | US | LLC | LLC; Ltd\n")
    monkeypatch.setattr(n, "DATA", tmp_path)
    with pytest.raises(ValueError, match="both ltd and llc"):
        n._load_legal_forms()


@given(
    st.text(alphabet=st.sampled_from("abcdefgh xyz.&-"), min_size=1, max_size=30),
    st.sampled_from(["GmbH", "Ltd", "S.A.", "Inc.", "KK", "GmbH & Co. KG", "B.V.", "Sp. z o.o."]),
)
def test_a_legal_form_never_changes_the_key(name, form):
    if not n.company_key(name) or n._name_tokens(name)[-1:] == ["and"]:
        return
    assert n.company_key(f"{name} {form}") == n.company_key(f"{name} Ltd") == n.company_key(f"{name} Co")
    assert n.legal_forms(f"{name} {form}")[-1:] == n.legal_forms(f"x {form}")


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Müller Bau", ("muller bau", "mueller bau")),
        ("Mueller Bau", ("mueller bau",)),
        ("Møller A/S", ("møller", "moeller", "moller")),
        ("Straße GmbH", ("strasse",)),
        ("Łódź Trans", ("łodz trans", "lodz trans")),
        ("Acme", ("acme",)),
    ],
)
def test_spelling_keys(name, keys):
    assert n.spelling_keys(name) == keys


@pytest.mark.parametrize(
    ("domain", "registrable", "label"),
    [
        ("mueller-bau.de", "mueller-bau.de", "mueller-bau"),
        ("www.shop.Mueller-Bau.de.", "mueller-bau.de", "mueller-bau"),
        ("acme.co.uk", "acme.co.uk", "acme"),
        ("mail.acme.co.uk", "acme.co.uk", "acme"),
        ("acme.com.au", "acme.com.au", "acme"),
        ("de.siemens.com", "siemens.com", "siemens"),
        ("localhost", "localhost", "localhost"),
        ("", "", ""),
    ],
)
def test_registrable_domain(domain, registrable, label):
    assert n.registrable_domain(domain) == registrable
    assert n.domain_label(domain) == label
