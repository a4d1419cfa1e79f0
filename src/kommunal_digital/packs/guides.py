"""Phase guides: the goals, methods and expected results a pack gives per phase."""

from __future__ import annotations

from kommunal_digital.model.labels import MaturityPhase
from kommunal_digital.model.maturity import PhaseGuide
from kommunal_digital.packs.pack import TemplatePack

__all__ = ["phase_guides"]


def phase_guides(pack: TemplatePack) -> dict[MaturityPhase, PhaseGuide]:
    """The pack's guides by phase (data kind ``phase_guide``, own or inherited).

    The bundled ``base`` pack has a guide for each of the four phases; a
    pack that extends it replaces a phase's guide by shipping one for the
    same ``phase``.

    Args:
        pack: A loaded pack with its ``extends`` chain.

    Returns:
        The guides in phase order; phases without a guide are left out.

    Raises:
        InputFileError: The pack's phase file is missing or invalid.
    """
    guides: dict[MaturityPhase, PhaseGuide] = {g.phase: g for g in pack.data("phase_guide")}
    return {phase: guides[phase] for phase in MaturityPhase if phase in guides}
