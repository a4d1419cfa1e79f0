"""Pictures are drawn once per strategy and stay bounded at any strategy size."""

from __future__ import annotations

import collections
import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from PIL import Image

import kommunal_digital as kd
from kommunal_digital.documents import charts
from kommunal_digital.io.forked import FORK_VARIABLE, can_fork
from kommunal_digital.model import ActionField, Cost, Measure, Municipality, Strategy
from kommunal_digital.model.labels import MunicipalityKind, RelationKind, RoleKind
from kommunal_digital.model.organigram import Organigram, Relation, Role
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.model.stakeholder import Stakeholder
from kommunal_digital.planning.plan import plan_strategy
from tests.isolated import require_fork, run_isolated

DRAWN = ("organigram_image", "stakeholder_grid_image", "gantt_image", "strategy_maturity_image")


class Draws:
    """Every drawing of a built-in picture, by function and format, in any process.

    A build draws its pictures in a forked child where it can (see
    ``kommunal_digital.io.forked``), so each drawing is appended to a file
    with the process that made it.
    """

    def __init__(self, log: Path) -> None:
        self.log = log
        self.parent = os.getpid()

    def record(self, what: str) -> None:
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {what}\n")

    def _lines(self) -> list[tuple[int, str]]:
        if not self.log.exists():
            return []
        return [
            (int(pid), what)
            for pid, what in (line.split(" ", 1) for line in self.log.read_text().splitlines())
        ]

    def counts(self) -> collections.Counter[str]:
        return collections.Counter(what for _, what in self._lines())

    def in_this_process(self) -> int:
        return sum(1 for pid, _ in self._lines() if pid == self.parent)

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)


def _counted(draws: Draws, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fmt = kwargs.get("fmt", args[-1] if isinstance(args[-1], str) else "png")
        draws.record(f"{name}.{fmt}")
        return function(*args, **kwargs)

    return wrapper


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Draws]:
    """Count every drawing of a built-in picture, by function and format."""
    counter = Draws(tmp_path / "draws.log")
    charts.clear_picture_cache()

    for name in DRAWN:
        monkeypatch.setattr(charts, name, _counted(counter, name, getattr(charts, name)))
    yield counter
    charts.clear_picture_cache()


def test_a_build_draws_each_picture_once_per_format(
    draws: Draws, workspace: kd.Workspace, tmp_path: Path
) -> None:
    demo = kd.demo_strategy(workspace)
    result = kd.build_documents(
        demo, tmp_path / "a", workspace, today=dt.date(2027, 1, 1), picture_formats=("png", "svg")
    )
    assert result.ok
    # Every picture the demo has, once as PNG (documents and Bilder/ share it)
    # and once as SVG (Bilder/ only).
    assert draws.counts() == {f"{name}.{fmt}": 1 for name in DRAWN for fmt in ("png", "svg")}
    if can_fork():  # drawn aside in a child while the documents were rendered
        assert draws.in_this_process() == 0
    embedded = sum(1 for p in result.documents if p.suffix == ".docx")
    assert embedded > 4  # the pictures were used by many documents, drawn once
    draws.clear()
    again = kd.build_documents(demo, tmp_path / "b", workspace, today=dt.date(2027, 1, 1))
    assert again.ok
    assert draws.counts() == {}  # an unchanged strategy redraws nothing
    assert not list((tmp_path / "b" / "Bilder").glob("*.svg"))  # PNG unless SVG is asked for
    assert (tmp_path / "a" / "Bilder" / "Zeitplan.png").read_bytes() == (
        tmp_path / "b" / "Bilder" / "Zeitplan.png"
    ).read_bytes()


def test_a_changed_schedule_is_drawn_again(draws: Draws, workspace: kd.Workspace) -> None:
    demo = kd.demo_strategy(workspace)
    first = charts.document_images(demo, workspace)["zeitplan"]
    later = plan_strategy(_moved(demo), workspace.roadmap_presets)
    second = charts.document_images(later, workspace)["zeitplan"]
    assert draws.counts()["gantt_image.png"] == 2
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


def _contents(folder: Path) -> dict[str, Any]:
    """Every file of a document set by path; a Word file as its parts (zip dates differ)."""
    contents: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as archive:
                    contents[str(path.relative_to(folder))] = {
                        name: archive.read(name) for name in archive.namelist()
                    }
            else:
                contents[str(path.relative_to(folder))] = path.read_bytes()
    return contents


