"""The ``refkit`` command: parse options, call the library, print, set the exit code.

Exit codes: 0 success; 1 content, template or build errors (one line per
problem, never a traceback); 2 usage errors (click's). A reader that closes
the pipe early (``refkit schema | head -1``) ends the command quietly, with 1.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refkit import __version__
from refkit.content.terms import DIRECTIONS, STATUSES, TOUCH_KINDS
from refkit.derive.layout import EMAIL_TEMPLATES, SITE
from refkit.render import registry
from refkit.render.registry import KINDS

if TYPE_CHECKING:
    from refkit.content.project import Project
    from refkit.errors import Problem

# Everything else is imported where it is used, so `refkit --version` costs
# little more than `import click` (bench/bench_imports.py measures it).

F = TypeVar("F", bound=Callable[..., Any])


class _Command(click.Command):
    """A command listed in ``refkit --help`` by the whole first line of its docstring."""

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help or not self.help:
            return super().get_short_help_str(limit)
        # click cuts the line at about 45 characters; the formatter wraps it instead
        return self.help.strip().splitlines()[0].strip()


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (``| head -1``)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit cannot fail again.

    What the Python docs advise for SIGPIPE: see "Note on SIGPIPE" in the
    documentation of the ``signal`` module.
    """
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _Group(click.Group):
    """Turns user errors into one line each and exit 1; bugs into a traceback."""

    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        from refkit.errors import RefkitError

        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader gone away shows here, not at exit
            return result
        except RefkitError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            count = sum(p.severity == "error" for p in exc.problems)
            if count > 1:
                click.echo(f"{count} errors", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; output/ is unchanged", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
                _quiet_stdout()  # nobody reads what is left to say
                ctx.exit(1)
            import traceback

            traceback.print_exc()
            click.echo(
                f"refkit {__version__} hit a bug (not a problem in your content). "
                "Please report it with the traceback above.",
                err=True,
            )
            ctx.exit(1)


def project_option(func: F) -> F:
    """``-p/--project DIR``, shared by every command."""
    return click.option(
        "-p",
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Project folder: the one that holds content/ (and optionally templates/).",
    )(func)


def today_option(func: F) -> F:
    """``--today YYYY-MM-DD`` for reproducible dates."""
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Treat this date as today (YYYY-MM-DD); for reproducible output.",
    )(func)


def referral_options(func: F, *, prospect_required: bool = True) -> F:
    """``--partner``, ``--prospect``, ``--status`` and ``--value``: `log` and `mark` share them."""
    for option in reversed(
        (
            click.option(
                "--partner", required=True, metavar="SLUG", help="The partner (file stem)."
            ),
            click.option(
                "--prospect",
                required=prospect_required,
                metavar="NAME",
                help="Who was referred (for received and given).",
            ),
            click.option("--status", type=click.Choice(STATUSES), default=None),
            click.option("--value", type=click.FloatRange(min=0), default=None, help="Deal value."),
        )
    ):
        func = option(func)
    return func


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refkit")
def main() -> None:
    """refkit turns your referral criteria into material partners actually use.

    Write who you are, whom you want introduced and who your partners are in
    YAML under content/; `refkit build` makes a partner website, one-page PDFs
    and introduction emails from it.

    Start with `refkit init my-project`, then `refkit build -p my-project`.
    """
    # A terminal that is not UTF-8 shows '?' for what it cannot print; never a crash.
    for stream in (sys.stdout, sys.stderr):
        utf8 = stream.encoding.lower().replace("-", "") == "utf8"
        if isinstance(stream, io.TextIOWrapper) and not utf8:
            stream.reconfigure(errors="replace")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option(
    "-p",
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder to create (the same as DIRECTORY).",
)
@click.option(
    "--blank",
    is_flag=True,
    help="Start from placeholders instead of the example: one profile, no partners, "
    "an empty ledger.",
)
def init(directory: Path | None, project: Path | None, blank: bool) -> None:
    """Create a new project in DIRECTORY from a complete example business.

    The example builds without edits: change content/*.yaml to describe your
    own business, profiles and partners. With --blank, a business.yaml of
    placeholders, one placeholder profile, no partners and an empty ledger,
    which builds too. Without DIRECTORY, the current folder. Refuses a folder
    that is not empty.
    """
    from refkit.scaffold import create_project

    if directory is not None and project is not None and directory != project:
        raise click.UsageError("give the folder once: DIRECTORY or -p/--project")
    directory = directory or project or Path(".")  # like -p everywhere: here by default

    created = create_project(directory, refkit_version=__version__, blank=blank)
    click.echo(f"Created a refkit project in {directory}/ ({created} files).")
    click.echo("Next:")
    click.echo(f"  refkit check -p {directory}    # validate the content")
    click.echo(f"  refkit build -p {directory}    # site, PDFs and emails into {directory}/output/")


