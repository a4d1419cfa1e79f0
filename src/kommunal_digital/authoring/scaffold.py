"""``pack new``: a small, working pack to start from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kommunal_digital.errors import OutputExistsError, PackError
from kommunal_digital.model import checks
from kommunal_digital.packs.bundled import bundled_packs_dir

__all__ = ["new_pack"]

_MANIFEST = """\
# Manifest of the template pack "{name}" (see docs/template-packs.md).
[pack]
name = "{name}"
version = "0.1.0"
title = "{title}"
region = ""
language = "de"
kommunal_digital = ">=0.1,<0.2"
# The bundled base pack supplies the other templates, the Digicheck, the
# standard roadmap and the phase guides; remove this line to ship your own.
extends = "base"

[data]
action_fields = "action_fields.yaml"
catalogue = "catalogue.yaml"
text_blocks = "text_blocks.yaml"

[documents]
digitalstrategie = "templates/digitalstrategie.docx"
"""

_FIELDS = """\
# Handlungsfelder dieses Pakets. Jede Maßnahme einer Strategie gehört zu einem davon.
action_fields:
  - key: verwaltung
    title: Kommunale Verwaltung
    description: >-
      Verwaltungsleistungen werden online angeboten und intern ohne Medienbrüche
      bearbeitet.
  - key: dorfleben
    title: Dorf- und Gemeinschaftsleben
    description: >-
      Digitale Angebote stärken Vereine, Nachbarschaft und Ehrenamt.
"""

_CATALOGUE = """\
# Beispielmaßnahmen (Steckbriefe), die Kommunen übernehmen können.
entries:
  - key: online-termine
    action_field: verwaltung
    title: Online-Terminvergabe im Bürgerbüro
    goal: Wartezeiten im Bürgerbüro sinken.
    description: >-
      Bürgerinnen und Bürger buchen Termine rund um die Uhr über die Website.
    duration_months: 3
    one_off: {low: 2000, high: 6000}
    yearly: {low: 500, high: 1500}
    roles: [Bürgerbüro, IT]
    steps:
      - Anbieter auswählen
      - Terminarten festlegen
      - Website anbinden
      - Start bekanntmachen
    text_block: online-termine
"""

_TEXT_BLOCKS = """\
# Textbausteine zu den Steckbriefen.
text_blocks:
  - key: online-termine
    title: Online-Terminvergabe
    text: |
      Mit einer Online-Terminvergabe planen Besucherinnen und Besucher ihren Gang
      ins Bürgerbüro selbst. Das Team kann Termine gleichmäßig verteilen.

      Zuerst werden die Terminarten und ihre Dauer festgelegt, dann wird das
      Buchungssystem an die Website angebunden und der Start bekanntgemacht.
"""


def new_pack(name: str, parent: str | os.PathLike[str] = ".", *, title: str = "") -> Path:
    """Create a new pack folder ``parent/name`` that passes ``pack check``.

    It holds a manifest, two action fields, one catalogue entry with its
    text block and a copy of the bundled Digitalstrategie template.

    Args:
        name: The pack's name, also its folder name (a key: lower-case
            letters, digits, ``-`` and ``_``).
        parent: The folder to create it in.
        title: The pack's title; ``Vorlagenpaket <name>`` by default.

    Returns:
        The new pack folder.

    Raises:
        PackError: ``name`` is not a valid pack name.
        OutputExistsError: The folder exists already.
    """
    if not checks.is_key(name):
        raise PackError(
            f"{name!r} is not a valid pack name (lower-case letters, digits, '-' and '_')"
        )
    root = Path(parent) / name
    if root.exists():
        raise OutputExistsError(f"{root}: exists already")
    template = bundled_packs_dir() / "base" / "templates" / "digitalstrategie.docx"
    staging = root.with_name(f".{name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "templates").mkdir(parents=True)
        (staging / "pack.toml").write_text(
            _MANIFEST.format(name=name, title=title or f"Vorlagenpaket {name}"), encoding="utf-8"
        )
        (staging / "action_fields.yaml").write_text(_FIELDS, encoding="utf-8")
        (staging / "catalogue.yaml").write_text(_CATALOGUE, encoding="utf-8")
        (staging / "text_blocks.yaml").write_text(_TEXT_BLOCKS, encoding="utf-8")
        shutil.copyfile(template, staging / "templates" / "digitalstrategie.docx")
        # The folder appears whole or not at all.
        staging.rename(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return root
