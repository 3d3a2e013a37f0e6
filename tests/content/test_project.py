"""Loading a project (`refkit check`): every error names the file, line and column, exits 1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import replace, run_refkit
from refkit.cli import main

PARTNER = "content/partners/dana-whitfield.yaml"
PROFILE = "content/profiles/first-hr-hire.yaml"
BUSINESS = "content/business.yaml"


def check(root: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "-p", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines()


def line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def test_example_is_clean(make_project) -> None:
    code, lines = check(make_project(), "--strict")
    assert code == 0
    assert lines == ["ok: 3 profiles, 8 partners, 18 referrals, 1 meeting"]


def test_yaml_syntax_error(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", "role: [Founding Partner")
    code, lines = check(root)
    assert code == 1
    assert lines[0].startswith(f"{PARTNER}:")
    assert "error: YAML syntax" in lines[0]


def test_unknown_key_suggests(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "their_ideal_clients:", "their_ideal_client:")
    line = line_of(root, PARTNER, "their_ideal_client:")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{PARTNER}:{line}:1: error: their_ideal_client: unknown field 'their_ideal_client' "
        "(did you mean 'their_ideal_clients'?)"
    ]


def test_unknown_nested_key(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "  check_in_days: 60", "  checkin_days: 60")
    line = line_of(root, PARTNER, "checkin_days")
    code, lines = check(root)
    assert code == 1
    assert lines[0] == (
        f"{PARTNER}:{line}:3: error: agreement.checkin_days: unknown field 'checkin_days' "
        "(did you mean 'check_in_days'?)"
    )


def test_duplicate_key(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", "role: Founding Partner\nrole: Partner")
    first = line_of(root, PARTNER, "role: Founding Partner")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{PARTNER}:{first + 1}:1: error: role: duplicate key 'role' "
        f"(first defined at line {first})"
    ]


def test_wrong_type_and_enum(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "status: active", "status: activ")
    replace(root, PARTNER, "  check_in_days: 60", "  check_in_days: sixty")
    code, lines = check(root)
    assert code == 1
    status = line_of(root, PARTNER, "status: activ")
    days = line_of(root, PARTNER, "check_in_days")
    assert (
        f"{PARTNER}:{status}:9: error: status: 'activ' is not one of 'prospect', 'active', "
        "'paused' or 'retired' (did you mean 'active'?)" in lines
    )
    assert (
        f"{PARTNER}:{days}:18: error: agreement.check_in_days: expected a whole number, "
        "got 'sixty'" in lines
    )


def test_invalid_email_url_date(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dana-at-whitfield")
    replace(
        root, PARTNER, "website: https://www.whitfieldemploymentlaw.com/", "website: whitfield law"
    )
    replace(root, PARTNER, "since: 2024-03-12", "since: 2024-13-45")
    code, lines = check(root)
    assert code == 1
    text = "\n".join(lines)
    assert (
        f"{PARTNER}:{line_of(root, PARTNER, 'email:')}:8: error: email: 'dana-at-whitfield' "
        "is not a valid email address" in text
    )
    assert (
        f"{PARTNER}:{line_of(root, PARTNER, 'website:')}:10: error: website: 'whitfield law' "
        "is not an absolute http(s) URL" in text
    )
    assert (
        f"{PARTNER}:{line_of(root, PARTNER, 'since:')}:8: error: since: expected a date as "
        "YYYY-MM-DD, got '2024-13-45'" in text
    )


def test_min_greater_than_max(make_project) -> None:
    root = make_project()
    replace(root, PROFILE, "employees: {min: 60, max: 400}", "employees: {min: 400, max: 60}")
    code, lines = check(root)
    assert code == 1
    line = line_of(root, PROFILE, "employees:")
    assert lines == [
        f"{PROFILE}:{line}:14: error: company.employees: min (400) is greater than max (60)"
    ]


def test_missing_required_field_points_at_mapping(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "  email: priya@keelcompasshr.com\n", "")
    code, lines = check(root)
    assert code == 1
    contact = line_of(root, BUSINESS, "  name: Priya Raman")
    assert lines == [
        f"{BUSINESS}:{contact}:3: error: contact.email: required field 'email' is missing"
    ]


def test_missing_criteria(make_project) -> None:
    root = make_project(
        **{"content/profiles/bare.yaml": "title: Bare\nsummary: Someone.\ncontact_role: CEO\n"}
    )
    code, lines = check(root)
    assert code == 1
    assert (
        "content/profiles/bare.yaml:1:1: error: criteria: required field 'criteria' is missing"
        in lines
    )


def test_not_utf8(make_project) -> None:
    root = make_project(**{"content/profiles/latin.yaml": "title: Caf\xe9\n".encode("latin-1")})
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/profiles/latin.yaml:1:11: error: file is not UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_bad_slug_file_name(make_project) -> None:
    root = make_project()
    source = root / PARTNER
    source.rename(source.with_name("Dana Whitfield.yaml"))
    code, lines = check(root)
    assert code == 1
    assert lines[0] == (
        "content/partners/Dana Whitfield.yaml: error: file name: 'Dana Whitfield.yaml' "
        "is not a valid slug: use lowercase letters, digits and dashes (e.g. 'hr-directors.yaml')"
    )


def test_same_slug_twice(make_project) -> None:
    root = make_project()
    (root / PARTNER).with_suffix(".yml").write_bytes((root / PARTNER).read_bytes())
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/partners/dana-whitfield.yml: error: file name: slug 'dana-whitfield' is also "
        f"used by {PARTNER}; rename or remove one of them"
    ]


def test_alias_bomb_is_rejected_fast(make_project) -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    root = make_project(**{"content/profiles/bomb.yaml": "\n".join(bomb) + "\n"})
    started = time.perf_counter()
    code, lines = check(root)
    assert time.perf_counter() - started < 10
    assert code == 1
    assert any(
        line.startswith("content/profiles/bomb.yaml:") and "anchors and aliases" in line
        for line in lines
    )


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("NO", "boolean"),
        ("yes", "boolean"),
        ("on", "boolean"),
        ("0123", "number"),
        ("1e3", "number"),
        ("2026-01-02", "date"),
    ],
)
def test_yaml_coercions_where_a_string_is_expected(make_project, written: str, kind: str) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", f"role: {written}")
    code, lines = check(root)
    assert code == 1
    line = line_of(root, PARTNER, "role:")
    assert lines == [
        f"{PARTNER}:{line}:7: error: role: expected a string, got a {kind} ({written} is read as "
        f'a {kind} by YAML) — quote it: "{written}"'
    ]


def test_control_characters(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", 'role: "Founding\\x07Partner"')
    replace(root, PROFILE, "title: First HR managers at", 'title: "First\\u0000HR managers" #')
    code, lines = check(root)
    assert code == 1
    assert (
        f"{PARTNER}:{line_of(root, PARTNER, 'role:')}:7: error: role: contains the control "
        "character U+0007; remove it" in lines
    )
    assert any(line.startswith(f"{PROFILE}:") and "U+0000" in line for line in lines)


def test_newline_in_a_header_value(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "name: Dana Whitfield", 'name: "Dana\\nBcc: victim@example.com"')
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{PARTNER}:{line_of(root, PARTNER, 'name:')}:7: error: name: must be a single line "
        "(it is used in email headers)"
    ]


def test_tab_allowed_in_markdown_only(make_project) -> None:
    root = make_project()
    replace(root, PROFILE, "summary: |", 'summary: "Tabs\\tare fine in Markdown"\nold_summary: |')
    code, lines = check(root)
    # the tab is accepted in the Markdown summary; the renamed key is the only problem
    assert code == 1
    assert len(lines) == 1 and "unknown field 'old_summary'" in lines[0]


def test_no_profiles(make_project) -> None:
    root = make_project()
    for path in (root / "content" / "profiles").glob("*.yaml"):
        path.unlink()
    for path in (root / "content" / "partners").glob("*.yaml"):
        path.unlink()
    (root / "content" / "referrals.yaml").unlink()
    (root / "content" / "activity.yaml").unlink()
    code, lines = check(root)
    assert code == 1
    assert lines == [
        "content/profiles: error: no profiles: add at least one content/profiles/SLUG.yaml "
        "describing a client you want introduced"
    ]


def test_unknown_cross_references(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "  - acquisition-integration", "  - acquisition-integrations")
    replace(root, "content/referrals.yaml", "partner: raj-patel", "partner: raj-patell")
    replace(root, "content/referrals.yaml", "profile: first-hr-hire", "profile: hr-directors")
    code, lines = check(root)
    assert code == 1
    serves = line_of(root, PARTNER, "acquisition-integrations")
    ledger = "content/referrals.yaml"
    assert lines[0] == (
        f"{PARTNER}:{serves}:5: error: serves[1]: unknown profile 'acquisition-integrations' "
        "(did you mean 'acquisition-integration'?)"
    )
    assert lines[1] == (
        f"{ledger}:{line_of(root, ledger, 'profile: hr-directors')}:12: error: [4].profile: "
        "unknown profile 'hr-directors'; known profiles: acquisition-integration, first-hr-hire, "
        "growing-manufacturers"
    )
    assert lines[2] == (
        f"{ledger}:{line_of(root, ledger, 'raj-patell')}:12: error: [6].partner: unknown partner "
        "'raj-patell' (did you mean 'raj-patel'?)"
    )


def test_logo_must_stay_in_assets(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "logo: assets/logo.svg", "logo: ../../etc/passwd")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{BUSINESS}:{line_of(root, BUSINESS, 'logo:')}:11: error: site.brand.logo: "
        "'../../etc/passwd' must be a file under content/assets"
    ]


def test_brand_color_unquoted_is_a_comment(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, 'color: "#1d4e5f"', "color: #1d4e5f")
    code, lines = check(root)
    assert code == 1
    assert "an unquoted # starts a comment" in lines[0]
    assert lines[0].startswith(f"{BUSINESS}:{line_of(root, BUSINESS, 'color:')}:")


def test_every_problem_in_one_run(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "status: active", "status: activ")
    replace(root, PROFILE, "contact_role:", "contact_rol:")
    replace(root, BUSINESS, "  - name: Fractional HR Director", "  - nam: Fractional HR Director")
    code, lines = check(root)
    assert code == 1
    # the misspelled keys are unknown and leave a required field missing
    assert lines[-1] == "5 errors"
    assert {line.split(":")[0] for line in lines[:-1]} == {PARTNER, PROFILE, BUSINESS}


def test_warnings_and_strict(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com\n", "")
    replace(root, PARTNER, "  refers_back: true", "  refers_back: false")
    code, lines = check(root)
    assert code == 0
    top = line_of(root, PARTNER, "name:")
    assert (
        f"{PARTNER}:{top}:1: warning: active partner has no email: no .eml drafts for them" in lines
    )
    assert any(
        "warning: qualifiers.refers_back: qualifier 'refers_back' is false" in ln for ln in lines
    )
    code, lines = check(root, "--strict")
    assert code == 1
    assert (
        f"{PARTNER}:{top}:1: error: active partner has no email: no .eml drafts for them" in lines
    )


def test_unserved_profile_warns(make_project) -> None:
    root = make_project()
    for rel in (
        "content/partners/marcus-oyelaran.yaml",
        "content/partners/helen-marsh.yaml",
        "content/partners/raj-patel.yaml",
    ):
        replace(root, rel, "  - first-hr-hire", "  - growing-manufacturers")
    code, lines = check(root)
    assert code == 0
    assert (
        f"{PROFILE}:1:1: warning: no partner serves 'first-hr-hire': list it in a partner's "
        "`serves` so someone can refer it"
    ) in lines


def test_missing_content_folder(tmp_path: Path) -> None:
    code, lines = check(tmp_path)
    assert code == 1
    assert "no content/ folder here" in lines[0]


# --------------------------------------------------------- every problem in one run

LEDGER = "content/referrals.yaml"


def test_missing_ledger_date_names_the_field_at_the_entry(make_project) -> None:
    root = make_project()
    replace(root, LEDGER, "- date: 2025-12-03\n  direction: received", "- direction: received")
    line = line_of(root, LEDGER, "- direction: received")
    code, lines = check(root)
    assert code == 1
    assert lines[0] == f"{LEDGER}:{line}:3: error: [0].date: required field 'date' is missing"


def test_cross_references_are_reported_beside_other_errors(make_project) -> None:
    """An invalid file still gets its unknown slugs reported in the same run."""
    root = make_project()
    # ledger: a bad enum in one entry, unknown partner and profile in another
    replace(root, LEDGER, "direction: received", "direction: sideways")
    replace(
        root,
        LEDGER,
        "partner: ines-carvalho\n  prospect: Badger",
        "partner: ines-carvalo\n  prospect: Badger",
    )
    replace(root, LEDGER, "profile: growing-manufacturers", "profile: growing-manufacturer")
    # partner: a bad enum and an unknown profile
    replace(root, PARTNER, "status: active", "status: dormant")
    replace(root, PARTNER, "  - growing-manufacturers", "  - growing-manufacturer")
    # business: another error and a missing logo
    replace(root, BUSINESS, "logo: assets/logo.svg", "logo: assets/missing.svg")
    replace(root, BUSINESS, "tagline: Fractional", "tagline: [Fractional]\nx_tagline: Fractional")
    code, lines = check(root)
    assert code == 1
    text = "\n".join(lines)
    assert "[0].direction: 'sideways' is not one of" in text
    assert "[0].partner: unknown partner 'ines-carvalo' (did you mean 'ines-carvalho'?)" in text
    assert "[0].profile: unknown profile 'growing-manufacturer'" in text
    assert f"{PARTNER}:" in text and "status: 'dormant' is not one of" in text
    assert "serves[0]: unknown profile 'growing-manufacturer'" in text
    assert "site.brand.logo: 'assets/missing.svg' not found" in text
    assert "x_tagline: unknown field" in text


def test_reserved_email_domains_are_accepted(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dana@whitfield.test")
    replace(root, BUSINESS, "email: priya@keelcompasshr.com", "email: priya@keel.invalid")
    code, lines = check(root)
    assert (code, lines[-1]) == (0, "ok: 3 profiles, 8 partners, 18 referrals, 1 meeting")
    replace(root, PARTNER, "email: dana@whitfield.test", "email: dana@@whitfield.test")
    code, lines = check(root)
    assert code == 1
    assert "email: 'dana@@whitfield.test' is not a valid email address" in lines[0]


def test_a_blank_optional_field_means_none(make_project) -> None:
    """`serves:` with every item commented out, or `tagline: ""`, is not an error."""
    root = make_project()
    text = (root / PARTNER).read_text(encoding="utf-8")
    start = text.index("serves:\n") + len("serves:\n")
    end = text.index("\n", text.index("  - ", start) + 1)
    while text[end + 1 : end + 5] == "  - ":
        end = text.index("\n", end + 1)
    (root / PARTNER).write_text(
        text[:start] + "#" + text[start:end].replace("\n", "\n#") + text[end:]
    )
    replace(root, BUSINESS, "tagline: Fractional", 'tagline: ""\nx: Fractional')
    replace(root, BUSINESS, "\nx: Fractional", "\n#")
    code, lines = check(root)
    assert code == 0, lines
    # a required field left blank is still an error
    replace(root, PARTNER, "name: Dana Whitfield", "name:")
    code, lines = check(root)
    assert code == 1
    assert lines[0] == f"{PARTNER}:2:6: error: name: is empty; write a value or remove the line"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("value: 18000", "value: .inf", "[4].value: expected a finite number, got a number inf"),
        ("value: 18000", "value: 1.0e+16", "[4].value: input should be less than or equal to"),
    ],
)
def test_ledger_values_are_finite_and_sane(make_project, old: str, new: str, message: str) -> None:
    root = make_project()
    replace(root, LEDGER, old, new)
    code, lines = check(root)
    assert code == 1
    assert message in lines[0], lines


def test_a_cadence_over_ten_years_is_refused(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "check_in_days: 60", "check_in_days: 3650000")
    code, lines = check(root)
    assert code == 1
    assert "agreement.check_in_days: input should be less than or equal to 3660" in lines[0]


def test_dates_at_the_end_of_the_calendar_never_crash(make_project) -> None:
    """9999-12-31 is a valid date; adding a cadence to it must not overflow."""
    root = make_project()
    with (root / LEDGER).open("a", encoding="utf-8") as ledger:
        ledger.write(
            "\n- date: 9999-12-30\n  direction: received\n  partner: dana-whitfield\n"
            "  prospect: Far Future Inc\n  follow_up_due: 9999-12-31\n"
        )
    for args in (
        ("partners", "--json", "--today", "2026-11-25"),
        ("email", "check-in", "--partner", "dana-whitfield", "--today", "2026-11-25"),
        ("build", "--only", "report,email", "--today", "2026-11-25"),
    ):
        result = CliRunner().invoke(main, [*args, "-p", str(root)])
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    assert "DTSTART;VALUE=DATE:99991231" in (root / "output" / "calendar.ics").read_text()


def test_an_upper_case_extension_is_an_error_not_silently_skipped(make_project) -> None:
    root = make_project()
    profiles = root / "content" / "profiles"
    (profiles / "first-hr-hire.yaml").rename(profiles / "first-hr-hire.YAML")
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert result.exit_code == 1
    assert (
        "content/profiles/first-hr-hire.YAML: error: file name: 'first-hr-hire.YAML' is not "
        "read: name it with a lowercase '.yaml' extension"
    ) in result.output


@pytest.mark.parametrize(
    ("rel", "old", "new", "where"),
    [
        ("content/business.yaml", "  name: Priya Raman", '  name: "Priya\\r\\nBcc: x@y.z"', "15:9"),
        ("content/business.yaml", "name: Keel & Compass HR", 'name: "K\\rC"', "5:7"),
        (
            "content/referrals.yaml",
            "prospect: Two Rivers Machining",
            'prospect: "Two\\nRivers"',
            None,
        ),
    ],
)
def test_line_breaks_in_any_header_value_are_rejected(
    make_project, rel: str, old: str, new: str, where: str | None
) -> None:
    root = make_project()
    replace(root, rel, old, new)
    result = run_refkit("check", "-p", root)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{rel}:"), result.stderr
    assert "must be a single line" in result.stderr
    if where:
        assert result.stderr.startswith(f"{rel}:{where}: error:")
