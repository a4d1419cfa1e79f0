"""Shared test configuration: Hypothesis profiles and the workspaces tests use.

``default`` keeps the suite fast on a laptop; ``ci`` (chosen when the
environment variable ``CI`` is set) prints the reproduction blob of a
failure and derandomizes, so a CI run is repeatable and stays well within
the time budget of two cores.
"""

import os

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
