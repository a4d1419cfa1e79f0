"""Calendar export: a strategy's deadlines and milestones as an .ics file."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.calendars import (
    CalendarEvent,
    calendar_events,
    calendar_ics,
    export_calendar,
)
from kommunal_digital.calendars.events import strategy_label
from kommunal_digital.calendars.ics import events_ics
from kommunal_digital.model import Milestone, Phase, Task
from kommunal_digital.testing import strategies as kst

NOW = dt.datetime(2027, 1, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo() -> kd.Strategy:
    return kd.demo_strategy()


def events_of(data: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def by_summary(data: bytes) -> dict[str, Any]:
    return {str(event["SUMMARY"]): event for event in events_of(data)}


def small_strategy(tasks: Sequence[Task], milestones: Sequence[Milestone] = ()) -> kd.Strategy:
    phase = Phase("start", "Anfangen", tasks=tasks, milestones=milestones)
    return kd.Strategy(
        municipality=kd.Municipality(
            "Gemeinde Testdorf", kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"
        ),
        roadmap=kd.Roadmap(start=dt.date(2027, 1, 1), phases=(phase,)),
    )


def test_calendar_header_names_the_strategy(demo: kd.Strategy) -> None:
    calendar = icalendar.Calendar.from_ical(calendar_ics(demo, now=NOW))
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//kommunal-digital//")
    assert calendar["X-WR-CALNAME"] == "Digitalstrategie der Verbandsgemeinde Eichenberg"


def test_milestone_is_an_all_day_event_on_its_date(demo: kd.Strategy) -> None:
    data = calendar_ics(demo, now=NOW)
    event = by_summary(data)["Meilenstein: Digitalstrategie vom Rat beschlossen"]
    # The demo roadmap plans the council decision for 4 July 2027.
    assert event.decoded("DTSTART") == dt.date(2027, 7, 4)
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert event.decoded("DTEND") == dt.date(2027, 7, 5)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTSTAMP") == NOW
    assert "Phase: Digitalstrategie verankern" in str(event["DESCRIPTION"])
    assert "Noch nicht erreicht" in str(event["DESCRIPTION"])
    assert list(event["CATEGORIES"].cats) == [
        "Digitalstrategie",
        "Meilenstein",
        "Digitalstrategie verankern",
    ]


def test_task_names_who_is_responsible_and_by_when(demo: kd.Strategy) -> None:
    events = by_summary(calendar_ics(demo, now=NOW))
    event = events["Aufgabe: Den Entwurf innerhalb der Verwaltung abstimmen"]
    assert event.decoded("DTSTART") == dt.date(2027, 4, 4)
    description = str(event["DESCRIPTION"])
    assert "Verantwortlich: Bürgermeister/in, Fachbereichsleitungen, Beigeordnete" in description
    assert "Zu erledigen bis: 04.04.2027" in description


def test_tasks_without_a_date_are_left_out(demo: kd.Strategy) -> None:
    summaries = by_summary(calendar_ics(demo, now=NOW))
    assert "Aufgabe: Den Digitalrat regelmäßig tagen lassen" not in summaries


def test_profile_tasks_come_in_and_profile_milestones_only_once(demo: kd.Strategy) -> None:
    events = events_of(calendar_ics(demo, now=NOW))
    summaries = [str(e["SUMMARY"]) for e in events]
    task = "Aufgabe: Leihtablets beschaffen und einrichten"
    assert summaries.count(task) == 1
    tablet = next(e for e in events if str(e["SUMMARY"]) == task)
    assert tablet.decoded("DTSTART") == dt.date(2028, 7, 31)
    assert "Maßnahme: Tablet-Sprechstunde für Seniorinnen und Senioren" in str(
        tablet["DESCRIPTION"]
    )
    # The generated roadmap repeats the profile milestones with the measure's title.
    copies = [s for s in summaries if "Erste zehn Leistungen online beantragbar" in s]
    assert copies == [
        "Meilenstein: OZG-Leistungen online anbieten: Erste zehn Leistungen online beantragbar"
    ]


def test_profiles_alone_keep_their_milestones(demo: kd.Strategy) -> None:
    summaries = by_summary(calendar_ics(demo, include=["profiles"], now=NOW))
    assert "Meilenstein: Erste zehn Leistungen online beantragbar" in summaries
    assert "Meilenstein: Digitalstrategie vom Rat beschlossen" not in summaries


def test_schedule_gives_each_measure_its_period(demo: kd.Strategy) -> None:
    data = calendar_ics(demo, include=["schedule"], now=NOW)
    events = by_summary(data)
    assert demo.schedule is not None
    assert len(events) == len(demo.schedule.placed)
    # A finished measure is reported as done, not scheduled: no event for it.
    assert demo.schedule.entry("online-termine") is None
    assert f"Maßnahme: {demo.measure('online-termine').title}" not in events
    entry = demo.schedule.entry("e-akte")
    assert entry is not None
    event = events[f"Maßnahme: {demo.measure('e-akte').title}"]
    assert event.decoded("DTSTART") == entry.start
    assert event.decoded("DTEND") == entry.end + dt.timedelta(days=1)


def test_uids_are_unique_and_stable_across_runs(demo: kd.Strategy) -> None:
    parts = ["roadmap", "profiles", "schedule"]
    first = [str(e["UID"]) for e in events_of(calendar_ics(demo, include=parts, now=NOW))]
    later = dt.datetime(2031, 5, 6, tzinfo=dt.UTC)
    again = [str(e["UID"]) for e in events_of(calendar_ics(demo, include=parts, now=later))]
    assert len(set(first)) == len(first)
    assert first == again
    assert all(uid.endswith("@kommunal-digital") for uid in first)


def test_moving_a_deadline_keeps_the_uid() -> None:
    before = small_strategy([Task("Konzept schreiben", due=dt.date(2027, 3, 1))])
    assert before.roadmap is not None
    phase = before.roadmap.phases[0]
    moved_task = attrs.evolve(phase.tasks[0], due=dt.date(2027, 5, 1))
    moved_phase = attrs.evolve(phase, tasks=(moved_task,))
    after = attrs.evolve(before, roadmap=attrs.evolve(before.roadmap, phases=(moved_phase,)))
    (old,) = events_of(calendar_ics(before, now=NOW))
    (new,) = events_of(calendar_ics(after, now=NOW))
    assert old["UID"] == new["UID"]
    assert new.decoded("DTSTART") == dt.date(2027, 5, 1)


def test_other_municipalities_get_other_uids(demo: kd.Strategy) -> None:
    other = attrs.evolve(
        demo, municipality=attrs.evolve(demo.municipality, name="Stadt Anders", official_key=None)
    )
    mine = {str(e["UID"]) for e in events_of(calendar_ics(demo, now=NOW))}
    theirs = {str(e["UID"]) for e in events_of(calendar_ics(other, now=NOW))}
    assert mine.isdisjoint(theirs)


def test_identical_tasks_get_distinct_uids() -> None:
    task = Task("Sitzung vorbereiten", due=dt.date(2027, 2, 1))
    events = events_of(calendar_ics(small_strategy([task, task]), now=NOW))
    assert len({str(e["UID"]) for e in events}) == 2


def test_same_now_gives_identical_bytes(demo: kd.Strategy) -> None:
    assert calendar_ics(demo, now=NOW) == calendar_ics(demo, now=NOW)


def test_reached_milestone_sits_on_the_day_it_was_reached() -> None:
    milestone = Milestone(
        "Stelle besetzt", planned=dt.date(2027, 6, 1), reached_on=dt.date(2027, 8, 15)
    )
    (event,) = events_of(calendar_ics(small_strategy([], [milestone]), now=NOW))
    assert event.decoded("DTSTART") == dt.date(2027, 8, 15)
    description = str(event["DESCRIPTION"])
    assert "Geplant: 01.06.2027" in description
    assert "Erreicht am: 15.08.2027" in description


HOSTILE = "Rat, Ausschuss; Fraktionen\nzweite Zeile: Grüße aus Mühlbach 🎉 \\n ÄÖÜß"


def test_hostile_text_survives_the_round_trip() -> None:
    who = "Bürgermeister/in; Rat, Ausschüsse 🚀"
    task = Task(HOSTILE, who=who, due=dt.date(2027, 2, 1))
    phase_title = "Planen, prüfen; beschließen"
    strategy = small_strategy([task])
    assert strategy.roadmap is not None
    phase = attrs.evolve(strategy.roadmap.phases[0], title=phase_title)
    strategy = attrs.evolve(strategy, roadmap=attrs.evolve(strategy.roadmap, phases=(phase,)))
    data = calendar_ics(strategy, now=NOW)
    (event,) = events_of(data)
    assert str(event["SUMMARY"]) == "Aufgabe: " + " ".join(HOSTILE.split())
    assert f"Verantwortlich: {who}" in str(event["DESCRIPTION"]).split("\n")
    assert list(event["CATEGORIES"].cats) == ["Digitalstrategie", "Aufgabe", phase_title]
    # Commas and semicolons are escaped in the file itself.
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert "Rat\\, Ausschuss\\; Fraktionen" in unfolded


def assert_rfc5545_structure(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert b"\r" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    for raw in lines:
        raw.decode("utf-8")  # folding never splits a character
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b"END:VCALENDAR"
    unfolded = data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
    depth: list[str] = []
    names: list[str] = []
    for line in unfolded:
        assert ":" in line, line
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
            names = []
        elif line.startswith("END:"):
            assert depth.pop() == line[4:]
            if line == "END:VEVENT":
                for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                    assert names.count(required) == 1, required
        else:
            names.append(line.split(":", 1)[0].split(";", 1)[0])
    assert depth == []
    header = unfolded[: unfolded.index("BEGIN:VEVENT")] if "BEGIN:VEVENT" in unfolded else unfolded
    assert "VERSION:2.0" in header
    assert any(line.startswith("PRODID:") for line in header)


def test_output_has_rfc5545_structure(demo: kd.Strategy) -> None:
    assert_rfc5545_structure(calendar_ics(demo, include=["roadmap", "profiles", "schedule"]))


@given(
    what=kst.texts(allow_empty=False),
    who=kst.texts(),
    title=kst.texts(allow_empty=False),
    due=st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2099, 12, 31)),
)
def test_any_model_text_survives(what: str, who: str, title: str, due: dt.date) -> None:
    phase = Phase("p", title, tasks=(Task(what, who=who, due=due),))
    strategy = kd.Strategy(
        municipality=kd.Municipality(
            "Gemeinde Testdorf", kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"
        ),
        roadmap=kd.Roadmap(start=dt.date(2027, 1, 1), phases=(phase,)),
    )
    data = calendar_ics(strategy, now=NOW)
    assert_rfc5545_structure(data)
    (event,) = events_of(data)
    assert str(event["SUMMARY"]) == "Aufgabe: " + one_line(what)
    assert event.decoded("DTSTART") == due
    lines = str(event["DESCRIPTION"]).split("\n")
    assert lines[0] == "Phase: " + one_line(title)
    if who.strip():
        assert lines[1] == "Verantwortlich: " + one_line(who)


def one_line(text: str) -> str:
    """A model text as the calendar writes it on one line: DEL (an RFC 5545 CONTROL) removed."""
    return " ".join(text.replace("\x7f", "").split())


def test_unknown_part_is_refused(demo: kd.Strategy) -> None:
    with pytest.raises(kd.DocumentError, match=r"include: unknown calendar part\(s\) 'todo'"):
        calendar_ics(demo, include=["roadmap", "todo"])


def test_strategy_without_dates_gives_an_empty_calendar() -> None:
    strategy = kd.Strategy(
        kd.Municipality("Gemeinde Leer", kind=kd.MunicipalityKind.GEMEINDE, land="Hessen")
    )
    data = calendar_ics(strategy, now=NOW)
    assert events_of(data) == []
    assert_rfc5545_structure(data)


def test_export_writes_atomically_and_refuses_to_overwrite(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    target = tmp_path / "termine" / "eichenberg.ics"
    written = export_calendar(demo, target, now=NOW)
    assert written == target
    assert target.read_bytes() == calendar_ics(demo, now=NOW)
    with pytest.raises(kd.OutputExistsError, match=r"eichenberg\.ics: exists already"):
        export_calendar(demo, target, now=NOW)
    export_calendar(demo, target, force=True, include=["schedule"], now=NOW)
    assert len(events_of(target.read_bytes())) == len(demo.schedule.placed)  # type: ignore[union-attr]  # the demo is planned
    assert sorted(p.name for p in target.parent.iterdir()) == ["eichenberg.ics"]


def test_calendar_events_are_public_data(demo: kd.Strategy) -> None:
    events = calendar_events(demo)
    decided = next(e for e in events if e.summary.endswith("vom Rat beschlossen"))
    assert decided.kind == "milestone"
    assert decided.start == decided.end == dt.date(2027, 7, 4)
    assert [e.start for e in events] == sorted(e.start for e in events)


def test_import_does_not_load_icalendar() -> None:
    code = "import kommunal_digital, sys; print('icalendar' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# Calendar injection: a name or text with line breaks must never start a line of its own.
INJECTED_NAMES = [
    "Gemeinde\rTestdorf",
    "Gemeinde\nTestdorf",
    "Gemeinde\r\nTestdorf",
    "Gemeinde; Testdorf, Ortsteil \\ Nord",
    "Gemeinde Testdorf\r\nBEGIN:VCALENDAR\r\nX-WR-CALNAME:Falle",
    "Gemeinde Testdorf\nEND:VCALENDAR\nBEGIN:VCALENDAR",
    "Gemeinde\u2028Testdorf\x85Ort\x7f",
]


def unescape_text(value: str) -> str:
    r"""RFC 5545 text unescaped (3.3.11): ``\\``, ``\;``, ``\,`` and ``\n``/``\N``."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def strategy_named(name: str) -> kd.Strategy:
    task = Task(f"Aufgabe von {name}", who=name, due=dt.date(2027, 2, 1))
    strategy = small_strategy([task])
    return attrs.evolve(strategy, municipality=attrs.evolve(strategy.municipality, name=name))


