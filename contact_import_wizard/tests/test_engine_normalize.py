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
    assert n.is_free_mail("gmail.com") and not n.is_free_mail("example.com")
