import itertools
from typing import Any

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.documents.charts import (
    chart_images,
    organigram_figure,
    stakeholder_grid_figure,
)
from kommunal_digital.model import OrganigramPreset
from kommunal_digital.organisation.presets import build_organigram
from tests.real_organisation import real_organigram


def overlaps(a: Any, b: Any) -> bool:
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


def organigram_presets() -> dict[str, OrganigramPreset]:
    # Every preset of every registered pack (and of the installed plugins).
    installation = kd.load_installation()
    presets: dict[str, OrganigramPreset] = {}
    for name in installation.packs:
        presets.update(installation.workspace(name).organigram_presets)
    return presets


def organigrams() -> list[tuple[str, kd.Organigram]]:
    strategy = kd.demo_strategy(planned=False)
    assert strategy.organigram is not None
    result = [("demo", strategy.organigram), ("real", real_organigram())]
    for key, preset in organigram_presets().items():
        result.append((key, build_organigram(preset, strategy)))
    return result


@pytest.mark.parametrize(
    ("name", "organigram"), organigrams(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_organigram_boxes_and_labels_do_not_overlap(name: str, organigram: kd.Organigram) -> None:
    import matplotlib.pyplot as plt

    figure = organigram_figure(organigram)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes = figure.axes[0]
    labels = {t.get_gid(): t for t in axes.texts}
    assert set(labels) == {r.key for r in organigram.roles}
    boxes = [p for p in axes.patches if type(p).__name__ == "FancyBboxPatch"]
    assert len(boxes) == len(organigram.roles)
    extents = [b.get_window_extent(renderer) for b in boxes]
    for a, b in itertools.combinations(extents, 2):
        assert not overlaps(a, b)
    for _box, extent in zip(boxes, extents, strict=True):
        inside = [
            t
            for t in labels.values()
            if extent.contains(*t.get_window_extent(renderer).get_points().mean(axis=0))
        ]
        assert len(inside) == 1
        text = inside[0].get_window_extent(renderer)
        assert extent.x0 <= text.x0
        assert text.x1 <= extent.x1
        assert extent.y0 <= text.y0
        assert text.y1 <= extent.y1
        assert float(inside[0].get_fontsize()) >= 5.0
    # readable at A4 width: 16 cm wide
    assert figure.get_figwidth() == pytest.approx(16 / 2.54)
    plt.close(figure)


def test_stakeholder_grid_markers_and_texts_do_not_overlap() -> None:
    import matplotlib.pyplot as plt

    strategy = kd.demo_strategy(planned=False)
    # crowd one cell to exercise the spreading
    crowded = attrs.evolve(
        strategy,
        stakeholders=tuple(attrs.evolve(s, power=5, interest=5) for s in strategy.stakeholders[:6])
        + strategy.stakeholders[6:],
    )
    for subject in (strategy, crowded):
        figure = stakeholder_grid_figure(subject)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        grid = figure.axes[0]
        markers = [c.get_window_extent(renderer) for c in grid.collections]
        assert len(markers) == len(subject.stakeholders)
        for a, b in itertools.combinations(markers, 2):
            assert not overlaps(a, b)
        quadrant_labels = [t for t in grid.texts if not t.get_text().isdigit()]
        assert len(quadrant_labels) == 4
        for label in quadrant_labels:
            for marker in markers:
                assert not overlaps(label.get_window_extent(renderer), marker)
        legend = figure.axes[1].texts[0]
        assert figure.bbox.contains(*legend.get_window_extent(renderer).p1)
        for number, stakeholder in enumerate(subject.stakeholders, start=1):
            assert f"{number}  {stakeholder.name[:20]}" in legend.get_text()
        plt.close(figure)


def test_chart_images_are_png_and_svg_with_german_labels(workspace: kd.Workspace) -> None:
    images = chart_images(kd.demo_strategy(planned=False), workspace)
    assert set(images) == {
        "Organigramm.png",
        "Organigramm.svg",
        "Stakeholder-Matrix.png",
        "Stakeholder-Matrix.svg",
        "Reifegrad.png",
        "Reifegrad.svg",
    }
    assert "Infrastruktur" in images["Reifegrad.svg"].decode("utf-8")
    planned = chart_images(kd.demo_strategy(workspace), workspace)
    assert {"Zeitplan.png", "Zeitplan.svg"} <= set(planned)
    gantt = planned["Zeitplan.svg"].decode("utf-8")
    assert "OZG-Leistungen online anbieten" in gantt
    # A finished measure is not scheduled, so it has no bar.
    assert "Online-Terminvereinbarung im Bürgerbüro" not in gantt
    assert images["Organigramm.png"].startswith(b"\x89PNG")
    svg = images["Organigramm.svg"].decode("utf-8")
    assert "<svg" in svg
    assert "Digitalbeauftragter" in svg
    assert "berichtet an" in svg
    grid = images["Stakeholder-Matrix.svg"].decode("utf-8")
    assert "eng einbinden" in grid
    assert "Einfluss" in grid
    # deterministic: the same strategy gives the same bytes
    assert chart_images(kd.demo_strategy(planned=False), workspace) == images