@main.command()
@project_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--pdf",
    "lay_out",
    is_flag=True,
    help="Also lay out the one-pagers, as `refkit build` does, to tell whether each "
    "fits on one page (slower; writes nothing).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for --pdf (default: CPU count).",
)
def check(project: Path, strict: bool, lay_out: bool, jobs: int | None) -> None:
    """Validate all content and print every problem at once.

    Each problem is one line, `path:line:col: error: field: message`.
    Exits 0 when the content is clean, 1 when there is any error. With
    --pdf, a one-pager that does not fit on one page is an error too, with
    the message `refkit build` would give.
    """
    from refkit.content.project import load_project

    loaded = load_project(project)
    warnings = list(loaded.warnings)
    fitted = _lay_out_one_pagers(loaded, jobs, warnings) if lay_out else None
    for warning in warnings:
        click.echo(str(warning.as_error() if strict else warning), err=True)
    if strict and warnings:
        raise SystemExit(1)
    click.echo(
        "ok: "
        + ", ".join(
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in (
                (len(loaded.profiles), "profile"),
                (len(loaded.partners), "partner"),
                (len(loaded.referrals), "referral"),
            )
        )
        + "".join(
            f", {n} {kind}{'' if n == 1 else 's'}"
            for kind in TOUCH_KINDS
            if (n := sum(t.kind == kind for t in loaded.touches))
        )
        + (f", {fitted} one-pagers fit" if fitted is not None else "")
        + (f", {len(warnings)} warning{'' if len(warnings) == 1 else 's'}" if warnings else "")
    )


def _lay_out_one_pagers(loaded: Project, jobs: int | None, warnings: list[Problem]) -> int:
    """Lay out every one-pager as the build does, keeping nothing; how many there are.

    Raises the build's BuildError for those that do not fit; their warnings
    go to ``warnings``.
    """
    import os

    from refkit.cli.console import ProgressBar
    from refkit.content.secret import SECRET_ENV, SECRET_FILE, load_secret
    from refkit.derive.layout import SitePaths
    from refkit.render import pdf
    from refkit.render.context import RenderContext

    path = loaded.root / SECRET_FILE
    folder_in_the_way = path.parent.exists() and not path.parent.is_dir()
    if os.environ.get(SECRET_ENV) or path.exists() or path.is_symlink() or folder_in_the_way:
        secret, _ = load_secret(loaded.root, create=False)  # its problems are build's
    else:
        # check creates nothing; any secret gives tokens (and QR codes) of the same size
        secret = "placeholder-for-refkit-check-" + "0" * 16
    ctx = RenderContext(
        project=loaded,
        paths=SitePaths(loaded, secret),
        today=dt.date.today(),  # the one-pagers do not depend on the date
        jobs=max(1, jobs or os.cpu_count() or 1),
        kinds=frozenset(registry.kinds()),
        warnings=warnings,
    )
    renderer = next(r for r in registry.RENDERERS if r.name == "pdf")
    count = 0
    with ProgressBar() as bar:
        bar.stage("pdf", renderer.expected(loaded) if renderer.expected else None)
        for output in pdf.render(ctx):
            bar.advance("pdf", output.path)
            count += not output.path.startswith(SITE)  # each one-pager, not its copies
    return count


