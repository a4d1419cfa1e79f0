"""Finding the questionnaire a maturity check was answered with."""

from __future__ import annotations

from collections.abc import Mapping

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model.maturity import Questionnaire

__all__ = ["questionnaire_for"]


def questionnaire_for(key: str, questionnaires: Mapping[str, Questionnaire]) -> Questionnaire:
    """The questionnaire with this key among the given ones (``workspace.questionnaires``).

    Args:
        key: The questionnaire's key, e.g. a maturity check's ``questionnaire``.
        questionnaires: The questionnaires by key.

    Raises:
        ModelValidationError: No questionnaire has the key; the message names
            the field ``maturity_check.questionnaire``.
    """
    if key not in questionnaires:
        known = ", ".join(sorted(questionnaires)) or "none"
        raise ModelValidationError(
            "maturity_check.questionnaire", f"unknown questionnaire {key!r} (known: {known})"
        )
    return questionnaires[key]
