"""Reading and writing strategies: files, text, plain data and the workshop workbook.

- :mod:`~kommunal_digital.io.files`: ``load_strategy`` and ``dump_strategy``,
  the format chosen by the file's suffix (``.yaml``, ``.yml``, ``.json``,
  ``.xlsx``);
- :mod:`~kommunal_digital.io.strategy_text`: a strategy as YAML or JSON text
  and as plain data;
- :mod:`~kommunal_digital.io.excel`: the workshop workbook;
- the converter, the schema version, safe YAML and atomic writes they share;
- :mod:`~kommunal_digital.io.filenames`: file names made from user data that
  Windows, macOS and Linux all accept.

Importing this namespace does not load openpyxl; reading or writing a
workbook does.
"""

from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.excel import (
    WorkbookError,
    WorkbookProblem,
    export_workbook,
    import_workbook,
    workbook_bytes,
)
from kommunal_digital.io.filenames import MAX_FILE_NAME_BYTES, safe_file_name
from kommunal_digital.io.files import check_regular_file, dump_strategy, load_strategy
from kommunal_digital.io.schema import SCHEMA_VERSION
from kommunal_digital.io.strategy_text import (
    Format,
    dumps_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
)
from kommunal_digital.io.yaml_io import ImpossibleDate, YamlError, dump_yaml, load_yaml

__all__ = [
    "Format",
    "ImpossibleDate",
    "MAX_FILE_NAME_BYTES",
    "SCHEMA_VERSION",
    "WorkbookError",
    "WorkbookProblem",
    "YamlError",
    "check_regular_file",
    "dump_strategy",
    "dump_yaml",
    "dumps_strategy",
    "export_workbook",
    "import_workbook",
    "load_strategy",
    "load_yaml",
    "loads_strategy",
    "make_converter",
    "safe_file_name",
    "strategy_from_data",
    "strategy_to_data",
    "workbook_bytes",
    "write_atomic",
]
