"""Output paths, URLs and tokens: one place knows them."""

from __future__ import annotations

from conftest import TEST_SECRET
from refkit.derive.layout import partner_token, relative_url


def test_relative_url() -> None:
    assert relative_url("index.html", "") == "index.html"
    assert relative_url("index.html", "#contact") == "#contact"
    assert relative_url("refer/index.html", "#contact") == "../index.html#contact"
    assert relative_url("clients/x/index.html", "refer/") == "../../refer/index.html"
    assert relative_url("clients/x/index.html", "clients/x/#introduce") == "#introduce"
    assert relative_url("p/tok/index.html", "assets/site.0123456789.css") == (
        "../../assets/site.0123456789.css"
    )


def test_token_depends_on_the_secret_not_only_the_name() -> None:
    one = partner_token(TEST_SECRET, "dana-whitfield")
    assert one == partner_token(TEST_SECRET, "dana-whitfield")
    assert one != partner_token(TEST_SECRET + "x", "dana-whitfield")
    assert one != partner_token(TEST_SECRET, "dana-whitfielf")
    assert len(one) == 26 and one.isalnum()
