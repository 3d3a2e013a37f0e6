"""The resize helper: sizes, no upscaling, no metadata, orientation, same bytes every time."""

from __future__ import annotations

import io

from PIL import Image

from imagegen import GPS_IFD, make_image, pixel_size
from refkit.text.images import encode_jpeg, nearest, photo_variants, picture_variants


def test_photo_is_square_at_three_widths() -> None:
    variants = photo_variants(make_image(900, 1200))
    assert [(v.width, v.height) for v in variants] == [(160, 160), (320, 320), (640, 640)]
    assert all(pixel_size(v.data) == (v.width, v.height) for v in variants)
    assert {v.suffix for v in variants} == {".jpg"}


def test_pictures_keep_their_aspect_and_are_never_upscaled() -> None:
    wide = picture_variants(make_image(2400, 1200))
    assert [(v.width, v.height) for v in wide] == [(480, 240), (960, 480), (1600, 800)]
    small = picture_variants(make_image(700, 350))
    assert [(v.width, v.height) for v in small] == [(480, 240), (700, 350)]
    tiny = photo_variants(make_image(120, 90))
    assert [(v.width, v.height) for v in tiny] == [(90, 90)]


def test_gps_and_every_other_exif_tag_are_stripped() -> None:
    source = make_image(800, 1000, gps=True, orientation=1)
    with Image.open(io.BytesIO(source)) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the test photo does carry a location
    for variant in (*photo_variants(source), *picture_variants(source)):
        with Image.open(io.BytesIO(variant.data)) as image:
            assert not image.getexif()
            assert "exif" not in image.info and "icc_profile" not in image.info
            assert b"Exif" not in variant.data


def test_exif_orientation_is_applied() -> None:
    # stored 800 wide and 500 high, shown rotated a quarter turn: 500 wide, 800 high
    variants = picture_variants(make_image(800, 500, orientation=6))
    assert (variants[-1].width, variants[-1].height) == (500, 800)


def test_same_input_same_bytes() -> None:
    source = make_image(1000, 700, gps=True)
    first = [v.data for v in picture_variants(source)]
    again = [v.data for v in picture_variants(bytes(bytearray(source)) + b"")]
    assert first == again
    from refkit.text import images

    images._variants.cache_clear()
    assert [v.data for v in picture_variants(source)] == first


def test_transparency_is_kept_as_png_and_flattened_for_a_vcard() -> None:
    variants = picture_variants(make_image(1000, 600, "PNG", alpha=True))
    assert {v.suffix for v in variants} == {".png"}
    with Image.open(io.BytesIO(variants[0].data)) as image:
        assert image.mode == "RGBA"
    jpeg = encode_jpeg(variants[0])
    assert jpeg[:3] == b"\xff\xd8\xff"
    opaque = picture_variants(make_image(1000, 600, "PNG"))
    assert {v.suffix for v in opaque} == {".jpg"}


def test_nearest() -> None:
    variants = photo_variants(make_image(900, 900))
    assert nearest(variants, 200).width == 320
    assert nearest(variants, 5000).width == 640
