"""contact.photo and profile images: each problem one line at the YAML field, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_project import BUSINESS, PROFILE, check, line_of

from conftest import cli_build
from imagegen import make_image, png_header_only

PHOTO = make_image(600, 800)


def with_photo(make_project, data: bytes, name: str = "priya.jpg"):
    root = make_project(
        {
            f"content/assets/{name}": data,
            BUSINESS: {},
        }
    )
    text = (root / BUSINESS).read_text(encoding="utf-8")
    text = text.replace("  name: Priya Raman\n", f"  name: Priya Raman\n  photo: assets/{name}\n")
    (root / BUSINESS).write_text(text, encoding="utf-8")
    return root


def photo_error(root: Path) -> str:
    code, lines = check(root)
    assert code == 1
    errors = [line for line in lines if "contact.photo" in line]
    assert len(errors) == 1, lines
    line = line_of(root, BUSINESS, "photo:")
    assert errors[0].startswith(f"{BUSINESS}:{line}:"), errors
    return errors[0]


def test_a_good_photo_is_accepted(make_project) -> None:
    root = with_photo(make_project, PHOTO)
    code, lines = check(root, "--strict")
    assert code == 0, lines


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("broken.jpg", PHOTO[: len(PHOTO) // 2], "is broken or truncated"),
        ("noise.jpg", b"not an image at all", "is not a readable JPEG image"),
        ("png-inside.jpg", make_image(100, 100, "PNG"), "is a PNG image, not the JPEG"),
        ("photo.gif", make_image(100, 100, "GIF"), "must be a JPEG, PNG or WebP file"),
        ("huge.png", png_header_only(8000, 6000), "48 megapixels), more than the 40"),
        ("bomb.png", png_header_only(100_000, 100_000), "more pixels than the 40 megapixels"),
    ],
)
def test_bad_photos_are_one_line_at_the_field(make_project, name, data, expected) -> None:
    error = photo_error(with_photo(make_project, data, name))
    assert expected in error
    assert name in error


def test_a_missing_photo_and_one_outside_assets(make_project) -> None:
    root = with_photo(make_project, PHOTO)
    text = (root / BUSINESS).read_text(encoding="utf-8")
    (root / BUSINESS).write_text(text.replace("assets/priya.jpg", "assets/gone.jpg"))
    assert "'assets/gone.jpg' not found" in photo_error(root)
    (root / BUSINESS).write_text(text.replace("assets/priya.jpg", "../../secret.jpg"))
    assert "must be a file under content/assets" in photo_error(root)


def test_a_symlink_out_of_assets_is_refused(make_project, tmp_path) -> None:
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(PHOTO)
    root = with_photo(make_project, PHOTO)
    link = root / "content" / "assets" / "priya.jpg"
    link.unlink()
    link.symlink_to(outside)
    assert "must be a file under content/assets" in photo_error(root)


def test_build_reports_what_check_reports(make_project) -> None:
    root = with_photo(make_project, b"\xff\xd8\xff\xe0 truncated", "cut.jpg")
    error = photo_error(root)
    code, output = cli_build(root)
    assert code == 1
    assert error.split(": error: ")[1] in output


def set_image(root: Path, lines: str) -> None:
    text = (root / PROFILE).read_text(encoding="utf-8")
    (root / PROFILE).write_text(text + lines, encoding="utf-8")


def test_profile_image_needs_its_alt(make_project) -> None:
    root = make_project({"content/assets/plant.jpg": make_image(1200, 800)})
    set_image(root, "image: assets/plant.jpg\n")
    code, lines = check(root)
    assert code == 1
    line = line_of(root, PROFILE, "image: assets/plant.jpg")
    [error] = [x for x in lines if PROFILE in x]
    assert error.startswith(f"{PROFILE}:{line}:") and "needs image_alt" in error


def test_profile_image_with_alt_is_accepted_and_a_broken_one_is_not(make_project) -> None:
    root = make_project({"content/assets/plant.jpg": make_image(1200, 800)})
    set_image(root, "image: assets/plant.jpg\nimage_alt: The plant floor at shift change\n")
    code, lines = check(root, "--strict")
    assert code == 0, lines
    (root / "content/assets/plant.jpg").write_bytes(make_image(1200, 800, "WEBP"))
    code, lines = check(root)
    assert code == 1
    line = line_of(root, PROFILE, "image: assets/plant.jpg")
    [error] = [x for x in lines if PROFILE in x]
    assert error.startswith(f"{PROFILE}:{line}:") and "is a WEBP image, not the JPEG" in error


def test_truncated_is_refused_even_after_weasyprint_is_imported(make_project) -> None:
    import weasyprint  # noqa: F401  (it sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES)

    error = photo_error(with_photo(make_project, PHOTO[: len(PHOTO) // 2], "cut.jpg"))
    assert "is broken or truncated" in error


def test_a_file_over_the_size_limit_is_refused_unread(make_project) -> None:
    root = with_photo(make_project, PHOTO, "big.jpg")
    with (root / "content/assets/big.jpg").open("r+b") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: no 11 MB written
    error = photo_error(root)
    assert "'assets/big.jpg' (content/assets/big.jpg): " in error and "MB" in error
