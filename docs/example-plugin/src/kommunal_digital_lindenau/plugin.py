"""The four things an agency plugin typically adds, in one module.

1. a field set: two extra action fields for the RLP pack,
2. a ranking rule: cheapest measures first,
3. a governance validator: every measure needs a described result,
4. a template override: the agency's own Digitalstrategie template.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

import kommunal_digital as kd
from kommunal_digital import hookimpl

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def kd_action_fields(pack: kd.TemplatePack) -> list[kd.ActionField]:
    """Add two fields to the RLP pack."""
    if pack.name != "rlp":
        return []
    return [
        kd.ActionField("mobilitaet", "Mobilität", "Wege im ländlichen Raum digital organisieren."),
        kd.ActionField("energie", "Energie und Klima", "Verbrauch messen und Anlagen steuern."),
    ]


@attrs.frozen
class CheapestFirst:
    """Ranking rule: the lowest one-off cost first."""

    name: str = "guenstig-zuerst"
    title: str = "Günstigste Maßnahmen zuerst"

    def rank(self, request: kd.RankingRequest) -> kd.Ranking:
        """Order by one-off cost, then key."""
        ordered = sorted(request.measures, key=lambda m: (m.cost.one_off, m.key))
        return kd.Ranking(
            rule=self.name,
            entries=tuple(
                kd.RankingEntry(
                    measure=m.key,
                    rank=index + 1,
                    score=-float(m.cost.one_off),
                    parts=(kd.ScorePart("Einmalige Kosten", value=float(m.cost.one_off)),),
                )
                for index, m in enumerate(ordered)
            ),
            explanation="Die Maßnahmen mit den geringsten einmaligen Kosten stehen vorn.",
        )


@hookimpl
def kd_ranking_rules() -> list[CheapestFirst]:
    """Register the ranking rule."""
    return [CheapestFirst()]


@attrs.frozen
class DescribedMeasures:
    """Validator: every measure has a description."""

    name: str = "lindenau-beschreibung"
    title: str = "Jede Maßnahme ist beschrieben"

    def check(self, strategy: kd.Strategy, options: Mapping[str, Any]) -> Iterator[kd.Finding]:
        """Yield a finding per measure without a description."""
        for measure in strategy.measures:
            if not measure.description.strip():
                yield kd.Finding(
                    self.name,
                    kd.Severity.WARNING,
                    f"„{measure.title}“ ist nicht beschrieben.",
                    (measure.key,),
                )


@hookimpl
def kd_governance_checks() -> list[DescribedMeasures]:
    """Register the validator."""
    return [DescribedMeasures()]


@hookimpl
def kd_document_template(pack: kd.TemplatePack, document_type: str) -> Path | None:
    """Use the agency's own Digitalstrategie template for every pack."""
    if document_type == "digitalstrategie":
        return TEMPLATES / "digitalstrategie.docx"
    return None
