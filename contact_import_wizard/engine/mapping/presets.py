"""The exporters people migrate from, recognised by their header set.

Each preset maps the headers its exporter writes to a target, or says why a header fills
none. The header lists come from the exporters' public documentation and from real
exported files published in public repositories (see the samples in
tests/samples/exports/). An export rarely has exactly these headers: exporters add custom
fields and leave out empty groups, so a preset is recognised by a score, not by equality.
"""

from dataclasses import dataclass, field

from ..messages import _lt, render
from ..normalize import simple_key
from .headers import DESCRIBES, FORMATTED, NO_FIELD, OTHER_PERSON, RECORD, RELATED_ID

RECOGNISED = _lt("Recognised: %(preset)s (%(known)s of %(total)s columns known)")

OUTLOOK_ACCOUNT = _lt(
    "In an Outlook export, %(header)r is a billing account number, not the contact's company"
)
ODOO_COMPANY = _lt(
    "In an Odoo export, %(header)r is the company the record belongs to in a multi-company "
    "database, not the contact's employer (that is Related Company)"
)
GOOGLE_GROUPS = _lt(
    '%(header)r holds Google contact groups ("* myContacts ::: Friends"), which are not tags as written'
)


@dataclass(frozen=True)
class Skip:
    """A known header that fills no target: ``kind`` says why (None: what the header
    reads as), ``template`` a more precise reason with %(header)r."""

    kind: str | None = None
    template: str | None = None


KNOWN = Skip()  # known, fills nothing; the header reading says why
DESC = Skip(DESCRIBES)
FMT = Skip(FORMATTED)
REC = Skip(RECORD)
RID = Skip(RELATED_ID)
OTH = Skip(OTHER_PERSON)
NOF = Skip(NO_FIELD)


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    headers: tuple  # the exporter's full header row, as it writes it
    columns: dict = field(repr=False)  # simple_key(header) -> target, (target, rank) or Skip
    signatures: frozenset = field(repr=False)  # simple_key() of headers only this exporter writes

    def spec(self, header):
        return self.columns.get(simple_key(header))


@dataclass(frozen=True)
class PresetMatch:
    preset: Preset
    known: int  # file headers the preset knows
    total: int  # file headers

    @property
    def score(self):
        return self.known / self.total if self.total else 0.0

    def message(self, translate=None):
        return render(
            RECOGNISED, {"preset": self.preset.name, "known": self.known, "total": self.total}, translate
        )


def _preset(key, name, columns, signatures, headers=None, aliases=()):
    """A preset from (header, spec) pairs; ``headers`` defaults to all of them, in order."""
    table = {}
    for header, spec in (*columns, *aliases):
        table.setdefault(simple_key(header), spec)
    return Preset(
        key,
        name,
        tuple(headers if headers is not None else (h for h, _spec in columns)),
        table,
        frozenset(simple_key(s) for s in signatures),
    )


def _numbered(base, parts, count):
    """Google's numbered groups: "<base> <n> - <part>" for n in 1..count."""
    return [(f"{base} {n} - {part}", spec) for n in range(1, count + 1) for part, spec in parts]


def _address(prefix, street3=True):
    lines = [
        (f"{prefix} Street", "street"),
        (f"{prefix} Street 2", "street2"),
    ]
    if street3:
        lines.append((f"{prefix} Street 3", NOF))
    return lines


