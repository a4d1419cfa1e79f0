"""The five things an agency plugin typically adds, in one module, and its pack.

The plugin ships the pack ``lindenau`` (the RLP pack and what is added
here): an installed plugin's contributions apply to the packs it ships, so
strategies made with ``lindenau`` get them and others are untouched.

1. a field set: two extra action fields for its pack,
2. a ranking rule: cheapest measures first,
3. a governance validator: every measure needs a described result,
4. a template override: the agency's own Digitalstrategie template,
5. a document type: a one-page Kurzfassung, built from the strategy and
   the workspace it is rendered with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from kommunal_digital import hookimpl
from kommunal_digital.model import ActionField, Ranking, ScorePart, Severity, Strategy
from kommunal_digital.organisation import Finding
from kommunal_digital.packs import TemplatePack
from kommunal_digital.ranking import RankingRequest, Scored, build_ranking
from kommunal_digital.workspace import DocumentType, Workspace

__all__ = [
    "AGENCY",
    "PACK",
    "CheapestFirst",
    "DescribedMeasures",
    "kd_action_fields",
    "kd_document_template",
    "kd_document_types",
    "kd_governance_checks",
    "kd_ranking_rules",
    "kd_template_packs",
    "kurzfassung_context",
]

TEMPLATES = Path(__file__).parent / "templates"
#: The folder of the agency's pack.
PACK = Path(__file__).parent / "pack"

#: The agency's name, printed in its documents.
AGENCY = "Digitalagentur Lindenau"


@hookimpl
def kd_template_packs() -> list[Path]:
    """Ship the agency's pack ``lindenau``, which extends ``rlp``."""
    return [PACK]


@hookimpl
def kd_action_fields(pack: TemplatePack) -> list[ActionField]:
    """Add two fields to the agency's pack."""
    if pack.name != "lindenau":
        return []
    return [
        ActionField("mobilitaet", "Mobilität", "Wege im ländlichen Raum digital organisieren."),
        ActionField("energie", "Energie und Klima", "Verbrauch messen und Anlagen steuern."),
    ]


@attrs.frozen
class CheapestFirst:
    """Ranking rule: the lowest one-off cost first."""

    name: str = "guenstig-zuerst"
    title: str = "Günstigste Maßnahmen zuerst"

    def rank(self, request: RankingRequest) -> Ranking:
        """Score by one-off cost (the lower, the higher the score).

        A measure whose one-off cost is not estimated yet is not assessed
        (unknown is not zero, so it is not "the cheapest"): ``build_ranking``
        puts it after the costed ones, in the order the measures were
        recorded, noted "noch nicht bewertet". It orders the rest and breaks
        ties with the documented chain of the built-in rules (legal deadline,
        workshop points, cost, duration, file order), explaining each tie in
        German.
        """
        scored = [
            Scored(
                m,
                -float(m.cost.one_off),
                (ScorePart("Einmalige Kosten", value=float(m.cost.one_off)),),
            )
            if m.cost.one_off is not None
            else Scored(m, 0.0, assessed=False)
            for m in request.measures
        ]
        if scored and not any(item.assessed for item in scored):
            # build_ranking adds that the list follows the order of recording.
            explanation = "Für keine Maßnahme sind die einmaligen Kosten geschätzt."
        else:
            # build_ranking adds how many measures are not assessed, if any.
            explanation = "Die Maßnahmen mit den geringsten einmaligen Kosten stehen vorn."
        return build_ranking(self.name, scored, explanation=explanation)


@hookimpl
def kd_ranking_rules() -> list[CheapestFirst]:
    """Register the ranking rule."""
    return [CheapestFirst()]


@attrs.frozen
class DescribedMeasures:
    """Validator: every measure has a description."""

    name: str = "lindenau-beschreibung"
    title: str = "Jede Maßnahme ist beschrieben"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per measure without a description."""
        for measure in strategy.measures:
            if not measure.description.strip():
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"„{measure.title}“ ist nicht beschrieben.",
                    (measure.key,),
                )


@hookimpl
def kd_governance_checks() -> list[DescribedMeasures]:
    """Register the validator."""
    return [DescribedMeasures()]


def kurzfassung_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Kurzfassung.

    The strategy gives the chosen fields and their measures; the workspace
    gives the pack's title and what the pack says about each field.
    """
    fields = []
    for field in strategy.chosen_fields:
        known = workspace.action_fields.get(field.key)
        fields.append(
            {
                "title": field.title,
                "description": known.description if known is not None else field.description,
                "measures": [m.title for m in strategy.measures_in(field.key)],
            }
        )
    return {
        "agency": AGENCY,
        "municipality": strategy.municipality.name,
        "date": today or dt.date.today(),
        "pack": workspace.pack.manifest.title,
        "fields": fields,
    }


@hookimpl
def kd_document_types() -> list[DocumentType]:
    """Register the Kurzfassung."""
    return [
        DocumentType(
            "kurzfassung",
            "Kurzfassung",
            kurzfassung_context,
            variables=frozenset({"agency", "municipality", "date", "pack", "fields"}),
        )
    ]


@hookimpl
def kd_document_template(pack: TemplatePack, document_type: str, template_kind: str) -> Path | None:
    """Supply the agency's templates (for its own pack: the plugin is scoped to it).

    The Digitalstrategie gets the agency's own Word template; the
    Kurzfassung is a Markdown template (also the source of HTML).
    """
    if document_type == "digitalstrategie" and template_kind == "docx":
        return TEMPLATES / "digitalstrategie.docx"
    if document_type == "kurzfassung" and template_kind == "markdown":
        return TEMPLATES / "kurzfassung.md"
    return None
