"""Which column of an export holds which lead field, detected for the usual exports or saved.

Detection normalises each header ("E-mail Address", "email_address", "EMAIL ADDRESS" are one),
recognises the export shape by its typical columns (the shapes in ``leaddesk.intake.shapes``:
Salesforce, HubSpot, Marketo, LinkedIn, Google Contacts, Outlook, Thunderbird, Apollo, a business
list, a plain name/email/phone sheet) and maps columns by that shape's own names first, then by
a generous synonym table. Columns that map to nothing are kept as extra attributes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.fields import IDENTIFYING, Field, Shape, header_key
from leaddesk.intake.fields import keys as _keys
from leaddesk.intake.shapes import SHAPES
from leaddesk.intake.shapes.plain import is_business_list

__all__ = [
    "IDENTIFYING",
    "SYNONYMS",
    "Field",
    "Mapping",
    "Shape",
    "detect_mapping",
    "detect_shape",
    "header_key",
    "load_mapping",
]


# Synonyms in order of preference: when two columns claim a field, the earlier name wins and
# the other stays an extra attribute (e.g. "Email" beats "Secondary Email").
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.FIRST_NAME: _keys(
        "First Name", "Firstname", "First", "Given Name", "Forename", "FName", "Contact First Name",
        "Lead First Name", "Vorname", "Prénom", "Nombre",
        # Central European and Baltic exports: Polish, Czech, Slovak, Lithuanian, Latvian.
        "Imię", "Jméno", "Krstné meno", "Vardas", "Vārds",
    ),
    Field.LAST_NAME: _keys(
        "Last Name", "Lastname", "Last", "Surname", "Family Name", "LName", "Contact Last Name",
        "Lead Last Name", "Nachname", "Nom", "Apellido", "Apellidos",
        "Nazwisko", "Příjmení", "Priezvisko", "Pavardė", "Uzvārds",
    ),
    Field.FULL_NAME: _keys(
        "Name", "Full Name", "Contact Name", "Lead Name", "Contact", "Person", "Your Name",
        "Contact Full Name", "Attendee Name", "Attendee",
    ),
    Field.EMAIL: _keys(
        "Email", "Email Address", "E-mail", "E-mail Address", "Mail", "Work Email",
        "Business Email", "Work Email Address", "Business Email Address", "Primary Email",
        "Contact Email", "Email 1", "Email1", "Lead Email", "Correo", "Email Address (Work)",
        "Secondary Email", "Personal Email", "Adres e-mail", "El. paštas", "E-pasts",
    ),
    Field.PHONE: _keys(
        "Phone", "Phone Number", "Telephone", "Telephone Number", "Tel", "Business Phone",
        "Work Phone", "Office Phone", "Direct Phone", "Primary Phone", "Contact Phone",
        "Phone 1", "Phone1", "Work Phone Number", "Business Phone Number", "Landline", "Telefon",
        "Téléphone", "Teléfono", "Numer telefonu", "Telefonní číslo", "Telefonas", "Tālrunis",
    ),
    Field.MOBILE: _keys(
        "Mobile", "Mobile Phone", "Mobile Phone Number", "Mobile Number", "Cell", "Cell Phone",
        "Cellphone", "Mobile Tel", "Handy", "Mobil", "Portable", "Telefon komórkowy",
        "Komórka", "Mobilní telefon", "Mobilusis telefonas", "Mobilais tālrunis",
    ),
    Field.COMPANY: _keys(
        "Company", "Company Name", "Company / Account", "Account", "Account Name",
        "Organisation", "Organization", "Organization Name", "Organisation Name", "Employer",
        "Business", "Business Name", "Firm", "Company Legal Name", "Firma", "Empresa",
        "Entreprise", "Associated Company", "Nazwa firmy", "Společnost", "Įmonė", "Uzņēmums",
    ),
    Field.TITLE: _keys(
        "Title", "Job Title", "Position", "Job Position", "Role", "Job Role", "Designation",
        "Job Function", "Position Title", "Stanowisko", "Pozice", "Pareigos", "Amats",
    ),
    Field.INDUSTRY: _keys("Industry", "Sector", "Vertical", "Company Industry", "Branche"),
    Field.EMPLOYEES: _keys(
        "No. of Employees", "Number of Employees", "Employees", "Employee Count", "Company Size",
        "Headcount", "Employee Range", "Num Employees", "Company Headcount", "Size",
        "Number of Employees (Company)", "Mitarbeiter",
    ),
    Field.COUNTRY: _keys(
        "Country", "Country/Region", "Country Region", "Mailing Country", "Billing Country",
        "Country Name", "Nation", "Land", "País", "Pays", "Kraj", "Země", "Šalis", "Valsts",
    ),
    Field.STATE: _keys(
        "State", "State/Province", "State Province", "Province", "Region", "State/Region",
        "Mailing State/Province", "Mailing State", "Billing State/Province", "County",
    ),
    Field.CITY: _keys(
        "City", "Town", "Mailing City", "Billing City", "Locality", "Stadt", "Ville", "Miasto",
        "Město", "Miestas", "Pilsēta",
    ),
    Field.ADDRESS: _keys(
        "Address", "Street", "Street Address", "Mailing Street", "Billing Street", "Address 1",
        "Address Line 1", "Address1", "Postal Address", "Adresse",
    ),
    Field.SOURCE: _keys(
        "Lead Source", "Source", "Original Source", "Contact Source", "Person Source",
        "Original Source Type", "Origin", "Channel", "Lead Origin",
    ),
    Field.CAMPAIGN: _keys(
        "Campaign", "Campaign Name", "Acquisition Program", "UTM Campaign", "utm_campaign",
        "Program", "Program Name", "Event", "Event Name", "Webinar",
    ),
    Field.INQUIRY: _keys(
        "Inquiry", "Enquiry", "Message", "Comments", "Comment", "Description", "Question",
        "Request", "Interest", "Product Interest", "How can we help", "How can we help you?",
        "What are you interested in?", "Your Message", "Inquiry Type", "Request Type",
    ),
    Field.ARRIVED_AT: _keys(
        "Created Date", "Create Date", "Created At", "Created", "Date Created", "Created On",
        "Created Time", "Submitted On", "Submitted At", "Submission Date", "Submitted",
        "Date Submitted", "Lead Created Date", "Timestamp", "Date", "Inquiry Date",
        "Conversion Date", "First Conversion Date",
    ),
    Field.WEBSITE: _keys(
        "Website", "Web Site", "Company Website", "URL", "Web", "Website URL", "Company URL",
        "Company Domain Name", "Domain",
    ),
    Field.NOTES: _keys("Notes", "Note", "Remarks", "Additional Information", "Lead Notes"),
}  # fmt: skip

_BY_KEY: dict[str, tuple[Field, int]] = {}
for _field, _names in SYNONYMS.items():
    for _rank, _key in enumerate(_names):
        _BY_KEY.setdefault(_key, (_field, _rank))


@dataclass(frozen=True)
class Mapping:
    """Column -> field for one export; every other column is an extra attribute, never dropped.

    ``shape`` and ``confidence`` say how it was found (detection) or that it is CUSTOM.
    Serialises to JSON so it can be saved per source and passed back as a file.
    """

    columns: dict[str, Field]
    extras: tuple[str, ...] = ()
    shape: Shape = Shape.CUSTOM
    confidence: float = 1.0
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def column_for(self, target: Field) -> str | None:
        for column, mapped in self.columns.items():
            if mapped is target:
                return column
        return None

    def for_header(self, header: Sequence[str], *, file: str | Path = "the file") -> Mapping:
        """This (saved) mapping applied to a file's header: missing columns are left out with a
        warning, new columns become extras. Raises when nothing identifying is left."""
        present = {header_key(name): name for name in header}
        columns: dict[str, Field] = {}
        missing: list[str] = []
        for column, target in self.columns.items():
            actual = present.get(header_key(column))
            if actual is None:
                missing.append(column)
            else:
                columns[actual] = target
        extras = tuple(name for name in header if name not in columns)
        warnings = tuple(
            f"column '{name}' of the saved mapping is not in the file" for name in missing
        )
        result = Mapping(columns, extras, self.shape, self.confidence, warnings)
        lost = [name for name in missing if self.columns[name] in IDENTIFYING]
        if lost and not IDENTIFYING.intersection(columns.values()):
            raise IntakeFileError(
                file,
                f"has none of the mapping's email, phone or name columns "
                f"({', '.join(lost[:5])}); its columns are {_shown(header)}",
                kind=FileProblem.NO_COLUMNS,
            )
        result.require_identifying(file, header)
        return result

    def require_identifying(self, file: str | Path, header: Sequence[str]) -> None:
        from leaddesk.intake.needed_columns import require_email_or_phone

        require_email_or_phone(set(self.columns.values()), file, header)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "shape": self.shape.value,
                "confidence": round(self.confidence, 3),
                "columns": {column: target.value for column, target in self.columns.items()},
                "extras": list(self.extras),
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str, *, file: str | Path = "mapping") -> Mapping:
        """A mapping from its JSON; a mistake in it is an IntakeFileError naming ``file``."""
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise _bad(file, f"is not valid JSON (line {error.lineno})") from error
        except RecursionError:
            raise _bad(file, "is nested too deeply to be a column mapping") from None
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise _bad(file, 'needs a "columns" object of column name to field')
        columns: dict[str, Field] = {}
        for column, target in data["columns"].items():
            try:
                columns[str(column)] = Field(target)
            except ValueError as error:
                known = ", ".join(f.value for f in Field)
                problem = f"column '{column}' maps to unknown field '{target}' ({known})"
                raise _bad(file, problem) from error
        if len(set(columns.values())) != len(columns):
            raise _bad(file, "maps two columns to the same field")
        extras = data.get("extras", [])
        try:
            shape = Shape(data.get("shape", "custom"))
            confidence = float(data.get("confidence", 1.0))
        except (TypeError, ValueError) as error:
            raise _bad(file, "has an unknown shape or confidence") from error
        if not isinstance(extras, list):
            raise _bad(file, '"extras" must be a list of column names')
        return cls(columns, tuple(str(name) for name in extras), shape, confidence)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping saved with ``Mapping.save`` (or written by hand)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _bad(path, "cannot be read as a UTF-8 mapping file") from error
    return Mapping.from_json(text, file=path)


def _bad(file: str | Path, problem: str) -> IntakeFileError:
    return IntakeFileError(file, problem, kind=FileProblem.BAD_MAPPING)


def detect_shape(header: Iterable[str]) -> tuple[Shape, float]:
    """The export shape whose typical columns the header overlaps most, with a 0..1 confidence.

    A sheet with a company name, company facts and no column about a person is a business
    list, whatever else it overlaps."""
    keys = {header_key(name) for name in header}
    if is_business_list(keys):
        return Shape.BUSINESS_LIST, 1.0
    best, best_score = Shape.GENERIC, 0.0
    for shape, info in SHAPES.items():
        if shape is Shape.BUSINESS_LIST:
            continue
        overlap = len(keys & info.typical) / len(info.typical)
        if shape is Shape.PLAIN:
            # A plain sheet is small: most of its header must be the four plain columns.
            overlap = min(overlap, len(keys & info.typical) / max(len(keys), 1))
        # Columns only this tool writes count most: two of them name it even in a short report.
        score = overlap + 0.25 * min(len(keys & info.marks), 2)
        if score > best_score:
            best, best_score = shape, score
    confidence = min(best_score, 1.0)
    if confidence < 0.5:
        return Shape.GENERIC, confidence
    return best, confidence


def detect_mapping(header: Sequence[str], *, file: str | Path = "the file") -> Mapping:
    """Map a header with no help from the user; raises IntakeFileError "no recognisable columns"
    when neither an email, a phone nor a name column is found."""
    shape, confidence = detect_shape(header)
    own = SHAPES[shape].own if shape in SHAPES else {}
    claims: dict[Field, tuple[int, str]] = {}
    for index, name in enumerate(header):
        key = header_key(name)
        if key in own:
            mine = own[key]
            if mine is None:
                continue  # the tool means something else by it: kept as an extra
            target, rank = mine, -1
        elif key in _BY_KEY:
            target, rank = _BY_KEY[key]
        else:
            continue
        held = claims.get(target)
        if held is None or (rank, index) < (held[0], header.index(held[1])):
            claims[target] = (rank, name)
    columns = {name: target for target, (_rank, name) in claims.items()}
    ordered = {name: columns[name] for name in header if name in columns}
    extras = tuple(name for name in header if name not in ordered)
    mapping = Mapping(ordered, extras, shape, confidence)
    mapping.require_identifying(file, header)
    return mapping


def _shown(header: Sequence[str]) -> str:
    return ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
