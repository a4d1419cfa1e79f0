"""Shared test configuration: Hypothesis profiles.

``default`` keeps the suite fast on a laptop; ``ci`` (chosen when the
environment variable ``CI`` is set) prints the reproduction blob of a
failure and derandomizes, so a CI run is repeatable and stays well within
the time budget of two cores.
"""

import os

from hypothesis import HealthCheck, settings

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