def pictures_drawn_aside_give_the_same_set(folder: str) -> None:
    require_fork()
    workspace = kd.open_workspace()
    demo = kd.demo_strategy(workspace)
    built = {}
    for fork in ("on", "off"):
        charts.clear_picture_cache()
        os.environ[FORK_VARIABLE] = fork
        out = Path(folder) / fork
        result = kd.build_documents(
            demo, out, workspace, today=dt.date(2027, 1, 1), picture_formats=("png", "svg")
        )
        assert result.ok
        built[fork] = (
            [p.relative_to(out) for p in (*result.documents, *result.pictures)],
            _contents(out),
        )
    assert built["on"] == built["off"]
    documents, contents = built["on"]
    assert str(documents[0]) == "Digitalstrategie.docx"  # reported in the usual order
    media = [name for name in contents["Digitalstrategie.docx"] if name.startswith("word/media/")]
    assert len(media) == 4


def test_pictures_drawn_aside_give_the_same_set_as_drawn_here(tmp_path: Path) -> None:
    run_isolated(pictures_drawn_aside_give_the_same_set, str(tmp_path))


def a_picture_the_child_fails_to_draw_is_drawn_here(folder: str) -> None:
    require_fork()
    parent = os.getpid()
    draws = Draws(Path(folder) / "draws.log")
    gantt = charts.gantt_image

    def fails_in_a_child(strategy: Strategy, fmt: Any = "png") -> bytes:
        draws.record(f"gantt_image.{fmt}")
        if os.getpid() != parent:
            raise RuntimeError("the child cannot draw this one")
        return gantt(strategy, fmt)

    for name in DRAWN:
        if name != "gantt_image":
            setattr(charts, name, _counted(draws, name, getattr(charts, name)))
    charts.gantt_image = fails_in_a_child
    workspace = kd.open_workspace()
    demo = kd.demo_strategy(workspace)
    result = kd.build_documents(demo, Path(folder) / "o", workspace, today=dt.date(2027, 1, 1))
    assert result.ok
    # Each picture drawn aside; the Gantt chart, which failed there, again here.
    expected = collections.Counter(f"{name}.png" for name in (*DRAWN, "gantt_image"))
    assert draws.counts() == expected
    assert draws.in_this_process() == 1
    charts.clear_picture_cache()
    os.environ[FORK_VARIABLE] = "off"
    drawn_here = charts.document_images(demo, workspace)["zeitplan"]
    assert (Path(folder) / "o" / "Bilder" / "Zeitplan.png").read_bytes() == drawn_here


def test_a_picture_the_child_fails_to_draw_is_drawn_here(tmp_path: Path) -> None:
    run_isolated(a_picture_the_child_fails_to_draw_is_drawn_here, str(tmp_path))


def test_a_build_draws_only_the_pictures_its_documents_show(
    draws: Draws, workspace: kd.Workspace, tmp_path: Path
) -> None:
    demo = kd.demo_strategy(workspace)
    day = dt.date(2027, 1, 1)
    result = kd.build_documents(
        demo, tmp_path / "a", workspace, document_types=["steckbrief"], pictures=False, today=day
    )
    assert result.ok
    assert len(result.documents) == len(demo.measures)
    assert draws.counts() == {}  # Steckbriefe show no picture
    result = kd.build_documents(
        demo, tmp_path / "b", workspace, document_types=["vorgehensplan"], pictures=False, today=day
    )
    assert result.ok
    assert draws.counts() == {"gantt_image.png": 1}


def _with_working_groups(workspace: kd.Workspace, count: int) -> Strategy:
    demo = kd.demo_strategy(workspace)
    organigram = demo.organigram
    assert organigram is not None
    mayor = next(r for r in organigram.roles if r.kind is RoleKind.MAYOR)
    groups = [
        Role(key=f"ag-{n}", title=f"Arbeitsgruppe {n}", kind=RoleKind.WORKING_GROUP)
        for n in range(count)
    ]
    reports = [
        Relation(source=g.key, target=mayor.key, kind=RelationKind.REPORTS_TO) for g in groups
    ]
    grown = Organigram(
        roles=(*organigram.roles, *groups), relations=(*organigram.relations, *reports)
    )
    return attrs.evolve(demo, organigram=grown)


