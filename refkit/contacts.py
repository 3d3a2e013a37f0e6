"""``refkit import partners``: a contacts CSV or vCard file into content/partners/SLUG.yaml.

Understood: the CSV of a Google Contacts export (the current "First Name",
"Organization Name", "E-mail 1 - Value" columns and the older "Given Name",
"Organization 1 - Name" ones), of a HubSpot contacts export ("First Name",
"Email", "Company Name", "Job Title", ...), of Outlook, and refkit's own
``refkit partners --csv`` (its column names are the partner fields: slug,
name, company, role, kind, status, email, phone, website); and vCard files
(.vcf) with one card or many.

Each row or card becomes one partner file, validated with the real loader and
:class:`Partner` model before it is written, written as text (a modeline, then
one ``key: value`` line a field, every value safely quoted) and linked into
place atomically without ever replacing a file. The rules, as the README says:

- the slug is the person's name folded to ASCII (``José Núñez`` ->
  ``jose-nunez``), else the company's, else the email's local part; a
  ``slug`` column wins;
- a row without a person's name but with a company is imported with the
  company as its ``name``;
- a slug whose file exists (``.yaml`` or ``.yml``) is skipped with a warning:
  importing the same file twice changes nothing and succeeds;
- a second row that makes the same slug in one file is refused (an error
  naming both lines), never given a ``-2`` suffix: in an address book it is
  nearly always the same person twice;
- status is ``prospect`` unless a ``status`` column says otherwise (they are
  not partners yet); the page is ``private``.

A refused row (no name, an invalid email...) is reported with its line and
writes nothing; the other rows are still written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from refkit.content.creating import create_file
from refkit.content.loader import read_regular_file
from refkit.content.models import SLUG_RE, Partner
from refkit.content.project import YAML_SUFFIXES
from refkit.errors import ContentError, Problem
from refkit.text.yamltext import yaml_scalar

#: a contacts export is bigger than a content file may be
MAX_CONTACTS_BYTES = 64 * 1024 * 1024
#: the first line of every partner file, as in the example project
MODELINE = "# yaml-language-server: $schema=../../.refkit/schema/partner.json"
#: the order of the fields in a written file: the contract's
WRITTEN_FIELDS = (
    "name",
    "company",
    "role",
    "kind",
    "email",
    "phone",
    "website",
    "status",
    "since",
    "price_tier",
    "page",
    "notes",
)
#: the suffixes of each kind of contacts file
CSV_SUFFIXES = (".csv", ".tsv")
VCARD_SUFFIXES = (".vcf", ".vcard")

# Each field and the columns that fill it, in order: a row's first non-empty
# one wins (HubSpot's "Mobile Phone Number" when "Phone Number" is empty).
# Headers compare case-insensitively with their runs of spaces collapsed.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "slug": ("slug",),
    "name": ("name", "full name", "display name"),
    "first": ("first name", "given name"),
    "middle": ("middle name", "additional name"),
    "last": ("last name", "family name", "surname"),
    "company": (
        "company",
        "organization name",
        "organization 1 - name",
        "company name",
        "organization",
    ),
    # not "title": Outlook's is Mr. or Dr.
    "role": ("role", "organization title", "organization 1 - title", "job title"),
    "kind": ("kind",),
    "email": (
        "email",
        "e-mail 1 - value",
        "email address",
        "e-mail address",
        "email 1",
        "work email",
    ),
    "phone": (
        "phone",
        "phone 1 - value",
        "phone number",
        "business phone",
        "mobile phone number",
        "mobile phone",
    ),
    "website": ("website", "website 1 - value", "website url", "web page"),
    "status": ("status",),
    "since": ("since",),
    "price_tier": ("price_tier", "price tier"),
    "page": ("page",),
    "notes": ("notes", "note"),
}
#: what a row's fields may be called in messages: the CSV's own header
_NAME_COLUMNS = ("name", "first", "middle", "last")
#: Google Contacts puts several values in one cell: "a@x.com ::: b@y.com"
_MULTI = " ::: "
#: letters NFKD does not take apart into a base letter and an accent
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l"}
    | {"Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i", "&": " and "}
)


@dataclass(frozen=True)
class ContactRow:
    """One row of a CSV or one card of a vCard file, as partner fields."""

    line: int
    values: dict[str, str]
    #: the column (or vCard property) each field came from, for messages
    columns: dict[str, str] = field(default_factory=dict)
    #: what it is called in messages
    noun: str = "row"


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    source: str
    dry_run: bool
    #: what one contact is called: a CSV's row, a vCard file's card
    noun: str = "row"
    #: (path under the project, the partner's display name, status)
    created: list[tuple[str, str, str]] = field(default_factory=list)
    #: rows skipped because their file exists (warnings)
    skipped: list[Problem] = field(default_factory=list)
    #: rows refused (errors): nothing written for them
    refused: list[Problem] = field(default_factory=list)
    #: about the whole file: the encoding it was read in
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """``3 partners created; 1 skipped (file exists); 2 rows refused ...``."""
        made = len(self.created)
        verb = "would be created" if self.dry_run else "created"
        parts = [f"{made} partner{'' if made == 1 else 's'} {verb}"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (file exists, not changed)")
        if self.refused:
            count = len({p.line for p in self.refused})  # a row may have several problems
            them = "it" if count == 1 else "them"
            parts.append(
                f"{count} {self.noun}{'' if count == 1 else 's'} refused, nothing written for "
                f"{them} (errors above)"
            )
        return "; ".join(parts)


def contacts_kind(path: Path) -> str | None:
    """``csv`` or ``vcard`` by the file's suffix (or its first line); None when neither."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in VCARD_SUFFIXES:
        return "vcard"
    with contextlib.suppress(OSError), path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").upper()
        if head.startswith(b"BEGIN:VCARD"):
            return "vcard"
    return None