@main.command()
@click.argument(
    "kind",
    required=False,
    type=click.Choice(["business", "profile", "partner", "referrals", "activity"]),
)
@project_option
def schema(kind: str | None, project: Path) -> None:
    """Print the JSON Schema of the content files (for editor autocompletion).

    Without KIND, one schema that accepts any content file; with KIND, the
    schema of business.yaml, a profile, a partner, referrals.yaml or activity.yaml.
    """
    import json

    from refkit.content.models import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2))


@main.command()
@project_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: PROJECT/output).",
)
@click.option(
    "--only",
    default=None,
    metavar="KINDS",
    help=f"Build only these, comma-separated: {', '.join(KINDS)}. "
    "The rest of output/ is kept from the previous build.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for PDFs (default: CPU count).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@today_option
def build(
    project: Path,
    out_dir: Path | None,
    only: str | None,
    jobs: int | None,
    strict: bool,
    today: dt.datetime | None,
) -> None:
    """Build the site, PDFs, emails and partner report into output/.

    Everything is rendered first and output/ is replaced only when all of it
    succeeded: a failed build leaves the previous output/ as it was.
    """
    from refkit.cli.console import ProgressBar, summary_line
    from refkit.pipeline import build as run_build

    kinds = None
    if only:
        kinds = [k.strip() for k in only.split(",") if k.strip()]
        known = registry.kinds()
        bad = [k for k in kinds if k not in known]
        if bad:
            raise click.BadParameter(
                f"{', '.join(bad)} (choose from {', '.join(known)})", param_hint="--only"
            )
    with ProgressBar() as bar:
        report = run_build(
            project,
            out_dir=out_dir,
            only=kinds,
            jobs=jobs,
            strict=strict,
            today=_today(today) if today else None,
            progress=bar,
        )
    for notice in report.notices:
        click.echo(f"note: {notice}", err=True)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    click.echo(summary_line(report, project))


@main.command()
@project_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--no-reload", is_flag=True, help="Build once and serve; do not watch for changes.")
def serve(project: Path, port: int, no_reload: bool) -> None:
    """Build, serve output/site on 127.0.0.1 and rebuild on every change.

    Watches content/ and templates/; the open browser page reloads itself
    after each rebuild. Stop with Ctrl+C.
    """
    from refkit.cli.serve import serve_project

    serve_project(project, port=port, watch=not no_reload)


@main.command()
@click.argument("template", type=click.Choice(EMAIL_TEMPLATES))
@click.option("--partner", default=None, metavar="SLUG", help="The partner it is for.")
@click.option("--profile", default=None, metavar="SLUG", help="The profile the prospect matches.")
@click.option("--prospect", default=None, metavar="NAME", help="The prospect's name.")
@click.option("--prospect-company", default=None, metavar="NAME", help="The prospect's company.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "html", "eml"]),
    default="txt",
    show_default=True,
)
@project_option
@today_option
def email(
    template: str,
    partner: str | None,
    profile: str | None,
    prospect: str | None,
    prospect_company: str | None,
    fmt: str,
    project: Path,
    today: dt.datetime | None,
) -> None:
    """Print one introduction email, subject line first, for copy-paste.

    TEMPLATE is one of ask-permission, introduction, criteria-share,
    partner-proposal, thank-you, check-in. Without --partner, prints the
    generic version with [blanks] to fill in.
    """
    from refkit.content.project import load_project
    from refkit.content.secret import CREATED_NOTICE, load_secret
    from refkit.derive.layout import OUTPUT_DIR, SitePaths
    from refkit.render.emails import previous_build, render_one_email

    loaded = load_project(project)
    secret, created = load_secret(project)
    if created:
        click.echo(f"note: {CREATED_NOTICE}", err=True)
    chosen = loaded.partners.get(partner) if partner else None
    if chosen is not None and partner and profile and profile in loaded.profiles:
        unserved = _not_served(loaded, partner, profile)
        if unserved is not None:
            click.echo(str(unserved), err=True)
    if fmt == "eml" and chosen is not None and chosen.email is None:
        click.echo(
            f"note: {loaded.file_of('partner', partner or '')} has no email: "
            "the partner's address is missing from this draft",
            err=True,
        )
    data = render_one_email(
        loaded,
        SitePaths(loaded, secret),
        template,
        partner,
        profile=profile,
        prospect=prospect,
        prospect_company=prospect_company,
        fmt=fmt,
        today=_today(today),
    )
    if fmt == "eml" and partner:
        from refkit.render.messages.selection import attachments_for

        previous = previous_build(project / OUTPUT_DIR)
        missing = [
            path for path in attachments_for(loaded, template, partner) if previous(path) is None
        ]
        if missing:
            click.echo(
                f"note: {len(missing)} one-pager(s) not attached ({OUTPUT_DIR}/{missing[0]} and "
                "others are not built yet): run `refkit build` first",
                err=True,
            )
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _not_served(loaded: Project, partner: str, profile: str) -> Problem | None:
    """A warning when ``partner`` does not serve ``profile`` (at their ``serves``)."""
    served = loaded.profiles_for(partner)
    if profile in served:
        return None
    rel = loaded.file_of("partner", partner)
    message = (
        f"{partner} does not serve the profile {profile!r} (only {', '.join(served)}); "
        "the email introduces them to a prospect they may not be right for"
    )
    source = loaded.sources.get(rel)
    if source is None:
        from refkit.errors import Problem

        return Problem(rel, message, field="serves", severity="warning")
    return source.problem(("serves",), message, key=True).as_warning()


@main.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for scripts.")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print CSV for a spreadsheet (UTF-8 with BOM): the --json keys, then contact details.",
)
@click.option(
    "--links", is_flag=True, help="Each partner's private page URL and one-pager instead."
)
@today_option
def partners(
    project: Path, as_json: bool, as_csv: bool, links: bool, today: dt.datetime | None
) -> None:
    """Show the partner scorecard: who owes whom, who has gone quiet, whom to call.

    Sorted by what needs attention first: fit score, referrals received and
    given, balance, wins, conversion, last referral, last check-in, next
    check-in, and flags. The table fits the terminal (or COLUMNS; 150 wide
    when piped): narrower, each partner takes two or three lines, and no
    figure is ever cut. With --links: each partner's page and one-pager.
    """
    from refkit.cli.tracking import make_console, print_scorecard, scorecard_csv, scorecard_json
    from refkit.content.project import load_project
    from refkit.derive.scorecard import compute_scorecard

    if as_json and as_csv:
        raise click.UsageError("--json and --csv: choose one")
    loaded = load_project(project)
    if links:
        _print_partner_links(loaded, as_json=as_json, as_csv=as_csv)
        return
    rows = compute_scorecard(loaded, _today(today))
    if as_json:
        import json

        click.echo(json.dumps(scorecard_json(rows), indent=2, ensure_ascii=False))
    elif as_csv:
        sys.stdout.buffer.write(scorecard_csv(rows))
    else:
        print_scorecard(rows, _today(today), loaded.business.site.language, make_console())


