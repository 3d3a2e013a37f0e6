"""`refkit import partners` (CSV, vCard) and `refkit export referrals` on real projects."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import build_site, run_refkit
from refkit.cli import main
from refkit.contacts import slugify
from refkit.content.project import load_project

GOOGLE = (
    "First Name,Middle Name,Last Name,Organization Name,Organization Title,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Website 1 - Label,Website 1 - Value,Notes\n"
    "José,,Núñez,Núñez Asesores,Socio,* Work,jose@nunez-asesores.es ::: jose@gmail.com,"
    'Mobile,+34 600 123 456,,www.nunez-asesores.es,"Met at the\nMadrid fair"\n'
    "Zoë,,Ångström,,,,,,,,,\n"
    ",,,,CFO,,nobody@example.com,,,,,\n"
    "José,,Nuñez,Another Firm,,,,,,,,\n"
    ",,,Acme Widgets,,,,,,,,\n"
)

OLD_GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Organization 1 - Name,"
    "Organization 1 - Title,E-mail 1 - Type,E-mail 1 - Value\n"
    "Søren Kierkegaard,Søren,,Kierkegaard,Enten Eller ApS,Founder,* Work,soren@example.dk\n"
)

HUBSPOT = (
    '"Record ID";"First Name";"Last Name";"Email";"Phone Number";"Company Name";'
    '"Job Title";"Website URL";"Lifecycle Stage"\r\n'
    '"101";"François";"Müller";"f@mueller.example";"+49 30 1234";"Müller GmbH";"CEO";'
    '"https://mueller.example/";"lead"\r\n'
    '"102";"";"";"";"";"";"Intern";"";"lead"\r\n'
    '"103";"Francois";"Muller";"other@x.example";"";"";"";"";"lead"\r\n'
    '"104";"Renée";"Lefèvre";"renee@lefevre.example";"";"Lefèvre & Fils";"";"";"lead"\r\n'
    '"105";"Ole";"Olsen";"";"";"Olsen, Berg, Dahl, Lie, Moe AS";"";"";"lead"\r\n'
)

VCARDS = """\
BEGIN:VCARD
VERSION:3.0
FN:Björk Guðmundsdóttir
N:Guðmundsdóttir;Björk;;;
ORG:Sugarcubes ehf.;Music
TITLE:Singer
EMAIL;TYPE=WORK:bjork@example.is
TEL;TYPE=CELL:+354 555 1234
URL:https://bjork.example.is/
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
TITLE:Nobody
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bjork Gudmundsdottir
EMAIL:other@example.is
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Łukasz Żółć
ORG:Żółć Sp. z o.o.
END:VCARD
"""


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-p", str(root)])
    assert "Traceback" not in result.output, result.output
    return result


def partner(root: Path, slug: str) -> dict[str, Any]:
    path = root / "content" / "partners" / f"{slug}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check_and_build(root: Path) -> Path:
    """`refkit check` passes and the site builds; returns output/site."""
    checked = run(root, "check")
    assert checked.exit_code == 0, checked.output
    return build_site(root)


def private_pages_naming(site: Path, text: str) -> list[Path]:
    return [p for p in (site / "p").glob("*/index.html") if text in p.read_text(encoding="utf-8")]


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("José Núñez", "jose-nunez"),
        ("Zoë Ångström", "zoe-angstrom"),
        ("Łukasz Żółć", "lukasz-zolc"),
        ("Straße & Söhne", "strasse-and-sohne"),
        ("  O'Brien,  Mary-Kate ", "o-brien-mary-kate"),
        ("Иван", ""),
        ("x" * 70 + " y", "x" * 64),
    ],
)
def test_slugs_are_names_folded_to_ascii(name: str, slug: str) -> None:
    assert slugify(name) == slug


# --------------------------------------------------------------------------- Google Contacts


def test_google_contacts_csv(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "contacts.csv"
    source.write_text(GOOGLE, encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1, result.output  # two rows refused
    assert result.stdout.splitlines() == [
        "Created content/partners/jose-nunez.yaml: José Núñez, Núñez Asesores (prospect)",
        "Created content/partners/zoe-angstrom.yaml: Zoë Ångström (prospect)",
        "Created content/partners/acme-widgets.yaml: Acme Widgets (prospect)",
    ]
    where = source.as_posix()
    errors = result.stderr.splitlines()
    assert f"{where}:5: error: this row has no name or company" in errors  # line 5: after a
    assert any(  # quoted two-line note, the rows' lines are the file's
        line.startswith(f"{where}:6: error: 'José Nuñez' makes the slug 'jose-nunez' again")
        and "as line 2 did: refused as a duplicate" in line
        for line in errors
    ), errors
    assert errors[-1] == (
        "3 partners created; 2 rows refused, nothing written for them (errors above)"
    )

    jose = partner(root, "jose-nunez")
    assert jose == {
        "name": "José Núñez",
        "company": "Núñez Asesores",
        "role": "Socio",
        "email": "jose@nunez-asesores.es",  # the first of Google's ' ::: ' values
        "phone": "+34 600 123 456",
        "website": "https://www.nunez-asesores.es",
        "status": "prospect",
        "page": "private",
        "notes": "Met at the\nMadrid fair",
    }
    text = (root / "content" / "partners" / "jose-nunez.yaml").read_text(encoding="utf-8")
    modeline = "# yaml-language-server: $schema=../../.refkit/schema/partner.json"
    assert text.splitlines()[0] == modeline
    assert partner(root, "acme-widgets") == {
        "name": "Acme Widgets",  # no person: the company is the name
        "status": "prospect",
        "page": "private",
    }
    site = check_and_build(root)
    assert private_pages_naming(site, "José Núñez")
    assert private_pages_naming(site, "Zoë Ångström")


def test_the_older_google_csv_columns(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "google.csv"
    source.write_text(OLD_GOOGLE, encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 0, result.output
    assert partner(root, "soren-kierkegaard") == {
        "name": "Søren Kierkegaard",
        "company": "Enten Eller ApS",
        "role": "Founder",
        "email": "soren@example.dk",
        "status": "prospect",
        "page": "private",
    }


# --------------------------------------------------------------------------- HubSpot


def test_hubspot_csv_from_european_excel(make_project, tmp_path: Path) -> None:
    """Semicolons, CRLF and Windows-1252, as Excel saves a CSV in much of Europe."""
    root = make_project()
    source = tmp_path / "hubspot.csv"
    source.write_bytes(HUBSPOT.encode("cp1252"))
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1, result.output
    assert "read as Windows-1252 (cp1252)" in result.stderr
    assert f"{source.as_posix()}:3: error: this row has no name or company" in result.stderr
    assert f"{source.as_posix()}:4: error: 'Francois Muller' makes the slug" in result.stderr
    assert partner(root, "francois-muller") == {
        "name": "François Müller",
        "company": "Müller GmbH",
        "role": "CEO",
        "email": "f@mueller.example",
        "phone": "+49 30 1234",
        "website": "https://mueller.example/",
        "status": "prospect",
        "page": "private",
    }
    assert partner(root, "renee-lefevre")["company"] == "Lefèvre & Fils"
    assert partner(root, "ole-olsen")["company"] == "Olsen, Berg, Dahl, Lie, Moe AS"
    site = check_and_build(root)
    assert private_pages_naming(site, "François Müller")


def test_an_empty_column_falls_back_to_the_next_one(make_project, tmp_path: Path) -> None:
    """Outlook's columns; HubSpot's mobile number when the phone number is empty."""
    root = make_project()
    source = tmp_path / "outlook.csv"
    source.write_text(
        "Title,First Name,Last Name,Company,Job Title,E-mail Address,Business Phone,"
        "Mobile Phone,Web Page\n"
        "Dr.,Ada,Lovelace,Engines Ltd,,ada@engines.example,,+44 20 7946 0000,\n",
        encoding="utf-8",
    )
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 0, result.output
    assert partner(root, "ada-lovelace") == {
        "name": "Ada Lovelace",  # Outlook's "Title" (Dr.) is no role
        "company": "Engines Ltd",
        "email": "ada@engines.example",
        "phone": "+44 20 7946 0000",
        "status": "prospect",
        "page": "private",
    }


def test_a_utf8_csv_with_a_bom_and_commas_is_read_as_utf8(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "hubspot.csv"
    source.write_bytes(HUBSPOT.replace('";"', '","').encode("utf-8-sig"))
    result = run(root, "import", "partners", str(source))
    assert "not UTF-8" not in result.stderr
    assert partner(root, "renee-lefevre")["name"] == "Renée Lefèvre"


# --------------------------------------------------------------------------- vCard


def test_vcard_file(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "contacts.vcf"
    source.write_text(VCARDS, encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "Created content/partners/bjork-gudmundsdottir.yaml: "
        "Björk Guðmundsdóttir, Sugarcubes ehf. (prospect)",
        "Created content/partners/lukasz-zolc.yaml: Łukasz Żółć, Żółć Sp. z o.o. (prospect)",
    ]
    where = source.as_posix()
    assert f"{where}:11: error: this card has no name or company" in result.stderr
    assert f"{where}:16: error: 'Bjork Gudmundsdottir' makes the slug" in result.stderr
    assert "1 partner created" not in result.stderr  # two were
    assert "2 partners created; 2 cards refused, nothing written for them" in result.stderr
    assert partner(root, "bjork-gudmundsdottir") == {
        "name": "Björk Guðmundsdóttir",
        "company": "Sugarcubes ehf.",
        "role": "Singer",
        "email": "bjork@example.is",
        "phone": "+354 555 1234",
        "website": "https://bjork.example.is/",
        "status": "prospect",
        "page": "private",
    }
    site = check_and_build(root)
    assert private_pages_naming(site, "Łukasz Żółć")


# --------------------------------------------------------------------------- refkit's own CSV


def test_refkits_own_csv_keeps_slug_kind_and_status(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "partners.csv"
    source.write_text(
        "slug,name,company,role,kind,status,email,phone,website,fit_score,received,flags\n"
        "ann-lee,Ann Lee,Lee & Co,Owner,customer,active,ann@lee.example,555-0101,"
        "https://lee.example/,75,3,one-way\n"
        "bo,Bo Chen,,,partner,sleeping,,,,50,0,\n"
        "Bad Slug,Cy Dee,,,,,,,,,,\n"
        "di-fox,Di Fox,,,,,not-an-email,,,,,\n",
        encoding="utf-8",
    )
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1
    assert partner(root, "ann-lee") == {
        "name": "Ann Lee",
        "company": "Lee & Co",
        "role": "Owner",
        "kind": "customer",
        "email": "ann@lee.example",
        "phone": "555-0101",
        "website": "https://lee.example/",
        "status": "active",
        "page": "private",
    }
    where = source.as_posix()
    assert f"{where}:3: error: status: Input should be 'prospect'" in result.stderr
    assert f"{where}:4: error: slug: 'Bad Slug' is not a slug" in result.stderr
    assert f"{where}:5: error: email: 'not-an-email' is not a valid email address" in result.stderr
    made = sorted(p.name for p in (root / "content" / "partners").glob("*.yaml"))
    assert "bo.yaml" not in made and "di-fox.yaml" not in made
    check_and_build(root)


def test_a_refused_field_names_the_exports_column(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "contacts.csv"
    source.write_text(
        "First Name,Last Name,E-mail 1 - Value,Website 1 - Value\n"
        "Al,Bee,al at bee,ftp://bee.example\n"
        "Al,Bee,al@bee.example,\n",
        encoding="utf-8",
    )
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1
    where = source.as_posix()
    assert f"{where}:2: error: E-mail 1 - Value: 'al at bee'" in result.stderr
    assert f"{where}:2: error: Website 1 - Value: 'ftp://bee.example'" in result.stderr
    # the refused row leaves its slug to the next one: no "duplicate" of nothing
    assert partner(root, "al-bee")["email"] == "al@bee.example"
    assert "1 partner created; 1 row refused" in result.stderr


# --------------------------------------------------------------------------- never overwrite


def test_an_existing_partner_file_is_never_overwritten(make_project, tmp_path: Path) -> None:
    root = make_project()
    before = snapshot(root / "content")
    source = tmp_path / "contacts.csv"
    source.write_text(
        "First Name,Last Name,Organization Name,E-mail 1 - Value\n"
        "Dana,Whitfield,Someone Else Inc,new@else.example\n"
        "Nia,Obi,,nia@obi.example\n",
        encoding="utf-8",
    )
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 0, result.output  # skipped, not refused
    assert (
        f"{source.as_posix()}:2: warning: content/partners/dana-whitfield.yaml already exists: "
        "not changed ('Dana Whitfield' skipped)"
    ) in result.stderr
    imported = snapshot(root / "content")
    assert {k: v for k, v in imported.items() if k != "partners/nia-obi.yaml"} == before
    # importing the same file again changes nothing (dana-whitfield.yaml byte-identical)
    again = run(root, "import", "partners", str(source))
    assert again.exit_code == 0
    assert "0 partners created; 2 skipped" in again.output
    assert snapshot(root / "content") == imported


def test_a_yml_file_counts_as_existing(make_project, tmp_path: Path) -> None:
    root = make_project()
    old = root / "content" / "partners" / "nia-obi.yml"
    old.write_text("name: Nia Obi\n", encoding="utf-8")
    source = tmp_path / "contacts.csv"
    source.write_text("First Name,Last Name\nNia,Obi\n", encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert "content/partners/nia-obi.yml already exists" in result.stderr
    assert not (root / "content" / "partners" / "nia-obi.yaml").exists()


def test_dry_run_writes_nothing(make_project, tmp_path: Path) -> None:
    root = make_project()
    before = snapshot(root)
    for name, text in (("contacts.csv", GOOGLE), ("cards.vcf", VCARDS)):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        result = run(root, "import", "partners", str(source), "--dry-run")
        assert result.exit_code == 1
        assert "Would create content/partners/" in result.stdout
        assert "would be created" in result.stderr
    assert snapshot(root) == before


# --------------------------------------------------------------------------- whole-file errors


def test_usage_errors_exit_2(make_project, tmp_path: Path) -> None:
    root = make_project()
    sheet = tmp_path / "contacts.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not a csv")
    result = run(root, "import", "partners", str(sheet))
    assert result.exit_code == 2
    assert "neither a CSV (.csv) nor a vCard (.vcf)" in result.stderr
    assert run(root, "import", "partners", str(tmp_path / "missing.csv")).exit_code == 2
    assert run(root, "import", "people", str(sheet)).exit_code == 2


def test_a_csv_without_name_columns_is_refused(make_project, tmp_path: Path) -> None:
    root = make_project()
    before = snapshot(root / "content")
    source = tmp_path / "orders.csv"
    source.write_text("Order,Amount\n1,20\n", encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{source.as_posix()}:1: error: no name or company column")
    assert "found Order, Amount" in result.stderr
    assert snapshot(root / "content") == before


def test_the_installed_command_imports(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "contacts.vcf"
    source.write_text(VCARDS, encoding="utf-8")
    result = run_refkit("import", "partners", source, "-p", root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "content" / "partners" / "lukasz-zolc.yaml").is_file()
    assert "lukasz-zolc" in load_project(root).partners


# --------------------------------------------------------------------------- export


def ledger_as_written(root: Path) -> list[dict[str, Any]]:
    """The ledger read with plain PyYAML, not refkit's loader."""
    entries: list[dict[str, Any]] = yaml.safe_load(
        (root / "content" / "referrals.yaml").read_text(encoding="utf-8")
    )
    return entries


