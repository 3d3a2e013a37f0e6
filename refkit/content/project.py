"""The validated project: every content file loaded, cross-references resolved.

``load_project`` collects every problem in every file before failing, so
``refkit check`` prints them all in one run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from refkit.content.diagnostics import unknown_reference, validate
from refkit.content.loader import Loc, SourceFile, load_yaml
from refkit.content.models import SLUG_RE, Business, Ledger, Partner, Profile, Referral
from refkit.errors import ContentError, InternalError, Problem

YAML_SUFFIXES = (".yaml", ".yml")
LOGO_SUFFIXES = (".svg", ".png")


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
    #: the file each profile / partner came from, relative to the project
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    logo: Path | None = None

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

    def file_of(self, kind: str, slug: str) -> str:
        """The content file a profile or partner came from, relative to the project."""
        return self.files[(kind, slug)]


def load_project(root: Path) -> Project:
    """Load and validate ``root/content``; raise ContentError listing every problem."""
    root = Path(root)
    content = root / "content"
    if not content.is_dir():
        raise ContentError(
            Problem(
                _rel(root, content),
                "no content/ folder here; run `refkit init DIR` to start a project, "
                "or pass -p/--project",
            )
        )
    reader = _Reader(root)
    business = reader.read_business()
    profiles, partners = reader.read_folders()
    referrals = reader.read_ledger()
    reader.check_references(profiles, partners)
    logo = reader.check_logo()
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
        files=reader.files,
        sources=reader.sources,
        logo=logo,
    )
    warnings = [*reader.warnings, *_lint(project)]
    return dataclasses.replace(project, warnings=tuple(_sorted(warnings)))


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

    def _either(self, stem: str) -> Path:
        """``content/STEM.yaml``, or ``STEM.yml`` when only that exists."""
        path = self.content / f"{stem}.yaml"
        other = self.content / f"{stem}.yml"
        return other if not path.is_file() and other.is_file() else path

    def read(self, path: Path, model: Any) -> tuple[SourceFile | None, Any]:
        """Load one YAML file and validate it against ``model``; None where it fails."""
        rel = _rel(self.root, path)
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
        if not self.business_path.is_file():
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
        if not self.ledger_path.is_file():
            return []
        self.ledger_source, entries = self.read(self.ledger_path, Ledger)
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

    def check_logo(self) -> Path | None:
        """``site.brand.logo``: an SVG or PNG file under ``content/assets``."""
        source = self.sources.get(_rel(self.root, self.business_path))
        raw_logo = _dig(source, "site", "brand", "logo")
        if source is None or not isinstance(raw_logo, str) or not raw_logo:
            return None
        return _check_logo(self.root, raw_logo, source, self.problems)


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


def _stems(folder: Path) -> set[str]:
    return (
        {p.stem for p in folder.glob("*") if p.suffix in YAML_SUFFIXES}
        if folder.is_dir()
        else set()
    )


def _slug_files(root: Path, folder: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """The YAML files of a folder with valid, unique slugs; problems for the others."""
    if not folder.is_dir():
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


def _check_logo(root: Path, logo: str, source: SourceFile, problems: list[Problem]) -> Path | None:
    assets = (root / "content" / "assets").resolve()
    relative = logo.removeprefix("content/").removeprefix("assets/")
    candidate = (assets / relative).resolve()
    loc = ("site", "brand", "logo")
    if not candidate.is_relative_to(assets):
        problems.append(source.problem(loc, f"'{logo}' must be a file under content/assets"))
        return None
    if not candidate.is_file():
        problems.append(
            source.problem(loc, f"'{logo}' not found (looked for {_rel(root, candidate)})")
        )
        return None
    if candidate.suffix.lower() not in LOGO_SUFFIXES:
        problems.append(source.problem(loc, f"'{logo}' must be an SVG or PNG file"))
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


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
