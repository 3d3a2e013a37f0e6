"""Two columns of about equal height for a one-pager, from an estimate of each block's lines.

Pure functions of HTML text, used as the ``balance`` template filter.
"""

from __future__ import annotations

import html as htmllib
import math
import re
from collections.abc import Iterable

_LINE_BREAKS = re.compile(r"<(li|p|h[1-6]|div|strong|span|br)\b[^>]*>", re.IGNORECASE)


_TAG = re.compile(r"<[^>]*>")


#: characters of body text on one line of a one-pager column
COLUMN_CHARS = 52


def estimate_lines(fragment: str) -> float:
    """Roughly how many lines of body text an HTML ``fragment`` takes in one column."""
    lines = 0.0
    parts = _LINE_BREAKS.split(fragment)  # text, tag name, text, tag name, text...
    for tag, chunk in zip(["p", *parts[1::2]], parts[::2], strict=True):
        text = htmllib.unescape(_TAG.sub("", chunk)).strip()
        if text:
            # titles are set larger, labels smaller
            width = {"strong": 0.85, "h3": 0.85, "span": 2.0}.get(tag.lower(), 1.0)
            lines += math.ceil(len(text) / (COLUMN_CHARS * width))
    lower = fragment.lower()
    # the space around sections, list items and boxes, in lines (measured on the theme)
    return (
        lines
        + 0.7 * lower.count("<section")
        + 0.25 * lower.count("<li")
        + 4.0 * lower.count('class="role"')
        + 1.0 * lower.count('class="story"')
    )


#: a change of column between two blocks in reading order costs as much as this
#: many lines of height (so the columns read top to bottom unless that wastes space)
SWITCH_COST = 1.0


#: more blocks than this are split only once (trying every assignment grows as 2**n)
_MAX_ARRANGED = 14


#: blocks that start so are one run of profiles under one heading: they are read one
#: after another (down the first column, on at the top of the second), nothing between
_PROFILE = re.compile(r'^\s*<section class="profile"', re.IGNORECASE)


def _reads_together(right: list[bool], grouped: list[int]) -> bool:
    """Whether the ``grouped`` blocks follow one another in reading order (left, then right)."""
    if len(grouped) < 2:
        return True
    order = [i for i, r in enumerate(right) if not r] + [i for i, r in enumerate(right) if r]
    places = sorted(order.index(i) for i in grouped)
    return places[-1] - places[0] == len(places) - 1


def balance_columns(blocks: Iterable[str]) -> tuple[list[str], list[str]]:
    """Share ``blocks`` (HTML, in reading order) between two columns of about equal height.

    The first block heads the first column and each column keeps the blocks'
    order; a run of profiles (sections of class ``profile``) is read without
    another section between them. Of all ways to share them, the one with the
    shortest taller column wins, each change of column beyond the first
    counting as SWITCH_COST lines.
    """
    items = [block for block in blocks if str(block).strip()]
    heights = [estimate_lines(str(block)) for block in items]
    grouped = [i for i, block in enumerate(items) if _PROFILE.match(str(block))]
    count = len(items)
    if count > _MAX_ARRANGED:
        choices: Iterable[list[bool]] = (
            [i >= split for i in range(count)] for split in range(count + 1)
        )
    else:
        choices = (
            [i > 0 and bool(mask >> (i - 1) & 1) for i in range(count)]
            for mask in range(1 << max(count - 1, 0))
        )
    best: list[bool] = [False] * count
    best_key = (math.inf, True)
    for right in choices:
        if not _reads_together(right, grouped):
            continue
        tall = sum(h for h, r in zip(heights, right, strict=True) if r)
        short = sum(heights) - tall
        switches = sum(1 for a, b in zip(right, right[1:], strict=False) if a != b)
        cost = max(tall, short) + SWITCH_COST * max(0, switches - 1)
        # on a tie, the first column is the longer one
        key = (round(cost, 6), tall > short)
        if key < best_key:
            best, best_key = right, key
    return (
        [b for b, r in zip(items, best, strict=True) if not r],
        [b for b, r in zip(items, best, strict=True) if r],
    )
