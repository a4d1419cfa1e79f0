"""The workshop workbook: a strategy as an Excel file and back.

openpyxl is imported only inside the functions that read or write a
workbook, so importing this package stays light.
"""

from kommunal_digital.io.excel.export import export_workbook, workbook_bytes
from kommunal_digital.io.excel.import_ import import_workbook
from kommunal_digital.io.excel.problems import WorkbookError, WorkbookProblem

__all__ = [
    "WorkbookError",
    "WorkbookProblem",
    "export_workbook",
    "import_workbook",
    "workbook_bytes",
]
