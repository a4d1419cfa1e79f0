"""Shared test configuration: Hypothesis profiles, the workspaces tests use, no disk cache.

``default`` keeps the suite fast on a laptop; ``ci`` (chosen when the
environment variable ``CI`` is set) prints the reproduction blob of a
failure and derandomizes, so a CI run is repeatable and stays well within
the time budget of two cores.
"""

import os

# No test reads or writes the user's cache folder, and every test draws and
# compiles as a first build does (tests/test_disk_cache.py switches the
# cache on in a folder of its own). Child processes inherit the setting.
os.environ["KOMMUNAL_DIGITAL_CACHE"] = "off"

import pytest
from hypothesis import HealthCheck, settings

import kommunal_digital as kd

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    print_blob=True,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def workspace() -> kd.Workspace:
    """The default workspace: the bundled rlp pack with the installed plugins."""
    return kd.open_workspace()


@pytest.fixture(scope="session")
def isolated_workspace() -> kd.Workspace:
    """The rlp pack with the built-in plugin only (no installed plugins)."""
    return kd.open_workspace(entry_points=False)
