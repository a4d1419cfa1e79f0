"""One numbering of the measures, used by every document and file name.

Measures are numbered in the order of the chosen action fields (the order
of ``strategy.action_fields``); within a field by their rank when the
strategy has an assessed ranking, else in the order of the strategy file.
So a table never jumps from number 15 back to 10, the Steckbrief of
measure 3 is the third file in ``Steckbriefe/``, and the Beschlussvorlage,
the Digitalstrategie and the Vorgehensplan call a measure by the same
number.
"""

from __future__ import annotations

from kommunal_digital.model import Measure, Strategy

__all__ = ["measure_numbers", "numbered_measures"]


def numbered_measures(strategy: Strategy) -> list[Measure]:
    """Return the measures by chosen field, then by assessed rank, then file order.

    Args:
        strategy: The strategy whose measures are numbered.
    """
    ranking = strategy.ranking
    ranks: dict[str, int] = {}
    if ranking is not None and ranking.assessed:
        ranks = {entry.measure: entry.rank for entry in ranking.entries}
    fields = {field.key: index for index, field in enumerate(strategy.action_fields)}
    far = len(strategy.measures) + 1
    indexed = list(enumerate(strategy.measures))
    indexed.sort(
        key=lambda item: (
            fields.get(item[1].action_field, len(fields)),
            ranks.get(item[1].key, far),
            item[0],
        )
    )
    return [measure for _, measure in indexed]


def measure_numbers(strategy: Strategy) -> dict[str, int]:
    """Return each measure's number (from 1) by key, in document order.

    Args:
        strategy: The strategy whose measures are numbered.
    """
    return {m.key: number for number, m in enumerate(numbered_measures(strategy), start=1)}