OUTLOOK = _preset(
    "outlook",
    _lt("Outlook CSV export"),
    columns=[
        ("Title", "title"),
        ("First Name", "first_name"),
        ("Middle Name", NOF),
        ("Last Name", "last_name"),
        ("Suffix", NOF),
        ("Company", "company"),
        ("Department", NOF),
        ("Job Title", "function"),
        *_address("Business"),
        ("Business City", "city"),
        ("Business State", "state"),
        ("Business Postal Code", "zip"),
        ("Business Country/Region", "country"),
        *_address("Home"),
        ("Home City", "city"),
        ("Home State", "state"),
        ("Home Postal Code", "zip"),
        ("Home Country/Region", "country"),
        *_address("Other"),
        ("Other City", "city"),
        ("Other State", "state"),
        ("Other Postal Code", "zip"),
        ("Other Country/Region", "country"),
        ("Assistant's Phone", OTH),
        ("Business Fax", NOF),
        ("Business Phone", "phone"),
        ("Business Phone 2", "phone"),
        ("Callback", NOF),
        ("Car Phone", NOF),
        ("Company Main Phone", "phone"),
        ("Home Fax", NOF),
        ("Home Phone", "phone"),
        ("Home Phone 2", "phone"),
        ("ISDN", NOF),
        ("Mobile Phone", "mobile"),
        ("Other Fax", NOF),
        ("Other Phone", "phone"),
        ("Pager", NOF),
        ("Primary Phone", "phone"),
        ("Radio Phone", NOF),
        ("TTY/TDD Phone", NOF),
        ("Telex", NOF),
        ("Account", Skip(NO_FIELD, OUTLOOK_ACCOUNT)),
        ("Anniversary", NOF),
        ("Assistant's Name", OTH),
        ("Billing Information", NOF),
        ("Birthday", NOF),
        ("Business Address PO Box", NOF),
        ("Categories", "tags"),
        ("Children", OTH),
        ("Directory Server", NOF),
        ("E-mail Address", "email"),
        ("E-mail Type", DESC),
        ("E-mail Display Name", DESC),
        ("E-mail 2 Address", "email"),
        ("E-mail 2 Type", DESC),
        ("E-mail 2 Display Name", DESC),
        ("E-mail 3 Address", "email"),
        ("E-mail 3 Type", DESC),
        ("E-mail 3 Display Name", DESC),
        ("Gender", NOF),
        ("Government ID Number", NOF),
        ("Hobby", NOF),
        ("Home Address PO Box", NOF),
        ("Initials", NOF),
        ("Internet Free Busy", NOF),
        ("Keywords", NOF),
        ("Language", "lang"),
        ("Location", NOF),
        ("Manager's Name", OTH),
        ("Mileage", NOF),
        ("Notes", "comment"),
        ("Office Location", NOF),
        ("Organizational ID Number", NOF),
        ("Other Address PO Box", NOF),
        ("Priority", REC),
        ("Private", REC),
        ("Profession", NOF),
        ("Referred By", OTH),
        ("Sensitivity", REC),
        ("Spouse", OTH),
        ("User 1", NOF),
        ("User 2", NOF),
        ("User 3", NOF),
        ("User 4", NOF),
        ("Web Page", "website"),
    ],
    signatures=[
        "E-mail Display Name",
        "Business Country/Region",
        "TTY/TDD Phone",
        "Company Main Phone",
        "Internet Free Busy",
    ],
    # Older Outlook versions write "Country" where newer ones write "Country/Region".
    aliases=[("Business Country", "country"), ("Home Country", "country"), ("Other Country", "country")],
)

_GOOGLE_ADDRESS = [
    ("Formatted", FMT),
    ("Street", "street"),
    ("City", "city"),
    ("PO Box", NOF),
    ("Region", "state"),
    ("Postal Code", "zip"),
    ("Country", "country"),
    ("Extended Address", "street2"),
]

