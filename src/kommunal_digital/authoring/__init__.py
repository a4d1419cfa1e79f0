"""Tools for pack authors and new projects: pack check, new packs, starter strategies."""

from kommunal_digital.authoring.check import (
    PackProblem,
    check_pack,
    lint_template,
    lint_text_template,
)
from kommunal_digital.authoring.scaffold import new_pack
from kommunal_digital.authoring.starter import starter_strategy

__all__ = [
    "PackProblem",
    "check_pack",
    "lint_template",
    "lint_text_template",
    "new_pack",
    "starter_strategy",
]