def slugify(text: str) -> str:
    """``José Núñez`` -> ``jose-nunez``: ASCII letters, digits and dashes, at most 64."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.encode("ascii", "ignore").decode().lower())
    slug = slug.strip("-")
    if len(slug) > 64:
        slug = slug[:64].rsplit("-", 1)[0] if "-" in slug[:64] else slug[:64]
    return slug


def import_partners(root: Path, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Create one partner file per contact in ``path`` (a CSV or vCard file).

    Raises :class:`ContentError` for a problem with the whole file (unreadable,
    no name column, no content/ folder); a problem with one row is in the
    report's ``refused`` and the other rows are still imported.
    """
    root = Path(root)
    rel = path.as_posix()
    kind = contacts_kind(path)
    if kind is None:
        raise ContentError(Problem(rel, "is neither a CSV (.csv) nor a vCard (.vcf) file"))
    content = root / "content"
    if not content.is_dir():
        raise ContentError(
            Problem(
                str(root / "content"),
                "no content/ folder: run this in a refkit project (or give -p DIR)",
            )
        )
    try:
        raw = read_regular_file(path, rel, MAX_CONTACTS_BYTES)
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot read: {exc.strerror}")) from None
    report = ImportReport(source=rel, dry_run=dry_run, noun="row" if kind == "csv" else "card")
    text = _decode(raw, rel, report.notes)
    rows = _csv_rows(text, rel) if kind == "csv" else _vcard_rows(text, rel, report.refused)
    folder = content / "partners"
    first_line: dict[str, int] = {}
    for row in rows:
        _import_row(root, folder, rel, row, first_line, report)
    return report


def _import_row(
    root: Path,
    folder: Path,
    rel: str,
    row: ContactRow,
    first_line: dict[str, int],
    report: ImportReport,
) -> None:
    """Validate and write one row, or say in ``report`` why not."""
    data, slug, problem = _partner_data(rel, row)
    if problem is not None:
        report.refused.append(problem)
        return
    if slug in first_line:
        report.refused.append(
            Problem(
                rel,
                f"'{data['name']}' makes the slug '{slug}' again, as line "
                f"{first_line[slug]} did: refused as a duplicate; remove this {row.noun}, "
                "or give it a slug column",
                row.line,
            )
        )
        return
    target = folder / f"{slug}.yaml"
    existing = next(
        (folder / f"{slug}{s}" for s in YAML_SUFFIXES if os.path.lexists(folder / f"{slug}{s}")),
        None,
    )
    if existing is not None:
        first_line[slug] = row.line
        report.skipped.append(
            Problem(
                rel,
                f"{existing.relative_to(root).as_posix()} already exists: not changed "
                f"('{data['name']}' skipped)",
                row.line,
                severity="warning",
            )
        )
        return
    partner, problems = _validated(rel, row, data)
    if partner is None:
        report.refused.extend(problems)
        return
    first_line[slug] = row.line  # a row refused above leaves the slug to the next one
    text = partner_yaml(partner, origin=f"{Path(rel).name}, line {row.line}")
    target_rel = target.relative_to(root).as_posix()
    if not report.dry_run:
        try:
            create_file(target, text, target_rel, Partner)
        except ContentError as exc:  # made meanwhile, or not writable: this row only
            report.refused.extend(
                Problem(rel, f"{target_rel}: {p.message}", row.line) for p in exc.problems
            )
            return
    report.created.append((target_rel, partner.display_name, partner.status))


