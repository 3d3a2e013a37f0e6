"""The validated project: every content file loaded, cross-references resolved.

``load_project`` collects every problem in every file before failing, so
``refkit check`` prints them all in one run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from refkit.content.diagnostics import unknown_reference, validate
from refkit.content.loader import (
    MAX_IMAGE_BYTES,
    Loc,
    SourceFile,
    load_yaml,
    read_regular_file,
)
from refkit.content.models import (
    SLUG_RE,
    Activity,
    Business,
    Ledger,
    Partner,
    Profile,
    Referral,
    Touch,
)
from refkit.errors import ContentError, InternalError, Problem
from refkit.resources import example_content
from refkit.text.images import IMAGE_FORMATS, ImageProblem, inspect_image
from refkit.text.logos import LOGO_ASPECTS, logo_aspect
from refkit.text.svg import clean_svg

YAML_SUFFIXES = (".yaml", ".yml")
LOGO_SUFFIXES = (".svg", ".png")


@dataclass(frozen=True)
class ImageFile:
    """A checked raster image of the project (``contact.photo``, a profile's ``image``)."""

    #: the file under content/assets, and as the project shows it
    path: Path
    rel: str
    data: bytes
    #: its size as shown (EXIF rotation applied)
    width: int
    height: int
    #: its text alternative (a profile's ``image_alt``; a photo's is the contact's name)
    alt: str = ""


# eq=False: a Project is compared (and cached) by identity; it never changes once loaded
@dataclass(frozen=True, eq=False)
class Project:
    """Everything under ``content/``, validated, with derived views computed once."""

    root: Path
    business: Business
    #: by slug, in display order (``order``, then title)
    profiles: dict[str, Profile]
    #: by slug, alphabetical
    partners: dict[str, Partner]
    referrals: tuple[Referral, ...]
    #: ``content/activity.yaml``: check-ins, meetings and calls, as written
    touches: tuple[Touch, ...] = ()
    #: the file each profile / partner came from, relative to the project
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    #: ``site.brand.logo``, checked: the file, and the bytes every output publishes
    #: (read once; an SVG sanitised, see :func:`refkit.text.svg.clean_svg`)
    logo: Path | None = None
    logo_data: bytes | None = None
    #: ``contact.photo`` and each profile's ``image`` (by slug), checked and read
    photo: ImageFile | None = None
    images: dict[str, ImageFile] = field(default_factory=dict)
    #: ``site.brand.logo_on_dark``, checked the same way: the variant for the brand band
    logo_on_dark: Path | None = None
    logo_on_dark_data: bytes | None = None
    #: ``content/business.yaml`` (or ``.yml``), relative to the project
    business_file: str = "content/business.yaml"

    @property
    def content_dir(self) -> Path:
        """The project's ``content/`` folder."""
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        """The project's ``templates/`` folder (may not exist)."""
        return self.root / "templates"

    def active_partners(self) -> dict[str, Partner]:
        """Partners that get outputs: every status but ``retired``."""
        return dict(self._active)

    @cached_property
    def _active(self) -> dict[str, Partner]:
        return {s: p for s, p in self.partners.items() if p.status != "retired"}

    def profiles_for(self, partner_slug: str) -> dict[str, Profile]:
        """The profiles a partner serves; all of them when the partner lists none."""
        serves = self.partners[partner_slug].serves
        if not serves:
            return dict(self.profiles)
        return {s: p for s, p in self.profiles.items() if s in serves}

    def partners_serving(self, profile_slug: str) -> dict[str, Partner]:
        """Non-retired partners that list this profile in ``serves``."""
        return {s: p for s, p in self.active_partners().items() if profile_slug in p.serves}

    def referrals_with(self, partner_slug: str) -> list[Referral]:
        """Ledger entries with one partner, oldest first."""
        return sorted(
            (r for r in self.referrals if r.partner == partner_slug), key=lambda r: r.date
        )

    def touches_with(self, partner_slug: str) -> list[Touch]:
        """Check-ins, meetings and calls with one partner, oldest first."""
        return sorted((t for t in self.touches if t.partner == partner_slug), key=lambda t: t.date)

    def file_of(self, kind: str, slug: str) -> str:
        """The content file a profile or partner came from, relative to the project."""
        return self.files[(kind, slug)]


def load_project(root: Path) -> Project:
    """Load and validate ``root/content``; raise ContentError listing every problem."""
    root = Path(root)
    content = root / "content"
    if not content.is_dir():
        raise ContentError(_no_content(root, content))
    reader = _Reader(root)
    business = reader.read_business()
    profiles, partners = reader.read_folders()
    referrals = reader.read_ledger()
    touches = reader.read_activity()
    reader.check_references(profiles, partners)
    logo, logo_data = reader.check_logo("logo")
    photo, images = reader.check_images(business, profiles)
    logo_on_dark, logo_on_dark_data = reader.check_logo("logo_on_dark")
    if reader.problems:
        raise ContentError(_sorted(reader.problems))
    if business is None:
        raise InternalError("business.yaml had no problem and no value")
    project = Project(
        root=root,
        business=business,
        profiles=dict(sorted(profiles.items(), key=_display_order)),
        partners=dict(sorted(partners.items())),
        referrals=tuple(referrals),
        touches=tuple(touches),
        files=reader.files,
        sources=reader.sources,
        logo=logo,
        logo_data=logo_data,
        photo=photo,
        images=images,
        logo_on_dark=logo_on_dark,
        logo_on_dark_data=logo_on_dark_data,
        business_file=_rel(root, reader.business_path),
    )
    warnings = [*reader.warnings, *_lint(project)]
    return dataclasses.replace(project, warnings=tuple(_sorted(warnings)))


def _no_content(root: Path, content: Path) -> Problem:
    """Why ``root`` is not a project, naming the folder as the user gave it."""
    here = "the current folder" if root == Path(".") else f"'{root.as_posix()}'"
    if not root.exists():
        what = f"{here} does not exist"
    elif not root.is_dir():
        what = f"{here} is not a folder"
    elif content.exists():
        what = f"{content.as_posix()} is not a folder"
    else:
        what = f"{here} holds no content/ folder"
    return Problem(
        content.as_posix(),
        f"no content/ folder here: {what}; run `refkit init {root.as_posix()}` to start a "
        "project there, or pass -p/--project with the folder that holds content/",
    )


def _display_order(item: tuple[str, Profile]) -> tuple[int, str]:
    """Profiles by ``order`` (those without one last), then by title."""
    profile = item[1]
    return (profile.order if profile.order is not None else 1 << 30, profile.title)


class _Reader:
    """Reads every content file of one project, collecting problems instead of stopping."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.sources: dict[str, SourceFile] = {}
        #: the file of each profile and partner: (kind, slug) -> path relative to the project
        self.files: dict[tuple[str, str], str] = {}
        self.business_path = self._either("business")
        self.ledger_path = self._either("referrals")
        self.ledger_source: SourceFile | None = None
        self.activity_path = self._either("activity")
        self.activity_source: SourceFile | None = None

    def _either(self, stem: str) -> Path:
        """``content/STEM.yaml``, or ``STEM.yml`` when only that exists."""
        path = self.content / f"{stem}.yaml"
        other = self.content / f"{stem}.yml"
        return other if not _exists(path) and _exists(other) else path

    def outside(self, path: Path, *, may_leave: bool = False) -> str | None:
        """Why ``path``, symlinks followed, is not a file of the project; None when it is.

        ``may_leave``: the ledger may live elsewhere (kept out of git, say); it is
        private and never published, unlike what reaches the site and the PDFs.
        """
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # Python < 3.13 raises RuntimeError for a loop
            return "is a symlink that leads back to itself (a loop): replace it by the file"
        if path.is_symlink() and not path.exists():
            return "is a symlink to a file that does not exist: fix or remove the link"
        if may_leave or any(
            resolved.is_relative_to(folder.resolve()) for folder in (self.root, self.content)
        ):
            return None
        return "is a symlink to a file outside the project: copy the file into content/ instead"

    def read(
        self, path: Path, model: Any, *, may_leave: bool = False
    ) -> tuple[SourceFile | None, Any]:
        """Load one YAML file and validate it against ``model``; None where it fails.

        Only files inside the project are read (a symlink may point within it;
        the ledger anywhere), and only regular ones (FIFOs and devices unopened).
        """
        rel = _rel(self.root, path)
        refused = self.outside(path, may_leave=may_leave)
        if refused is not None:
            self.problems.append(Problem(rel, refused))
            return None, None
        try:
            source = load_yaml(path, rel)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None, None
        except OSError as exc:
            self.problems.append(Problem(rel, f"cannot read: {exc.strerror}"))
            return None, None
        self.sources[rel] = source
        self.problems.extend(source.problems)
        return source, validate(source, model, self.problems)

    def read_business(self) -> Business | None:
        """``business.yaml``, which every project needs."""
        if not _exists(self.business_path):
            self.problems.append(
                Problem(_rel(self.root, self.business_path), "missing: every project needs one")
            )
            return None
        business: Business | None = self.read(self.business_path, Business)[1]
        return business

    def read_folders(self) -> tuple[dict[str, Profile], dict[str, Partner]]:
        """Every ``profiles/SLUG.yaml`` and ``partners/SLUG.yaml``; at least one profile."""
        profiles: dict[str, Profile] = {}
        partners: dict[str, Partner] = {}
        for kind, folder, model, into in (
            ("profile", "profiles", Profile, profiles),
            ("partner", "partners", Partner, partners),
        ):
            for slug, path in _slug_files(self.root, self.content / folder, self.problems):
                obj = self.read(path, model)[1]
                self.files[(kind, slug)] = _rel(self.root, path)
                if obj is not None:
                    into[slug] = obj
        if not self.files.keys() & {("profile", s) for s in _stems(self.content / "profiles")}:
            self.problems.append(
                Problem(
                    _rel(self.root, self.content / "profiles"),
                    "no profiles: add at least one content/profiles/SLUG.yaml "
                    "describing a client you want introduced",
                )
            )
        return profiles, partners

    def read_ledger(self) -> list[Referral]:
        """``referrals.yaml`` (optional), and a warning for each misplaced profile."""
        if not _exists(self.ledger_path):
            return []
        self.ledger_source, entries = self.read(self.ledger_path, Ledger, may_leave=True)
        referrals: list[Referral] = list(entries) if entries is not None else []
        for i, entry in enumerate(referrals):
            if entry.profile is not None and entry.direction == "given" and self.ledger_source:
                self.warnings.append(
                    self.ledger_source.problem(
                        (i, "profile"),
                        "a profile is recorded for received referrals only; it is ignored here",
                    ).as_warning()
                )
        return referrals

    def read_activity(self) -> list[Touch]:
        """``activity.yaml`` (optional): check-ins, meetings and calls."""
        if not _exists(self.activity_path):
            return []
        self.activity_source, entries = self.read(self.activity_path, Activity, may_leave=True)
        return list(entries) if entries is not None else []

    def check_references(self, profiles: dict[str, Profile], partners: dict[str, Partner]) -> None:
        """Unknown slugs in ``serves`` and the ledger, read from the raw data.

        On the raw data, so that a file with another error still gets its
        unknown slugs reported in the same run.
        """
        profile_slugs = sorted(set(profiles) | {s for k, s in self.files if k == "profile"})
        partner_slugs = sorted(set(partners) | {s for k, s in self.files if k == "partner"})
        located = {(p.path, p.line, p.col) for p in self.problems}

        def refer(source: SourceFile, loc: Loc, kind: str, value: Any, known: list[str]) -> None:
            if not isinstance(value, str) or value in known:
                return
            problem = source.problem(loc, unknown_reference(kind, value, known))
            if (problem.path, problem.line, problem.col) not in located:
                self.problems.append(problem)

        for (kind, _slug), rel in sorted(self.files.items()):
            source = self.sources.get(rel)
            if kind != "partner" or source is None or not isinstance(source.data, dict):
                continue
            serves = source.data.get("serves")
            for i, ref in enumerate(serves if isinstance(serves, list) else []):
                refer(source, ("serves", i), "profile", ref, profile_slugs)
        ledger = self.ledger_source
        if ledger is not None and isinstance(ledger.data, list):
            for i, raw in enumerate(ledger.data):
                if isinstance(raw, dict):
                    refer(ledger, (i, "partner"), "partner", raw.get("partner"), partner_slugs)
                    refer(ledger, (i, "profile"), "profile", raw.get("profile"), profile_slugs)
        activity = self.activity_source
        if activity is not None and isinstance(activity.data, list):
            for i, raw in enumerate(activity.data):
                if isinstance(raw, dict):
                    refer(activity, (i, "partner"), "partner", raw.get("partner"), partner_slugs)

    def check_logo(self, name: str) -> tuple[Path | None, bytes | None]:
        """``site.brand.NAME``: an SVG or PNG file under ``content/assets``, and its bytes."""
        source = self.sources.get(_rel(self.root, self.business_path))
        raw_logo = _dig(source, "site", "brand", name)
        if source is None or not isinstance(raw_logo, str) or not raw_logo:
            return None, None
        logo = _check_asset(
            self.root, raw_logo, source, ("site", "brand", name), LOGO_SUFFIXES, self.problems
        )
        if logo is None:
            return None, None
        rel = _rel(self.root, logo)
        try:
            data = read_regular_file(logo, rel, MAX_IMAGE_BYTES)
            if logo.suffix.lower() != ".svg":
                return logo, data
            # opened on its own, an SVG runs its scripts: only a sanitised copy is published
            clean = clean_svg(data, rel)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None, None
        if clean.removed:
            self.warnings.append(
                Problem(
                    rel,
                    "removed from the logo, which could run or fetch them when opened: "
                    + ", ".join(clean.removed),
                    severity="warning",
                )
            )
        return logo, clean.data

    def check_images(
        self, business: Business | None, profiles: dict[str, Profile]
    ) -> tuple[ImageFile | None, dict[str, ImageFile]]:
        """``contact.photo`` and the profiles' ``image``: JPEG, PNG or WebP files under
        ``content/assets`` that decode in full, each problem at the field's line."""
        photo = None
        business_source = self.sources.get(_rel(self.root, self.business_path))
        if business is not None and business.contact.photo and business_source is not None:
            photo = self._check_image(
                business_source, ("contact", "photo"), business.contact.photo, business.contact.name
            )
        images: dict[str, ImageFile] = {}
        for slug, profile in profiles.items():
            source = self.sources.get(self.files.get(("profile", slug), ""))
            if profile.image is None or source is None:
                continue
            image = self._check_image(source, ("image",), profile.image, profile.image_alt or "")
            if image is not None:
                images[slug] = image
        return photo, images

    def _check_image(self, source: SourceFile, loc: Loc, value: str, alt: str) -> ImageFile | None:
        path = _check_asset(
            self.root,
            value,
            source,
            loc,
            tuple(IMAGE_FORMATS),
            self.problems,
            "a JPEG, PNG or WebP",
        )
        if path is None:
            return None
        rel = _rel(self.root, path)
        try:
            data = read_regular_file(path, rel, MAX_IMAGE_BYTES)
            width, height = inspect_image(data, path.suffix)
        except ContentError as exc:
            self.problems.extend(
                source.problem(loc, f"'{value}' ({rel}): {p.message}") for p in exc.problems
            )
            return None
        except ImageProblem as exc:
            self.problems.append(source.problem(loc, f"'{value}' ({rel}) {exc}"))
            return None
        return ImageFile(path, rel, data, width, height, alt)


def _lint(project: Project) -> Iterable[Problem]:
    """Content that is valid but probably not what the user wants."""
    served = {s for p in project.active_partners().values() for s in p.serves}
    for slug in project.profiles:
        if slug not in served and project.partners:
            yield Problem(
                project.file_of("profile", slug),
                f"no partner serves '{slug}': list it in a partner's `serves` "
                "so someone can refer it",
                1,
                1,
                severity="warning",
            )
    for slug, partner in project.partners.items():
        source = project.sources[project.file_of("partner", slug)]
        if partner.status == "active" and partner.email is None:
            yield source.problem(
                (), "active partner has no email: no .eml drafts for them"
            ).as_warning()
        if partner.status != "active":
            continue  # prospects are still being assessed; paused ones are known
        for key, value in partner.qualifiers.items():
            if value is False:
                yield source.problem(
                    ("qualifiers", key),
                    f"qualifier '{key}' is false: is this partner a good fit?",
                ).as_warning()
    yield from _progress_not_shown(project)
    yield from _undeliverable_emails(project)
    yield from _future_referrals(project, dt.date.today())
    yield from _example_logo(project)
    yield from _logo_shapes(project)


def _source_of(project: Project, stem: str) -> SourceFile | None:
    """The source of ``content/STEM.yaml`` (or ``.yml``), if it was read."""
    for suffix in YAML_SUFFIXES:
        source = project.sources.get(f"content/{stem}{suffix}")
        if source is not None:
            return source
    return None


def _progress_not_shown(project: Project) -> Iterable[Problem]:
    """``share_progress`` on a partner without a private page: the counts never go public."""
    for slug, partner in project.active_partners().items():
        source = project.sources.get(project.file_of("partner", slug))
        if source is None or not partner.share_progress or partner.page == "private":
            continue
        page = "page is public" if partner.page == "public" else "has no page (page: none)"
        problem = source.problem(
            ("share_progress",),
            f"share_progress shows on a private page only: this partner {page}, so the "
            "counts are shown nowhere; set page: private, or remove share_progress",
        )
        # the message names the field already
        yield dataclasses.replace(problem, field=None).as_warning()


def _undeliverable_emails(project: Project) -> Iterable[Problem]:
    """Addresses a mail server cannot route (no dot after the @: ``owner@examplestudio``),
    and those only an SMTPUTF8 draft can carry (non-ASCII before the @: ``dänä@...``).

    A non-ASCII domain alone is fine: drafts write it in IDNA (``xn--exmple-cua.com``).
    """
    found: list[tuple[SourceFile | None, Loc, str | None]] = [
        (_source_of(project, "business"), ("contact", "email"), project.business.contact.email)
    ]
    for slug, partner in project.partners.items():
        found.append(
            (project.sources.get(project.file_of("partner", slug)), ("email",), partner.email)
        )
    for source, loc, address in found:
        if source is None or not address:
            continue
        local, _, domain = address.rpartition("@")
        if "." not in domain:
            yield source.problem(
                loc,
                f"'{address}' has no dot in its domain, so mail to it cannot arrive: "
                "check the address",
            ).as_warning()
        if not local.isascii():
            whose = "every" if loc[0] == "contact" else "this partner's"
            yield source.problem(
                loc,
                f"'{address}' has non-ASCII letters before the @: {whose} .eml drafts "
                "are SMTPUTF8 messages, which older mail apps and servers cannot handle",
            ).as_warning()


def _future_referrals(project: Project, today: dt.date) -> Iterable[Problem]:
    """Ledger and activity entries dated after the real today: most often a mistyped year."""
    dated: dict[str, list[dt.date]] = {
        "referrals": [r.date for r in project.referrals],
        "activity": [t.date for t in project.touches],
    }
    for stem, dates in dated.items():
        source = _source_of(project, stem)
        for i, date in enumerate(dates):
            if source is not None and date > today:
                yield source.problem(
                    (i, "date"), f"{date.isoformat()} is in the future: is the year right?"
                ).as_warning()


def _example_logo(project: Project) -> Iterable[Problem]:
    """Another business still showing the example's logo (the example itself may)."""
    source = _source_of(project, "business")
    example = example_content()
    if project.logo is None or source is None:
        return
    ours, theirs = project.logo, example / "assets" / "logo.svg"
    if not theirs.is_file() or ours.stat().st_size != theirs.stat().st_size:
        return
    if ours.read_bytes() != theirs.read_bytes():
        return
    example_business = load_yaml(example / "business.yaml", "business.yaml").data
    if isinstance(example_business, dict) and example_business.get("name") == project.business.name:
        return
    yield source.problem(
        ("site", "brand", "logo"),
        "this is still the example's logo: put your own in content/assets/ and name it here",
    ).as_warning()


def _logo_shapes(project: Project) -> Iterable[Problem]:
    """A logo wider than 8:1 or taller than 1:3: drawn too small, or too wide for a phone."""
    source = _source_of(project, "business")
    for name, path, data in (
        ("logo", project.logo, project.logo_data),
        ("logo_on_dark", project.logo_on_dark, project.logo_on_dark_data),
    ):
        if source is None or path is None or data is None:
            continue
        aspect = logo_aspect(data, path.suffix)
        if LOGO_ASPECTS[0] <= aspect <= LOGO_ASPECTS[1]:
            continue
        shape = f"{aspect:.3g}:1 (wide)" if aspect > 1 else f"1:{1 / aspect:.3g} (tall)"
        yield source.problem(
            ("site", "brand", name),
            f"the logo is {shape}; logos from 1:3 to 8:1 show at a readable size on every "
            "output: crop its empty margins, or use a stacked or shorter version",
        ).as_warning()


def _stems(folder: Path) -> set[str]:
    return (
        {p.stem for p in folder.glob("*") if p.suffix in YAML_SUFFIXES}
        if folder.is_dir()
        else set()
    )


def _slug_files(root: Path, folder: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """The YAML files of a folder with valid, unique slugs; problems for the others."""
    if not folder.is_dir():
        if os.path.lexists(folder):
            problems.append(
                Problem(
                    _rel(root, folder),
                    f"is a file, not a folder: {folder.name}/ holds one YAML file each "
                    f"(e.g. {folder.name}/some-name.yaml)",
                )
            )
        return []
    by_slug: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix not in YAML_SUFFIXES and path.suffix.lower() in YAML_SUFFIXES:
            problems.append(
                Problem(
                    _rel(root, path),
                    f"'{path.name}' is not read: name it with a lowercase "
                    f"'{path.suffix.lower()}' extension",
                    field="file name",
                )
            )
            continue
        if path.suffix not in YAML_SUFFIXES:
            continue
        slug = path.stem
        if not SLUG_RE.match(slug):
            problems.append(
                Problem(
                    _rel(root, path),
                    f"'{path.name}' is not a valid slug: use lowercase letters, "
                    "digits and dashes (e.g. 'hr-directors.yaml')",
                    field="file name",
                )
            )
            continue
        if slug in by_slug:
            problems.append(
                Problem(
                    _rel(root, path),
                    f"slug '{slug}' is also used by {_rel(root, by_slug[slug])}; "
                    "rename or remove one of them",
                    field="file name",
                )
            )
            continue
        by_slug[slug] = path
    return sorted(by_slug.items())


def _check_asset(
    root: Path,
    value: str,
    source: SourceFile,
    loc: Loc,
    suffixes: tuple[str, ...],
    problems: list[Problem],
    what: str = "an SVG or PNG",
) -> Path | None:
    """The file ``value`` names under ``content/assets`` (symlinks may not leave it)."""
    assets = (root / "content" / "assets").resolve()
    relative = value.removeprefix("content/").removeprefix("assets/")
    candidate = (assets / relative).resolve()
    if not candidate.is_relative_to(assets):
        problems.append(source.problem(loc, f"'{value}' must be a file under content/assets"))
        return None
    if not candidate.is_file():
        problems.append(
            source.problem(loc, f"'{value}' not found (looked for {_rel(root, candidate)})")
        )
        return None
    if candidate.suffix.lower() not in suffixes:
        problems.append(source.problem(loc, f"'{value}' must be {what} file"))
        return None
    return candidate


def _dig(source: SourceFile | None, *keys: str) -> Any:
    """``source.data[k1][k2]...``, or None where the shape is not as expected."""
    value: Any = source.data if source is not None else None
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _exists(path: Path) -> bool:
    """Whether anything is at ``path``: a file, a folder, a FIFO, even a broken symlink."""
    return path.is_symlink() or path.exists()


def _rel(root: Path, path: Path) -> str:
    """``path`` relative to the project, as the user sees it (symlinks not followed)."""
    if path.absolute().is_relative_to(root.absolute()):
        return path.absolute().relative_to(root.absolute()).as_posix()
    try:
        where = path.parent.resolve() / path.name
        return where.relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
