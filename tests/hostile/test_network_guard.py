"""The suite runs without network: the guard holds in this process and in refkit's.

pytest-socket (``--disable-socket --allow-hosts=...`` in pyproject.toml) lets
the test process connect to loopback only; ``conftest.network_guard`` runs
each refkit subprocess in a network namespace of its own, where nothing but
a (down) loopback interface exists.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from conftest import network_guard

#: TEST-NET-1 (RFC 5737): never routed, so a test that reaches it reaches nothing real
NOWHERE = ("192.0.2.1", 80)
CONNECT = (
    "import socket, sys\n"
    "s = socket.socket()\n"
    "s.settimeout(3)\n"
    "sys.exit(0 if s.connect_ex(('192.0.2.1', 80)) == 0 else 7)\n"
)


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_this_process_may_not_connect_beyond_loopback() -> None:
    from pytest_socket import SocketConnectBlockedError

    with socket.socket() as sock, pytest.raises(SocketConnectBlockedError):
        sock.connect(NOWHERE)


def test_this_process_may_connect_to_loopback() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


def test_refkit_subprocesses_have_no_network() -> None:
    prefix = network_guard()
    if not prefix:
        pytest.skip("no unprivileged network namespaces here (unshare): subprocesses unguarded")
    result = subprocess.run([*prefix, sys.executable, "-c", CONNECT], timeout=30)
    assert result.returncode == 7, "a guarded subprocess connected to 192.0.2.1"
    interfaces = subprocess.run(
        [*prefix, sys.executable, "-c", "import socket; print(socket.if_nameindex())"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert interfaces.stdout.strip() == "[(1, 'lo')]", interfaces.stdout