def partner_names(root: Path) -> dict[str, str]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
        for p in (root / "content" / "partners").glob("*.yaml")
    }


def expected_records(root: Path) -> list[dict[str, Any]]:
    names = partner_names(root)
    records = []
    for entry in ledger_as_written(root):
        records.append(
            {
                "date": entry["date"].isoformat(),
                "direction": entry["direction"],
                "partner": entry["partner"],
                "partner_name": names[entry["partner"]],
                "prospect": entry["prospect"],
                "profile": entry.get("profile"),
                "status": entry.get("status", "introduced"),
                "value": entry.get("value"),
                "currency": "EUR",
                "follow_up_due": (
                    entry["follow_up_due"].isoformat() if "follow_up_due" in entry else None
                ),
                "thanked": entry.get("thanked", False),
                "note": entry.get("note"),
            }
        )
    return records


@pytest.fixture
def euro_project(make_project) -> Path:
    root = make_project({"content/business.yaml": {"currency": "EUR"}})
    ledger = root / "content" / "referrals.yaml"
    ledger.write_text(
        ledger.read_text(encoding="utf-8")
        + "\n- date: 2026-11-20\n  direction: received\n  partner: ines-carvalho\n"
        '  prospect: "=HYPERLINK(\\"http://evil.example\\")"\n  value: 1234.5\n'
        '  note: "Müller, says \\"call Monday\\", 10 % off"\n',
        encoding="utf-8",
    )
    return root


