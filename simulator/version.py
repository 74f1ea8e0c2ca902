"""The installed spinesim version, and the versions of the packages that determine the output's bytes."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

#: The packages whose versions the manifest records: a change in any of them may change the bytes.
BYTE_DETERMINING = ("numpy", "scipy", "simpy", "pandas", "pyarrow", "pydantic")


def package_version(name: str = "spinesim") -> str:
    """The installed version of ``name`` (``0+unknown`` when it is not installed, e.g. a bare source tree)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "0+unknown"


def environment_versions() -> dict[str, str]:
    """Python's and each byte-determining package's version, by name."""
    return {"python": platform.python_version(), **{name: package_version(name) for name in BYTE_DETERMINING}}


def version_text() -> str:
    """``spinesim 0.1.0 (python 3.11.7, numpy 2.1.3, ...)``: what ``spinesim --version`` prints."""
    return f"spinesim {package_version()} ({', '.join(f'{k} {v}' for k, v in environment_versions().items())})"


VERSION = package_version()