@pytest.mark.parametrize("name", INJECTED_NAMES)
def test_line_breaks_in_the_name_cannot_break_the_calendar(name: str) -> None:
    strategy = strategy_named(name)
    data = calendar_ics(strategy, now=NOW)
    assert_rfc5545_structure(data)
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VCALENDAR") == 1
    assert lines.count(b"END:VCALENDAR") == 1
    assert sum(1 for line in lines if line.startswith(b"X-WR-CALNAME")) == 1
    calendar = icalendar.Calendar.from_ical(data)
    expected = one_line(strategy_label(strategy))
    assert unescape_text(str(calendar["X-WR-CALNAME"])) == expected
    (event,) = events_of(data)
    assert str(event["SUMMARY"]) == "Aufgabe: " + one_line(f"Aufgabe von {name}")
    description = str(event["DESCRIPTION"]).split("\n")
    assert description[1] == "Verantwortlich: " + one_line(name)
    assert description[-1] == expected


def test_events_ics_escapes_texts_a_plugin_hands_it() -> None:
    # CalendarEvent is public: texts that never went through the model.
    hostile = "a\r\nBEGIN:VCALENDAR\rb\nc;d,e\\f\x00\x07\ud800"
    event = CalendarEvent(
        uid=hostile,
        kind="task",
        summary=hostile,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 1, 1),
        description=hostile,
        categories=(hostile, "x,y"),
    )
    data = events_ics([event], name=hostile, now=NOW)
    assert_rfc5545_structure(data)
    assert data.split(b"\r\n").count(b"BEGIN:VCALENDAR") == 1
    (parsed,) = events_of(data)
    flat = "a BEGIN:VCALENDAR b c;d,e\\f"
    assert str(parsed["SUMMARY"]) == flat
    assert str(parsed["DESCRIPTION"]) == "a\nBEGIN:VCALENDAR\nb\nc;d,e\\f"
    assert [str(c) for c in parsed["CATEGORIES"].cats] == [flat, "x,y"]
    calendar = icalendar.Calendar.from_ical(data)
    assert unescape_text(str(calendar["X-WR-CALNAME"])) == flat