def test_export_json_is_the_ledger(euro_project: Path) -> None:
    result = run(euro_project, "export", "referrals", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records == expected_records(euro_project)
    assert len(records) == len(ledger_as_written(euro_project)) > 10
    assert records[-1]["value"] == 1234.5 and records[-1]["currency"] == "EUR"
    assert records[-1]["note"] == 'Müller, says "call Monday", 10 % off'


def test_export_csv_parses_back_to_the_ledger(euro_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    result = run(euro_project, "export", "referrals", "--csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {len(ledger_as_written(euro_project))} referrals")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).lower()
        return str(value)

    expected = [{k: cell(v) for k, v in r.items()} for r in expected_records(euro_project)]
    expected[-1]["prospect"] = "'" + expected[-1]["prospect"]  # not a formula in Excel
    assert rows == expected
    assert rows[0]["value"] == "38000" and rows[0]["currency"] == "EUR"


def test_export_needs_one_format(euro_project: Path) -> None:
    assert run(euro_project, "export", "referrals").exit_code == 2
    assert run(euro_project, "export", "referrals", "--csv", "--json").exit_code == 2


def test_export_of_a_broken_ledger_names_the_line(make_project) -> None:
    root = make_project({"content/referrals.yaml": "- date: 2026-01-01\n  direction: sideways\n"})
    result = run(root, "export", "referrals", "--csv")
    assert result.exit_code == 1
    assert "content/referrals.yaml:2:" in result.stderr and not result.stdout


def test_values_yaml_would_misread_are_written_back_exactly(make_project, tmp_path: Path) -> None:
    root = make_project()
    source = tmp_path / "partners.csv"
    rows = [
        ["name", "company", "role", "phone", "notes", "slug"],
        ["No", "null", "#1 fan: of *us*", "0123", "- [x] '&a' !tag {b}", "no"],
        ["Yes Man", "2026-01-01", "~", "+1 555", "line one\r\nline two", ""],  # Excel: CR LF
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    source.write_text(buffer.getvalue(), encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 0, result.output
    loaded = load_project(root)
    first, second = loaded.partners["no"], loaded.partners["yes-man"]
    assert (first.name, first.company, first.role, first.phone) == (
        "No",
        "null",
        "#1 fan: of *us*",
        "0123",
    )
    assert first.notes == "- [x] '&a' !tag {b}"
    assert (second.company, second.role, second.notes) == ("2026-01-01", "~", "line one\nline two")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ann\nBee", "must be a single line"),
        ("=?utf-8?b?QmNjOiB4QHkuY29t?=", "RFC 2047 encoded word"),
        ("Ann\x07Bee", "control character U+0007"),
    ],
)
def test_hostile_names_are_refused_at_their_line(
    make_project, tmp_path: Path, name: str, message: str
) -> None:
    root = make_project()
    before = snapshot(root / "content")
    source = tmp_path / "partners.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["name", "slug"], [name, "ann-bee"]])
    source.write_text(buffer.getvalue(), encoding="utf-8")
    result = run(root, "import", "partners", str(source))
    assert result.exit_code == 1
    assert f"{source.as_posix()}:2: error: name: " in result.stderr and message in result.stderr
    assert len(result.stderr.splitlines()) == 2  # the problem and the summary: nothing forged
    assert snapshot(root / "content") == before
