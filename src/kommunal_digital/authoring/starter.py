"""Starting a strategy from an agency's pack: fields, catalogue, presets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.errors import PackError
from kommunal_digital.model import (
    ActionField,
    Cost,
    Goal,
    Involvement,
    Measure,
    Municipality,
    PackReference,
    Raci,
    Stakeholder,
    StakeholderGroup,
    Strategy,
)
from kommunal_digital.model.catalogue import CatalogueEntry, CostRange
from kommunal_digital.model.ranking import RankingChoice
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.organisation.presets import build_organigram
from kommunal_digital.planning.roadmap import DEFAULT_ROADMAP_PRESET, build_roadmap
from kommunal_digital.workspace.extensions import ExtensionSchema
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["starter_strategy"]


def _middle(span: CostRange | None) -> Decimal | None:
    if span is None:  # the pack gives no estimate: the measure's cost stays unknown
        return None
    return ((span.low + span.high) / 2).quantize(Decimal("0.01"))


def _carried(
    extensions: Mapping[str, Any], kind: str, schemas: Mapping[str, ExtensionSchema]
) -> dict[str, Any]:
    """The pack's extension data an object of the strategy may carry.

    Data whose schema does not apply to ``kind`` stays in the pack; data
    without an installed schema is carried along unchecked.
    """
    return {
        key: data
        for key, data in extensions.items()
        if key not in schemas or kind in schemas[key].applies_to
    }


def _measure(entry: CatalogueEntry, goal: str, schemas: Mapping[str, ExtensionSchema]) -> Measure:
    return Measure(
        key=entry.key,
        title=entry.title,
        action_field=entry.action_field,
        description=entry.description,
        goal=goal,
        duration_months=entry.duration_months,
        cost=Cost(one_off=_middle(entry.one_off), yearly=_middle(entry.yearly)),
        legal_driver=entry.legal_driver,
        stakeholders=(Involvement("verwaltungsspitze", Raci.ACCOUNTABLE),),
        extensions=_carried(entry.extensions, "measure", schemas),
    )


def starter_strategy(
    workspace: Workspace,
    municipality: Municipality,
    *,
    start: dt.date,
    fields: Sequence[str] | None = None,
    entries_per_field: int = 3,
    own_fields: Sequence[ActionField] = (),
) -> Strategy:
    """Build a first strategy from a pack, ready to be edited, ranked and planned.

    The chosen fields (by default the pack's first four) each get a goal and
    the first ``entries_per_field`` catalogue entries as measures, costed at
    the middle of the entry's ranges; a chosen field the catalogue has no
    entries for starts without goal and measures (the documents call it
    still to be worked out). The pack's other fields are listed as not
    chosen.

    A municipality with a field set of its own passes it as ``own_fields``:
    these fields are chosen as given (with their goals) and follow the
    chosen pack fields, of which there are none unless ``fields`` names
    them; the pack's other fields are then left out. Own fields start
    without measures: the catalogue is the pack's. The organisation is built from the
    pack's ``organigram_preset`` default (else its first preset), the
    ranking rule and roadmap preset follow the pack's defaults (as the
    starter has no scoring criteria yet, rules that need them fall back to
    the workshop votes), and the plan starts on ``start`` for four years
    without budget limits. The strategy records the pack and its version.
    Action fields and measures carry the extension data of the pack's
    fields and catalogue entries (except data whose schema does not apply
    to them).

    Args:
        workspace: The pack and its data (fields, catalogue, presets).
        municipality: The municipality the strategy is for.
        start: The day the plan starts.
        fields: Keys of the pack's action fields to choose; by default the
            pack's first four (none when ``own_fields`` are given).
        entries_per_field: How many catalogue entries of each chosen field
            become measures.
        own_fields: Action fields of the municipality's own, not in the
            pack (keys must differ from the pack's).

    Raises:
        PackError: A named field is not in the pack, or an own field has
            the key of a pack field.
    """
    pack = workspace.pack
    available = list(workspace.action_fields.values())
    if fields is not None:
        wanted = list(fields)
    else:
        wanted = [] if own_fields else [f.key for f in available[:4]]
    unknown = sorted(set(wanted) - {f.key for f in available})
    if unknown:
        raise PackError(f"{pack.name}: has no action field(s) {', '.join(unknown)}")
    clashes = sorted({f.key for f in own_fields} & {f.key for f in available})
    if clashes:
        raise PackError(
            f"{pack.name}: already has the action field(s) {', '.join(clashes)}; "
            "choose them from the pack instead of defining them again"
        )
    catalogue = list(workspace.catalogue.values())
    schemas = workspace.extension_schemas
    action_fields: list[ActionField] = []
    measures: list[Measure] = []
    for field in available:
        if field.key not in wanted:
            if own_fields:
                continue  # an own field set: only the chosen pack fields are listed
            action_fields.append(
                ActionField(
                    field.key,
                    field.title,
                    field.description,
                    chosen=False,
                    extensions=_carried(field.extensions, "action_field", schemas),
                )
            )
            continue
        entries = [e for e in catalogue if e.action_field == field.key][:entries_per_field]
        if not entries:
            # Nothing to start from: the field is still to be worked out.
            action_fields.append(
                ActionField(
                    field.key,
                    field.title,
                    field.description,
                    extensions=_carried(field.extensions, "action_field", schemas),
                )
            )
            continue
        goal = Goal(f"ziel-{field.key}", entries[0].goal or f"Fortschritte in: {field.title}")
        action_fields.append(
            ActionField(
                field.key,
                field.title,
                field.description,
                (goal,),
                extensions=_carried(field.extensions, "action_field", schemas),
            )
        )
        measures.extend(_measure(entry, goal.key, schemas) for entry in entries)
    # Own fields come as the municipality set them; their measures are its own work.
    action_fields.extend(attrs.evolve(own, chosen=True) for own in own_fields)
    defaults = pack.defaults()
    strategy = Strategy(
        municipality=municipality,
        title=f"Digitalstrategie der {municipality.name}",
        action_fields=tuple(action_fields),
        measures=tuple(measures),
        stakeholders=(
            Stakeholder(
                "verwaltungsspitze",
                "Verwaltungsspitze",
                StakeholderGroup.VERWALTUNG,
                power=5,
                interest=4,
            ),
        ),
        limits=ScheduleLimits(start=start, horizon_years=4),
        ranking_rule=_ranking_choice(defaults.get("ranking_rule", "punktabfrage")),
        pack=PackReference(pack.name, pack.manifest.version),
    )
    presets = workspace.organigram_presets
    own = [p.key for p in pack.own_data("organigram_presets")]
    choice = defaults.get("organigram_preset") or (own[0] if own else None)
    if choice is not None:
        if choice not in presets:
            raise PackError(f"{pack.name}: unknown organigram preset {choice!r}")
        strategy = attrs.evolve(strategy, organigram=build_organigram(presets[choice], strategy))
    roadmaps = workspace.roadmap_presets
    own_roadmaps = [p.key for p in pack.own_data("roadmap_presets")]
    roadmap_choice = defaults.get("roadmap_preset") or (
        own_roadmaps[0] if own_roadmaps else DEFAULT_ROADMAP_PRESET
    )
    if roadmap_choice not in roadmaps:
        raise PackError(f"{pack.name}: unknown roadmap preset {roadmap_choice!r}")
    return attrs.evolve(
        strategy,
        roadmap=build_roadmap(strategy, start, preset=roadmaps[roadmap_choice]),
        roadmap_preset=roadmap_choice,
    )


def _ranking_choice(rule: str) -> RankingChoice:
    """The pack's rule, made to work without criteria (a starter has none yet)."""
    if rule in ("nutzwert", "quick-win", "ahp"):
        return RankingChoice("punktabfrage")
    # Composing rules (gesetz-zuerst and rules built on it) order the rest by votes.
    return RankingChoice(rule, {"then": "punktabfrage"})
