"""Hook implementations of the NRW plugin."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from kommunal_digital import hookimpl
from kommunal_digital.model.ranking import Ranking
from kommunal_digital.ranking import RankingRequest

__all__ = ["NrwLegalDrivers", "kd_ranking_rules", "kd_template_packs"]

PACK = Path(__file__).parent / "pack"

#: Laws that oblige NRW municipalities to offer services online.
NRW_LAWS = ("OZG", "EGovG NRW")


@hookimpl
def kd_template_packs() -> Sequence[Path]:
    """Register the NRW pack."""
    return [PACK]


@attrs.frozen
class NrwLegalDrivers:
    """Measures required by the OZG or the NRW eGovernment law come first.

    Only these two laws lift a measure (other ``legal_driver`` values do
    not); among them the earliest deadline first. The rest follows the rule
    named by option ``then`` (default ``nutzwert``).
    """

    name: str = "nrw-pflichten"
    title: str = "Pflichten aus OZG und EGovG NRW zuerst"

    def rank(self, request: RankingRequest) -> Ranking:
        """Rank with the built-in legal-first rule, limited to the NRW laws."""
        required = tuple(
            m
            if any(law in m.legal_driver for law in NRW_LAWS)
            else attrs.evolve(m, legal_driver="")
            for m in request.measures
        )
        inner = request.rule("gesetz-zuerst").rank(attrs.evolve(request, measures=required))
        return attrs.evolve(
            inner,
            rule=self.name,
            explanation="Pflichten aus dem Onlinezugangsgesetz und dem E-Government-Gesetz NRW "
            "stehen vorn. " + inner.explanation,
        )


@hookimpl
def kd_ranking_rules() -> Sequence[NrwLegalDrivers]:
    """Add the NRW legal-driver rule."""
    return [NrwLegalDrivers()]
