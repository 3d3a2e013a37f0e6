"""The commonest YAML mistakes, in refkit's words, at the line of the mistake.

Each case runs ``refkit check`` (the installed command) and asserts the whole
line: ``path:line:col: severity: field: message``, exit code, no traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import replace, run_refkit

PARTNER = "content/partners/dana-whitfield.yaml"
BUSINESS = "content/business.yaml"
LEDGER = "content/referrals.yaml"


def check(root: Path, *args: str) -> tuple[int, list[str]]:
    result = run_refkit("check", "-p", root, *args)
    assert "Traceback" not in result.stderr and "hit a bug" not in result.stderr, result.stderr
    return result.returncode, result.stderr.strip().splitlines()


def line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


# ------------------------------------------------------------------ syntax errors


def test_one_extra_space_of_indentation(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "\nkind: partner", "\n kind: partner")
    line = line_of(root, PARTNER, " kind: partner")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:2: error: YAML syntax: this line is indented 1 space more "
            "than the line above: line its key up with the keys around it (or, if it "
            "continues the value above, quote that value)"
        ],
    )


def test_a_dedented_key_inside_a_list(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "\n    summary: A senior HR", "\n   summary: A senior HR")
    line = line_of(root, BUSINESS, "   summary: A senior HR")
    assert check(root) == (
        1,
        [
            f"{BUSINESS}:{line}:4: error: YAML syntax: this line does not line up with the "
            "keys of the list item above it (column 5): indent it like them, or start a "
            "new item with '- '"
        ],
    )


def test_a_tab_used_for_indentation(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "\n  check_in_days: 60", "\n\tcheck_in_days: 60")
    line = line_of(root, PARTNER, "\tcheck_in_days")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:1: error: YAML syntax: tabs are not allowed for indentation; "
            "use spaces"
        ],
    )


def test_an_unquoted_colon_in_a_top_level_value(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", "role: Founding Partner: employment law")
    line = line_of(root, PARTNER, "role: Founding")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:23: error: YAML syntax: a ': ' inside a value starts a mapping "
            'in YAML — quote the whole value: role: "Founding Partner: employment law"'
        ],
    )


def test_an_unquoted_colon_in_a_nested_value(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "  title: Founder and Principal Consultant", "  title: Founder: CEO")
    line = line_of(root, BUSINESS, "title: Founder: CEO")
    assert check(root) == (
        1,
        [
            f"{BUSINESS}:{line}:17: error: YAML syntax: a ': ' inside a value starts a "
            'mapping in YAML — quote the whole value: title: "Founder: CEO"'
        ],
    )


def test_a_list_item_missing_its_dash_is_one_error(make_project) -> None:
    root = make_project()
    replace(root, LEDGER, "- date: 2025-12-15", "  date: 2025-12-15")
    first = line_of(root, LEDGER, "- date: 2025-12-03")
    line = line_of(root, LEDGER, "  date: 2025-12-15")
    assert check(root) == (
        1,
        [
            f"{LEDGER}:{line}:3: error: [0].date: 'date' again in the same entry (first at "
            f"line {first}): if a new entry starts here, begin it with '- '"
        ],
    )


def test_a_list_item_missing_its_dash_at_the_margin(make_project) -> None:
    root = make_project()
    replace(root, LEDGER, "- date: 2025-12-15", "date: 2025-12-15")
    line = line_of(root, LEDGER, "date: 2025-12-15")
    first = line_of(root, LEDGER, "- date: 2025-12-03")
    assert check(root) == (
        1,
        [
            f"{LEDGER}:{line}:1: error: YAML syntax: an item of the list that starts at "
            f"line {first} must begin with '- '"
        ],
    )


def test_a_real_duplicate_key_outside_a_list_keeps_its_message(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "role: Founding Partner", "role: Founding Partner\nrole: Partner")
    first = line_of(root, PARTNER, "role: Founding Partner")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{PARTNER}:{first + 1}:1: error: role: duplicate key 'role' (first defined at "
        f"line {first})"
    ]


def test_an_unclosed_bracket_points_at_the_line_that_opened_it(make_project) -> None:
    root = make_project()
    replace(
        root,
        PARTNER,
        "serves:\n  - growing-manufacturers\n  - acquisition-integration",
        "serves: [growing-manufacturers, acquisition-integration",
    )
    line = line_of(root, PARTNER, "serves: [")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:9: error: YAML syntax: this '[' is never closed: "
            "end the list with ']'"
        ],
    )


def test_an_unclosed_brace_points_at_the_line_that_opened_it(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "  brand:\n    color:", "  brand: {color:")
    line = line_of(root, BUSINESS, "brand: {")
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{BUSINESS}:{line}:10: error: YAML syntax: this '{{' is never closed: "
        "end the mapping with '}'"
    ]


def test_an_unclosed_quote_points_at_the_line_that_opened_it(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "logo: assets/logo.svg", 'logo: "assets/logo.svg')
    line = line_of(root, BUSINESS, 'logo: "')
    code, lines = check(root)
    assert code == 1
    assert lines == [
        f"{BUSINESS}:{line}:11: error: YAML syntax: this '\"' is never closed: "
        "end the value with '\"'"
    ]


# ------------------------------------------------------------------ a field at the wrong depth


def test_logo_at_the_top_level_says_where_it_belongs(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "\n    logo: assets/logo.svg", "")
    (root / BUSINESS).write_text(
        (root / BUSINESS).read_text(encoding="utf-8") + "logo: assets/logo.svg\n",
        encoding="utf-8",
    )
    line = line_of(root, BUSINESS, "logo: assets/logo.svg")
    assert check(root) == (
        1,
        [
            f"{BUSINESS}:{line}:1: error: logo: unknown field 'logo' "
            "(did you mean 'site.brand.logo'?)"
        ],
    )


def test_check_in_days_at_the_top_level_says_where_it_belongs(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "\n  check_in_days: 60", "")
    replace(root, PARTNER, "status: active", "status: active\ncheck_in_days: 60")
    line = line_of(root, PARTNER, "check_in_days: 60")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:1: error: check_in_days: unknown field 'check_in_days' "
            "(did you mean 'agreement.check_in_days'?)"
        ],
    )


def test_a_typo_at_the_right_depth_still_gets_the_close_match(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "  check_in_days: 60", "  checkin_days: 60")
    line = line_of(root, PARTNER, "checkin_days")
    assert check(root) == (
        1,
        [
            f"{PARTNER}:{line}:3: error: agreement.checkin_days: unknown field 'checkin_days' "
            "(did you mean 'check_in_days'?)"
        ],
    )


# ------------------------------------------------------------------ warnings


def test_an_email_without_a_dot_in_its_domain_is_a_warning(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "dana@whitfieldemploymentlaw.com", "dana@whitfieldemploymentlaw")
    replace(root, BUSINESS, "priya@keelcompasshr.com", "owner@examplestudio")
    partner_line = line_of(root, PARTNER, "email: dana@")
    business_line = line_of(root, BUSINESS, "owner@examplestudio")
    code, lines = check(root)
    assert code == 0
    assert (
        f"{PARTNER}:{partner_line}:8: warning: email: 'dana@whitfieldemploymentlaw' has no "
        "dot in its domain, so mail to it cannot arrive: check the address"
    ) in lines
    assert (
        f"{BUSINESS}:{business_line}:10: warning: contact.email: 'owner@examplestudio' has no "
        "dot in its domain, so mail to it cannot arrive: check the address"
    ) in lines
    assert check(root, "--strict")[0] == 1


def test_a_referral_dated_in_the_future_is_a_warning(make_project) -> None:
    root = make_project()
    future = dt.date.today() + dt.timedelta(days=40)
    replace(root, LEDGER, "- date: 2025-12-15", f"- date: {future.isoformat()}")
    line = line_of(root, LEDGER, f"- date: {future.isoformat()}")
    code, lines = check(root)
    assert code == 0
    assert (
        f"{LEDGER}:{line}:9: warning: [1].date: {future.isoformat()} is in the future: "
        "is the year right?"
    ) in lines


def test_the_examples_logo_in_another_business_is_a_warning(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "name: Keel & Compass HR", "name: Northwind Studio")
    line = line_of(root, BUSINESS, "logo: assets/logo.svg")
    code, lines = check(root)
    assert code == 0
    assert (
        f"{BUSINESS}:{line}:11: warning: site.brand.logo: this is still the example's logo: "
        "put your own in content/assets/ and name it here"
    ) in lines


def test_the_example_itself_stays_clean_under_strict(make_project) -> None:
    assert check(make_project(), "--strict") == (0, [])
