"""The everyday operations on a strategy, each taking its workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from kommunal_digital.model import PackReference, Strategy
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.planning.plan import plan_strategy
from kommunal_digital.ranking.registry import rank_strategy
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["pack_reference", "plan", "rank", "with_pack"]


def pack_reference(workspace: Workspace) -> PackReference:
    """The reference a strategy made with this workspace records: pack name and version.

    Args:
        workspace: The workspace whose pack is recorded.
    """
    return PackReference(workspace.pack.name, workspace.pack.manifest.version)


def with_pack(strategy: Strategy, workspace: Workspace, *, replace: bool = False) -> Strategy:
    """The strategy recording the workspace's pack (if it records none, or with ``replace``).

    Args:
        strategy: The strategy.
        workspace: The workspace whose pack is recorded.
        replace: Record the workspace's pack even if the strategy records
            another one.
    """
    if strategy.pack is not None and not replace:
        return strategy
    return attrs.evolve(strategy, pack=pack_reference(workspace))


def rank(
    strategy: Strategy,
    workspace: Workspace,
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Strategy:
    """Rank the measures with a registered rule and store the ranking in a copy.

    Args:
        strategy: The strategy.
        workspace: Supplies the ranking rules.
        rule: The rule's name; by default the strategy's ``ranking_rule``,
            else ``nutzwert``.
        options: Options of the rule.

    Raises:
        RankingError: Unknown rule, missing scores, inconsistent comparisons.
    """
    return rank_strategy(strategy, workspace.ranking_rules, rule, options)


def plan(
    strategy: Strategy,
    workspace: Workspace,
    *,
    priority: Sequence[str] | None = None,
    preset: RoadmapPreset | None = None,
    roadmap_start: dt.date | None = None,
) -> Strategy:
    """Schedule the measures and generate the roadmap, in a copy of the strategy.

    The roadmap preset is the one the strategy names (``roadmap_preset``)
    among the workspace's presets, else ``standard``; see
    :func:`kommunal_digital.planning.plan_strategy`, which this calls with
    ``workspace.roadmap_presets``.

    Args:
        strategy: The strategy; it must have ``limits``.
        workspace: Supplies the roadmap presets.
        priority: Measure keys, most important first; by default the order
            of the strategy's ``ranking`` (without one, measures with a legal
            deadline first).
        preset: The procedure to generate the roadmap from, instead of the
            one the strategy names.
        roadmap_start: First day of the roadmap; by default the start of the
            existing roadmap, else the start of the limits.

    Raises:
        PlanningError: No limits, broken dependencies or an unknown preset.
    """
    return plan_strategy(
        strategy,
        workspace.roadmap_presets,
        priority=priority,
        preset=preset,
        roadmap_start=roadmap_start,
    )