GOOGLE = _preset(
    "google",
    _lt("Google Contacts CSV export"),
    columns=[
        ("First Name", "first_name"),
        ("Middle Name", NOF),
        ("Last Name", "last_name"),
        ("Phonetic First Name", DESC),
        ("Phonetic Middle Name", DESC),
        ("Phonetic Last Name", DESC),
        ("Name Prefix", "title"),
        ("Name Suffix", NOF),
        ("Nickname", NOF),
        ("File As", NOF),
        ("Organization Name", "company"),
        ("Organization Title", "function"),
        ("Organization Department", NOF),
        ("Birthday", NOF),
        ("Notes", "comment"),
        ("Photo", NOF),
        ("Labels", Skip(NO_FIELD, GOOGLE_GROUPS)),
        *_numbered("E-mail", [("Label", DESC), ("Value", "email")], 5),
        *_numbered("Phone", [("Label", DESC), ("Value", "phone")], 5),
        *_numbered("Address", [("Label", DESC), *_GOOGLE_ADDRESS], 3),
        *_numbered("Website", [("Label", DESC), ("Value", "website")], 3),
        *_numbered("Relation", [("Label", DESC), ("Value", OTH)], 3),
        *_numbered("Event", [("Label", DESC), ("Value", NOF)], 3),
        *_numbered("IM", [("Label", DESC), ("Service", DESC), ("Value", NOF)], 3),
        *_numbered("Custom Field", [("Label", DESC), ("Value", NOF)], 5),
        *_numbered("External ID", [("Label", DESC), ("Value", NOF)], 2),
        *_numbered("Calendar Link", [("Label", DESC), ("Value", NOF)], 2),
    ],
    signatures=[
        "File As",
        "Organization Title",
        "Phonetic First Name",
        "Labels",
        "E-mail 1 - Label",
        "Phone 1 - Label",
    ],
    headers=(
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
        "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
        "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
        "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,"
        "Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
        "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
        "Address 1 - Extended Address,Address 2 - Label,Address 2 - Formatted,Address 2 - Street,"
        "Address 2 - City,Address 2 - PO Box,Address 2 - Region,Address 2 - Postal Code,"
        "Address 2 - Country,Address 2 - Extended Address,Website 1 - Label,Website 1 - Value"
    ).split(","),
)

GOOGLE_LEGACY = _preset(
    "google_legacy",
    _lt("Google Contacts CSV export (legacy layout)"),
    columns=[
        ("Name", "name"),
        ("Given Name", "first_name"),
        ("Additional Name", NOF),
        ("Family Name", "last_name"),
        ("Yomi Name", DESC),
        ("Given Name Yomi", DESC),
        ("Additional Name Yomi", DESC),
        ("Family Name Yomi", DESC),
        ("Name Prefix", "title"),
        ("Name Suffix", NOF),
        ("Initials", NOF),
        ("Nickname", NOF),
        ("Short Name", NOF),
        ("Maiden Name", NOF),
        ("Birthday", NOF),
        ("Gender", NOF),
        ("Location", NOF),
        ("Billing Information", NOF),
        ("Directory Server", NOF),
        ("Mileage", NOF),
        ("Occupation", "function"),
        ("Hobby", NOF),
        ("Sensitivity", REC),
        ("Priority", REC),
        ("Subject", NOF),
        ("Notes", "comment"),
        ("Language", "lang"),
        ("Photo", NOF),
        ("Group Membership", Skip(NO_FIELD, GOOGLE_GROUPS)),
        *_numbered("E-mail", [("Type", DESC), ("Value", "email")], 5),
        *_numbered("IM", [("Type", DESC), ("Service", DESC), ("Value", NOF)], 3),
        *_numbered("Phone", [("Type", DESC), ("Value", "phone")], 5),
        *_numbered("Address", [("Type", DESC), *_GOOGLE_ADDRESS], 3),
        *_numbered(
            "Organization",
            [
                ("Type", DESC),
                ("Name", "company"),
                ("Yomi Name", DESC),
                ("Title", "function"),
                ("Department", NOF),
                ("Symbol", NOF),
                ("Location", NOF),
                ("Job Description", NOF),
            ],
            2,
        ),
        *_numbered("Relation", [("Type", DESC), ("Value", OTH)], 3),
        *_numbered("Website", [("Type", DESC), ("Value", "website")], 3),
        *_numbered("Event", [("Type", DESC), ("Value", NOF)], 3),
        *_numbered("Custom Field", [("Type", DESC), ("Value", NOF)], 5),
    ],
    signatures=[
        "Given Name Yomi",
        "Group Membership",
        "E-mail 1 - Type",
        "Organization 1 - Name",
        "Additional Name",
    ],
    headers=(
        "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
        "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,"
        "Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,"
        "Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
        "E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,"
        "Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,"
        "Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
        "Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,"
        "Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,"
        "Organization 1 - Job Description,Website 1 - Type,Website 1 - Value"
    ).split(","),
)

