"""Hostile input that could reach an email header (issue 11, items 1 and 12).

Every value that can reach a header of an .eml draft (a Subject, a From or a
To) is tried with an RFC 2047 encoded word that decodes to CR LF + ``Bcc:``,
with raw CR/LF and with the Unicode line separators. Content is refused by
`refkit check` at its file:line; options of `refkit email` are refused by
name; and whatever is built is parsed back as a mail client reads it: no Bcc,
no header refkit did not write. A non-ASCII domain is written in IDNA; a
non-ASCII local part makes an SMTPUTF8 draft, and `check` warns about it.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.errors import NonASCIILocalPartDefect
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import TODAY, parse_eml, replace, run_refkit
from refkit.errors import InternalError, TemplateError
from refkit.render import emails
from refkit.render.emails import eml_file
from refkit.render.messages.compose import ComposedEmail

#: decodes to "Dana" CR LF "Bcc: evil@x.com"
ENCODED_BCC = "=?utf-8?q?Dana=0D=0ABcc:_evil@x.com?="
#: a valid address whose local part decodes to "a" CR LF "Bcc: evil@x.com" CR LF "X: "
ENCODED_LOCAL_PART = "=?utf-8?q?a=0D=0ABcc=3A_evil=40x.com=0D=0AX=3A_?=@x.com"
#: YAML double-quoted escapes, as a hostile file would write them: refused
REFUSED = {
    "crlf": (r"Dana\r\nBcc: evil@x.com", "must be a single line"),
    "lf": (r"Dana\nBcc: evil@x.com", "must be a single line"),
    "vertical tab": (r"Dana\vBcc: evil@x.com", "control character U+000B"),
}
#: line breaks to Unicode, whitespace to a header: written as one space
SEPARATORS = {"nel": "\x85", "line-separator": "\u2028", "paragraph-separator": "\u2029"}
#: every header refkit writes at the top of a draft
WRITTEN = ["From", "To", "Subject", "X-Unsent", "MIME-Version", "Content-Type"]
PART_HEADERS = {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "MIME-Version"}

PARTNER = "content/partners/dana-whitfield.yaml"
PROSPECT_PARTNER = "content/partners/tom-brenner.yaml"  # gets the partner-proposal
BUSINESS = "content/business.yaml"
LEDGER = "content/referrals.yaml"

#: (file, the line as the example writes it, that line with {value} as its value)
FIELDS = {
    "partner name": (PARTNER, "name: Dana Whitfield", 'name: "{value}"'),
    "partner company": (
        PROSPECT_PARTNER,
        "company: Lakeshore Community Bank",
        'company: "{value}"',
    ),
    "business name": (BUSINESS, "name: Keel & Compass HR", 'name: "{value}"'),
    "contact name": (BUSINESS, "name: Priya Raman", 'name: "{value}"'),
}
EMAIL_FIELDS = {
    "partner email": (PARTNER, "email: dana@whitfieldemploymentlaw.com", 'email: "{value}"'),
    "contact email": (BUSINESS, "email: priya@keelcompasshr.com", 'email: "{value}"'),
}


def assert_clean_drafts(out: Path) -> list[Path]:
    """Every .eml under ``out`` carries only the headers refkit writes; returns them."""
    drafts = sorted(out.rglob("*.eml"))
    for path in drafts:
        raw = path.read_bytes()
        assert not any(line.lower().startswith(b"bcc:") for line in raw.splitlines()), path
        message = parse_eml(raw)
        names = list(message.keys())
        assert names == [name for name in WRITTEN if name in names], (path, names)
        for part in message.walk():
            if part is not message:
                assert set(part.keys()) <= PART_HEADERS, (path, part.keys())
    return drafts


def line_of(root: Path, rel: str, text: str) -> int:
    """The 1-based line of ``rel`` that holds ``text``."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def assert_refused(root: Path, rel: str, line: int, message: str) -> None:
    """`check` and `build` exit 1 naming rel:line, no traceback, no unsafe draft."""
    check = run_refkit("check", "-p", root)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{rel}:{line}:" in check.stderr and message in check.stderr, check.stderr
    assert "Traceback" not in check.stderr
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 1, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    assert_clean_drafts(root)


def hostile_values() -> list[tuple[str, str, str]]:
    """(label, YAML text of the value, the words of the error) for a one-line field."""
    return [
        ("encoded word", ENCODED_BCC, "RFC 2047 encoded word"),
        *((label, text, message) for label, (text, message) in REFUSED.items()),
    ]