def _print_partner_links(loaded: Project, *, as_json: bool, as_csv: bool) -> None:
    """`refkit partners --links`: the page and one-pager of every current partner."""
    from refkit.cli.tracking import links_csv, links_json, make_console, print_links
    from refkit.content.secret import CREATED_NOTICE, load_secret
    from refkit.derive.layout import SitePaths
    from refkit.derive.links import partner_links

    secret, created = load_secret(loaded.root)
    if created:
        click.echo(f"note: {CREATED_NOTICE}", err=True)
    found = partner_links(loaded, SitePaths(loaded, secret))
    named = [(loaded.partners[slug].name, link) for slug, link in found.items()]
    if as_json:
        import json

        click.echo(json.dumps(links_json(named), indent=2, ensure_ascii=False))
    elif as_csv:
        sys.stdout.buffer.write(links_csv(named))
    else:
        print_links(make_console(), named)
    if any(not (loaded.root / link.pdf).is_file() for _, link in named if link.pdf):
        click.echo("note: not built yet; `refkit build` writes these files", err=True)


def _log_referral_options(func: F) -> F:
    return referral_options(func, prospect_required=False)


@main.command()
@click.argument("direction", type=click.Choice(DIRECTIONS + TOUCH_KINDS))
@_log_referral_options
@click.option("--profile", default=None, metavar="SLUG", help="The profile it matched.")
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of the referral or touch (default: today).",
)
@click.option(
    "--follow-up",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the next step is due (YYYY-MM-DD).",
)
@click.option("--note", default=None, help="A private note.")
@click.option("--thanked", is_flag=True, default=False, help="The referrer was thanked.")
@project_option
def log(
    direction: str,
    partner: str,
    prospect: str | None,
    profile: str | None,
    status: str | None,
    value: float | None,
    when: dt.datetime | None,
    follow_up: dt.datetime | None,
    note: str | None,
    thanked: bool,
    project: Path,
) -> None:
    """Record a referral, or a check-in, meeting or call, keeping the file's text and comments.

    DIRECTION is `received` (the partner sent us someone) or `given` (we sent
    them someone), written to content/referrals.yaml with --prospect; or
    `check-in`, `meeting` or `call` (we were in touch), written to
    content/activity.yaml: the last touch of any kind restarts the partner's
    check-in cadence. Unknown partners or profiles are refused and the file
    is left untouched.
    """
    from refkit.ledger_edit import append_referral, append_touch

    if direction in TOUCH_KINDS:
        given = [
            name
            for name, value in (
                ("--prospect", prospect),
                ("--profile", profile),
                ("--status", status),
                ("--value", value),
                ("--follow-up", follow_up),
                ("--thanked", thanked or None),
            )
            if value is not None
        ]
        if given:
            raise click.UsageError(
                f"{', '.join(given)}: for referrals (received or given), not a {direction}; "
                "a touch takes --partner, --date and --note"
            )
        click.echo(
            append_touch(project, kind=direction, partner=partner, date=_today(when), note=note)
        )
        return
    if prospect is None:
        raise click.UsageError(f"Missing option '--prospect': whom was the referral {direction}?")
    if direction == "given" and profile is not None:
        raise click.UsageError(
            "--profile is for received referrals (which of our profiles they sent us); "
            "leave it out for a referral we gave"
        )
    line = append_referral(
        project,
        direction=direction,
        partner=partner,
        prospect=prospect,
        profile=profile,
        status=status,
        value=value,
        date=_today(when),
        follow_up_due=follow_up.date() if follow_up else None,
        note=note,
        thanked=thanked,
    )
    click.echo(line)


