"""What needs attention: the sentences the report and the terminal say about each flag."""

from __future__ import annotations

import datetime as dt

from refkit.content.project import load_project
from refkit.derive.attention import attention_list
from refkit.derive.scorecard import compute_scorecard


def test_attention_sentences_for_they_owe_us_and_a_quiet_start(make_project) -> None:
    ledger = "".join(
        f"- date: 2026-0{m}-01\n  direction: given\n  partner: helen-marsh\n  prospect: P{m}\n"
        for m in (1, 2, 3)
    )
    root = make_project(**{"content/referrals.yaml": ledger})
    today = dt.date(2026, 9, 1)
    rows = compute_scorecard(load_project(root), today)
    sentences = {(a.slug, a.flag): a.sentence for a in attention_list(rows, today)}
    assert sentences[("helen-marsh", "one-way")] == (
        "They owe us 3 referrals: we sent 3, they sent 0."
    )
    # Zoë: active since 2024-06-01, nothing in this ledger
    assert sentences[("zoe-lindqvist", "dry-spell")] == (
        "No referral either way since the partnership began on 2024-06-01."
    )
