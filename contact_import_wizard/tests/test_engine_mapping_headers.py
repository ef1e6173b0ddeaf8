"""Plain pytest: one header read on its own (engine/mapping/headers.py)."""

import pytest

from contact_import_wizard.engine.mapping import headers
from contact_import_wizard.engine.mapping.headers import (
    DESCRIBES,
    FORMATTED,
    NO_FIELD,
    OTHER_PERSON,
    OTHER_RECORD,
    RECORD,
    RELATED_ID,
    read_header,
)


@pytest.mark.parametrize(
    ("header", "target", "qualifier", "index", "group"),
    [
        # qualifier + field
        ("Business City", "city", "work", 0, ""),
        ("Home Postal Code", "zip", "home", 0, ""),
        ("Mailing City", "city", "mailing", 0, ""),
        ("Billing City", "city", "billing", 0, ""),
        ("Other Street", "street", "other", 0, ""),
        ("Business Street 2", "street2", "work", 0, ""),
        ("Work Phone", "phone", "work", 0, ""),
        ("Business Phone 2", "phone", "work", 2, ""),
        ("Home Phone 2", "phone", "home", 2, ""),
        ("Company Main Phone", "phone", "company", 0, ""),
        ("Primary Phone", "phone", "primary", 0, ""),
        ("Work email", "email", "work", 0, ""),
        ("Private e-mail address", "email", "home", 0, ""),
        ("Secondary Email", "email", "other", 0, ""),
        ("Mailing Zip/Postal Code", "zip", "mailing", 0, ""),
        ("Mailing State/Province", "state", "mailing", 0, ""),
        ("Business Country/Region", "country", "work", 0, ""),
        ("Business Country", "country", "work", 0, ""),
        # numbered
        ("E-mail Address", "email", "", 0, ""),
        ("E-mail 2 Address", "email", "", 2, ""),
        ("Email Address", "email", "", 0, ""),
        ("Phone Number", "phone", "", 0, ""),
        ("Phone 1", "phone", "", 1, ""),
        ("Address line 2", "street2", "", 0, ""),
        ("Address 1 - City", "city", "", 1, "address 1"),
        ("Address 2 - Postal Code", "zip", "", 2, "address 2"),
        ("Address 1 - Region", "state", "", 1, "address 1"),
        ("Address 1 - Extended Address", "street2", "", 1, "address 1"),
        ("E-mail 1 - Value", "email", "", 1, "email 1"),
        ("Phone 1 - Value", "phone", "", 1, "phone 1"),
        ("Website 1 - Value", "website", "", 1, "website 1"),
        ("Organization 1 - Name", "company", "", 1, "organization 1"),
        ("Organization 1 - Title", "function", "", 1, "organization 1"),
        # a field's other names
        ("Company Name", "company", "", 0, ""),
        ("Account Name", "company", "", 0, ""),
        ("Organization Name", "company", "", 0, ""),
        ("Organization Title", "function", "", 0, ""),
        ("Job Title", "function", "", 0, ""),
        ("Position", "function", "", 0, ""),
        ("Zip/Postal Code", "zip", "", 0, ""),
        ("State/Region", "state", "", 0, ""),
        ("Country/Region", "country", "", 0, ""),
        ("Mobile Phone Number", "mobile", "", 0, ""),
        ("Name Prefix", "title", "", 0, ""),
        ("Salutation", "title", "", 0, ""),
        ("Record ID", "ref", "", 0, ""),
        ("Contact ID", "ref", "", 0, ""),
        ("Is a Company", "is_company", "", 0, ""),
        ("Company Type", "is_company", "", 0, ""),
        ("Website URL", "website", "", 0, ""),
        ("Web Page", "website", "", 0, ""),
        # entity prefixes and API names
        ("Person - Email - Work", "email", "work", 0, ""),
        ("Person - Email - Home", "email", "home", 0, ""),
        ("Person - Phone - Mobile", "mobile", "", 0, ""),
        ("Person - Organization", "company", "", 0, ""),
        ("Person - ID", "ref", "", 0, ""),
        ("Email - Other", "email", "other", 0, ""),
        ("Person - City/town/village/locality of Postal address", "city", "", 0, "postal address"),
        ("Person - ZIP/Postal code of Postal address", "zip", "", 0, "postal address"),
        ("Person - Street/road name of Postal address", "street", "", 0, "postal address"),
        ("Organization - Name", "company", "", 0, ""),
        ("Organization - Website", "company_website", "", 0, ""),
        ("Account.Name", "company", "", 0, ""),
        ("ACCOUNT.NAME", "company", "", 0, ""),
        ("MailingPostalCode", "zip", "mailing", 0, ""),
        ("MAILINGPOSTALCODE", "zip", "mailing", 0, ""),
        ("OtherStreet", "street", "other", 0, ""),
        ("FirstName", "first_name", "", 0, ""),
        ("LASTNAME", "last_name", "", 0, ""),
        ("MobilePhone", "mobile", "", 0, ""),
        ("Email_2__c", "email", "", 2, ""),
        # French, German, Spanish
        ("Téléphone bureau", "phone", "work", 0, ""),
        ("Ville (domicile)", "city", "home", 0, ""),
        ("Code postal", "zip", "", 0, ""),
        ("Adresse e-mail", "email", "", 0, ""),
        ("Telefon geschäftlich", "phone", "work", 0, ""),
        ("Straße privat", "street", "home", 0, ""),
        ("PLZ", "zip", "", 0, ""),
        ("Firmenname", "company", "", 0, ""),
        ("Teléfono trabajo", "phone", "work", 0, ""),
        ("Correo electrónico", "email", "", 0, ""),
        ("Código postal", "zip", "", 0, ""),
        ("Dirección casa", "street", "home", 0, ""),
    ],
)
def test_field_headers(header, target, qualifier, index, group):
    reading = read_header(header)
    assert (reading.target, reading.kind, reading.qualifier, reading.index, reading.group) == (
        target,
        headers.FIELD,
        qualifier,
        index,
        group,
    )


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        # columns describing another column
        ("E-mail Type", DESCRIBES),
        ("E-mail 2 Type", DESCRIBES),
        ("E-mail Display Name", DESCRIBES),
        ("E-mail 1 - Label", DESCRIBES),
        ("E-mail 1 - Type", DESCRIBES),
        ("Phone 1 - Label", DESCRIBES),
        ("Address 1 - Label", DESCRIBES),
        ("Address Type", DESCRIBES),
        ("Phonetic First Name", DESCRIBES),
        ("Given Name Yomi", DESCRIBES),
        ("Address 1 - Formatted", FORMATTED),
        ("Full/combined address of Postal address", FORMATTED),
        # the record, not the person
        ("Contact owner", RECORD),
        ("Contact Owner", RECORD),
        ("Record owner", RECORD),
        ("Owner", RECORD),
        ("Created by", RECORD),
        ("Lead source", RECORD),
        ("Lifecycle stage", RECORD),
        ("Create date", RECORD),
        ("Connected On", RECORD),
        ("Last Activity Date", RECORD),
        ("IP City", RECORD),
        ("IP Country Code", RECORD),
        ("IP State/Region", RECORD),
        ("Email Confirmed", RECORD),
        ("Invalid email address", RECORD),
        ("Marketing contact status", RECORD),
        ("Number of Pageviews", RECORD),
        ("Person - Open deals", RECORD),
        ("Email Opt Out", RECORD),
        ("HasOptedOutOfEmail", RECORD),
        ("LeadSource", RECORD),
        ("CREATEDBYID", RECORD),
        ("Salesperson", RECORD),
        ("Do Not Call", RECORD),
        # another record's identifier
        ("Account ID", RELATED_ID),
        ("AccountId", RELATED_ID),
        ("Contact Owner.id", RELATED_ID),
        ("Account Name.id", RELATED_ID),
        ("Associated Company IDs", RELATED_ID),
        ("Primary Associated Company ID", RELATED_ID),
        ("Person - Organization ID", RELATED_ID),
        ("Customer Number", RELATED_ID),
        # another person
        ("Assistant's Name", OTHER_PERSON),
        ("Assistant's Phone", OTHER_PERSON),
        ("Asst. Phone", OTHER_PERSON),
        ("Manager's Name", OTHER_PERSON),
        ("Spouse", OTHER_PERSON),
        ("Children", OTHER_PERSON),
        ("Referred By", OTHER_PERSON),
        ("Reports To", OTHER_PERSON),
        ("AssistantName", OTHER_PERSON),
        ("Relation 1 - Value", OTHER_PERSON),
        # data Odoo has no field for
        ("Department", NO_FIELD),
        ("Middle Name", NO_FIELD),
        ("Additional Name", NO_FIELD),
        ("Name Suffix", NO_FIELD),
        ("Suffix", NO_FIELD),
        ("Nickname", NO_FIELD),
        ("File As", NO_FIELD),
        ("Birthday", NO_FIELD),
        ("Date of birth", NO_FIELD),
        ("Business Fax", NO_FIELD),
        ("Fax Number", NO_FIELD),
        ("Pager", NO_FIELD),
        ("Car Phone", NO_FIELD),
        ("TTY/TDD Phone", NO_FIELD),
        ("WhatsApp Phone Number", NO_FIELD),
        ("Business Address PO Box", NO_FIELD),
        ("Address 1 - PO Box", NO_FIELD),
        ("Business Street 3", NO_FIELD),
        ("Government ID Number", NO_FIELD),
        ("Organization 1 - Department", NO_FIELD),
        ("Organization Department", NO_FIELD),
        ("House number of Postal address", NO_FIELD),
        ("Latitude of Postal address", NO_FIELD),
        ("MailingLatitude", NO_FIELD),
        ("Skype ID", NO_FIELD),
        ("Event 1 - Value", NO_FIELD),
        ("Custom Field 1 - Value", NO_FIELD),
        # a deal's or a company's data in a people export
        ("Deal - Title", OTHER_RECORD),
        ("Organization - Address", headers.COMPANY_SIDE),
    ],
)
def test_headers_that_are_no_contact_data(header, kind):
    reading = read_header(header)
    assert (reading.target, reading.kind) == (None, kind)


@pytest.mark.parametrize("header", ["Favourite colour", "Keywords", "User 1", "Preferred channel", ""])
def test_unknown_headers(header):
    assert read_header(header) is None


@pytest.mark.parametrize(
    ("header", "rank"),
    [("Company", 0), ("Account", 1), ("Associated Company", 1), ("Customer", 1), ("State", 0), ("Region", 1)],
)
def test_secondary_names_rank_below(header, rank):
    assert read_header(header).rank == rank
