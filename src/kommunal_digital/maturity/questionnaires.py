"""Finding maturity questionnaires: the built-in Digicheck, packs and plugins."""

from __future__ import annotations

from importlib import resources

import pluggy

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model.maturity import Questionnaire

__all__ = ["builtin_questionnaire", "maturity_questionnaires", "questionnaire_for"]


def builtin_questionnaire() -> Questionnaire:
    """The built-in Digicheck: two questions for each of seven dimensions."""
    from kommunal_digital.io.converter import make_converter
    from kommunal_digital.io.yaml_io import load_yaml

    text = resources.files(__package__).joinpath("digicheck.yaml").read_text(encoding="utf-8")
    return make_converter().structure(load_yaml(text), Questionnaire)


def maturity_questionnaires(
    manager: pluggy.PluginManager | None = None,
) -> dict[str, Questionnaire]:
    """All questionnaires by key: from registered packs, then from the hook (later wins)."""
    from kommunal_digital.plugins.manager import available_packs, make_plugin_manager, merge_by_key

    manager = manager or make_plugin_manager()
    found: dict[str, Questionnaire] = {
        q.key: q for pack in available_packs(manager).values() for q in pack.data("questionnaires")
    }
    batches = manager.hook.kd_maturity_questionnaires()
    found.update(merge_by_key("kd_maturity_questionnaires", batches, Questionnaire))
    return found


def questionnaire_for(key: str, manager: pluggy.PluginManager | None = None) -> Questionnaire:
    """The questionnaire with this key, from packs and plugins.

    Raises:
        ModelValidationError: No questionnaire has the key; the message names
            the field ``maturity_check.questionnaire``.
    """
    found = maturity_questionnaires(manager)
    if key not in found:
        raise ModelValidationError(
            "maturity_check.questionnaire",
            f"unknown questionnaire {key!r} (known: {', '.join(sorted(found)) or 'none'})",
        )
    return found[key]
