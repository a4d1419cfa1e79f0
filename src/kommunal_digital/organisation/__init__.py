"""Organisation of the digital change: organigram presets, governance checks, stakeholders."""
