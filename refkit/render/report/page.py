"""``report/index.html``: the private partner report, one self-contained file.

What needs attention (everything late in one ranking, by days overdue, each
with the draft that settles it: :mod:`refkit.derive.attention`,
:mod:`refkit.render.report.drafts`), the open referrals both ways, totals
(all time) and referrals per month both ways (the last 12 months) as an
inline SVG chart, what is coming up, and the scorecard with each partner's
page. Retired partners are in none of it. Nothing here reads a partner's
``notes`` or a ledger entry's ``note``: both stay private.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from markupsafe import Markup, escape

from refkit.content.models import QUALIFIER_KEYS, Referral
from refkit.content.project import Project
from refkit.derive.attention import (
    FLAG_LABELS,
    FLAG_MEANINGS,
    OVERDUE_FLAGS,
    UPCOMING_DAYS,
    Overdue,
    attention_list,
    conversion_label,
    current,
    decided_count,
    open_referrals,
    overdue_items,
    upcoming,
)
from refkit.derive.layout import REPORT_PAGE, SitePaths, relative_url, site_output
from refkit.derive.logos import band_logo
from refkit.derive.scorecard import ONE_WAY_THRESHOLD, ScoreRow
from refkit.render.context import RenderContext
from refkit.render.report.drafts import resolving_draft
from refkit.render.templating import make_environment, render_template
from refkit.resources import find_static
from refkit.text.colors import brand_palette
from refkit.text.dates import MONTH_NAMES, date_styles
from refkit.text.english import number_words
from refkit.text.typography import typeset

CHART_MONTHS = 12
#: the logo on the report's brand-coloured header, in CSS px (see refkit.text.logos)
REPORT_LOGO_HEIGHT = 36
REPORT_LOGO_MAX_WIDTH = 192
REPORT_LOGO_MIN_HEIGHT = 24


#: the site's typeface, embedded so the report stays one self-contained file
REPORT_FONTS = (
    ("inter-regular.woff2", 400),
    ("inter-semibold.woff2", 600),
    ("inter-bold.woff2", 700),
)


def monthly_counts(
    project: Project, today: dt.date, months: int = CHART_MONTHS
) -> list[dict[str, Any]]:
    """Referrals received and given per month, for the last ``months`` months.

    Retired partners' referrals are not counted: they get no outputs.
    """
    first = _add_months(today.replace(day=1), -(months - 1))
    buckets: list[dict[str, Any]] = [
        {"month": _add_months(first, i), "received": 0, "given": 0} for i in range(months)
    ]
    index = {(b["month"].year, b["month"].month): b for b in buckets}
    for entry in _current_referrals(project):
        bucket = index.get((entry.date.year, entry.date.month))
        if bucket is not None and entry.date <= today:
            bucket[entry.direction] += 1
    return buckets


def _current_referrals(project: Project) -> list[Referral]:
    active = project.active_partners()
    return [entry for entry in project.referrals if entry.partner in active]


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def chart_svg(buckets: list[dict[str, Any]]) -> Markup:
    """A grouped bar chart (received vs given per month) as accessible inline SVG."""
    width, height = 640, 240
    left, right, top, bottom = 30, 8, 18, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    # at least 2, so that a month with one referral is not a full-height bar
    peak = max([b["received"] for b in buckets] + [b["given"] for b in buckets] + [2])
    tick = max(1, -(-peak // 4))  # at most five gridlines, whole numbers
    peak = -(-peak // tick) * tick
    step = plot_w / len(buckets)
    bar = step * 0.3
    first, last = buckets[0]["month"], buckets[-1]["month"]
    title = f"Referrals per month, {first:%B %Y} to {last:%B %Y}: received and given"
    desc = "; ".join(
        f"{b['month']:%B %Y}: {b['received']} received, {b['given']} given" for b in buckets
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for value in range(0, peak + 1, tick):
        y = top + plot_h - plot_h * value / peak
        parts.append(
            f'<line class="grid{" base" if value == 0 else ""}" x1="{left}" '
            f'x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for i, b in enumerate(buckets):
        x = left + i * step + (step - 2 * bar - 3) / 2
        for offset, key in ((0.0, "received"), (bar + 3, "given")):
            count = b[key]
            h = plot_h * count / peak
            y = top + plot_h - h
            label = f"{b['month']:%B %Y}: {count} {key}"
            parts.append(
                f'<rect class="{key}" x="{x + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" rx="2"><title>{label}</title></rect>'
            )
            if count:
                parts.append(
                    f'<text class="value" x="{x + offset + bar / 2:.1f}" y="{y - 5:.1f}" '
                    f'text-anchor="middle">{count}</text>'
                )
        centre = left + i * step + step / 2
        parts.append(
            f'<text class="axis" x="{centre:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{b["month"]:%b}</text>'
        )
        if i == 0 or b["month"].month == 1:
            parts.append(
                f'<text class="axis year" x="{centre:.1f}" y="{height - bottom + 34}" '
                f'text-anchor="middle">{b["month"]:%Y}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def font_faces(project: Project) -> str:
    """@font-face rules for the site's typeface, as data: URLs (the project's copy first)."""
    rules = []
    for name, weight in REPORT_FONTS:
        source, _where = find_static(project.root, f"webfonts/{name}")
        if not source.is_file():
            continue
        data = base64.b64encode(source.read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "Inter"; font-style: normal; font-weight: {weight}; '
            f'font-display: swap; src: url("data:font/woff2;base64,{data}") format("woff2"); }}'
        )
    return "\n".join(rules)


def render_report(ctx: RenderContext, rows: list[ScoreRow]) -> str:
    """``report/index.html``: what is overdue, open referrals, the chart and the scorecard."""
    project = ctx.project
    today = ctx.today
    business = project.business
    env = make_environment(
        project.root,
        promises=business.promises,
        currency=business.currency,
        language=business.site.language,
    )
    palette = brand_palette(project.business.site.brand.color)
    dates = date_styles(project.business.site.language)
    long_date, short_date = dates.long, dates.short
    # "retired partners get no outputs" (the content model): not in any figure either
    rows = current(rows)
    received = sum(r.received for r in rows)
    won = sum(r.won for r in rows)
    decided = sum(decided_count(r) for r in rows)
    first = min((e.date for e in _current_referrals(project) if e.date <= today), default=None)
    totals = {
        "received": received,
        "given": sum(r.given for r in rows),
        "won": won,
        "won_value": sum(r.won_value for r in rows),
        "conversion": won / received if received and decided else None,
        "since": first,
    }
    overdue = [
        {"item": item, "row": row_of, "draft": _draft_links(project, item)}
        for item in overdue_items(rows, today, short_date)
        for row_of in rows
        if row_of.slug == item.slug
    ]
    others = [a for a in attention_list(rows, today, short_date) if a.flag not in OVERDUE_FLAGS]
    buckets = monthly_counts(project, today)
    page = render_template(
        env,
        "report/index.html",
        business=project.business,
        rows=rows,
        today=today,
        today_long=long_date(today),
        short_date=short_date,
        month_short=lambda day: f"{MONTH_NAMES[day.month - 1][:3]} {day.year}",
        conversion=conversion_label,
        fonts=Markup(font_faces(project)),
        totals=totals,
        overdue=overdue,
        others=others,
        open_referrals=open_referrals(rows, today),
        last_touch={row.slug: _last_touch(row) for row in rows},
        pages={row.slug: _partner_links(ctx.paths, row.slug) for row in rows},
        upcoming=upcoming(rows, today),
        upcoming_days=UPCOMING_DAYS,
        chart=chart_svg(buckets),
        chart_first=buckets[0]["month"],
        chart_last=buckets[-1]["month"],
        chart_totals={
            "received": sum(b["received"] for b in buckets),
            "given": sum(b["given"] for b in buckets),
        },
        flag_labels=FLAG_LABELS,
        one_way=ONE_WAY_THRESHOLD,
        qualifier_points=number_words(len(QUALIFIER_KEYS)),
        flag_meanings=FLAG_MEANINGS,
        brand=palette.brand,
        palette=palette,
        logo=band_logo(
            project,
            height=REPORT_LOGO_HEIGHT,
            max_width=REPORT_LOGO_MAX_WIDTH,
            min_height=REPORT_LOGO_MIN_HEIGHT,
        ),
    )
    return typeset(page)


def _draft_links(project: Project, item: Overdue) -> dict[str, Any] | None:
    """The draft that resolves ``item``, as links from the report (``../email/...``)."""
    draft = resolving_draft(project, item.slug, item.flag, item.referral)
    if draft is None:
        return None
    files = [(ext, relative_url(REPORT_PAGE, f"{draft.path}.{ext}")) for ext in draft.formats]
    return {"template": draft.template, "files": files, "command": draft.command}


def _last_touch(row: ScoreRow) -> tuple[dt.date, str] | None:
    """The last touch and what it was: a check-in, meeting or call, else a referral."""
    if row.last_touch is None:
        return None
    if row.last_check_in is not None and row.last_check_in == row.last_touch:
        kinds = [t.kind for t in row.touches if t.date == row.last_touch]
        return row.last_touch, kinds[-1] if kinds else "check-in"
    return row.last_touch, "referral"


def _partner_links(paths: SitePaths, slug: str) -> dict[str, str] | None:
    """A partner's page and one-pager: the URL to send when site.base_url is set, else the file.

    The same SitePaths answers as refkit.derive.links.partner_links (`refkit
    partners --links`), written relative to the report when there is no
    base URL, so that they open from output/report/ as they are.
    """
    page = paths.partner(slug)
    pdf = paths.partner_pdf(slug)
    if page is None or pdf is None:
        return None
    return {
        "kind": paths.project.partners[slug].page,
        "page": paths.absolute(page) or relative_url(REPORT_PAGE, site_output(page)),
        "pdf": paths.absolute(pdf) or relative_url(REPORT_PAGE, site_output(pdf)),
    }
