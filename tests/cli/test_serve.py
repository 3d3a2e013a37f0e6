"""`refkit serve`: serves the build on loopback, injects the reload script, rebuilds on change."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import http_get
from refkit.cli.serve import EVENTS_PATH, RELOAD_SCRIPT, DevServer, inject_reload

TIMEOUT = 60


def eventually(check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def server(make_project) -> Iterator[DevServer]:
    """A DevServer on a free loopback port, building only the site (fast)."""
    lines: list[str] = []
    dev = DevServer(make_project(), port=0, watch=True, kinds=("site",), echo=lines.append)
    dev.start()
    dev.log = lines  # type: ignore[attr-defined]
    try:
        yield dev
    finally:
        dev.stop()


def test_inject_reload_goes_before_the_last_body_end() -> None:
    page = b"<html><body><p>x</p></body></html>"
    out = inject_reload(page)
    assert out.startswith(b"<html><body><p>x</p><script>")
    assert out.endswith(b"</script>\n</body></html>")
    assert inject_reload(b"<p>no body</p>").endswith(RELOAD_SCRIPT.encode())
    banner = inject_reload(page, ["content/business.yaml:3:1: error: <bad>"])
    assert b'role="alert"' in banner and b"&lt;bad&gt;" in banner


def test_serves_the_site_with_the_reload_script_only_when_serving(server: DevServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, body = http_get(server.url)
    assert status == 200
    assert EVENTS_PATH in body and "Keel &amp; Compass HR" in body
    built = (server.root / "output" / "site" / "index.html").read_text()
    assert EVENTS_PATH not in built and "EventSource" not in built
    status, body = http_get(server.url + "refer/")
    assert status == 200 and EVENTS_PATH in body
    status, css = http_get(
        server.url
        + "assets/"
        + next(p.name for p in (server.root / "output" / "site" / "assets").glob("site.*.css"))
    )
    assert status == 200 and "EventSource" not in css
    status, body = http_get(server.url + "no/such/page/")
    assert status == 404 and "This page does not exist" in body


def test_rebuilds_and_tells_the_browser_to_reload(server: DevServer) -> None:
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    events = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    events.request("GET", EVENTS_PATH)
    stream = events.getresponse()
    assert stream.getheader("Content-Type") == "text/event-stream"
    assert stream.readline() == b"retry: 1000\n"
    business = server.root / "content" / "business.yaml"
    time.sleep(0.5)  # let the watcher settle before the change
    business.write_text(
        business.read_text().replace("tagline: Fractional", "tagline: Freshly rebuilt fractional")
    )
    eventually(lambda: "Freshly rebuilt fractional" in http_get(server.url)[1], "the rebuild")
    lines = []
    while b"data: reload\n" not in lines:
        lines.append(stream.readline())
    events.close()
    assert any(line.startswith("changed: content/business.yaml") for line in server.log)


def save_until(path: Path, text: str, check: Callable[[], bool], what: str) -> None:
    """Save ``text`` to ``path`` until ``check()`` holds: the watcher thread may not be
    watching yet right after start, so a single early save can go unseen."""

    def saved_and_seen() -> bool:
        if check():
            return True
        path.write_text(text)
        time.sleep(1.0)
        return check()

    eventually(saved_and_seen, what)


def test_a_failed_rebuild_keeps_serving_and_shows_the_errors(server: DevServer) -> None:
    business = server.root / "content" / "business.yaml"
    good = business.read_text()
    bad = good.replace("name: Keel & Compass HR", "name: [unclosed")
    save_until(business, bad, lambda: 'role="alert"' in http_get(server.url)[1], "the error banner")
    status, body = http_get(server.url)
    assert status == 200 and "content/business.yaml" in body
    assert "Keel &amp; Compass HR" in body  # the previous build is still served
    save_until(business, good, lambda: 'role="alert"' not in http_get(server.url)[1], "the fix")
