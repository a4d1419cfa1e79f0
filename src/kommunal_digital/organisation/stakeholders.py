"""Stakeholder analysis: power/interest grid, RACI matrix, key stakeholders."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import networkx as nx

from kommunal_digital.model import Raci, Stakeholder, Strategy
from kommunal_digital.model.labels import LabelledEnum

__all__ = [
    "Quadrant",
    "StakeholderWeight",
    "key_stakeholders",
    "quadrant",
    "raci_matrix",
    "stakeholder_graph",
]


class Quadrant(LabelledEnum):
    """Quadrants of the power/interest grid, with the strategy for each."""

    MANAGE_CLOSELY = "manage_closely"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"

    @property
    def label(self) -> str:
        """The German label shown in documents."""
        return _QUADRANT_LABELS[self]


_QUADRANT_LABELS = {
    Quadrant.MANAGE_CLOSELY: "eng einbinden",
    Quadrant.KEEP_SATISFIED: "zufriedenstellen",
    Quadrant.KEEP_INFORMED: "informiert halten",
    Quadrant.MONITOR: "beobachten",
}

#: How much each RACI role counts when finding key stakeholders.
RACI_WEIGHTS = {Raci.ACCOUNTABLE: 4, Raci.RESPONSIBLE: 3, Raci.CONSULTED: 2, Raci.INFORMED: 1}


def quadrant(stakeholder: Stakeholder, threshold: int = 4) -> Quadrant:
    """Place a stakeholder in the power/interest grid.

    Power and interest count as high from ``threshold`` (on the 1-to-5
    scale) upwards. High power and interest: manage closely; high power
    only: keep satisfied; high interest only: keep informed; neither: monitor.

    Args:
        stakeholder: The stakeholder, with power and interest from 1 to 5.
        threshold: From which value power and interest count as high.
    """
    high_power = stakeholder.power >= threshold
    high_interest = stakeholder.interest >= threshold
    if high_power:
        return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


def raci_matrix(strategy: Strategy) -> dict[str, dict[str, Raci]]:
    """Per measure key, the RACI role of each involved stakeholder key.

    Args:
        strategy: The strategy whose measures are read.
    """
    return {
        measure.key: {i.stakeholder: i.role for i in measure.stakeholders}
        for measure in strategy.measures
    }


def stakeholder_graph(strategy: Strategy) -> nx.Graph[str]:
    """The bipartite graph of stakeholders and measures.

    Nodes are ``("stakeholder", key)`` and ``("measure", key)`` pairs
    flattened to strings ``"s:key"`` and ``"m:key"``; an edge carries the
    RACI role (``role``) and its weight (``weight``).
    """
    graph: nx.Graph[str] = nx.Graph()
    for stakeholder in strategy.stakeholders:
        graph.add_node(f"s:{stakeholder.key}", kind="stakeholder")
    for measure in strategy.measures:
        graph.add_node(f"m:{measure.key}", kind="measure")
        for involvement in measure.stakeholders:
            graph.add_edge(
                f"s:{involvement.stakeholder}",
                f"m:{measure.key}",
                role=involvement.role,
                weight=RACI_WEIGHTS[involvement.role],
            )
    return graph


@attrs.frozen
class StakeholderWeight:
    """A stakeholder's importance across all measures.

    Attributes:
        stakeholder: Its key.
        measures: In how many measures it is involved.
        weighted_degree: Sum of its RACI weights (A 4, R 3, C 2, I 1).
        centrality: Weighted degree divided by the highest one (0 to 1).
        betweenness: How often it lies on shortest paths between others in
            the stakeholder-measure graph (a broker between measures).
    """

    stakeholder: str
    measures: int
    weighted_degree: int
    centrality: float
    betweenness: float


def key_stakeholders(strategy: Strategy, top: int | None = None) -> Sequence[StakeholderWeight]:
    """Stakeholders ordered by weighted degree centrality, then betweenness, then key.

    Args:
        strategy: Supplies stakeholders and involvements.
        top: Return only the first ``top``.
    """
    graph = stakeholder_graph(strategy)
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_edges() else {}
    degrees = {
        s.key: int(graph.degree(f"s:{s.key}", weight="weight")) for s in strategy.stakeholders
    }
    highest = max(degrees.values(), default=0) or 1
    weights = [
        StakeholderWeight(
            stakeholder=s.key,
            measures=int(graph.degree(f"s:{s.key}")),
            weighted_degree=degrees[s.key],
            centrality=degrees[s.key] / highest,
            betweenness=betweenness.get(f"s:{s.key}", 0.0),
        )
        for s in strategy.stakeholders
    ]
    weights.sort(key=lambda w: (-w.weighted_degree, -round(w.betweenness, 9), w.stakeholder))
    return weights[:top] if top is not None else weights
