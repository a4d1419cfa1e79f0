"""The kinds of data a pack can hold, and how each is read."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.model import ActionField
from kommunal_digital.model.catalogue import CatalogueEntry, NeedsQuestion, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.maturity import PhaseGuide, Questionnaire
from kommunal_digital.model.organigram_preset import OrganigramPreset
from kommunal_digital.model.preset import RoadmapPreset

__all__ = ["DATA_KINDS", "DataKind"]


@attrs.frozen
class DataKind:
    """A kind of pack data: the ``[data]`` name, the YAML top-level key, the item type.

    Attributes:
        name: The name under ``[data]`` in ``pack.toml``, e.g. ``"action_fields"``.
        top_key: The top-level key of the YAML file that holds the items.
        item_type: The model class each item is structured into.
    """

    name: str
    top_key: str
    item_type: type[Any]


#: Every kind of data a pack may declare under ``[data]`` in ``pack.toml``.
DATA_KINDS: dict[str, DataKind] = {
    kind.name: kind
    for kind in (
        DataKind("action_fields", "action_fields", ActionField),
        DataKind("catalogue", "entries", CatalogueEntry),
        DataKind("text_blocks", "text_blocks", TextBlock),
        DataKind("roadmap_presets", "presets", RoadmapPreset),
        DataKind("organigram_presets", "presets", OrganigramPreset),
        DataKind("needs_analysis", "questions", NeedsQuestion),
        DataKind("questionnaires", "questionnaires", Questionnaire),
        DataKind("funding_programmes", "programmes", FundingProgramme),
        DataKind("phase_guide", "phases", PhaseGuide),
    )
}
