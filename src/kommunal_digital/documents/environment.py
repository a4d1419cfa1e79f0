"""The sandboxed Jinja environment every template is rendered in.

Templates come from third-party packs, so they run in Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment` (no access to private
attributes or unsafe callables), with autoescaping on (text such as
``Bildung & Jugend`` or ``<Entwurf>`` cannot break the document's XML) and
:class:`~jinja2.StrictUndefined` (a misspelt variable is an error, not an
empty gap in a council document).
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from kommunal_digital.documents.formatting import FILTERS

__all__ = ["make_environment"]


def _finalize(value: object) -> object:
    # Word's XML turns a bare carriage return into a line feed on reading;
    # normalising here keeps what is written and what is read back the same.
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def make_environment() -> SandboxedEnvironment:
    """Build a new sandboxed, autoescaping environment with the German filters."""
    env = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.update(FILTERS)
    return env
