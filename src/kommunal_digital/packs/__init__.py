"""Template packs: manifests, data files and templates supplied by agencies."""