LINKEDIN = _preset(
    "linkedin",
    _lt("LinkedIn Connections export"),
    columns=[
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        # the member's LinkedIn profile, not a website of theirs: kept in the notes
        ("URL", "comment"),
        ("Email Address", "email"),
        ("Company", "company"),
        ("Position", "function"),
        ("Connected On", REC),
    ],
    signatures=["Connected On", "Position"],
)

HUBSPOT = _preset(
    "hubspot",
    _lt("HubSpot contacts export"),
    columns=[
        ("Record ID", "ref"),
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        *(
            (h, KNOWN)
            for h in (
                "Annual Revenue,Average Pageviews,Became a Customer Date,Became a Lead Date,"
                "Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,"
                "Became a Subscriber Date,Became an Evangelist Date,Became an Opportunity Date,"
                "Became an Other Lifecycle Date,Buying Role,Buying Role Option,"
                "Campaign of last booking in meetings tool"
            ).split(",")
        ),
        ("City", "city"),
        ("Close Date", REC),
        ("Company domain name", "company_website"),
        ("Company Name", "company"),
        ("Company size", NOF),
        ("Contact owner", REC),
        ("Contact priority", REC),
        ("Contact unworked", REC),
        ("Country/Region", "country"),
        ("Create Date", REC),
        ("Created by user ID", REC),
        ("Currently in Sequence", REC),
        ("Currently in workflow", REC),
        ("Date of birth", NOF),
        ("Date of last meeting booked in meetings tool", REC),
        ("Days To Close", REC),
        ("Degree", NOF),
        ("Domain name", KNOWN),
        ("Domain to which registration email was sent", REC),
        ("Email", "email"),
        *(
            (h, REC)
            for h in (
                "Email address automated quarantine reason,Email address quarantine reason,"
                "Email Address Quarantined,Email Confirmed"
            ).split(",")
        ),
        ("Email Domain", "company_email_domain"),
        *(
            (h, KNOWN)
            for h in (
                "Email hard bounce reason,Event Revenue,Facebook click id,Fax Number,Field of study,"
                "First Conversion,First Conversion Date,First Deal Created Date,"
                "First marketing email click date,First marketing email open date,"
                "First marketing email reply date,First marketing email send date,First Page Seen,"
                "First Referring Site,First Touch Converting Campaign,Gender,Google ad click id,"
                "Graduation date,HubSpot Score,HubSpot Team,Industry,Invalid email address"
            ).split(",")
        ),
        # Where the visitor's IP address was located: not the contact's address.
        *(
            (h, REC)
            for h in (
                "IP City,IP Country,IP Country Code,IP State Code/Region Code,IP State/Region,IP Timezone"
            ).split(",")
        ),
        ("Job function", KNOWN),
        ("Job Title", "function"),
        *(
            (h, KNOWN)
            for h in (
                "Last Activity Date,Last Contacted,Last Engagement Date,Last marketing email click date,"
                "Last marketing email name,Last marketing email open date,Last marketing email reply date,"
                "Last marketing email send date,Last Modified Date,Last NPS survey comment,"
                "Last NPS survey date,Last NPS survey rating,Last Page Seen,Last Referring Site,"
                "Last sequence ended date,Last sequence enrolled,Last sequence enrolled date,"
                "Last Touch Converting Campaign,Latest Source,Latest Source Date,"
                "Latest Source Drill-Down 1,Latest Source Drill-Down 2,Lead Rating,Lead Status,"
                "Legal basis for processing contact's data,Lifecycle Stage,Likelihood to close,"
                "Marital Status,Marketing contact until next update,Marketing email confirmation status,"
                "Marketing emails bounced,Marketing emails clicked,Marketing emails delivered,"
                "Marketing emails opened,Marketing emails replied,Medium of last booking in meetings tool,"
                "Membership Notes,Message,Military status"
            ).split(",")
        ),
        ("Mobile Phone Number", "mobile"),
        *(
            (h, KNOWN)
            for h in (
                "Next Activity Date,Number of Associated Deals,Number of Employees,"
                "Number of event completions,Number of Form Submissions,Number of Pageviews,"
                "Number of Sales Activities,Number of sequences enrolled,Number of Sessions,"
                "Number of times contacted,Number of Unique Forms Submitted,Object create date/time,"
                "Opted out of email: Customer Service Communication,Original Source,"
                "Original Source Drill-Down 1,Original Source Drill-Down 2,Owner Assigned Date,Persona"
            ).split(",")
        ),
        ("Phone Number", "phone"),
        ("Postal Code", "zip"),
        ("Predictive Lead Score", REC),
        ("Preferred language", "lang"),
        ("Private e-mail address", "email"),
        *(
            (h, KNOWN)
            for h in (
                "Recent Conversion,Recent Conversion Date,Recent Deal Amount,Recent Deal Close Date,"
                "Recent Sales Email Clicked Date,Recent Sales Email Opened Date,"
                "Recent Sales Email Replied Date,Registered At,Relationship Status"
            ).split(",")
        ),
        ("Salutation", "title"),
        ("School", NOF),
        ("Sends Since Last Engagement", REC),
        ("Seniority", NOF),
        ("Source of last booking in meetings tool", REC),
        ("Start date", REC),
        ("State/Region", "state"),
        ("Status", REC),
        ("Street Address", "street"),
        *(
            (h, REC)
            for h in (
                "Time between contact creation and deal close (HH:mm:ss),"
                "Time between contact creation and deal creation (HH:mm:ss),Time First Seen,Time Last Seen,"
                "Time of First Session,Time of Last Session,Time registration email was sent,"
                "Time to move from lead to customer (HH:mm:ss),"
                "Time to move from marketing qualified lead to customer (HH:mm:ss),"
                "Time to move from opportunity to customer (HH:mm:ss),"
                "Time to move from sales qualified lead to customer (HH:mm:ss),"
                "Time to move from subscriber to customer (HH:mm:ss),Time Zone,Total Revenue"
            ).split(",")
        ),
        ("Twitter Username", NOF),
        ("Unsubscribed from all email", REC),
        ("Website URL", "website"),
        ("WhatsApp Phone Number", NOF),
        ("Work email", "email"),
        ("Associated Company", "company"),
        ("Associated Deal", REC),
        ("Associated Ticket", REC),
        ("Associated Payment", REC),
        ("Associated Subscription", REC),
        ("Associated Company IDs", RID),
        ("Associated Deal IDs", RID),
        ("Associated Ticket IDs", RID),
        ("Associated Payment IDs", RID),
        ("Associated Subscription IDs", RID),
    ],
    signatures=[
        "Contact owner",
        "Lifecycle Stage",
        "Record ID",
        "Marketing contact status",
        "Associated Company IDs",
    ],
    # The default "properties in view" export writes a few columns the full one names otherwise.
    aliases=[
        ("Primary Associated Company ID", RID),
        ("Marketing contact status", REC),
        ("Last Activity Date", REC),
    ],
)