@main.command()
@referral_options
@click.option(
    "--follow-up",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the next step is due (YYYY-MM-DD).",
)
@click.option("--thanked", is_flag=True, default=False, help="The referrer was thanked.")
@click.option(
    "--not-thanked", is_flag=True, default=False, help="The referrer was not thanked yet."
)
@click.option("--note", default=None, help="A private note (replaces the entry's note).")
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Which entry, when the prospect has several with this partner (YYYY-MM-DD).",
)
@project_option
def mark(
    partner: str,
    prospect: str,
    status: str | None,
    value: float | None,
    follow_up: dt.datetime | None,
    thanked: bool,
    not_thanked: bool,
    note: str | None,
    when: dt.datetime | None,
    project: Path,
) -> None:
    """Update a referral already in content/referrals.yaml: its status, value, thanks.

    Changes the entry of PROSPECT with PARTNER (`--date` picks one of several)
    in place, editing only the values it changes (comments and everything else stay as they are),
    for example `refkit mark --partner dana-whitfield --prospect "Lakeview
    Stamping" --status won --value 30000 --thanked`.
    """
    from refkit.ledger_edit import update_referral

    # what the command line says, whatever the ledger holds: usage errors (exit 2)
    if thanked and not_thanked:
        raise click.UsageError("give --thanked or --not-thanked, not both")
    if all(v is None for v in (status, value, follow_up, note)) and not (thanked or not_thanked):
        raise click.UsageError(
            "nothing to change: give --status, --value, --follow-up, --thanked, "
            "--not-thanked or --note"
        )
    click.echo(
        update_referral(
            project,
            partner=partner,
            prospect=prospect,
            status=status,
            value=value,
            follow_up_due=follow_up.date() if follow_up else None,
            thanked=thanked,
            not_thanked=not_thanked,
            note=note,
            date=when.date() if when else None,
        )
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--partner",
    default=None,
    metavar="SLUG",
    help="The partner who sent it (instead of looking up the sender's address); "
    "needed for a pasted brief without email headers.",
)
@click.option(
    "--prospect",
    default=None,
    metavar="NAME",
    help="Who was referred, when the message does not say clearly.",
)
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of the referral (default: the message's Date:, else today).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be logged; write nothing.")
@project_option
def ingest(
    files: tuple[Path, ...],
    partner: str | None,
    prospect: str | None,
    when: dt.datetime | None,
    dry_run: bool,
    project: Path,
) -> None:
    """Log received referrals from saved emails: briefs and introductions we were copied on.

    Each FILE is an .eml, an mbox or a pasted message: a referral brief from a
    partner (`Prospect:`, `Profile:` lines), or an introduction on which we
    were copied, also forwarded to ourselves. The partner is the sender (by
    their email in content/partners/). Each message is logged as `refkit log
    received` would; one that cannot be is reported and logs nothing.
    """
    from refkit.content.project import load_project
    from refkit.errors import ContentError, Problem
    from refkit.ingest import read_referrals, refused
    from refkit.ledger_edit import append_referral

    loaded = load_project(project)
    logged = failed = 0
    would_log: set[tuple[str, str, dt.date]] = set()  # a dry run writes nothing to look in
    for path in files:
        for found in read_referrals(
            loaded,
            path,
            partner=partner,
            prospect=prospect,
            date=when.date() if when else None,
            today=dt.date.today(),
        ):
            if isinstance(found, Problem):
                failed += 1
                click.echo(str(found), err=True)
                continue
            key = (found.partner, " ".join(found.prospect.split()).casefold(), found.date)
            if dry_run and key in would_log:
                failed += 1
                twice = Problem(found.source, "already logged above", field=found.label)
                click.echo(str(twice), err=True)
                continue
            would_log.add(key)
            try:
                line = append_referral(
                    project,
                    direction="received",
                    partner=found.partner,
                    prospect=found.prospect,
                    profile=found.profile,
                    status=None,
                    value=None,
                    date=found.date,
                    follow_up_due=None,
                    note=found.note,
                    thanked=False,
                    refuse_duplicate=True,
                    dry_run=dry_run,
                )
            except ContentError as exc:  # the ledger refused it: nothing logged for it
                failed += 1
                click.echo(str(refused(found, exc)), err=True)
            else:
                logged += 1
                click.echo(line)
    if failed:
        done = "would be logged" if dry_run else "logged"
        click.echo(
            f"{logged} referral{'' if logged == 1 else 's'} {done}; "
            f"{failed} message{'' if failed == 1 else 's'} refused, nothing logged for "
            f"{'it' if failed == 1 else 'them'} (errors above)",
            err=True,
        )
        raise SystemExit(1)


class _Subcommands(click.Group):
    """A command with subcommands (`refkit import partners`), each listed by its first line."""

    command_class = _Command
    get_short_help_str = _Command.get_short_help_str


@main.group(name="import", cls=_Subcommands)
def import_() -> None:
    """Bring data into content/: `refkit import partners FILE` from a contacts export."""


@import_.command(name="partners")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the files it would create; write nothing.")
@project_option
def import_partners(file: Path, dry_run: bool, project: Path) -> None:
    """Create a partner file per contact of a CSV or vCard file, never overwriting one.

    FILE is a Google Contacts, HubSpot or Outlook CSV export, refkit's own
    `refkit partners --csv`, or a vCard file (.vcf, one card or many). Each
    contact becomes content/partners/SLUG.yaml (SLUG from the name: José
    Núñez -> jose-nunez), status `prospect` unless a status column says
    otherwise. A file that exists is skipped; a row that cannot be imported
    is reported with its line and the others are still written (exit 1).
    """
    from refkit.contacts import contacts_kind
    from refkit.contacts import import_partners as run_import

    if contacts_kind(file) is None:
        raise click.BadParameter(
            f"{file.name} is neither a CSV (.csv) nor a vCard (.vcf) file; "
            "save a spreadsheet as CSV first",
            param_hint="FILE",
        )
    report = run_import(project, file, dry_run=dry_run)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    verb = "Would create" if dry_run else "Created"
    for path, who, status in report.created:
        click.echo(f"{verb} {path}: {who} ({status})")
    for problem in sorted(report.skipped + report.refused, key=lambda p: p.line or 0):
        click.echo(str(problem), err=True)
    click.echo(report.summary(), err=bool(report.refused))
    if report.refused:
        raise SystemExit(1)


@main.group(name="export", cls=_Subcommands)
def export() -> None:
    """Take data out of content/: `refkit export referrals` for the accountant or a spreadsheet."""


@export.command(name="referrals")
@click.option("--csv", "as_csv", is_flag=True, help="CSV for spreadsheets (UTF-8 with a BOM).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@project_option
def export_referrals(as_csv: bool, as_json: bool, out_file: Path | None, project: Path) -> None:
    """Print the referral ledger as CSV or JSON, every field and the private notes too.

    One row per entry of content/referrals.yaml: date, direction, partner
    (slug) and partner_name, prospect, profile, status, value (a plain
    number) and currency (business.currency), follow_up_due, thanked, note.
    Dates are YYYY-MM-DD. Give --csv or --json.
    """
    from refkit.content.project import load_project
    from refkit.exports import referrals_csv, referrals_json

    if as_csv == as_json:
        raise click.UsageError("give one of --csv or --json")
    loaded = load_project(project)
    data = referrals_csv(loaded) if as_csv else referrals_json(loaded)
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from refkit.errors import ContentError, Problem

    try:
        out_file.write_bytes(data)
    except OSError as exc:
        raise ContentError(Problem(str(out_file), f"cannot write: {exc.strerror}")) from None
    count = len(loaded.referrals)
    click.echo(f"Wrote {count} referral{'' if count == 1 else 's'} to {out_file}")


def _slug_argument(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from refkit.content.models import SLUG_RE

    if not SLUG_RE.match(value):
        raise click.BadParameter(
            f"'{value}' is not a slug: lowercase letters, digits and dashes, like 'jane-doe'"
        )
    return value


@main.group(name="new", cls=_Subcommands)
def new() -> None:
    """Write a commented starter file: `refkit new partner SLUG` or `refkit new profile SLUG`."""


def _new_file(kind: str, slug: str, project: Path) -> None:
    from refkit.scaffold import create_starter

    rel = create_starter(project, kind, slug, today=dt.date.today())
    click.echo(f"Created {rel}: edit its placeholders, then `refkit check`.")


@new.command(name="partner")
@click.argument("slug", callback=_slug_argument)
@project_option
def new_partner(slug: str, project: Path) -> None:
    """Write content/partners/SLUG.yaml: every partner field, the optional ones commented out.

    The name is made from SLUG; the partner starts as a `prospect`. Refuses
    a file that exists.
    """
    _new_file("partner", slug, project)


@new.command(name="profile")
@click.argument("slug", callback=_slug_argument)
@project_option
def new_profile(slug: str, project: Path) -> None:
    """Write content/profiles/SLUG.yaml: every profile field, the optional ones commented out.

    The required fields (title, summary, contact_role, criteria) hold
    placeholders to replace; the profile builds as it is. Refuses a file
    that exists.
    """
    _new_file("profile", slug, project)