@pytest.mark.parametrize(("label", "value", "message"), hostile_values())
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_header_field_refuses(make_project, field: str, label: str, value: str, message: str):
    rel, old, new = FIELDS[field]
    root = make_project()
    replace(root, rel, old, new.format(value=value))
    assert_refused(root, rel, line_of(root, rel, new.format(value=value)), message)


@pytest.mark.parametrize("field", sorted(EMAIL_FIELDS))
def test_an_address_whose_local_part_is_an_encoded_word_is_refused(make_project, field: str):
    rel, old, new = EMAIL_FIELDS[field]
    root = make_project()
    replace(root, rel, old, new.format(value=ENCODED_LOCAL_PART))
    line = line_of(root, rel, ENCODED_LOCAL_PART)
    assert_refused(root, rel, line, "RFC 2047 encoded word")


@pytest.mark.parametrize(("label", "value", "message"), hostile_values())
def test_a_ledger_prospect_refuses(make_project, label: str, value: str, message: str) -> None:
    """The latest referral not yet thanked is the thank-you's Subject."""
    root = make_project()
    ledger = root / LEDGER
    ledger.write_text(
        ledger.read_text(encoding="utf-8")
        + "\n- date: 2026-11-20\n  direction: received\n  partner: dana-whitfield\n"
        + f'  prospect: "{value}"\n',
        encoding="utf-8",
    )
    lines = ledger.read_text(encoding="utf-8").splitlines()
    assert_refused(root, LEDGER, len(lines), message)


@pytest.mark.parametrize("separator", sorted(SEPARATORS))
@pytest.mark.parametrize("field", [*sorted(FIELDS), "ledger prospect"])
def test_a_unicode_line_separator_is_a_space_in_every_header(
    make_project, field: str, separator: str
) -> None:
    """NEL, U+2028, U+2029 never reach a header raw, not even a UTF-8 one."""
    root = make_project()
    value = f"Dana{SEPARATORS[separator]}Bcc: evil@x.com"
    if field == "ledger prospect":
        ledger = root / LEDGER
        ledger.write_text(
            ledger.read_text(encoding="utf-8")
            + "\n- date: 2026-11-20\n  direction: received\n  partner: dana-whitfield\n"
            + f'  prospect: "{value.encode("unicode_escape").decode()}"\n',
            encoding="utf-8",
        )
    else:
        rel, old, new = FIELDS[field]
        replace(root, rel, old, new.format(value=value.encode("unicode_escape").decode()))
    # her drafts are SMTPUTF8 ones, where a name is written in raw UTF-8
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dänä@exämple.com")
    replace(root, PROSPECT_PARTNER, "email: tbrenner@lakeshorecb.com", "email: töm@lakeshorecb.com")
    assert run_refkit("check", "-p", root).returncode == 0
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    drafts = assert_clean_drafts(root / "output")
    spaced = "Dana Bcc: evil@x.com"
    seen = False
    for path in drafts:
        raw = path.read_bytes()
        head = raw.partition(b"\r\n\r\n")[0].decode("utf-8")
        assert not any(s in head for s in SEPARATORS.values()), path
        message = read_utf8(raw)
        assert list(message.keys()) == list(parse_eml(raw).keys()), path
        names = [
            a.display_name for h in ("From", "To") if h in message for a in message[h].addresses
        ]
        seen = seen or spaced in str(message["Subject"]) or spaced in names
    assert seen, f"the {field} reached no header"


def test_the_example_drafts_are_clean(make_project) -> None:
    root = make_project()
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    drafts = assert_clean_drafts(root / "output")
    assert len(drafts) > 30
    for path in drafts:
        message = parse_eml(path)
        for name in ("From", "To"):
            for address in message[name].addresses if name in message else ():
                assert "=?" not in address.display_name + address.addr_spec, path


