"""The maturity radar: the share of each dimension on a spider chart.

Drawn with matplotlib (imported lazily, Agg backend) at A4 text width
(16 cm) and returned as PNG or SVG bytes that are identical between runs.
The rings mark the phase thresholds, so the chart shows at a glance which
dimension lies in which phase.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kommunal_digital.drawing import TEXT_WIDTH, ImageFormat, new_figure, picture_bytes
from kommunal_digital.maturity.questionnaires import questionnaire_for
from kommunal_digital.maturity.scoring import (
    MaturityAssessment,
    PhaseRule,
    assess_maturity,
    format_percent,
)
from kommunal_digital.model.maturity import Questionnaire
from kommunal_digital.model.strategy import Strategy

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["maturity_radar_figure", "maturity_radar_image", "strategy_maturity_image"]

_FONT = 7.5
_LINE = "#1f5f99"
_RING = "#b0bec5"


def maturity_radar_figure(assessment: MaturityAssessment, rule: PhaseRule | None = None) -> Figure:
    """Draw the dimension shares of an assessment as a radar chart.

    Args:
        assessment: The scored maturity check.
        rule: Whose thresholds the rings mark; :class:`PhaseRule` by default.

    Returns:
        The matplotlib figure (closed by :func:`maturity_radar_image`).
    """
    rule = rule or PhaseRule()
    dimensions = assessment.dimensions
    count = len(dimensions)
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [d.percent for d in dimensions]
    figure = new_figure(TEXT_WIDTH, 4.4)
    axes: Any = figure.add_subplot(projection="polar")
    # First dimension at the top, the others clockwise.
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_ylim(0, 100)
    axes.set_yticks([*rule.thresholds, 100])
    axes.set_yticklabels([*(f"{t} %" for t in rule.thresholds), "100 %"])
    axes.tick_params(axis="y", labelsize=_FONT - 1.5, labelcolor="#607d8b")
    axes.set_rlabel_position(180 / max(count, 1))
    axes.yaxis.grid(True, color=_RING, linewidth=0.6, linestyle="--")
    axes.xaxis.grid(True, color="#dddddd", linewidth=0.6)
    axes.spines["polar"].set_color("#90a4ae")
    axes.set_xticks(angles)
    axes.set_xticklabels(
        [
            "\n".join(textwrap.wrap(d.title, 16, break_long_words=False))
            + f"\n{format_percent(d.percent)}"
            for d in dimensions
        ],
        fontsize=_FONT,
    )
    axes.tick_params(axis="x", pad=8)
    closed_angles = angles + angles[:1]
    closed_values = values + values[:1]
    axes.plot(closed_angles, closed_values, color=_LINE, linewidth=1.6, gid="reifegrad-linie")
    axes.fill(closed_angles, closed_values, color=_LINE, alpha=0.22)
    axes.scatter(angles, values, s=14, color=_LINE, zorder=3)
    axes.set_title(
        f"{assessment.title}: {format_percent(assessment.percent)}, "
        f"Phase „{assessment.phase.label}“",
        fontsize=_FONT + 1.5,
        pad=18,
    )
    figure.tight_layout()
    return figure


def maturity_radar_image(
    assessment: MaturityAssessment, fmt: ImageFormat = "png", rule: PhaseRule | None = None
) -> bytes:
    """The radar chart of an assessment as PNG or SVG bytes, 16 cm wide.

    Args:
        assessment: The assessed maturity check.
        fmt: ``"png"`` or ``"svg"``.
        rule: The rule whose thresholds the chart marks; the default rule
            when ``None``.
    """
    return picture_bytes(lambda: maturity_radar_figure(assessment, rule), fmt)


def strategy_maturity_image(
    strategy: Strategy,
    questionnaires: Mapping[str, Questionnaire],
    fmt: ImageFormat = "png",
) -> bytes | None:
    """The radar chart of a strategy's maturity check, or ``None`` if it has none.

    The questionnaire is looked up by the check's key in ``questionnaires``
    (``workspace.questionnaires``).

    Args:
        strategy: The strategy, with or without a maturity check.
        questionnaires: The questionnaires by key.
        fmt: ``"png"`` or ``"svg"``.

    Raises:
        ModelValidationError: The questionnaire is unknown or an answer does
            not fit it (see :func:`~kommunal_digital.assess_maturity`).
    """
    if strategy.maturity_check is None:
        return None
    questionnaire = questionnaire_for(strategy.maturity_check.questionnaire, questionnaires)
    return maturity_radar_image(assess_maturity(strategy, questionnaire), fmt)