def test_calendar_is_escaped_without_asserts(tmp_path: Path) -> None:
    # Under python -O, icalendar's own check (an assert) is gone: the escaping must not need it.
    name = "Gemeinde Testdorf\r\nBEGIN:VCALENDAR\r\nX-WR-CALNAME:Falle"
    strategy = strategy_named(name)
    source = tmp_path / "strategie.yaml"
    kd.dump_strategy(strategy, source)
    code = (
        "import sys, datetime as dt, kommunal_digital as kd\n"
        "from kommunal_digital.calendars import calendar_ics\n"
        "assert False, 'asserts must be off'\n"
    )
    probe = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 0, probe.stderr
    code = (
        "import sys, datetime as dt, kommunal_digital as kd\n"
        "from kommunal_digital.calendars import calendar_ics\n"
        f"strategy = kd.load_strategy({str(source)!r})\n"
        "now = dt.datetime(2027, 1, 2, 9, 30, tzinfo=dt.UTC)\n"
        "sys.stdout.buffer.write(calendar_ics(strategy, now=now))\n"
    )
    result = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, timeout=120, check=True
    )
    assert result.stdout == calendar_ics(strategy, now=NOW)
    assert_rfc5545_structure(result.stdout)
    assert result.stdout.split(b"\r\n").count(b"BEGIN:VCALENDAR") == 1
