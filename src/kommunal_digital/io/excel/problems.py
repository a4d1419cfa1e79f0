"""Problems found in a workbook, and the error that lists all of them."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from kommunal_digital.errors import InputFileError

__all__ = ["WorkbookError", "WorkbookProblem"]


@attrs.frozen
class WorkbookProblem:
    """One problem in a workbook, with the place it concerns.

    Attributes:
        sheet: The sheet, or ``None`` for the workbook as a whole.
        cell: The cell (``"D7"``), or ``None`` for a whole sheet.
        message: What is wrong, in German for the workbook's users.
    """

    sheet: str | None
    cell: str | None
    message: str

    @property
    def location(self) -> str:
        """``Sheet!D7``, ``Sheet`` or an empty text."""
        if self.sheet is None:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class WorkbookError(InputFileError):
    """A workbook cannot be imported; lists every problem found in it.

    Attributes:
        source: The workbook's file name.
        problems: One line per problem, ``"Maßnahmen!D7: Dauer muss eine
            ganze Zahl sein"``.
        details: The same problems with sheet and cell as separate values.
    """

    def __init__(self, source: str, details: Sequence[WorkbookProblem]) -> None:
        self.details = tuple(details)
        super().__init__(source, [str(problem) for problem in self.details])