@pytest.mark.parametrize(
    ("template", "option", "value", "message"),
    [
        ("introduction", "--prospect", ENCODED_BCC, "--prospect: error: contains an RFC 2047"),
        ("thank-you", "--prospect", ENCODED_BCC, "--prospect: error: contains an RFC 2047"),
        (
            "introduction",
            "--prospect-company",
            ENCODED_BCC,
            "--prospect-company: error: contains an RFC 2047",
        ),
        ("introduction", "--prospect", "Ana\rBcc: evil@x.com", "--prospect: error: must be"),
        (
            "introduction",
            "--prospect-company",
            "Fox\x07Bcc: evil@x.com",
            "--prospect-company: error: contains the control character U+0007",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["eml", "txt"])
def test_refkit_email_refuses_a_hostile_prospect(
    make_project, template: str, option: str, value: str, message: str, fmt: str
) -> None:
    root = make_project()
    result = run_refkit(
        "email",
        template,
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        option,
        value,
        "--format",
        fmt,
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 1, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("separator", sorted(SEPARATORS))
def test_refkit_email_writes_a_separator_as_a_space(make_project, separator: str) -> None:
    root = make_project()
    result = run_refkit(
        "email",
        "introduction",
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        "--prospect",
        f"Ana{SEPARATORS[separator]}Bcc: evil@x.com",
        "--format",
        "eml",
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    message = parse_eml(result.stdout.encode())
    assert list(message.keys()) == ["From", "To", *WRITTEN[2:]]
    assert message["Subject"].startswith("Introduction: Ana Bcc: evil@x.com and Priya Raman")


def test_refkit_log_refuses_an_encoded_prospect(make_project) -> None:
    root = make_project()
    before = (root / LEDGER).read_bytes()
    result = run_refkit(
        "log", "received", "-p", root, "--partner", "dana-whitfield", "--prospect", ENCODED_BCC
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "RFC 2047 encoded word" in result.stderr
    assert (root / LEDGER).read_bytes() == before


def test_an_override_template_cannot_write_an_encoded_subject(make_project) -> None:
    root = make_project()
    override = root / "templates" / "email" / "check-in.txt"
    override.parent.mkdir(parents=True)
    override.write_text(f"Subject: Checking in {ENCODED_BCC}\nHi.\n", encoding="utf-8")
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 1, built.stdout + built.stderr
    assert "templates/email/check-in.txt" in built.stderr
    assert "RFC 2047 encoded word" in built.stderr and "Traceback" not in built.stderr
    assert_clean_drafts(root)


# --------------------------------------------------------------------------- eml_file itself


def composed(**changes: object) -> ComposedEmail:
    """A draft as compose_email makes it, with ``changes``."""
    fields: dict[str, object] = {
        "template": "check-in",
        "subject": "Checking in",
        "text": "Hi.\n",
        "html": "<p>Hi.</p>",
        "sender": ("Priya Raman", "priya@keelcompasshr.com"),
        "recipient": ("Dana Whitfield", "dana@whitfieldemploymentlaw.com"),
        **changes,
    }
    return ComposedEmail(**fields)  # type: ignore[arg-type]


def no_attachment(path: str) -> bytes | None:
    return None


@pytest.mark.parametrize(
    "changes",
    [
        {"recipient": (ENCODED_BCC, "dana@whitfieldemploymentlaw.com")},
        {"sender": ("Priya", ENCODED_LOCAL_PART)},
        {"recipient": ("Dana\r\nBcc: evil@x.com", "dana@whitfieldemploymentlaw.com")},
        {"recipient": ("Dana", "dana@whitfield\nBcc: evil@x.com")},
    ],
    ids=["encoded name", "encoded local part", "crlf in name", "lf in address"],
)
def test_eml_file_never_writes_a_value_that_slipped_through(changes: dict[str, object]) -> None:
    """Validation refuses these; a draft built from Python anyway is a bug, not a Bcc."""
    with pytest.raises(InternalError):
        eml_file(composed(**changes), no_attachment)


def test_eml_file_refuses_an_encoded_subject_naming_the_template() -> None:
    with pytest.raises(TemplateError, match=r"templates/email/check-in\.txt.*encoded word"):
        eml_file(composed(subject=f"Checking in {ENCODED_BCC}"), no_attachment)


def test_eml_file_checks_what_it_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even past the checks on its input, a draft with a header refkit did not write is a bug."""
    monkeypatch.setattr(emails, "_refuse_unsafe", lambda mail: None)
    with pytest.raises(InternalError, match="Bcc"):
        eml_file(composed(recipient=(ENCODED_BCC, "dana@x.com")), no_attachment)


def test_tricky_but_valid_names_come_back_as_written() -> None:
    names = ['Inês "Nessa" Müller (Acme), Ltd.', "O'Brien; Smith <x>", "Zoë =? ?= 100%"]
    for name in names:
        message = parse_eml(eml_file(composed(recipient=(name, "a@b.com")), no_attachment))
        assert message["To"].addresses[0].display_name == name
        assert message["To"].addresses[0].addr_spec == "a@b.com"


# --------------------------------------------------------------------------- item 12


def read_utf8(data: bytes) -> EmailMessage:
    """An SMTPUTF8 draft as a client that knows RFC 6532 reads it: headers in UTF-8."""
    message = email.message_from_string(data.decode("utf-8"), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def defects(message: EmailMessage, name: str) -> list[object]:
    """The defects of a header, but for a non-ASCII local part (RFC 6532 allows it)."""
    return [d for d in message[name].defects if not isinstance(d, NonASCIILocalPartDefect)]


def test_a_non_ascii_partner_address_is_an_smtputf8_header(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dänä@exämple.com")
    check = run_refkit("check", "-p", root)
    assert check.returncode == 0, check.stderr
    assert re.search(
        r"^content/partners/dana-whitfield\.yaml:\d+:\d+: warning: email: 'dänä@exämple\.com' "
        r"has non-ASCII letters before the @: this partner's \.eml drafts are SMTPUTF8",
        check.stderr,
        re.MULTILINE,
    ), check.stderr
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    assert_clean_drafts(root / "output")
    drafts = root / "output" / "email"

    share = (drafts / "dana-whitfield" / "criteria-share.eml").read_bytes()
    # the local part as written (RFC 6532), the domain in IDNA as every client reads it
    assert "To: Dana Whitfield <dänä@xn--exmple-cua.com>\r\n".encode() in share
    message = read_utf8(share)
    (to,) = message["To"].addresses
    assert (to.display_name, to.username, to.domain) == (
        "Dana Whitfield",
        "dänä",
        "xn--exmple-cua.com",
    )
    assert not defects(message, "To") and not message.defects
    assert "Dana" in message.get_body(("plain",)).get_content()
    assert parse_eml(share)["Subject"] == message["Subject"]

    # she sends the ask-permission: her address is its From
    ask = read_utf8((drafts / "dana-whitfield" / "ask-permission.eml").read_bytes())
    assert ask["From"].addresses[0].addr_spec == "dänä@xn--exmple-cua.com"

    # every other partner's drafts keep plain ASCII headers
    for path in (drafts / "helen-marsh").glob("*.eml"):
        head = path.read_bytes().partition(b"\r\n\r\n")[0]
        assert head.isascii(), path


def test_a_non_ascii_domain_alone_keeps_ascii_headers(make_project) -> None:
    """IDNA, not SMTPUTF8: a client that knows ASCII headers only reads it without a defect."""
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dana@exämple.com")
    check = run_refkit("check", "-p", root)
    assert check.returncode == 0 and "exämple" not in check.stderr, check.stderr
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    share = (root / "output/email/dana-whitfield/criteria-share.eml").read_bytes()
    assert share.isascii()
    message = parse_eml(share)
    (to,) = message["To"].addresses
    assert to.addr_spec == "dana@xn--exmple-cua.com"
    assert not message["To"].defects and not message.defects


def test_a_non_ascii_contact_address_is_an_smtputf8_header(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "email: priya@keelcompasshr.com", "email: priyä@keelcompäss.com")
    check = run_refkit("check", "-p", root)
    assert (
        "warning: contact.email: 'priyä@keelcompäss.com' has non-ASCII letters before the @: "
        "every .eml" in check.stderr
    ), check.stderr
    built = run_refkit("build", "-p", root, "--only", "site,email", "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    message = read_utf8(
        (root / "output" / "email" / "helen-marsh" / "criteria-share.eml").read_bytes()
    )
    assert message["From"].addresses[0].addr_spec == "priyä@xn--keelcompss-x5a.com"
    assert not defects(message, "From")


def test_refkit_email_eml_with_a_non_ascii_address(make_project) -> None:
    root = make_project()
    replace(root, PARTNER, "email: dana@whitfieldemploymentlaw.com", "email: dänä@exämple.com")
    result = run_refkit(
        "email",
        "criteria-share",
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        "--format",
        "eml",
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    assert "To: Dana Whitfield <dänä@xn--exmple-cua.com>\n" in result.stdout
    message = read_utf8(result.stdout.encode())
    assert message["To"].addresses[0].addr_spec == "dänä@xn--exmple-cua.com"
    assert not defects(message, "To")
