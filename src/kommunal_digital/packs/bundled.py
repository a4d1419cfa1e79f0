"""Where the packs shipped inside the package live."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_packs_dir"]


def bundled_packs_dir() -> Path:
    """Return the folder holding the packs shipped inside the package.

    In an installed package the packs live in ``kommunal_digital/_packs``;
    in a source checkout installed in editable mode they are read from the
    repository's ``template_packs`` folder.
    """
    installed = Path(str(resources.files("kommunal_digital"))) / "_packs"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "template_packs"  # pragma: no cover
