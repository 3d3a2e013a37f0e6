"""``refkit serve``: build, serve ``output/site`` on 127.0.0.1, rebuild and reload on change.

The browser reloads itself through a tiny script that is added to HTML
responses as they are served (a server-sent events stream tells it when a
rebuild finished). The files under ``output/`` never contain it, so what is
served is exactly what gets deployed, plus that one script.
"""

from __future__ import annotations

import errno
import html
import http.server
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from refkit.derive.layout import NOT_FOUND, OUTPUT_DIR, SITE
from refkit.errors import Problem, RefkitError

HOST = "127.0.0.1"
EVENTS_PATH = "/__refkit__/events"
#: what `refkit serve` builds: the site and the PDFs it links
SERVE_KINDS = ("site", "pdf")
RELOAD_SCRIPT = (
    "<script>(function () {\n"
    f'  var events = new EventSource("{EVENTS_PATH}");\n'
    '  events.onmessage = function (event) { if (event.data === "reload") location.reload(); };\n'
    "})();</script>\n"
)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject_reload(page: bytes, errors: Iterable[str] = ()) -> bytes:
    """An HTML page with the reload script (and a banner of build errors) before ``</body>``."""
    extra = RELOAD_SCRIPT
    errors = list(errors)
    if errors:
        rows = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
        extra = (
            '<div role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:9999;'
            "max-height:50vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#7a1212;"
            'color:#fff;font:14px/1.5 ui-monospace,monospace">'
            "<strong>refkit: the last rebuild failed; showing the previous build.</strong>"
            f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{rows}</ul></div>\n' + extra
        )
    data = extra.encode("utf-8")
    matches = list(_BODY_END.finditer(page))
    if not matches:
        return page + data
    at = matches[-1].start()
    return page[:at] + data + page[at:]


class DevServer:
    """The build-serve-watch loop behind ``refkit serve``, usable from Python and tests."""

    def __init__(
        self,
        root: Path,
        *,
        port: int = 8000,
        watch: bool = True,
        kinds: Iterable[str] = SERVE_KINDS,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(root)
        self.port = port
        self.watch = watch
        self.kinds = tuple(kinds)
        self.echo = echo or _echo
        self.site_dir = self.root / OUTPUT_DIR / SITE.rstrip("/")
        self.errors: list[str] = []
        self.generation = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Where the site is served."""
        return f"http://{HOST}:{self.port}/"

    def rebuild(self, kinds: Iterable[str] | None = None) -> bool:
        """Build once; on failure keep serving the previous build and show the errors."""
        from refkit.cli.console import summary_line
        from refkit.pipeline import build

        try:
            report = build(self.root, only=list(kinds or self.kinds))
        except RefkitError as exc:
            self.errors = [str(problem) for problem in exc.problems]
            for line in self.errors:
                self.echo(line)
        else:
            self.errors = []
            for warning in report.warnings:
                self.echo(str(warning))
            self.echo(summary_line(report, self.root))
        with self._changed:
            self.generation += 1
            self._changed.notify_all()
        return not self.errors

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until a rebuild newer than ``seen`` finished (or timeout); the generation."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.generation != seen or self._stop.is_set(), timeout=timeout
            )
            return self.generation

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    def start(self) -> None:
        """Take the port, build, then serve (and watch) in background threads; returns at once.

        The port is taken first, so a busy one is said at once, not after a build.
        """
        handler = _handler_for(self)
        try:
            self._httpd = http.server.ThreadingHTTPServer((HOST, self.port), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = f"port {self.port} is in use; try --port 0"
            else:
                message = f"cannot serve here ({exc.strerror}); choose another --port"
            raise RefkitError(Problem(f"{HOST}:{self.port}", message)) from None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        try:
            self.rebuild()
        except BaseException:
            self._httpd.server_close()
            raise
        serving = threading.Thread(target=self._httpd.serve_forever, name="refkit-serve")
        serving.daemon = True
        serving.start()
        self._threads.append(serving)
        if self.watch:
            watcher = threading.Thread(target=self._watch, name="refkit-watch", daemon=True)
            watcher.start()
            self._threads.append(watcher)

    def stop(self) -> None:
        """Stop serving and watching."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def wait(self) -> None:
        """Block until stopped (Ctrl+C raises KeyboardInterrupt here)."""
        while not self._stop.wait(0.5):
            pass

    def _watch(self) -> None:
        from watchfiles import watch

        watched = [p for p in (self.root / "content", self.root / "templates") if p.is_dir()]
        if not watched:
            return
        for changes in watch(*watched, stop_event=self._stop, debounce=400, raise_interrupt=False):
            touched = sorted({Path(path) for _change, path in changes})
            # editors and tools write temporary files next to the real one
            changed = [path for path in touched if path.exists()] or touched
            names = ", ".join(_relative(self.root, path) for path in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            self.echo(f"changed: {names}{more}; rebuilding")
            self.rebuild(self._kinds_for(changed))

    def _kinds_for(self, changed: list[Path]) -> tuple[str, ...]:
        """Only the site when nothing but site templates changed (PDFs are slower)."""
        site_only = (self.root / "templates" / "site", self.root / "templates" / "static")
        if all(any(path.is_relative_to(d) for d in site_only) for path in changed):
            return tuple(k for k in self.kinds if k == "site") or self.kinds
        return self.kinds


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _echo(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from output/site, HTML with the reload script, and the event stream."""

    #: the server whose build this handler serves (set by :func:`_handler_for`)
    dev: DevServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # the folder is looked up on every request: each build swaps output/ whole
        super().__init__(*args, directory=str(self.dev.site_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # one line per request would drown the build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS_PATH:
            self._events()
            return
        page = self._html_file(path)
        if page is not None:
            self._send_html(200, page.read_bytes())
            return
        super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        target = Path(self.translate_path(path))
        if target.is_dir():
            if not path.endswith("/"):
                return None  # the base class redirects to the slash
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Never a folder listing (``p/`` would list every private page): a 404."""
        self.send_error(404)
        return None

    def _send_html(self, status: int, body: bytes) -> None:
        data = inject_reload(body, self.dev.errors)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = self.dev.site_dir / NOT_FOUND
        if code == 404 and not_found.is_file():
            self._send_html(404, not_found.read_bytes())
            return
        if code == 404 and self.dev.errors:
            page = b"<!doctype html><title>refkit</title><body><h1>No build yet</h1></body>"
            self._send_html(404, page)
            return
        super().send_error(code, message, explain)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.dev.generation
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.dev.stopping:
                now = self.dev.wait_for_change(seen, timeout=15)
                if self.dev.stopping:
                    break
                if now != seen:
                    seen = now
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": still here\n\n")  # notices closed tabs
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _handler_for(server: DevServer) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler class bound to ``server``."""
    return type("Handler", (_Handler,), {"dev": server})


def serve_project(root: Path, *, port: int, watch: bool) -> None:
    """Serve the built site on 127.0.0.1:port until interrupted."""
    server = DevServer(root, port=port, watch=watch)
    server.start()
    print(f"Serving {server.url} (Ctrl+C to stop)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr, flush=True)
    finally:
        server.stop()
