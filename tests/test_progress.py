"""Progress monitoring: per-measure progress, roll-ups, flags, history and report data."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.model import MeasureStatus, Milestone, ProgressUpdate, Reporting, Weighting
from kommunal_digital.model.schedule import Schedule, ScheduledMeasure, ScheduleLimits
from kommunal_digital.monitoring import (
    FlagKind,
    ProgressSource,
    Rollup,
    measure_progress,
    progress_report,
    record_progress,
    record_report,
    roll_up_progress,
)
from kommunal_digital.testing import strategies as kst

from .context_keys import context_keys

DOCS = Path(__file__).resolve().parents[1] / "docs"
D = dt.date
DONE = MeasureStatus.ABGESCHLOSSEN
RUNNING = MeasureStatus.IN_UMSETZUNG


def town() -> kd.Municipality:
    return kd.Municipality(name="Musterhausen", kind=kd.MunicipalityKind.GEMEINDE, land="RLP")


def measure(key: str, field: str, goal: str | None, one_off: int, yearly: int, **kw: Any) -> Any:
    return kd.Measure(
        key=key,
        title=key.upper(),
        action_field=field,
        goal=goal,
        cost=kd.Cost(one_off=Decimal(one_off), yearly=Decimal(yearly)),
        **kw,
    )


def worked_example() -> kd.Strategy:
    """Six measures, worked through by hand in the tests below.

    a 50 % (reported), b finished, c 1 of 4 milestones = 25 %, d 10 % without
    goal, e dropped, f 20 %. Cost weights (one-off + yearly): a 10000,
    b 30000, c 10000, d 20000, f 30000. Goal weights: g1 4, g2 1, g3 1.
    """
    fields = (
        kd.ActionField(
            key="verwaltung",
            title="Verwaltung",
            goals=(
                kd.Goal(key="g1", statement="Ziel 1", weight=4),
                kd.Goal(key="g2", statement="Ziel 2", weight=1),
            ),
        ),
        kd.ActionField(
            key="bildung", title="Bildung", goals=(kd.Goal(key="g3", statement="Ziel 3"),)
        ),
    )
    measures = (
        measure("a", "verwaltung", "g1", 8000, 2000, status=RUNNING, progress=50),
        measure("b", "verwaltung", "g1", 30000, 0, status=DONE, progress=70),
        measure("c", "verwaltung", "g2", 10000, 0),
        measure("d", "verwaltung", None, 15000, 5000, status=RUNNING, progress=10),
        measure("e", "bildung", "g3", 50000, 0, status=MeasureStatus.VERWORFEN, progress=30),
        measure("f", "bildung", "g3", 25000, 5000, status=RUNNING, progress=20),
    )
    milestones = tuple(
        Milestone(what=f"M{i}", reached_on=D(2027, 3, 1) if i == 1 else None) for i in range(1, 5)
    )
    profile = kd.ProjectProfile(measure="c", result="Ergebnis", milestones=milestones)
    return kd.Strategy(
        municipality=town(), action_fields=fields, measures=measures, profiles=(profile,)
    )


def figures(rollup: Rollup) -> dict[str, float | None]:
    values = {f"field:{f.key}": f.progress for f in rollup.fields}
    values.update({f"goal:{g.key}": g.progress for g in rollup.goals})
    values["overall"] = rollup.overall.progress
    return values


# --- progress of one measure -------------------------------------------------


def test_each_measure_gets_its_figure_from_the_documented_source() -> None:
    rollup = roll_up_progress(worked_example())
    got = {k: (f.progress, f.source) for k, f in rollup.measures.items()}
    assert got == {
        "a": (50.0, ProgressSource.REPORTED),
        "b": (100.0, ProgressSource.FINISHED),  # finished wins over the stale 70
        "c": (25.0, ProgressSource.MILESTONES),
        "d": (10.0, ProgressSource.REPORTED),
        "e": (None, ProgressSource.DROPPED),
        "f": (20.0, ProgressSource.REPORTED),
    }
    assert rollup.measures["c"].explanation == (
        "1 von 4 Meilensteinen des Steckbriefs erreicht: 25 %."
    )


def test_a_reported_zero_beats_the_milestones() -> None:
    strategy = worked_example()
    update = ProgressUpdate(measure="c", date=D(2027, 4, 1), status=RUNNING, progress=0)
    after = record_progress(strategy, update)
    figure = measure_progress(after, after.measure("c"))
    assert (figure.progress, figure.source) == (0.0, ProgressSource.REPORTED)


# --- roll-up: the worked example ----------------------------------------------


def test_equal_weighting_worked_example() -> None:
    rollup = roll_up_progress(worked_example(), Weighting.EQUAL)
    assert figures(rollup) == pytest.approx(
        {
            "goal:g1": (50 + 100) / 2,
            "goal:g2": 25.0,
            "goal:g3": 20.0,  # e is dropped
            "field:verwaltung": (50 + 100 + 25 + 10) / 4,  # d counts in its field
            "field:bildung": 20.0,
            "overall": (50 + 100 + 25 + 10 + 20) / 5,
        }
    )
    assert rollup.overall.excluded == ("e",)
    assert [p.measure for p in rollup.overall.parts] == ["a", "b", "c", "d", "f"]


def test_cost_weighting_worked_example() -> None:
    rollup = roll_up_progress(worked_example(), Weighting.COST)
    assert figures(rollup) == pytest.approx(
        {
            "goal:g1": (10000 * 50 + 30000 * 100) / 40000,  # 87.5
            "goal:g2": 25.0,
            "goal:g3": 20.0,
            "field:verwaltung": (500000 + 3000000 + 250000 + 200000) / 70000,
            "field:bildung": 20.0,
            "overall": (3950000 + 600000) / 100000,  # 45.5
        }
    )
    g1 = next(g for g in rollup.goals if g.key == "g1")
    assert [(p.measure, p.weight, p.share, p.contribution) for p in g1.parts] == [
        ("a", 10000.0, 0.25, 12.5),
        ("b", 30000.0, 0.75, 75.0),
    ]
    assert g1.explanation == (
        "87,5 % aus 2 Maßnahmen, Gewichtung: nach Kosten (einmalig plus ein Jahr "
        "Folgekosten). Anteile: A 50 % bei 25 % Anteil; B 100 % bei 75 % Anteil."
    )


def test_goal_weighting_worked_example() -> None:
    rollup = roll_up_progress(worked_example(), Weighting.GOAL_WEIGHT)
    # g1 (weight 4) at 75 %, g2 (1) at 25 %, the goal-less group (1) at 10 %.
    assert figures(rollup) == pytest.approx(
        {
            "goal:g1": 75.0,
            "goal:g2": 25.0,
            "goal:g3": 20.0,
            "field:verwaltung": (4 * 75 + 1 * 25 + 1 * 10) / 6,
            "field:bildung": 20.0,
            "overall": (4 * 75 + 25 + 10 + 20) / 7,
        }
    )
    verwaltung = rollup.fields[0]
    assert {p.measure: p.weight for p in verwaltung.parts} == {"a": 2, "b": 2, "c": 1, "d": 1}


def test_overall_explanation_summarises_per_field_and_names_dropped_measures() -> None:
    overall = roll_up_progress(worked_example(), Weighting.EQUAL).overall
    assert overall.explanation.startswith("41 % aus 5 Maßnahmen, Gewichtung: gleich je Maßnahme.")
    assert "Bildung 20 % bei 20 % Anteil" in overall.explanation
    assert overall.explanation.endswith("Verworfen und nicht mitgezählt: E.")


def test_default_weighting_comes_from_the_reporting_settings() -> None:
    strategy = attrs.evolve(worked_example(), reporting=Reporting(weighting=Weighting.COST))
    assert roll_up_progress(strategy).overall.progress == pytest.approx(45.5)
    assert roll_up_progress(strategy).weighting is Weighting.COST


def test_zero_weights_fall_back_to_equal_weights_and_say_so() -> None:
    fields = (kd.ActionField(key="x", title="X"),)
    measures = (
        measure("m1", "x", None, 0, 0, progress=40),
        measure("m2", "x", None, 0, 0, progress=80),
    )
    strategy = kd.Strategy(municipality=town(), action_fields=fields, measures=measures)
    figure = roll_up_progress(strategy, Weighting.COST).fields[0]
    assert figure.progress == pytest.approx(60.0)
    assert figure.equal_fallback
    assert "Alle Gewichte sind null" in figure.explanation


def test_a_field_with_only_dropped_measures_has_no_figure() -> None:
    strategy = worked_example()
    dropped = tuple(
        attrs.evolve(m, status=MeasureStatus.VERWORFEN) if m.key == "f" else m
        for m in strategy.measures
    )
    rollup = roll_up_progress(attrs.evolve(strategy, measures=dropped))
    bildung = rollup.fields[1]
    assert bildung.progress is None
    assert bildung.excluded == ("e", "f")
    assert bildung.explanation.startswith("Keine Maßnahme zählt mit")


# --- roll-up: properties ------------------------------------------------------

WEIGHTINGS = st.sampled_from(Weighting)


@given(strategy=kst.strategies(), weighting=WEIGHTINGS)
def test_every_figure_stays_between_0_and_100(strategy: kd.Strategy, weighting: Weighting) -> None:
    rollup = roll_up_progress(strategy, weighting)
    for figure in (rollup.overall, *rollup.fields, *rollup.goals):
        assert figure.progress is None or 0 <= figure.progress <= 100
        assert figure.progress is None or sum(p.share for p in figure.parts) == pytest.approx(1)


@given(strategy=kst.strategies(), weighting=WEIGHTINGS, data=st.data())
def test_finishing_a_measure_never_lowers_a_parent(
    strategy: kd.Strategy, weighting: Weighting, data: st.DataObject
) -> None:
    if not strategy.measures:
        return
    key = data.draw(st.sampled_from([m.key for m in strategy.measures]))
    chosen = strategy.measure(key)
    # A dropped measure whose cost is unknown counts again once finished;
    # its unknown weight switches cost-weighted figures to equal weights
    # (unknown is not zero), a different basis the figures say they use.
    assume(
        weighting is not Weighting.COST
        or chosen.status is not MeasureStatus.VERWORFEN
        or (chosen.cost.one_off is not None and chosen.cost.yearly is not None)
    )
    finished = tuple(
        attrs.evolve(m, status=DONE, progress=100) if m.key == key else m for m in strategy.measures
    )
    before = figures(roll_up_progress(strategy, weighting))
    after = figures(roll_up_progress(attrs.evolve(strategy, measures=finished), weighting))
    for name, value in before.items():
        if value is not None:
            new = after[name]
            assert new is not None
            assert new >= value - 1e-9


@given(strategy=kst.strategies(), weighting=WEIGHTINGS, data=st.data())
def test_the_order_of_measures_does_not_change_any_figure(
    strategy: kd.Strategy, weighting: Weighting, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(strategy.measures))
    other = attrs.evolve(strategy, measures=tuple(shuffled))
    assert figures(roll_up_progress(other, weighting)) == figures(
        roll_up_progress(strategy, weighting)
    )


# --- stale and late measures --------------------------------------------------


def scheduled(start: dt.date, end: dt.date, **kw: Any) -> kd.Strategy:
    """One running measure "m", scheduled from start to end."""
    fields = (kd.ActionField(key="x", title="X"),)
    entry = ScheduledMeasure(measure="m", start=start, end=end, start_month=0, duration_months=3)
    schedule = Schedule(limits=ScheduleLimits(start=start), placed=(entry,))
    defaults: dict[str, Any] = {"status": RUNNING}
    defaults.update(kw)
    return kd.Strategy(
        municipality=town(),
        action_fields=fields,
        measures=(measure("m", "x", None, 0, 0, **defaults),),
        schedule=schedule,
    )


def flags(strategy: kd.Strategy, as_of: dt.date) -> list[FlagKind]:
    return [f.kind for f in progress_report(strategy, as_of=as_of).measure("m").flags]


def reported(strategy: kd.Strategy, on: dt.date, progress: int | None = None) -> kd.Strategy:
    update = ProgressUpdate(measure="m", date=on, status=RUNNING, progress=progress)
    return record_progress(strategy, update)


def test_stale_exactly_one_day_after_the_rhythm_ends() -> None:
    strategy = reported(scheduled(D(2027, 1, 1), D(2028, 12, 31)), D(2027, 1, 15), 10)
    assert FlagKind.STALE not in flags(strategy, D(2027, 4, 15))
    assert FlagKind.STALE in flags(strategy, D(2027, 4, 16))
    line = progress_report(strategy, as_of=D(2027, 4, 16)).measure("m")
    assert line.flags[0].reason == (
        "Letzte Meldung am 15.01.2027; die nächste war bis 15.04.2027 fällig "
        "(Berichtsrhythmus 3 Monate)."
    )


def test_rhythm_ends_on_the_last_day_of_a_shorter_month() -> None:
    strategy = reported(scheduled(D(2027, 1, 1), D(2029, 12, 31)), D(2027, 11, 30), 50)
    assert FlagKind.STALE not in flags(strategy, D(2028, 2, 29))
    assert FlagKind.STALE in flags(strategy, D(2028, 3, 1))


def test_never_reported_measure_is_stale_one_rhythm_after_its_scheduled_start() -> None:
    strategy = scheduled(D(2027, 1, 1), D(2030, 12, 31), status=MeasureStatus.GEPLANT)
    assert flags(strategy, D(2026, 12, 1)) == []  # not started: nothing is due
    assert flags(strategy, D(2027, 4, 1)) == []
    assert flags(strategy, D(2027, 4, 2))[0] is FlagKind.STALE


def test_running_measure_without_dates_is_stale_at_once_or_from_adoption() -> None:
    fields = (kd.ActionField(key="x", title="X"),)
    strategy = kd.Strategy(
        municipality=town(),
        action_fields=fields,
        measures=(measure("m", "x", None, 0, 0, status=RUNNING),),
    )
    report = progress_report(strategy, as_of=D(2027, 1, 1))
    assert report.stale == ("m",)
    assert report.measure("m").flags[0].reason.endswith("noch keine Fortschrittsmeldung.")
    adopted = attrs.evolve(strategy, adopted_on=D(2026, 12, 1))
    assert progress_report(adopted, as_of=D(2027, 3, 1)).stale == ()
    assert progress_report(adopted, as_of=D(2027, 3, 2)).stale == ("m",)


def test_behind_plan_only_beyond_the_tolerance() -> None:
    # 100 days from start to end; on day 50 the plan expects 50 %.
    start, end = D(2027, 1, 1), D(2027, 4, 11)
    as_of = start + dt.timedelta(days=50)
    on_edge = reported(scheduled(start, end), as_of, progress=30)  # exactly 20 points behind
    assert FlagKind.BEHIND not in flags(on_edge, as_of)
    behind = reported(scheduled(start, end), as_of, progress=29)
    assert FlagKind.BEHIND in flags(behind, as_of)
    line = progress_report(behind, as_of=as_of).measure("m")
    assert line.planned_progress == pytest.approx(50.0)
    assert line.flags[0].reason == (
        "Stand 29 %, nach Plan wären 50 % erreicht (Toleranz 20 Prozentpunkte)."
    )
    lenient = attrs.evolve(behind, reporting=Reporting(tolerance_points=21))
    assert flags(lenient, as_of) == []


def test_overdue_from_the_day_after_the_scheduled_end() -> None:
    start, end = D(2027, 1, 1), D(2027, 4, 11)
    strategy = reported(scheduled(start, end), end, progress=90)
    assert flags(strategy, end) == []
    assert flags(strategy, end + dt.timedelta(days=1)) == [FlagKind.OVERDUE]
    finished = record_progress(strategy, ProgressUpdate(measure="m", date=end, status=DONE))
    assert flags(finished, D(2030, 1, 1)) == []


def test_reported_delay_and_passed_legal_deadline_make_a_measure_late() -> None:
    strategy = scheduled(
        D(2027, 1, 1),
        D(2029, 1, 1),
        status=MeasureStatus.VERZOEGERT,
        progress=40,
        legal_driver="OZG",
        legal_deadline=D(2027, 6, 30),
    )
    strategy = reported(strategy, D(2027, 6, 1), 40)
    strategy = record_progress(
        strategy,
        ProgressUpdate(measure="m", date=D(2027, 6, 1), status=MeasureStatus.VERZOEGERT),
    )
    assert flags(strategy, D(2027, 6, 30)) == [FlagKind.DELAYED]
    report = progress_report(strategy, as_of=D(2027, 7, 1))
    assert [f.kind for f in report.measure("m").flags] == [
        FlagKind.DELAYED,
        FlagKind.DEADLINE,
    ]
    assert report.late == ("m",)
    assert report.stale == ()
    assert report.measure("m").flags[1].reason == (
        "Die gesetzliche Frist (OZG) ist am 30.06.2027 verstrichen."
    )


# --- history ------------------------------------------------------------------


def test_record_progress_appends_and_updates_the_measure() -> None:
    strategy = worked_example()
    first = ProgressUpdate(
        measure="c", date=D(2027, 5, 1), status=RUNNING, progress=35, note="Start", author="Lotse"
    )
    after = record_progress(strategy, first)
    assert after.progress_history == (first,)
    assert (after.measure("c").status, after.measure("c").progress) == (RUNNING, 35)
    assert strategy.progress_history == ()  # the original is unchanged
    assert strategy.measure("c").progress == 0
    status_only = ProgressUpdate(measure="c", date=D(2027, 5, 1), status=MeasureStatus.VERZOEGERT)
    later = record_progress(after, status_only)
    assert later.measure("c").progress == 35  # same day is fine, no figure keeps it
    done = record_progress(later, ProgressUpdate(measure="c", date=D(2027, 9, 1), status=DONE))
    assert (done.measure("c").status, done.measure("c").progress) == (DONE, 100)
    assert len(done.progress_history) == 3


def test_record_progress_refuses_an_earlier_date_and_unknown_measures() -> None:
    strategy = record_progress(
        worked_example(), ProgressUpdate(measure="a", date=D(2027, 5, 1), status=RUNNING)
    )
    earlier = ProgressUpdate(measure="b", date=D(2027, 4, 30), status=RUNNING)
    with pytest.raises(kd.ModelValidationError) as caught:
        record_progress(strategy, earlier)
    assert str(caught.value) == (
        "progress_history[1].date: 2027-04-30 lies before the previous update "
        "(progress_history[0], 2027-05-01); the history is kept in date order"
    )
    with pytest.raises(kd.ModelValidationError, match=r"^progress_history\[1\]\.measure: "):
        record_progress(strategy, ProgressUpdate(measure="zz", date=D(2028, 1, 1), status=DONE))


def test_a_finished_update_cannot_carry_another_figure() -> None:
    with pytest.raises(kd.ModelValidationError, match=r"^progress: a finished measure"):
        ProgressUpdate(measure="a", date=D(2027, 1, 1), status=DONE, progress=90)


HEAD = """\
schema_version: 1
municipality: {name: Musterhausen, kind: gemeinde, land: RLP}
action_fields: [{key: x, title: X}]
measures: [{key: m, title: M, action_field: x}]
"""


def test_loading_refuses_a_history_out_of_date_order() -> None:
    text = HEAD + (
        "progress_history:\n"
        "  - {measure: m, date: 2027-02-01, status: in_umsetzung}\n"
        "  - {measure: m, date: 2027-01-01, status: in_umsetzung}\n"
    )
    with pytest.raises(kd.InputFileError) as caught:
        kd.loads_strategy(text, source="s.yaml")
    assert caught.value.problems == (
        "progress_history[1].date: 2027-01-01 lies before the previous update "
        "(progress_history[0], 2027-02-01); the history is kept in date order",
    )
    assert str(caught.value).startswith("s.yaml: progress_history[1].date")


def test_loading_refuses_updates_on_unknown_measures_and_bad_figures() -> None:
    text = HEAD + "progress_history: [{measure: n, date: 2027-01-01, status: geplant}]\n"
    with pytest.raises(
        kd.InputFileError, match=r"progress_history\[0\]\.measure: unknown measure 'n'"
    ):
        kd.loads_strategy(text)
    bad = (
        HEAD
        + "progress_history: [{measure: m, date: 2027-01-01, status: geplant, progress: 101}]\n"
    )
    with pytest.raises(kd.InputFileError, match=r"progress_history\[0\]\.progress"):
        kd.loads_strategy(bad)
    rhythm = HEAD + "reporting: {rhythm_months: 0}\n"
    with pytest.raises(kd.InputFileError, match=r"reporting\.rhythm_months"):
        kd.loads_strategy(rhythm)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_history_and_reporting_survive_a_round_trip(fmt: Any) -> None:
    strategy = record_progress(
        worked_example(),
        ProgressUpdate(measure="a", date=D(2027, 5, 1), status=RUNNING, progress=60, note="ok"),
    )
    strategy = record_report(
        attrs.evolve(strategy, reporting=Reporting(rhythm_months=2, weighting=Weighting.COST)),
        D(2027, 5, 2),
    )
    text = kd.dumps_strategy(strategy, format=fmt)
    assert "zielgewicht" not in text
    assert "kosten" in text
    assert kd.loads_strategy(text, format=fmt) == strategy


# --- the report ---------------------------------------------------------------


def test_report_lists_updates_since_the_last_report() -> None:
    strategy = worked_example()
    for day, key in ((D(2027, 1, 10), "a"), (D(2027, 3, 5), "f"), (D(2027, 6, 1), "d")):
        strategy = record_progress(strategy, ProgressUpdate(measure=key, date=day, status=RUNNING))
    default = progress_report(strategy, as_of=D(2027, 5, 31))  # one rhythm back: 28.02.
    assert default.since == D(2027, 2, 28)
    assert [u.measure for u in default.recent_updates] == ["f"]
    remembered = record_report(strategy, D(2027, 1, 10))
    report = progress_report(remembered, as_of=D(2027, 6, 1))
    assert [u.measure for u in report.recent_updates] == ["f", "d"]
    assert report.measure("d").last_update == strategy.progress_history[2]
    early = progress_report(remembered, as_of=D(2027, 2, 1))
    assert early.measure("d").last_update is None  # later updates are not seen yet


def test_report_counts_statuses_and_carries_the_rollup() -> None:
    report = progress_report(worked_example(), as_of=D(2027, 1, 1), weighting=Weighting.COST)
    assert report.overall.progress == pytest.approx(45.5)
    assert [f.key for f in report.fields] == ["verwaltung", "bildung"]
    assert [g.key for g in report.goals] == ["g1", "g2", "g3"]
    assert report.status_counts == {
        MeasureStatus.GEPLANT: 1,
        MeasureStatus.IN_UMSETZUNG: 3,
        MeasureStatus.VERZOEGERT: 0,
        MeasureStatus.ABGESCHLOSSEN: 1,
        MeasureStatus.VERWORFEN: 1,
    }


PLAIN = (str, int, float, dt.date, Decimal, type(None))


def assert_plain(value: Any, path: str = "") -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            assert isinstance(key, str), path
            assert_plain(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            assert_plain(inner, f"{path}[{index}]")
    else:
        assert isinstance(value, PLAIN), f"{path}: {type(value).__name__}"
        assert not isinstance(value, MeasureStatus | Weighting), path


def test_demo_report_context_is_plain_data_and_every_key_is_documented() -> None:
    report = progress_report(kd.demo_strategy(), as_of=D(2028, 3, 1))
    context = report.to_context()
    assert_plain(context)
    assert context["updates"], "the demo carries progress updates"
    assert context["stale"] or context["late"]
    text = (DOCS / "monitoring.md").read_text(encoding="utf-8")
    assert sorted(k for k in context_keys(context) if f"`{k}`" not in text) == []


@given(strategy=kst.strategies(), as_of=kst.dates())
def test_any_report_context_is_plain_data(strategy: kd.Strategy, as_of: dt.date) -> None:
    report = progress_report(strategy, as_of=as_of)
    assert_plain(report.to_context())
    assert set(report.late) <= {m.key for m in strategy.measures}
    assert all(u.date <= as_of for u in report.recent_updates)


def test_monitoring_page_is_in_the_navigation() -> None:
    assert re.search(r"monitoring\.md", (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"))