def _decode(raw: bytes, rel: str, notes: list[str]) -> str:
    """The text of a contacts file: UTF-8 (with or without BOM), UTF-16, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ContentError(
                Problem(rel, "starts like UTF-16 but is not: save it as UTF-8")
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    try:
        text = raw.decode("cp1252")
        used = "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        used = "Latin-1 (ISO 8859-1)"
    notes.append(
        f"{rel}:{line}: is not UTF-8: read as {used}; check the accents of the names "
        "below (or save the file as UTF-8 and import again)"
    )
    return text


def _shown(header: str) -> str:
    """A column's name as messages show it."""
    return header.strip().lstrip("\ufeff")


def _header_key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _delimiter(text: str) -> str:
    """The CSV's delimiter: ``,``, ``;`` (European Excel) or a tab.

    ``csv.Sniffer`` guesses it from the first lines; the guess must agree with
    the header line, where a name cannot hold more commas than the header has.
    Only the delimiter is taken from it: its guess of the quote character is
    thrown by an apostrophe in the data (``O'Brien``), and every export quotes
    with ``"``.
    """
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    try:
        sniffed = csv.Sniffer().sniff(text[:16384], delimiters=",;\t").delimiter
    except csv.Error:
        return best
    return sniffed if counts.get(sniffed, 0) == counts[best] else best


def _csv_rows(text: str, rel: str) -> Iterator[ContactRow]:
    """Each data row of a contacts CSV as partner fields, with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ContentError(Problem(rel, f"is not a readable CSV: {exc}", 1)) from None
    if not header or not any(h.strip() for h in header):
        raise ContentError(Problem(rel, "is empty: expected a header line of column names", 1))
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(_header_key(name), i)
    columns: dict[str, list[tuple[int, str]]] = {}
    for key, names in _COLUMNS.items():
        present = [
            (index[n], header[index[n]].strip().lstrip("\ufeff")) for n in names if n in index
        ]
        if present:
            columns[key] = present
    if not any(k in columns for k in (*_NAME_COLUMNS, "company")):
        found = ", ".join(h.strip() for h in header[:8] if h.strip())
        raise ContentError(
            Problem(
                rel,
                "no name or company column: expected a Google Contacts, HubSpot or "
                "`refkit partners --csv` export (First Name, Last Name, Organization Name, "
                f"Email, ...); found {found}",
                1,
            )
        )
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ContentError(Problem(rel, f"is not a readable CSV: {exc}", line)) from None
        if not any(c.strip() for c in cells):
            continue  # a blank line
        values: dict[str, str] = {}
        named: dict[str, str] = {}
        for key, candidates in columns.items():
            for i, name in candidates:
                cell = cells[i] if i < len(cells) else ""
                # a line break inside a quoted cell is CR LF from Excel and Windows
                value = cell.split(_MULTI, 1)[0].replace("\r\n", "\n").replace("\r", "\n")
                if value.strip():
                    values[key], named[key] = value.strip(), name
                    break
            named.setdefault(key, candidates[0][1])
        yield ContactRow(line, values, named)


def _vcard_rows(text: str, rel: str, refused: list[Problem]) -> Iterator[ContactRow]:
    """Each card of a vCard file as partner fields, with the line of its BEGIN:VCARD."""
    import vobject  # only `refkit import` needs it

    cards = list(_split_cards(text))
    if not cards:
        raise ContentError(Problem(rel, "has no card (no BEGIN:VCARD line)", 1))
    for line, chunk in cards:
        try:
            card = vobject.readOne(chunk)
        except Exception as exc:  # vobject raises ParseError and plain errors alike
            detail = " ".join(str(exc).split()) or type(exc).__name__
            refused.append(Problem(rel, f"cannot read this card: {detail}", line))
            continue
        yield _card_row(line, card.contents)


def _card_row(line: int, contents: dict[str, list[Any]]) -> ContactRow:
    """One parsed card's properties as partner fields (the first value of each)."""
    values: dict[str, str] = {}
    columns: dict[str, str] = {}

    def put(key: str, value: Any, prop: str) -> None:
        if isinstance(value, list | tuple):
            value = next((str(v) for v in value if str(v).strip()), "")
        text = str(value or "") if key == "notes" else " ".join(str(value or "").split())
        if text.strip() and key not in values:
            values[key] = text.strip()
            columns[key] = prop

    if "fn" in contents:
        put("name", contents["fn"][0].value, "FN")
    if "n" in contents:
        n = contents["n"][0].value
        for key, part in (("first", "given"), ("middle", "additional"), ("last", "family")):
            put(key, getattr(n, part, ""), "N")
    for key, prop in (
        ("company", "org"),
        ("role", "title"),
        ("email", "email"),
        ("phone", "tel"),
        ("website", "url"),
        ("notes", "note"),
    ):
        if prop in contents:
            put(key, contents[prop][0].value, prop.upper())
    return ContactRow(line, values, columns, noun="card")


