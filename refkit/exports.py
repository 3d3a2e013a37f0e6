"""``refkit export referrals``: the ledger as CSV or JSON, for the accountant or a spreadsheet.

Every entry, in the ledger's order, with every field: dates in ISO 8601, the
value as a plain number beside the business's ``currency``, the partner's
slug and name. The entry ``note`` is private, but this is the owner's own
export: it is included.

The CSV is UTF-8 with a byte order mark and CRLF line ends, so that Excel
opens it with its accents right; ``csv.DictReader(open(path,
encoding="utf-8-sig", newline=""))`` reads it back. A text cell that
starts with ``=``, ``+``, ``-``, ``@`` or a tab would run as a formula in
a spreadsheet (a note can come from an email ``refkit ingest`` read), so it
is written with a leading ``'``, as spreadsheets themselves mark text. The
JSON is a list of objects with the same keys and raw values.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from refkit.content.project import Project

#: the columns of the CSV and the keys of each JSON object, in order
REFERRAL_COLUMNS = (
    "date",
    "direction",
    "partner",
    "partner_name",
    "prospect",
    "profile",
    "status",
    "value",
    "currency",
    "follow_up_due",
    "thanked",
    "note",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def referral_records(project: Project) -> list[dict[str, Any]]:
    """Each ledger entry as a flat record with the keys of :data:`REFERRAL_COLUMNS`."""
    records = []
    for referral in project.referrals:
        partner = project.partners.get(referral.partner)
        value: float | int | None = referral.value
        if value is not None and float(value).is_integer():
            value = int(value)
        records.append(
            {
                "date": referral.date.isoformat(),
                "direction": referral.direction,
                "partner": referral.partner,
                "partner_name": partner.name if partner else None,
                "prospect": referral.prospect,
                "profile": referral.profile,
                "status": referral.status,
                "value": value,
                "currency": project.business.currency,
                "follow_up_due": (
                    referral.follow_up_due.isoformat() if referral.follow_up_due else None
                ),
                "thanked": referral.thanked,
                "note": referral.note,
            }
        )
    return records


def referrals_json(project: Project) -> bytes:
    """The ledger as a JSON list of objects (UTF-8, indented)."""
    text = json.dumps(referral_records(project), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def referrals_csv(project: Project) -> bytes:
    """The ledger as CSV: UTF-8 with a BOM, CRLF, a header line of :data:`REFERRAL_COLUMNS`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REFERRAL_COLUMNS)
    for record in referral_records(project):
        writer.writerow([_cell(record[key]) for key in REFERRAL_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
