"""Pictures are drawn once per strategy and stay bounded at any strategy size."""

from __future__ import annotations

import collections
import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import kommunal_digital as kd
from kommunal_digital.documents import charts
from kommunal_digital.model import ActionField, Cost, Measure, Municipality, Strategy
from kommunal_digital.model.labels import MunicipalityKind
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning.plan import plan_strategy

DRAWN = ("organigram_image", "stakeholder_grid_image", "gantt_image", "strategy_maturity_image")


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[collections.Counter[str]]:
    """Count every drawing of a built-in picture, by function and format."""
    counter: collections.Counter[str] = collections.Counter()
    charts.clear_picture_cache()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            fmt = kwargs.get("fmt", args[-1] if isinstance(args[-1], str) else "png")
            counter[f"{name}.{fmt}"] += 1
            return function(*args, **kwargs)

        return wrapper

    for name in DRAWN:
        monkeypatch.setattr(charts, name, counting(name, getattr(charts, name)))
    yield counter
    charts.clear_picture_cache()


def test_a_build_draws_each_picture_once_per_format(
    draws: collections.Counter[str], workspace: kd.Workspace, tmp_path: Path
) -> None:
    demo = kd.demo_strategy(workspace)
    result = kd.build_documents(
        demo, tmp_path / "a", workspace, today=dt.date(2027, 1, 1), picture_formats=("png", "svg")
    )
    assert result.ok
    # Every picture the demo has, once as PNG (documents and Bilder/ share it)
    # and once as SVG (Bilder/ only).
    assert draws == {f"{name}.{fmt}": 1 for name in DRAWN for fmt in ("png", "svg")}
    embedded = sum(1 for p in result.documents if p.suffix == ".docx")
    assert embedded > 4  # the pictures were used by many documents, drawn once
    draws.clear()
    again = kd.build_documents(demo, tmp_path / "b", workspace, today=dt.date(2027, 1, 1))
    assert again.ok
    assert draws == {}  # an unchanged strategy redraws nothing
    assert not list((tmp_path / "b" / "Bilder").glob("*.svg"))  # PNG unless SVG is asked for
    assert (tmp_path / "a" / "Bilder" / "Zeitplan.png").read_bytes() == (
        tmp_path / "b" / "Bilder" / "Zeitplan.png"
    ).read_bytes()


def test_a_changed_schedule_is_drawn_again(
    draws: collections.Counter[str], workspace: kd.Workspace
) -> None:
    demo = kd.demo_strategy(workspace)
    first = charts.document_images(demo, workspace)["zeitplan"]
    later = plan_strategy(_moved(demo), workspace.roadmap_presets)
    second = charts.document_images(later, workspace)["zeitplan"]
    assert draws["gantt_image.png"] == 2
    assert first != second


def _moved(strategy: Strategy) -> Strategy:
    import attrs

    assert strategy.limits is not None
    limits = attrs.evolve(strategy.limits, start=dt.date(2028, 1, 1))
    return attrs.evolve(strategy, limits=limits)


def _planned(count: int, fields: int = 3) -> Strategy:
    keys = [f"feld{n}" for n in range(fields)]
    measures = tuple(
        Measure(
            key=f"m{index:04d}",
            title=f"Maßnahme {index}",
            action_field=keys[index % fields],
            duration_months=1 + index % 9,
            cost=Cost(one_off=Decimal(1000), yearly=Decimal(0)),
            staff_fte=0.1,
        )
        for index in range(count)
    )
    strategy = Strategy(
        municipality=Municipality(
            name="Gemeinde Groß", kind=MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
        ),
        action_fields=tuple(
            ActionField(key=key, title=f"Handlungsfeld {key[-1]}", chosen=True) for key in keys
        ),
        measures=measures,
        limits=ScheduleLimits(
            start=dt.date(2027, 1, 1),
            horizon_years=10,
            one_off_budget=Decimal(count * 2000),
            staff_fte=count * 0.2,
        ),
    )
    return plan_strategy(strategy, kd.open_workspace("rlp").roadmap_presets)


def test_the_gantt_chart_shows_measures_up_to_the_limit_then_fields() -> None:
    small = _planned(charts.GANTT_MAX_ROWS)
    rows = charts.gantt_rows(small)
    assert [row.label for row in rows] == [
        next(m.title for m in small.measures if m.key == item.measure)
        for item in small.schedule.placed  # type: ignore[union-attr]
    ]
    large = _planned(charts.GANTT_MAX_ROWS + 1)
    rows = charts.gantt_rows(large)
    assert len(rows) == 3
    placed = large.schedule.placed  # type: ignore[union-attr]
    by_field = collections.Counter(
        next(m.action_field for m in large.measures if m.key == p.measure) for p in placed
    )
    for row in rows:
        assert row.label == f"Handlungsfeld {row.field[-1]} ({by_field[row.field]} Maßnahmen)"
        spans = [
            p for p in placed
            if next(m.action_field for m in large.measures if m.key == p.measure) == row.field
        ]  # fmt: skip
        assert row.start == min(p.start for p in spans)
        assert row.end == max(p.end for p in spans)


def test_the_gantt_picture_stays_the_same_size_however_many_measures() -> None:
    sizes = []
    for count in (charts.GANTT_MAX_ROWS + 1, 600):
        png = charts.gantt_image(_planned(count))
        sizes.append(Image.open(io.BytesIO(png)).size)
    assert sizes[0] == sizes[1]
    width, height = sizes[1]
    assert width * height < 5_000_000  # a few megapixels, not hundreds