_SALESFORCE_ADDRESS = [
    (f"{kind} {part}", target)
    for kind in ("Mailing", "Other")
    for part, target in (
        ("Street", "street"),
        ("City", "city"),
        ("State/Province", "state"),
        ("Zip/Postal Code", "zip"),
        ("Country", "country"),
    )
]

SALESFORCE = _preset(
    "salesforce",
    _lt("Salesforce contacts export"),
    columns=[
        ("Contact Owner", REC),
        ("Salutation", "title"),
        ("First Name", "first_name"),
        ("Middle Name", NOF),
        ("Last Name", "last_name"),
        ("Suffix", NOF),
        ("Title", "function"),
        ("Department", NOF),
        ("Account Name", "company"),
        ("Account Owner", REC),
        *_SALESFORCE_ADDRESS,
        ("Phone", "phone"),
        ("Mobile", "mobile"),
        ("Home Phone", "phone"),
        ("Other Phone", "phone"),
        ("Fax", NOF),
        ("Email", "email"),
        ("Assistant", OTH),
        ("Asst. Phone", OTH),
        ("Reports To", OTH),
        ("Lead Source", REC),
        ("Birthdate", NOF),
        ("Description", "comment"),
        ("Email Opt Out", REC),
        ("Fax Opt Out", REC),
        ("Do Not Call", REC),
        ("Created By", REC),
        ("Created Date", REC),
        ("Last Modified By", REC),
        ("Last Modified Date", REC),
        ("Last Activity", REC),
        ("Contact ID", "ref"),
        ("Account ID", RID),
    ],
    signatures=[
        "Mailing Zip/Postal Code",
        "Mailing State/Province",
        "Other Zip/Postal Code",
        "Asst. Phone",
        "Contact ID",
        "Account Owner",
        "MailingPostalCode",
        "MailingState",
        "MasterRecordId",
        "SystemModstamp",
    ],
    # Data Loader writes API names ("MailingPostalCode", in capitals), and "Account.Name"
    # when the query asks for the account's name.
    aliases=[
        ("Id", "ref"),
        ("IsDeleted", REC),
        ("MasterRecordId", RID),
        ("AccountId", RID),
        ("Account.Name", "company"),
        ("LastName", "last_name"),
        ("FirstName", "first_name"),
        ("MiddleName", NOF),
        ("Name", "name"),
        *(
            (f"{kind}{part}", target)
            for kind in ("Mailing", "Other")
            for part, target in (
                ("Street", "street"),
                ("City", "city"),
                ("State", "state"),
                ("PostalCode", "zip"),
                ("Country", "country"),
                ("Latitude", NOF),
                ("Longitude", NOF),
                ("GeocodeAccuracy", NOF),
            )
        ),
        ("MobilePhone", "mobile"),
        ("HomePhone", "phone"),
        ("OtherPhone", "phone"),
        ("AssistantPhone", OTH),
        ("ReportsToId", RID),
        ("AssistantName", OTH),
        ("LeadSource", REC),
        ("OwnerId", REC),
        ("Owner.Name", REC),
        ("HasOptedOutOfEmail", REC),
        ("HasOptedOutOfFax", REC),
        ("DoNotCall", REC),
        ("CreatedDate", REC),
        ("CreatedById", REC),
        ("LastModifiedDate", REC),
        ("LastModifiedById", REC),
        ("SystemModstamp", REC),
        ("LastActivityDate", REC),
        ("LastCURequestDate", REC),
        ("LastCUUpdateDate", REC),
        ("LastViewedDate", REC),
        ("LastReferencedDate", REC),
        ("EmailBouncedReason", REC),
        ("EmailBouncedDate", REC),
        ("IsEmailBounced", REC),
        ("PhotoUrl", NOF),
        ("Jigsaw", NOF),
        ("JigsawContactId", RID),
        ("CleanStatus", REC),
        ("IndividualId", RID),
    ],
)

