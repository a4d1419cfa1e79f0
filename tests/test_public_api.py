"""The public surface: a small, lazy top level and documented namespaces."""

import importlib
import inspect
import subprocess
import sys
import types

import pytest

import kommunal_digital as kd

#: Modules ``import kommunal_digital`` must not load: they are slow to import
#: and only needed by some commands (documents, charts, Excel, calendars, CLI).
HEAVY_MODULES = (
    "babel",
    "click",
    "docxtpl",
    "icalendar",
    "lxml",
    "matplotlib",
    "networkx",
    "openpyxl",
    "rich",
)

#: The documented namespaces (see docs/reference/), reachable as ``kd.<name>`` too.
NAMESPACES = (
    "authoring",
    "batch",
    "calendars",
    "documents",
    "errors",
    "funding",
    "gate",
    "io",
    "maturity",
    "model",
    "monitoring",
    "organisation",
    "packs",
    "planning",
    "plugins",
    "ranking",
    "testing",
    "workspace",
)


def undocumented(module: types.ModuleType, names: list[str]) -> list[str]:
    """The names among ``names`` that are classes or functions without a docstring."""
    missing = []
    for name in names:
        value = getattr(module, name)
        if inspect.isclass(value):
            # A class's own docstring: inspect.getdoc would fall back to a base class's.
            doc = value.__dict__.get("__doc__")
        elif inspect.isfunction(value):
            doc = inspect.getdoc(value)
        else:
            continue
        if not (doc and doc.strip()):
            missing.append(name)
    return missing


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
    assert undocumented(kd, kd.__all__) == []


def test_import_does_not_load_heavy_modules() -> None:
    code = (
        "import sys\n"
        "import kommunal_digital\n"
        f"heavy = set({HEAVY_MODULES!r})\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_public_name_resolves_lazily_in_a_fresh_interpreter() -> None:
    code = (
        "import kommunal_digital as kd\n"
        "missing = []\n"
        "for name in kd.__all__:\n"
        "    try:\n"
        "        value = getattr(kd, name)\n"
        "    except AttributeError as exc:\n"
        "        missing.append(f'{name}: {exc}')\n"
        "print(missing)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_public_name_resolves_and_is_listed_by_dir() -> None:
    listed = set(dir(kd))
    for name in kd.__all__:
        assert getattr(kd, name) is not None, name
        assert name in listed, name


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_namespaces_are_reachable_as_attributes(namespace: str) -> None:
    module = importlib.import_module(f"kommunal_digital.{namespace}")
    assert getattr(kd, namespace) is module
    assert namespace in dir(kd)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_namespace_all_is_sorted_resolves_and_is_documented(namespace: str) -> None:
    module = importlib.import_module(f"kommunal_digital.{namespace}")
    assert inspect.getdoc(module), f"kommunal_digital.{namespace} has no docstring"
    names = list(getattr(module, "__all__", []))
    assert names, f"kommunal_digital.{namespace} has no __all__"
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    unresolved = [name for name in names if not hasattr(module, name)]
    assert unresolved == []
    assert undocumented(module, names) == []


def test_unknown_attribute_raises_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="nicht_vorhanden"):
        _ = kd.nicht_vorhanden
    with pytest.raises(AttributeError, match="make_plugin_manager"):
        getattr(kd, "make_plugin_manager")  # noqa: B009  # removed from the top level
    assert not hasattr(kd, "nicht_vorhanden")
    with pytest.raises(ImportError, match="nicht_vorhanden"):
        exec("from kommunal_digital import nicht_vorhanden")


def test_every_error_derives_from_the_root() -> None:
    errors = [getattr(kd, n) for n in kd.__all__ if n.endswith("Error")]
    assert len(errors) >= 8
    for error in errors:
        assert issubclass(error, kd.KommunalDigitalError)
    from kommunal_digital import errors as namespace

    every = [getattr(namespace, n) for n in namespace.__all__ if n.endswith("Error")]
    assert set(errors) <= set(every)
    for error in every:
        assert issubclass(error, kd.KommunalDigitalError), error
