"""The plugin system: hook specifications, markers, manager, built-in plugin."""