ZOHO = _preset(
    "zoho",
    _lt("Zoho CRM contacts export"),
    columns=[
        ("Record Id", "ref"),
        ("Contact Owner.id", RID),
        ("Contact Owner", REC),
        ("Lead Source", REC),
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        ("Account Name.id", RID),
        ("Account Name", "company"),
        ("Vendor Name.id", RID),
        ("Vendor Name", REC),
        ("Email", "email"),
        ("Title", "function"),
        ("Department", NOF),
        ("Phone", "phone"),
        ("Home Phone", "phone"),
        ("Other Phone", "phone"),
        ("Fax", NOF),
        ("Mobile", "mobile"),
        ("Date of Birth", NOF),
        ("Assistant", OTH),
        ("Asst Phone", OTH),
        ("Reports To.id", RID),
        ("Reports To", OTH),
        ("Email Opt Out", REC),
        ("Skype ID", NOF),
        ("Created By.id", RID),
        ("Created By", REC),
        ("Modified By.id", RID),
        ("Modified By", REC),
        ("Created Time", REC),
        ("Modified Time", REC),
        ("Contact Name", "name"),
        ("Mailing Street", "street"),
        ("Other Street", "street"),
        ("Mailing City", "city"),
        ("Other City", "city"),
        ("Mailing State", "state"),
        ("Other State", "state"),
        ("Mailing Zip", "zip"),
        ("Other Zip", "zip"),
        ("Mailing Country", "country"),
        ("Other Country", "country"),
        ("Description", "comment"),
        ("Salutation", "title"),
        ("Secondary Email", "email"),
        ("Last Activity Time", REC),
        ("Twitter", NOF),
        ("Tag", "tags"),
        ("Unsubscribed Mode", REC),
        ("Unsubscribed Time", REC),
        ("Change Log Time", REC),
        ("Locked", REC),
        ("Last Enriched Time", REC),
        ("Enrich Status", REC),
    ],
    signatures=[
        "Contact Owner.id",
        "Account Name.id",
        "Mailing Zip",
        "Other Zip",
        "Created Time",
        "Modified By.id",
    ],
)

