"""AHP: criterion weights from pairwise comparisons (Saaty's eigenvector method)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from kommunal_digital.errors import InconsistentComparisonsError, RankingError
from kommunal_digital.model.ranking import Comparison, Ranking
from kommunal_digital.ranking.ordering import not_assessed_ranking
from kommunal_digital.ranking.request import RankingRequest
from kommunal_digital.ranking.weighted_sum import NO_CRITERIA

__all__ = ["NO_COMPARISONS", "RANDOM_INDEX", "Ahp", "AhpResult", "ahp_weights"]

#: Saaty's random consistency index by matrix size.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}

#: Judgements are acceptable up to this consistency ratio.
MAX_CONSISTENCY_RATIO = 0.1


@attrs.frozen
class AhpResult:
    """Weights derived from pairwise comparisons.

    Attributes:
        weights: Weight per key, summing to 1 (the principal eigenvector).
        lambda_max: The principal eigenvalue.
        consistency_index: ``(lambda_max - n) / (n - 1)``.
        consistency_ratio: The index divided by Saaty's random index.
        deviations: Pairs ``(a, b, judged, implied)`` sorted by how far the
            judgement ``a`` over ``b`` lies from the ratio the weights imply,
            worst first.
    """

    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    deviations: tuple[tuple[str, str, float, float], ...]


def _matrix(keys: Sequence[str], comparisons: Sequence[Comparison]) -> list[list[float]]:
    index = {key: i for i, key in enumerate(keys)}
    size = len(keys)
    matrix = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    for comparison in comparisons:
        i, j = index[comparison.more], index[comparison.less]
        matrix[i][j] = comparison.value
        matrix[j][i] = 1.0 / comparison.value
    missing = [
        f"{keys[i]}/{keys[j]}"
        for i in range(size)
        for j in range(i + 1, size)
        if matrix[i][j] == 0.0
    ]
    if missing:
        raise RankingError(f"AHP needs a comparison for every pair; missing: {', '.join(missing)}")
    return matrix


def ahp_weights(keys: Sequence[str], comparisons: Sequence[Comparison]) -> AhpResult:
    """Derive weights and the consistency ratio from a complete set of comparisons.

    The weights are the principal eigenvector of the comparison matrix
    (power iteration until it changes by less than 1e-12).

    Args:
        keys: The criterion keys, in the order of the result's weights.
        comparisons: One judgement for every pair of keys.

    Raises:
        RankingError: A pair of keys is not compared, or a key is unknown.
    """
    known = set(keys)
    for comparison in comparisons:
        for key in (comparison.more, comparison.less):
            if key not in known:
                raise RankingError(f"comparison names unknown criterion {key!r}")
    size = len(keys)
    if size == 0:
        raise RankingError("AHP needs at least one criterion")
    matrix = _matrix(keys, comparisons)
    vector = [1.0 / size] * size
    for _ in range(1000):
        product = [sum(row[j] * vector[j] for j in range(size)) for row in matrix]
        total = sum(product)
        new = [value / total for value in product]
        if max(abs(a - b) for a, b in zip(new, vector, strict=True)) < 1e-12:
            vector = new
            break
        vector = new
    product = [sum(row[j] * vector[j] for j in range(size)) for row in matrix]
    lambda_max = sum(product[i] / vector[i] for i in range(size)) / size
    index = (lambda_max - size) / (size - 1) if size > 1 else 0.0
    random_index = RANDOM_INDEX.get(size, 1.49)
    ratio = index / random_index if random_index else 0.0
    deviations = sorted(
        (
            (keys[i], keys[j], matrix[i][j], vector[i] / vector[j])
            for i in range(size)
            for j in range(i + 1, size)
        ),
        key=lambda item: (-abs(math.log(item[2] / item[3])), item[0], item[1]),
    )
    return AhpResult(
        weights={key: vector[i] for i, key in enumerate(keys)},
        lambda_max=lambda_max,
        consistency_index=index,
        consistency_ratio=max(ratio, 0.0),
        deviations=tuple(deviations),
    )


#: Why the AHP rule assessed nothing: the criteria were never compared.
NO_COMPARISONS = "Für die Kriterien liegen noch keine paarweisen Vergleiche vor."


@attrs.frozen
class Ahp:
    """Weighted sum with criterion weights derived by AHP from pairwise comparisons.

    Refuses judgements whose consistency ratio exceeds 0.1 (option
    ``max_consistency_ratio``) and names the most inconsistent pairs, and
    refuses an incomplete set of comparisons. Without criteria, or with
    several criteria and no comparison at all, nothing is assessed (the
    measures keep the order they were recorded in, each "noch nicht
    bewertet"); missing scores are handled as by ``nutzwert``.
    """

    name: str = "ahp"
    title: str = "Analytischer Hierarchieprozess (AHP)"

    def rank(self, request: RankingRequest) -> Ranking:
        """Derive weights, check consistency, then rank by weighted sum."""
        keys = [criterion.key for criterion in request.criteria]
        if not keys:
            return not_assessed_ranking(self.name, request.measures, NO_CRITERIA)
        if len(keys) > 1 and not request.comparisons:
            return not_assessed_ranking(self.name, request.measures, NO_COMPARISONS)
        result = ahp_weights(keys, request.comparisons)
        limit = float(request.option("max_consistency_ratio", MAX_CONSISTENCY_RATIO))
        if result.consistency_ratio > limit:
            # Each pair is stated the way round in which it was judged (value >= 1).
            worst = [
                (a, b, judged, implied) if judged >= 1 else (b, a, 1 / judged, 1 / implied)
                for a, b, judged, implied in result.deviations[:3]
            ]
            pairs = "; ".join(
                f"{a} gegenüber {b}: beurteilt {judged:.3g}, die Gewichte ergeben {implied:.3g}"
                for a, b, judged, implied in worst
            )
            raise InconsistentComparisonsError(
                result.consistency_ratio,
                [(a, b) for a, b, _, _ in worst],
                f"the pairwise comparisons are inconsistent (CR = {result.consistency_ratio:.3f} "
                f"> {limit:g}); most inconsistent: {pairs}",
            )
        inner = request.rule("nutzwert").rank(
            request.with_options({**request.options, "weights": result.weights})
        )
        if not inner.assessed:
            return attrs.evolve(inner, rule=self.name)
        return attrs.evolve(
            inner,
            rule=self.name,
            consistency_ratio=result.consistency_ratio,
            explanation=(
                "Die Gewichte der Kriterien wurden aus paarweisen Vergleichen abgeleitet "
                f"(Konsistenzverhältnis {result.consistency_ratio:.3f}). " + inner.explanation
            ),
        )
