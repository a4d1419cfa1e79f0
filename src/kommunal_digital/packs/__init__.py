"""Template packs on disk: manifests, data files, templates, the ``extends`` chain."""

from kommunal_digital.packs.bundled import bundled_packs_dir
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.data import DATA_KINDS, DataKind
from kommunal_digital.packs.guides import phase_guides
from kommunal_digital.packs.manifest import PackManifest
from kommunal_digital.packs.pack import TemplatePack, load_pack

__all__ = [
    "DATA_KINDS",
    "DataKind",
    "PackManifest",
    "TemplatePack",
    "bundled_packs_dir",
    "load_pack",
    "phase_guides",
    "with_parents",
]
