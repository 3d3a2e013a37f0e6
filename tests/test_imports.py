"""Every module imports on its own, in a fresh interpreter (Lektor's test_imports idea).

An import cycle hidden by import order, or a module that only works because
another one was imported first, fails here.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import refkit

MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages(refkit.__path__, "refkit.")
    if not module.name.endswith("__main__")
)


def test_every_module_is_listed() -> None:
    assert {"refkit.pipeline", "refkit.render.registry", "refkit.derive.layout"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
