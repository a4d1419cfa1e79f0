"""The exception hierarchy of kommunal-digital.

Every error the library raises on purpose derives from
:class:`KommunalDigitalError`, so an embedding application can catch one
class. Errors that concern a place in an input (a file, a field path, a
template line) say where in their message.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DependencyCycleError",
    "DocumentError",
    "InconsistentComparisonsError",
    "InputFileError",
    "KommunalDigitalError",
    "ModelValidationError",
    "OutputError",
    "OutputExistsError",
    "PackError",
    "PlanningError",
    "PluginError",
    "RankingError",
    "SchemaVersionError",
    "TemplateRenderError",
    "UnknownDependencyError",
    "UnsafePathError",
]


class KommunalDigitalError(Exception):
    """Root of every error raised by kommunal-digital."""


class ModelValidationError(KommunalDigitalError, ValueError):
    """A domain object was given an invalid value.

    Attributes:
        field: Dotted path of the offending field relative to the object
            being built, e.g. ``"one_off"`` or ``"measures[3].action_field"``.
        reason: What is wrong, without the path.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}" if field else reason)


class InputFileError(KommunalDigitalError):
    """An input file (strategy, pack data) could not be read or is invalid.

    Attributes:
        source: The file name or label of the input.
        problems: One line per problem, each naming the field path.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [f"{source}: {p}" for p in self.problems] or [f"{source}: invalid input"]
        super().__init__("\n".join(lines))


class SchemaVersionError(InputFileError):
    """A strategy file declares a schema version this release cannot read."""


class PackError(KommunalDigitalError):
    """A template pack is missing, malformed or not compatible."""


class UnsafePathError(PackError):
    """A path inside a pack points outside of the pack."""


class PluginError(KommunalDigitalError):
    """A plugin could not be loaded or returned unusable data."""


class PlanningError(KommunalDigitalError):
    """Measures cannot be planned as given (dependencies, capacities, inputs)."""


class UnknownDependencyError(PlanningError):
    """A measure depends on a measure that does not exist."""


class DependencyCycleError(PlanningError):
    """Measures depend on each other in a circle.

    Attributes:
        cycle: The keys in order, first key repeated at the end; each key
            depends on the next one.
    """

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__("dependency cycle: " + " -> ".join(self.cycle))


class RankingError(KommunalDigitalError):
    """Measures cannot be ranked as asked (unknown rule, missing scores, ...)."""


class InconsistentComparisonsError(RankingError):
    """Pairwise comparisons are too inconsistent (AHP consistency ratio above 0.1).

    Attributes:
        consistency_ratio: Saaty's consistency ratio of the judgements.
        worst_pairs: The most inconsistent pairs, worst first.

    Args:
        consistency_ratio: As above.
        worst_pairs: As above.
        message: The error message, naming the ratio and the worst pairs.
    """

    def __init__(
        self, consistency_ratio: float, worst_pairs: Sequence[tuple[str, str]], message: str
    ) -> None:
        self.consistency_ratio = consistency_ratio
        self.worst_pairs = tuple(worst_pairs)
        super().__init__(message)


class DocumentError(KommunalDigitalError):
    """A document could not be produced."""


class TemplateRenderError(DocumentError):
    """A document template failed to render (syntax, missing variable, sandbox)."""


class OutputError(KommunalDigitalError):
    """An output file could not be written."""


class OutputExistsError(OutputError):
    """An output file exists already and overwriting was not requested."""
