import inspect
import subprocess
import sys

import kommunal_digital as kd


def test_all_is_sorted_and_complete() -> None:
    assert kd.__all__ == sorted(kd.__all__)
    assert len(set(kd.__all__)) == len(kd.__all__)
    for name in kd.__all__:
        assert hasattr(kd, name), name


def test_public_callables_have_docstrings() -> None:
    missing = [
        name
        for name in kd.__all__
        if (inspect.isclass(getattr(kd, name)) or inspect.isfunction(getattr(kd, name)))
        and not inspect.getdoc(getattr(kd, name))
    ]
    assert missing == []


def test_import_does_not_load_heavy_modules() -> None:
    code = (
        "import kommunal_digital, sys; "
        "print(sorted({'docxtpl', 'lxml', 'matplotlib'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_error_derives_from_the_root() -> None:
    errors = [getattr(kd, n) for n in kd.__all__ if n.endswith("Error")]
    assert len(errors) >= 8
    for error in errors:
        assert issubclass(error, kd.KommunalDigitalError)
