"""Resolving the chain of packs a pack extends."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kommunal_digital.errors import PackError
from kommunal_digital.packs.pack import TemplatePack

__all__ = ["with_parents"]


def with_parents(
    pack: TemplatePack, packs: Mapping[str, TemplatePack], seen: tuple[str, ...] = ()
) -> TemplatePack:
    """Attach the chain of packs a pack extends, refusing unknown names and cycles.

    Args:
        pack: The pack; its manifest names the pack it extends.
        packs: The registered packs by name, among which the parents are found.
        seen: Names of the packs already on the chain (for the cycle check).

    Returns:
        The pack with ``parent`` set, recursively.

    Raises:
        PackError: A pack extends one that is not registered, or the packs
            extend each other in a circle.
    """
    parent_name = pack.manifest.extends
    if not parent_name:
        return pack
    if parent_name in (*seen, pack.name):
        chain = " -> ".join((*seen, pack.name, parent_name))
        raise PackError(f"{pack.name}: packs extend each other in a circle: {chain}")
    if parent_name not in packs:
        known = ", ".join(sorted(packs)) or "none"
        raise PackError(
            f"{pack.name}: extends {parent_name!r}, which is not registered (registered: {known})"
        )
    parent = with_parents(packs[parent_name], packs, (*seen, pack.name))
    return attrs.evolve(pack, parent=parent)
