"""Template packs on disk: manifests, data files, pictures, templates, the ``extends`` chain."""

from kommunal_digital.packs.assets import (
    ASSET_TYPES,
    MAX_ASSET_BYTES,
    MAX_ASSET_PIXELS,
    MAX_PACK_ASSET_BYTES,
    asset_type,
)
from kommunal_digital.packs.bundled import bundled_packs_dir
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.data import DATA_KINDS, DataKind
from kommunal_digital.packs.guides import phase_guides
from kommunal_digital.packs.manifest import PackManifest
from kommunal_digital.packs.pack import TemplatePack, load_pack

__all__ = [
    "ASSET_TYPES",
    "DATA_KINDS",
    "DataKind",
    "MAX_ASSET_BYTES",
    "MAX_ASSET_PIXELS",
    "MAX_PACK_ASSET_BYTES",
    "PackManifest",
    "TemplatePack",
    "asset_type",
    "bundled_packs_dir",
    "load_pack",
    "phase_guides",
    "with_parents",
]
