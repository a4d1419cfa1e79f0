"""Reading generated Word documents back for assertions."""

from __future__ import annotations

from pathlib import Path

import docx


def docx_text(path: Path | str) -> str:
    """Return all text of a .docx: paragraphs and table cells, one per line."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines).replace("\xa0", " ")


def make_template(path: Path, *paragraphs: str) -> Path:
    """Write a minimal .docx whose paragraphs hold the given template text."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path