_PIPEDRIVE = [
    ("ID", "ref"),
    ("Name", "name"),
    ("Label", "tags"),
    ("Labels", "tags"),
    ("Organization", "company"),
    ("Organization ID", RID),
    ("Email - Work", "email"),
    ("Email - Home", "email"),
    ("Email - Other", "email"),
    ("Phone - Work", "phone"),
    ("Phone - Home", "phone"),
    ("Phone - Mobile", "mobile"),
    ("Phone - Other", "phone"),
    ("Owner", REC),
    ("First name", "first_name"),
    ("Last name", "last_name"),
    ("Visible to", REC),
    ("Person created", REC),
    ("Update time", REC),
    ("Open deals", REC),
    ("Won deals", REC),
    ("Lost deals", REC),
    ("Closed deals", REC),
    ("Total activities", REC),
    ("Done activities", REC),
    ("Activities to do", REC),
    ("Next activity date", REC),
    ("Last activity date", REC),
    ("Email messages count", REC),
    ("Last email received", REC),
    ("Last email sent", REC),
    ("Marketing status", REC),
    ("Instant messenger", NOF),
    ("Postal address", Skip(FORMATTED)),
    ("Apartment/suite no of Postal address", "street2"),
    ("House number of Postal address", NOF),
    ("Street/road name of Postal address", "street"),
    ("District/sublocality of Postal address", NOF),
    ("City/town/village/locality of Postal address", "city"),
    ("State/county of Postal address", "state"),
    ("Region of Postal address", NOF),
    ("Country of Postal address", "country"),
    ("ZIP/Postal code of Postal address", "zip"),
    ("Latitude of Postal address", NOF),
    ("Longitude of Postal address", NOF),
    ("Full/combined address of Postal address", FMT),
    ("Job title", "function"),
    ("Birthday", NOF),
    ("Notes", "comment"),
]

PIPEDRIVE = _preset(
    "pipedrive",
    _lt("Pipedrive people export"),
    columns=[(f"Person - {header}", spec) for header, spec in _PIPEDRIVE if header != "Label"],
    signatures=[
        *(f"Person - {h}" for h in ("ID", "Email - Work", "Phone - Mobile", "Visible to", "Person created")),
        *("Email - Work", "Phone - Mobile", "Visible to", "Person created"),
    ],
    # Older exports (and the import template) write the headers without "Person - ".
    aliases=_PIPEDRIVE,
)

