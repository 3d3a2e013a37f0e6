"""The gallery: synthetic projects built from the example with changes, each built once.

A variant is a name and either a changes dict for :func:`conftest.apply_changes`
or a function of the project folder that returns one (to read the example
first). Add a variant by adding a line to VARIANTS; every gallery test runs on
it. Builds are cached for the session (``gallery_build``), so each variant is
built at most once per test process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TODAY, apply_changes, write_project
from imagegen import make_image, svg_logo

Changes = dict[str, Any]
Variant = Changes | Callable[[Path], Changes]

#: the example partners the count variants keep: a private partner page and a customer
KEPT_PARTNERS = ("dana-whitfield", "helen-marsh")

PROFILES = ("growing-manufacturers", "first-hr-hire", "acquisition-integration")


def _load(root: Path, rel: str) -> Any:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def _minimal(root: Path) -> Changes:
    """One profile and a business with only the fields the content model requires."""
    business = _load(root, "content/business.yaml")
    changes: Changes = {
        "content/business.yaml": "",  # replaced below: a dict would be merged
        "content/referrals.yaml": None,
    }
    changes["content/business.yaml"] = yaml.safe_dump(
        {
            "name": business["name"],
            "summary": business["summary"],
            "contact": {"name": "Priya Raman", "email": "priya@example.com"},
            "services": business["services"][:1],
        },
        sort_keys=False,
    )
    for path in (root / "content" / "partners").glob("*.yaml"):
        changes[f"content/partners/{path.name}"] = None
    for slug in PROFILES[1:]:
        changes[f"content/profiles/{slug}.yaml"] = None
    profile = _load(root, f"content/profiles/{PROFILES[0]}.yaml")
    changes[f"content/profiles/{PROFILES[0]}.yaml"] = yaml.safe_dump(
        {key: profile[key] for key in ("title", "summary", "contact_role")}
        | {"criteria": profile["criteria"][:1]},
        sort_keys=False,
    )
    return changes


def _twelve(items: list[str]) -> list[str]:
    return [
        items[i % len(items)] + ("" if i < len(items) else f" (case {i + 1})") for i in range(12)
    ]


def _dense(root: Path) -> Changes:
    """The first profile with every list at 12 items and a long example."""
    profile = _load(root, f"content/profiles/{PROFILES[0]}.yaml")
    for key in ("signals", "needs", "criteria", "disqualifiers", "why_us"):
        profile[key] = _twelve(profile[key])
    company = profile["company"]
    company["industries"] = _twelve(company["industries"])
    company["locations"] = _twelve(company["locations"])
    profile["example"] = (profile["example"].strip() + " ") * 3
    return {f"content/profiles/{PROFILES[0]}.yaml": yaml.safe_dump(profile, sort_keys=False)}


def counts(n: int) -> Callable[[Path], Changes]:
    """``n`` services, testimonials, profiles and public partners (each serving every profile)."""

    def changes(root: Path) -> Changes:
        business = _load(root, "content/business.yaml")
        out: Changes = {
            "content/business.yaml": {
                "services": [
                    {"name": f"{s['name']}", "summary": s["summary"]}
                    for s in (business["services"] * n)[:n]
                ],
                "testimonials": (business["testimonials"] * n)[:n],
            },
            # the example's one public partner becomes private: the synthetic ones are listed;
            # a private partner and a customer are kept, the rest go (fewer PDFs to build)
            "content/partners/dana-whitfield.yaml": {"page": "private"},
            "content/referrals.yaml": None,
        }
        for path in (root / "content" / "partners").glob("*.yaml"):
            if path.stem not in KEPT_PARTNERS:
                out[f"content/partners/{path.name}"] = None
        profiles = list(PROFILES[:n])
        for i in range(len(PROFILES), n):
            data = _load(root, f"content/profiles/{PROFILES[i % len(PROFILES)]}.yaml")
            data["title"] = f"{data['title']} ({i + 1})"
            data["order"] = i + 1
            slug = f"profile-{i + 1}"
            out[f"content/profiles/{slug}.yaml"] = yaml.safe_dump(data, sort_keys=False)
            profiles.append(slug)
        for slug in PROFILES[n:]:
            out[f"content/profiles/{slug}.yaml"] = None
        for slug in KEPT_PARTNERS:
            out.setdefault(f"content/partners/{slug}.yaml", {})["serves"] = profiles
        for i in range(n):
            out[f"content/partners/listed-{i + 1}.yaml"] = {
                "name": f"Partner Person {i + 1}",
                "company": f"Listed Partner Firm {i + 1}",
                "role": "Managing Partner",
                "page": "public",
                "serves": profiles,
                "offers": ["Employment law for manufacturers", "Handbook reviews"][: 1 + i % 2],
            }
        return out

    return changes


#: the example's brand colour: the band a logo of that colour would vanish into
BRAND = "#1d4e5f"


def _business(**edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], Changes]:
    """business.yaml edited in place (nested keys too, which apply_changes would replace)."""

    def changes(root: Path) -> Changes:
        business = _load(root, "content/business.yaml")
        for change in edit.values():
            change(business)
        return {"content/business.yaml": yaml.safe_dump(business, sort_keys=False)}

    return changes


def _logo(file: str, data: str | bytes) -> Callable[[Path], Changes]:
    """The example with ``content/assets/FILE`` as its logo."""

    def changes(root: Path) -> Changes:
        out = _business(logo=lambda b: b["site"]["brand"].update(logo=f"assets/{file}"))(root)
        return out | {f"content/assets/{file}": data}

    return changes


def _photo(root: Path) -> Changes:
    edit = _business(photo=lambda b: b["contact"].update(photo="assets/priya.jpg"))
    return edit(root) | {"content/assets/priya.jpg": make_image(900, 1100)}


def _pictures(root: Path) -> Changes:
    """Every profile with a landscape picture (and its text alternative)."""
    out: Changes = {}
    for i, slug in enumerate(PROFILES):
        out[f"content/assets/{slug}.jpg"] = make_image(1800 - 200 * i, 1100)
        out[f"content/profiles/{slug}.yaml"] = {
            "image": f"assets/{slug}.jpg",
            "image_alt": f"A client's team at work ({slug.replace('-', ' ')})",
        }
    return out


def _no_logo(business: dict[str, Any]) -> None:
    del business["site"]["brand"]["logo"]


def _german(business: dict[str, Any]) -> None:
    business["site"]["language"] = "de"
    business["currency"] = "EUR"


#: variant -> the intrinsic aspect ratio (width / height) of the header logo it shows
LOGO_ASPECTS: dict[str, float] = {
    "wordmark-6x1": 6.0,
    "tall-1x2": 0.5,
    "band-coloured-logo": 1.0,
}

#: name -> changes (or a function of the example's folder returning them)
VARIANTS: dict[str, Variant] = {
    "example": {},
    "minimal": _minimal,
    "dense": _dense,
    "long-name": {
        "content/business.yaml": {
            "name": "Keel & Compass Fractional HR Leadership and People Partners LLC"
        }
    },
    "count-1": counts(1),
    "count-2": counts(2),
    "count-4": counts(4),
    "count-5": counts(5),
    "count-7": counts(7),
    "wordmark-6x1": _logo("wordmark.svg", svg_logo(600, 100)),
    "tall-1x2": _logo("tall.svg", svg_logo(100, 200)),
    "no-logo": _business(logo=_no_logo),
    "band-coloured-logo": _logo("mark.svg", svg_logo(64, 64, fill=BRAND)),
    "contact-photo": _photo,
    "profile-images": _pictures,
    "de-eur": _business(language=_german),
}

#: variants whose one-pagers do not fit by design: their PDFs fail to build (test_pdf_layout)
TOO_LONG = {"dense"}


def make_variant(root: Path, name: str) -> Path:
    """Write the gallery project ``name`` into ``root``."""
    write_project(root)
    variant = VARIANTS[name]
    apply_changes(root, variant(root) if callable(variant) else variant)
    return root


@pytest.fixture(scope="session")
def gallery_build(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Callable[[str, str], Path]]:
    """``gallery_build(name, kind)`` -> the variant's project, its ``kind`` built once per session.

    The site and the one-pagers are built apart (``kind`` "site" or "pdf"):
    the site alone takes a second, and a test of one needs nothing of the other.
    The example is the session's ``example_build`` (other tests build it anyway).
    """
    from refkit.pipeline import build

    built: dict[tuple[str, str], Path] = {}

    def get(name: str, kind: str) -> Path:
        if name == "example" and not VARIANTS[name]:
            return Path(request.getfixturevalue("example_build"))
        if (name, kind) not in built:
            root = make_variant(tmp_path_factory.mktemp(f"gallery-{name}-{kind}"), name)
            build(root, only=[kind], today=TODAY, jobs=2)
            built[name, kind] = root
        return built[name, kind]

    yield get


@pytest.fixture(scope="session")
def gallery_artifacts(artifacts: Path) -> Path:
    """test-artifacts/gallery/: screenshots of every page and one-pager, by variant."""
    folder = artifacts / "gallery"
    folder.mkdir(exist_ok=True)
    return folder