def test_a_large_organigram_is_summarised_per_kind_of_role(workspace: kd.Workspace) -> None:
    demo = kd.demo_strategy(workspace)
    assert demo.organigram is not None
    assert charts.organigram_summary(demo.organigram) is demo.organigram  # small: as it is
    large = _with_working_groups(workspace, 600).organigram
    assert large is not None
    summary = charts.organigram_summary(large)
    kinds = collections.Counter(role.kind for role in large.roles)
    assert len(summary.roles) == len(kinds)
    titles = {role.kind: role.title for role in summary.roles}
    assert (
        titles[RoleKind.WORKING_GROUP] == f"Arbeitsgruppe ({kinds[RoleKind.WORKING_GROUP]} Rollen)"
    )
    for role in large.roles:  # a kind with one role keeps the role's own box
        if kinds[role.kind] == 1:
            assert role in summary.roles
    mayor = next(r for r in summary.roles if r.kind is RoleKind.MAYOR)
    group = next(r for r in summary.roles if r.kind is RoleKind.WORKING_GROUP)
    # 600 relations to the mayor became one.
    assert [r for r in summary.relations if (r.source, r.target) == (group.key, mayor.key)] == [
        Relation(source=group.key, target=mayor.key, kind=RelationKind.REPORTS_TO)
    ]


def test_the_organigram_picture_stays_the_same_size_however_many_roles(
    workspace: kd.Workspace,
) -> None:
    sizes = set()
    for count in (charts.ORGANIGRAM_MAX_ROLES, 600):
        organigram = _with_working_groups(workspace, count).organigram
        assert organigram is not None
        sizes.add(Image.open(io.BytesIO(charts.organigram_image(organigram))).size)
        svg = charts.organigram_image(organigram, "svg").decode()
        assert f"Zusammengefasst: {len(organigram.roles)} Rollen" in svg
    assert len(sizes) == 1
    small = kd.demo_strategy(workspace).organigram
    assert small is not None
    assert "Zusammengefasst" not in charts.organigram_image(small, "svg").decode()


@pytest.mark.parametrize("count", [charts.STAKEHOLDER_LEGEND_LINES, 30])
def test_the_stakeholder_legend_counts_what_does_not_fit(
    workspace: kd.Workspace, count: int
) -> None:
    demo = kd.demo_strategy(workspace)
    known = len(demo.stakeholders)
    extra = tuple(
        Stakeholder(key=f"s-{n}", name=f"Akteur Nummer {n}", power=1 + n % 5, interest=1 + n % 3)
        for n in range(known + 1, count + 1)  # numbered as the legend numbers them
    )
    grown = attrs.evolve(demo, stakeholders=(*demo.stakeholders, *extra))
    svg = charts.stakeholder_grid_image(grown, "svg").decode()
    listed = [n for n in range(known + 1, count + 1) if f"Akteur Nummer {n}<" in svg]
    if count <= charts.STAKEHOLDER_LEGEND_LINES:
        assert listed == list(range(known + 1, count + 1))
        assert "weitere" not in svg
    else:
        shown = charts.STAKEHOLDER_LEGEND_LINES - 1
        assert listed == list(range(known + 1, shown + 1))
        assert f"… und {count - shown} weitere" in svg


@pytest.mark.parametrize(
    ("source", "names"),
    [
        (b"<w:t>Kein Bild</w:t>", frozenset()),
        (b"{{ images.zeitplan }}", frozenset({"zeitplan"})),
        (
            b"{%p if images is defined and images.organigramm is defined %}"
            b"{{ images.organigramm|bild(breite_mm=80) }}{%p endif %}{{ images.zeitplan }}",
            frozenset({"organigramm", "zeitplan"}),
        ),
        (b"{% if images is not defined %}-{% endif %}", frozenset()),
        (b"{{ images['zeitplan'] }}", None),  # may show any picture
        (b"{% for name, bild in images.items() %}{{ bild }}{% endfor %}", None),
        (b"{{ images.get('zeitplan') }}", None),
        (b"{{ myimages.x }} {{ images_alt }}", frozenset()),  # other names
    ],
)
def test_a_build_reads_from_a_template_which_pictures_it_shows(
    source: bytes, names: frozenset[str] | None
) -> None:
    from kommunal_digital.documents.build import _pictures_named

    found = _pictures_named([source])
    assert (None if found is None else frozenset(found)) == names
    if found is not None:
        assert len(found) == len(set(found))  # each once, in the order first shown


def test_the_pictures_a_template_shows_come_in_the_order_it_shows_them() -> None:
    from kommunal_digital.documents.build import _pictures_named

    header = b"{{ images.wappen }}"
    body = b"{{ images.zeitplan }} {{ images.organigramm }} {{ images.zeitplan }}"
    assert _pictures_named([body, header]) == ("zeitplan", "organigramm", "wappen")