APPTIVO = _preset(
    "apptivo",
    _lt("Apptivo contacts export"),
    columns=[
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        ("Job Title", "function"),
        ("Customer", "company"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Mobile", "mobile"),
        ("Address Type", DESC),
        ("Address Line 1", "street"),
        ("Address Line 2", "street2"),
        ("City", "city"),
        ("State", "state"),
        ("Zip Code", "zip"),
        ("Country", "country"),
        ("Assigned To", REC),
        ("Contact Status", REC),
        ("Contact Type", REC),
        ("Best Way to Contact", REC),
        ("Categories", "tags"),
        ("Tags", "tags"),
        ("Description", "comment"),
        ("Created By", REC),
        ("Creation Date", REC),
        ("Last Updated By", REC),
        ("Last Update Date", REC),
        ("Skype", NOF),
        ("Twitter", NOF),
        ("LinkedIn", NOF),
        ("Facebook", NOF),
    ],
    signatures=[
        "Best Way to Contact",
        "Contact Status",
        "Contact Type",
        "Assigned To",
        "Address Type",
        "Last Updated By",
    ],
)

ODOO = _preset(
    "odoo",
    _lt("Odoo contacts export"),
    columns=[
        ("Name", "name"),
        ("Is a Company", "is_company"),
        ("Related Company", "company"),
        ("Job Position", "function"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Street", "street"),
        ("Street2", "street2"),
        ("City", "city"),
        ("Zip", "zip"),
        ("State", "state"),
        ("Country", "country"),
        ("Tags", "tags"),
        ("Tax ID", "vat"),
        ("Website Link", "website"),
        ("Language", "lang"),
        ("Reference", "ref"),
        ("Notes", "comment"),
        ("Salesperson", REC),
        ("Company", Skip(RECORD, ODOO_COMPANY)),
    ],
    signatures=[
        "Is a Company",
        "Related Company",
        "Job Position",
        "Website Link",
        "Salesperson",
        "Street2",
        "Company Type",
    ],
    aliases=[
        ("Company Type", "is_company"),
        ("Company Name", ("company", 1)),
        ("Mobile", "mobile"),
        ("Website", "website"),
        ("Title", "title"),
        ("Internal Reference", "ref"),
        ("Display Name", KNOWN),
        ("Complete Name", KNOWN),
        ("Address Type", DESC),
        ("Active", REC),
        ("ID", REC),
        ("Created on", REC),
        ("Last Updated on", REC),
    ],
)

PRESETS = (OUTLOOK, GOOGLE, GOOGLE_LEGACY, LINKEDIN, HUBSPOT, SALESFORCE, ZOHO, PIPEDRIVE, APPTIVO, ODOO)
PRESETS_BY_KEY = {p.key: p for p in PRESETS}

MIN_SIGNATURES = 2  # distinctive headers a file needs to be recognised
MIN_SCORE = 0.5  # share of the file's headers the preset must know


def recognise(headers):
    """The preset whose exporter wrote these headers, as a :class:`PresetMatch`, or None.

    A file is recognised when at least MIN_SIGNATURES of the exporter's distinctive
    headers are present and the preset knows at least half of its columns (exporters add
    custom fields); among several, the one knowing most of the file wins.
    """
    keys = [simple_key(h) for h in headers]
    present = set(keys)
    best = None
    for preset in PRESETS:
        if len(preset.signatures & present) < min(MIN_SIGNATURES, len(preset.signatures)):
            continue
        match = PresetMatch(preset, sum(1 for k in keys if k in preset.columns), len(keys))
        if match.score >= MIN_SCORE and (
            best is None or (match.score, match.known) > (best.score, best.known)
        ):
            best = match
    return best