def _split_cards(text: str) -> Iterator[tuple[int, str]]:
    """(line of BEGIN:VCARD, the card's text) for each card: one bad card spoils no other."""
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        tag = line.strip().upper()
        if tag == "BEGIN:VCARD":
            start, lines = number, [line]
        elif start is not None:
            lines.append(line)
            if tag == "END:VCARD":
                yield start, "\r\n".join(lines) + "\r\n"
                start, lines = None, []
    if start is not None:
        yield start, "\r\n".join(lines) + "\r\n"  # no END:VCARD: vobject says so


def _partner_data(rel: str, row: ContactRow) -> tuple[dict[str, Any], str, Problem | None]:
    """The partner's fields and slug from one row, or the problem that refuses it."""
    values = dict(row.values)
    person = values.get("name") or " ".join(
        values[k] for k in ("first", "middle", "last") if k in values
    )
    company = values.get("company")
    data: dict[str, Any] = {}
    if person:
        data["name"] = person
        if company:
            data["company"] = company
    elif company:
        data["name"] = company  # an organisation's card: the company is who we deal with
    else:
        return data, "", Problem(rel, f"this {row.noun} has no name or company", row.line)
    for key in ("role", "kind", "email", "phone", "website", "since", "price_tier", "notes"):
        if key in values:
            data[key] = values[key]
    if "website" in data and "://" not in data["website"] and " " not in data["website"]:
        data["website"] = "https://" + data["website"]  # "www.example.com", as people type it
    data["status"] = values.get("status", "prospect")
    data["page"] = values.get("page", "private")
    slug = values.get("slug", "")
    if slug:
        if not SLUG_RE.match(slug):
            return (
                data,
                "",
                Problem(
                    rel,
                    f"'{slug}' is not a slug (lowercase letters, digits and dashes)",
                    row.line,
                    field=row.columns.get("slug", "slug"),
                ),
            )
        return data, slug, None
    email_name = data.get("email", "").partition("@")[0]
    for candidate in (person, company or "", email_name):
        slug = slugify(candidate)
        if slug:
            return data, slug, None
    return (
        data,
        "",
        Problem(
            rel,
            f"cannot make a file name from '{data['name']}' (no Latin letters or digits): "
            "add a slug column",
            row.line,
        ),
    )


def _validated(
    rel: str, row: ContactRow, data: dict[str, Any]
) -> tuple[Partner | None, list[Problem]]:
    """The row as a :class:`Partner`, or its problems, each naming the row's column."""
    try:
        return Partner.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            key = str(err["loc"][0]) if err["loc"] else ""
            column = row.columns.get(key)
            if key == "name" and column is None:
                column = " + ".join(
                    row.columns[k] for k in _NAME_COLUMNS if k in row.columns
                ) or row.columns.get("company")
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.append(Problem(rel, message, row.line, field=column or key or None))
        return None, problems


def partner_yaml(partner: Partner, *, origin: str | None = None) -> str:
    """A partner file's text: the modeline, where it came from, one line a field set."""
    lines = [MODELINE]
    if origin:
        lines.append(f"# Imported by `refkit import partners` from {_comment(origin)}.")
    fields = partner.model_dump(exclude_defaults=False)
    for key in WRITTEN_FIELDS:
        value = fields.get(key)
        if value is None or (key not in partner.model_fields_set and key != "status"):
            continue
        lines.append(f"{key}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """``text`` safe inside a YAML comment: one line."""
    return " ".join(text.split())
