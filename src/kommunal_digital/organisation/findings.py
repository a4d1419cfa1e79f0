"""Findings of governance checks and the contract of a check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from kommunal_digital.model import Strategy
from kommunal_digital.model.labels import Severity

__all__ = ["Finding", "GovernanceCheck", "Severity"]


@attrs.frozen
class Finding:
    """One problem a governance check found.

    Attributes:
        check: Name of the check.
        severity: ``error``, ``warning`` or ``info``.
        message: What is wrong, in German (it goes into documents).
        objects: Keys of the roles, measures, fields or stakeholders concerned.
    """

    check: str
    severity: Severity
    message: str
    objects: tuple[str, ...] = ()


@runtime_checkable
class GovernanceCheck(Protocol):
    """A governance check, as returned by the ``kd_governance_checks`` hook."""

    @property
    def name(self) -> str:
        """Identifier of the check, e.g. ``"pilot-per-field"``."""
        ...  # pragma: no cover - protocol

    @property
    def title(self) -> str:
        """German title for documents."""
        ...  # pragma: no cover - protocol

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterable[Finding]:
        """Examine the strategy's organisation and yield findings.

        Args:
            strategy: The strategy whose organisation is checked.
            options: Options of all checks of the run, e.g.
                ``{"max_roles": 2}``; a check reads those it knows.
        """
        ...  # pragma: no cover - protocol
