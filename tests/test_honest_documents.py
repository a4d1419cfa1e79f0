"""Documents never claim what the strategy does not say (issue 16).

A property over thin strategies (much unknown, as after a real workshop)
renders every document type as Markdown and checks these claims, each as
text:

1. An unknown cost or duration is printed as still open, never as 0 € or
   as a number: the measure's row in the Digitalstrategie and its
   Steckbrief say "noch offen"; a strategy without any cost estimate or
   funding amount shows no "0 €" at all.
2. Without votes, no document says the ranking follows points; without an
   assessed ranking, none presents a ranking ("Rangfolge der Maßnahmen",
   "in eine Rangfolge gebracht", "Rangfolge der Strategie").
3. No document names a role (Digitalrat, Digitalbeauftragte,
   Digitallotse, Stabsstelle, CDO) that the strategy does not contain
   (in its organigram or its own texts).
4. Every goal printed exists in the strategy; a field without goals says
   its goal is still to be worked out; the workshop is named only when
   the strategy records one; "0 Maßnahmen" never appears.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import KommunalDigitalError
from kommunal_digital.model import (
    FundingKind,
    FundingSource,
    Goal,
    MeasureStatus,
    MemberMunicipality,
    Organigram,
    RankingChoice,
    Role,
    RoleKind,
    ScheduleLimits,
    Source,
    Workshop,
)
from kommunal_digital.testing import thin_strategies

TODAY = dt.date(2026, 12, 4)
UNKNOWN = "noch offen"
ROLE_WORDS = ("Digitalrat", "Digitalbeauftragte", "Digitallotse", "Stabsstelle", "CDO")
TYPES = (
    "digitalstrategie",
    "beschlussvorlage",
    "vorgehensplan",
    "organigramm",
    "fortschrittsbericht",
)


def render(
    strategy: kd.Strategy,
    workspace: kd.Workspace,
    kind: str,
    measure: str | None = None,
    partner: str | None = None,
) -> str:
    """The Markdown text of one document, without pictures (they hold no claims).

    A joint strategy's Beschlussvorlage is written per partner council: without
    ``partner`` all of them are rendered, one after the other.
    """
    if kind == "beschlussvorlage" and strategy.partners and partner is None:
        return "\n".join(
            render(strategy, workspace, kind, partner=p.key) for p in strategy.partners
        )
    fmt = workspace.output_formats["markdown"]
    context = kd.document_context(
        strategy, workspace, kind, measure=measure, partner=partner, today=TODAY
    )
    template = workspace.template(kind, fmt.template_kind)
    return fmt.produce(template, context, {}).decode("utf-8")


def prepared(strategy: kd.Strategy, workspace: kd.Workspace) -> kd.Strategy:
    """Rank and plan the way a user would before building (planning may not fit)."""
    strategy = kd.workspace.rank(strategy, workspace)
    if strategy.limits is not None:
        # e.g. a preset the strategy names; the documents work without a plan
        with contextlib.suppress(KommunalDigitalError):
            strategy = kd.workspace.plan(strategy, workspace)
    return strategy


def section(text: str, heading: str) -> str:
    """The text from a ``## heading`` to the next level-2 heading (empty if absent)."""
    start = text.find(f"## {heading}")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 3)
    return text[start : end if end > 0 else len(text)]


def without_phase_guide(text: str) -> str:
    """Drop the pack's phase guide (advice naming roles to create, not roles that exist)."""
    start = text.find("#### Was in dieser Phase ansteht")
    if start < 0:
        return text
    end = text.find("\n## ", start)
    return text[:start] + text[end if end > 0 else len(text) :]


def strategy_text(strategy: kd.Strategy) -> str:
    """Everything the strategy says, as text: its own words and the kinds of roles it has."""
    kinds = [r.kind.label for r in strategy.organigram.roles] if strategy.organigram else []
    return str(kd.io.make_converter().unstructure(strategy)) + " ".join(kinds)


def measure_row(text: str, number: int) -> list[str]:
    """The last cells of a measure's row in the Digitalstrategie's field tables.

    The title may hold any text (escaped for Markdown, perhaps with ``|``),
    so the row is found by its number and read from the right: duration,
    one-off cost, yearly cost, owner.
    """
    fields = section(text, "Handlungsfelder")
    for line in fields.splitlines():
        if line.startswith(f"| {number} | "):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            return cells[-4:]
    raise AssertionError(f"no table row for measure {number}")


ZERO_EUROS = re.compile(r"(?<![\d.,])0\s€")


@settings(max_examples=40)
@given(data=st.data())
def test_thin_strategies_get_documents_that_claim_nothing_unknown(
    workspace: kd.Workspace, data: Any
) -> None:
    strategy = prepared(data.draw(thin_strategies(max_measures=5)), workspace)
    texts = {kind: render(strategy, workspace, kind) for kind in TYPES}
    for m in strategy.measures:
        texts[f"steckbrief/{m.key}"] = render(strategy, workspace, "steckbrief", m.key)
    own = strategy_text(strategy)
    numbers = kd.documents.measure_numbers(strategy)

    # 1. Unknown values are printed as open, never as numbers.
    strategie, decision = texts["digitalstrategie"], texts["beschlussvorlage"]
    for m in strategy.measures:
        duration, one_off, yearly, _ = measure_row(strategie, numbers[m.key])
        if m.duration_months is None:
            assert duration == UNKNOWN
        if m.cost.one_off is None:
            assert one_off == UNKNOWN
        if m.cost.yearly is None:
            assert yearly == UNKNOWN
        sheet = texts[f"steckbrief/{m.key}"]
        if m.cost.one_off is None:
            assert f"| Einmalige Kosten | {UNKNOWN} |" in sheet
        if m.staff_fte is None:
            assert f"| Personal | {UNKNOWN} |" in sheet
    money_known = any(
        m.cost.one_off is not None or m.cost.yearly is not None for m in strategy.measures
    ) or any(s.amount is not None for m in strategy.measures for s in m.funding_sources)
    # Programme money of the strategy as a whole is known money too.
    money_known = money_known or any(f.amount is not None for f in strategy.funding)
    if strategy.measures and not money_known:
        # Sums and sentences about costs; a year of the schedule in which
        # nothing runs does cost 0 €, so year rows are not checked here.
        sums = [
            line
            for line in strategie.splitlines()
            if line.startswith(("| | **Summe**", "| **Gesamt**", "| **Summe**"))
        ]
        for kind, text in [("sums", "\n".join(sums)), ("beschlussvorlage", decision)] + [
            (kind, text) for kind, text in texts.items() if kind.startswith("steckbrief/")
        ]:
            assert not ZERO_EUROS.search(text), (kind, ZERO_EUROS.findall(text))

    # 2. No ranking presented that was not made, no points without votes.
    assessed = strategy.ranking is not None and strategy.ranking.assessed
    if not any(m.votes for m in strategy.measures):
        ranking_text = section(strategie, "Rangfolge") + section(strategie, "Bewertung")
        assert "Punkte der" not in ranking_text
        assert "Punktabfrage" not in ranking_text
        assert "Punkte" not in decision
    if not assessed:
        assert "## Rangfolge der Maßnahmen" not in strategie
        assert "in eine Rangfolge gebracht" not in decision
        assert "Rangfolge der Strategie" not in decision
        assert "Vorrang haben" not in decision

    # 3. No role the strategy does not have.
    for kind, text in texts.items():
        for word in ROLE_WORDS:
            if word in without_phase_guide(text):
                assert word in own, (kind, word)

    # 4. Goals, workshop and measure counts as they are.
    chosen = strategy.chosen_fields
    goal_lines = [line for line in strategie.splitlines() if line.startswith("**Ziel:** ")]
    open_goals = [line for line in goal_lines if line == "**Ziel:** noch zu erarbeiten"]
    assert len(open_goals) == sum(1 for f in chosen if not f.goals)
    assert len(goal_lines) - len(open_goals) == sum(len(f.goals) for f in chosen)
    if any(f.chosen and not f.goals for f in strategy.action_fields):
        assert "Für jedes Feld ist festgehalten" not in strategie
    if strategy.workshop is None:
        for text in texts.values():
            assert "Digital-Werkstatt" not in text or "Digital-Werkstatt" in own
            assert "im Format" not in text
    for kind, text in texts.items():
        assert not re.search(r"(?<!\d)0 Maßnahmen", text), kind


@pytest.mark.parametrize("kind", TYPES)
def test_the_demo_documents_claim_no_unknowns(workspace: kd.Workspace, kind: str) -> None:
    """The demo's data is complete: its documents print no "noch offen" for a figure."""
    demo = kd.demo_strategy(workspace)
    text = render(demo, workspace, kind)
    assert "0 Maßnahmen" not in text
    assert "mind." not in text  # every cost of the demo is estimated


# --------------------------------------------------------------------------- worked examples

MUNICIPALITY = kd.Municipality("Gemeinde Lindenau", kd.MunicipalityKind.GEMEINDE, "Rheinland-Pfalz")
VERWALTUNG = kd.ActionField(
    "verwaltung",
    "Kommunale Verwaltung",
    goals=(Goal("online", "Die häufigsten Anliegen lassen sich online erledigen."),),
)
BILDUNG = kd.ActionField("bildung", "Bildung und Jugend")


def documents(strategy: kd.Strategy, workspace: kd.Workspace) -> dict[str, str]:
    texts = {kind: render(strategy, workspace, kind) for kind in TYPES}
    for m in strategy.measures:
        texts[f"steckbrief/{m.key}"] = render(strategy, workspace, "steckbrief", m.key)
    return texts


def test_fields_without_measures_are_listed_as_still_to_be_worked_out(
    workspace: kd.Workspace,
) -> None:
    strategy = kd.Strategy(municipality=MUNICIPALITY, action_fields=(VERWALTUNG, BILDUNG))
    texts = documents(strategy, workspace)
    strategie, decision = texts["digitalstrategie"], texts["beschlussvorlage"]
    assert strategie.count("**Maßnahmen:** noch zu erarbeiten") == 2
    assert "**Ziel:** noch zu erarbeiten" in strategie  # Bildung has no goal
    assert "Maßnahmen sind noch zu erarbeiten." in strategie
    assert "für die ausgewählten Handlungsfelder Maßnahmen zu erarbeiten" in decision
    assert "Rangfolge" not in decision
    assert "Maßnahmen-Steckbriefe" not in decision  # no Steckbrief to attach
    assert not ZERO_EUROS.search(strategie)
    assert not ZERO_EUROS.search(decision)
    assert "Maßnahmen sind noch zu erarbeiten." in texts["fortschrittsbericht"]
    assert "Alle Maßnahmen sind im Plan" not in texts["fortschrittsbericht"]
    codes = {d.code for d in kd.workspace.content_diagnostics(strategy, TODAY)}
    assert "content.no-measures" in codes


def test_unknown_costs_are_open_and_sums_say_how_many_are_missing(
    workspace: kd.Workspace,
) -> None:
    strategy = kd.Strategy(
        municipality=MUNICIPALITY,
        action_fields=(VERWALTUNG,),
        measures=(
            kd.Measure("e-akte", "E-Akte einführen", "verwaltung", cost=kd.Cost(12500, 800)),
            kd.Measure("termine", "Online-Termine", "verwaltung"),
        ),
    )
    texts = documents(strategy, workspace)
    strategie = texts["digitalstrategie"]
    row = measure_row(strategie, kd.documents.measure_numbers(strategy)["termine"])
    assert row[:3] == [UNKNOWN, UNKNOWN, UNKNOWN]
    assert "mind. 12.500 € (1 ohne Schätzung)" in strategie.replace("\xa0", " ")
    decision = texts["beschlussvorlage"]
    assert "davon 1 Maßnahme ohne vollständige Kostenschätzung" in decision
    assert "Die Maßnahmen kosten" not in decision  # no total that hides the unknown one
    assert f"| Einmalige Kosten | {UNKNOWN} |" in texts["steckbrief/termine"]
    codes = {d.code for d in kd.workspace.content_diagnostics(strategy, TODAY)}
    assert {"content.unknown-cost", "content.unknown-duration", "content.unknown-staff"} <= codes


def test_a_grant_may_name_its_amount_while_the_cost_is_unknown() -> None:
    grant = FundingSource(kind=FundingKind.FOERDERPROGRAMM, name="Digitalbonus", amount=20000)
    measure = kd.Measure("wlan", "WLAN im Rathaus", "verwaltung", funding_sources=(grant,))
    assert measure.cost.one_off is None
    assert measure.funding_sources[0].covers(measure.cost.one_off) == 20000


def test_a_passed_legal_deadline_is_stated_in_strategy_and_council_draft(
    workspace: kd.Workspace,
) -> None:
    strategy = kd.Strategy(
        municipality=MUNICIPALITY,
        action_fields=(VERWALTUNG,),
        measures=(
            kd.Measure(
                "ozg",
                "OZG-Leistungen online",
                "verwaltung",
                legal_driver="OZG",
                legal_deadline=dt.date(2022, 12, 31),
                status=MeasureStatus.IN_UMSETZUNG,
            ),
        ),
    )
    texts = documents(strategy, workspace)
    sentence = "Die gesetzliche Frist (OZG) für „OZG-Leistungen online“ ist am 31. Dezember 2022"
    assert sentence in texts["digitalstrategie"]
    assert sentence in texts["beschlussvorlage"]
    assert "(verstrichen)" in texts["steckbrief/ozg"]
    codes = {d.code for d in kd.workspace.content_diagnostics(strategy, TODAY)}
    assert "content.deadline-passed" in codes


def test_workshop_and_members_appear_only_as_recorded(workspace: kd.Workspace) -> None:
    municipality = kd.Municipality(
        "Verbandsgemeinde Lindenau",
        kd.MunicipalityKind.VERBANDSGEMEINDE,
        "Rheinland-Pfalz",
        members=(MemberMunicipality("Oberdorf"), MemberMunicipality("Unterdorf")),
    )
    workshop = Workshop(
        held_on=dt.date(2026, 3, 14),
        participants=("Verwaltung", "Gemeinderat"),
        participant_count=23,
        moderation="Entwicklungsagentur",
        sources=(Source("Protokoll der Werkstatt", "https://example.org/protokoll.pdf"),),
    )
    measures = (
        kd.Measure("app", "Dorf-App", "verwaltung", members=("Oberdorf",)),
        kd.Measure("akte", "E-Akte", "verwaltung"),
    )
    plain = kd.Strategy(municipality=municipality, action_fields=(VERWALTUNG,), measures=measures)
    recorded = attrs.evolve(plain, workshop=workshop)
    without = documents(plain, workspace)
    assert "Digital-Werkstatt" not in without["digitalstrategie"]
    assert "Anhang: Entstehung und Quellen" not in without["digitalstrategie"]
    texts = documents(recorded, workspace)
    strategie = texts["digitalstrategie"]
    assert "im Format „Digital-Werkstatt“ am 14. März 2026 erarbeitet" in strategie  # rlp wording
    assert "Teilnehmende: Verwaltung und Gemeinderat (insgesamt 23 Personen)." in strategie
    assert "Moderation: Entwicklungsagentur." in strategie
    assert (
        "- Protokoll der Werkstatt: [https://example.org/protokoll.pdf]"
        "(https://example.org/protokoll.pdf)" in strategie
    )
    assert "Dorf-App (für Oberdorf)" in strategie
    assert "| Gilt für | Oberdorf |" in texts["steckbrief/app"]
    assert "| Gilt für | alle Mitgliedsgemeinden |" in texts["steckbrief/akte"]
    assert "Digital-Werkstatt" in texts["beschlussvorlage"]


def test_the_base_pack_words_the_workshop_neutrally() -> None:
    base = kd.open_workspace("base", entry_points=False)
    assert dict(base.wording)["workshop"] == "Strategieworkshop"
    rlp = kd.open_workspace("rlp", entry_points=False)
    assert dict(rlp.wording)["workshop"] == "Digital-Werkstatt"
    assert dict(rlp.wording)["unknown"] == "noch offen"  # inherited from base


def test_one_numbering_in_every_document_and_file_name(
    workspace: kd.Workspace, tmp_path: Any
) -> None:
    demo = kd.demo_strategy(workspace)
    numbers = kd.documents.measure_numbers(demo)
    assert sorted(numbers.values()) == list(range(1, len(demo.measures) + 1))
    strategie = render(demo, workspace, "digitalstrategie")
    rows = [
        int(line.split("|")[1])
        for line in section(strategie, "Handlungsfelder").splitlines()
        if re.match(r"\| \d+ \|", line)
    ]
    assert rows == sorted(rows) == list(range(1, len(demo.measures) + 1))
    result = kd.build_documents(
        demo,
        tmp_path,
        workspace,
        document_types=["steckbrief"],
        formats=["markdown"],
        today=TODAY,
        pictures=False,
    )
    for path in result.documents:
        number, key = re.match(r".*-(\d\d)-(.+)\.md$", str(path)).groups()  # type: ignore[union-attr]
        assert numbers[key] == int(number)
        assert f"Maßnahme Nr. {int(number)}" in path.read_text(encoding="utf-8")


def test_finished_work_is_reported_as_done_never_scheduled(workspace: kd.Workspace) -> None:
    finished = kd.Measure(
        "termine",
        "Online-Termine",
        "verwaltung",
        duration_months=3,
        cost=kd.Cost(2000, 300),
        staff_fte=0.1,
        status=MeasureStatus.ABGESCHLOSSEN,
        progress=100,
        start_on=dt.date(2025, 3, 1),
        finished_on=dt.date(2025, 6, 30),
    )
    open_one = kd.Measure(
        "akte", "E-Akte", "verwaltung", duration_months=6, cost=kd.Cost(9000, 900), staff_fte=0.5
    )
    strategy = kd.Strategy(
        municipality=MUNICIPALITY,
        action_fields=(VERWALTUNG,),
        measures=(finished, open_one),
        limits=ScheduleLimits(start=dt.date(2027, 1, 1)),
    )
    strategy = kd.workspace.plan(kd.workspace.rank(strategy, workspace), workspace)
    assert strategy.schedule is not None
    assert [p.measure for p in strategy.schedule.placed] == ["akte"]
    texts = documents(strategy, workspace)
    strategie, plan = texts["digitalstrategie"], texts["vorgehensplan"]
    assert "Online-Termine – abgeschlossen" in strategie
    assert "Bereits abgeschlossen und daher nicht eingeplant:" in strategie
    assert "- Online-Termine (am 30\\. Juni 2025)" in strategie  # Markdown escapes "30."
    assert "Bereits abgeschlossen:" in plan
    assert "Maßnahme umsetzen: Online-Termine" not in plan
    assert "| Abgeschlossen am | 30\\. Juni 2025 |" in texts["steckbrief/termine"]


def test_the_organisation_the_strategy_has_is_the_one_documents_name(
    workspace: kd.Workspace,
) -> None:
    organigram = Organigram(
        roles=(
            Role("stabsstelle", "Stabsstelle Digitales", RoleKind.STAFF_UNIT),
            Role("beauftragte", "Digitalbeauftragte", RoleKind.DIGITAL_OFFICER, holder="A. Muster"),
        )
    )
    strategy = kd.Strategy(
        municipality=MUNICIPALITY,
        action_fields=(VERWALTUNG,),
        measures=(kd.Measure("akte", "E-Akte", "verwaltung", duration_months=6),),
        organigram=organigram,
        limits=ScheduleLimits(start=dt.date(2027, 1, 1)),
    )
    strategy = kd.workspace.plan(strategy, workspace)
    texts = documents(strategy, workspace)
    decision, plan = texts["beschlussvorlage"], texts["vorgehensplan"]
    # The post is held: the council is not asked to set it up, the plan does not create it.
    assert "wird eingerichtet" not in decision
    assert "„Digitalbeauftragte“ (A. Muster)" in decision
    assert "Stelle für die/den Digitalbeauftragte/n schaffen" not in plan
    assert "Digitalbeauftragte/r ernannt" not in plan
    # Tasks the officer carries name the strategy's own role.
    assert "| Den Digitalrat regelmäßig tagen lassen | Digitalbeauftragte |" in plan
    # No Digitalrat in the organigram: reports go to the council, not to a Digitalrat.
    assert "erhält der Gemeinderat einen Fortschrittsbericht" in texts["digitalstrategie"]
    without = attrs.evolve(strategy, organigram=None, roadmap=None)
    decision = render(without, workspace, "beschlussvorlage")
    assert "Funktion" not in decision


#: Two measures ranked by dot voting, before an import adds the most voted one.
TWO_VOTED = kd.Strategy(
    municipality=MUNICIPALITY,
    action_fields=(VERWALTUNG,),
    measures=(
        kd.Measure("a", "Erste Maßnahme", "verwaltung", votes=3),
        kd.Measure("b", "Zweite Maßnahme", "verwaltung", votes=2),
    ),
    ranking_rule=RankingChoice("punktabfrage"),
)


def test_a_stale_ranking_is_reported_and_recomputed_in_memory(
    workspace: kd.Workspace, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from kommunal_digital.cli.main import cli

    two = TWO_VOTED
    ranked = kd.workspace.rank(two, workspace)
    assert kd.workspace.derived_freshness(ranked)[0].state == "current"
    # An import adds the measure most participants voted for.
    imported = attrs.evolve(
        ranked,
        measures=(*ranked.measures, kd.Measure("c", "Neue Maßnahme", "verwaltung", votes=9)),
    )
    (state,) = kd.workspace.derived_freshness(imported)
    assert (state.part, state.state) == ("ranking", "stale")
    codes = {d.code for d in kd.workspace.content_diagnostics(imported, TODAY)}
    assert "derived.stale-ranking" in codes
    refreshed = kd.workspace.refresh_derived(imported, workspace)
    assert refreshed.recomputed == ("ranking",)
    assert refreshed.strategy.ranking is not None
    assert refreshed.strategy.ranking.order == ("c", "a", "b")
    path = kd.dump_strategy(imported, tmp_path / "strategy.yaml")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--format",
            "markdown",
            "--type",
            "digitalstrategie",
            "--no-pictures",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "note: strategy.yaml: Rangfolge recomputed in memory" in result.stderr
    text = (tmp_path / "out" / "Digitalstrategie.md").read_text(encoding="utf-8")
    assert text.index("Neue Maßnahme") < text.index("Erste Maßnahme")
    assert kd.load_strategy(path).ranking == imported.ranking  # the file is unchanged
    strict = CliRunner().invoke(
        cli, ["build", str(path), "--out", str(tmp_path / "strict"), "--strict"]
    )
    assert strict.exit_code == 1
    assert "--strict" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_an_excel_import_that_adds_measures_makes_the_stored_ranking_stale(
    workspace: kd.Workspace, tmp_path: Any
) -> None:
    import openpyxl

    from kommunal_digital.io.excel.export import export_workbook
    from kommunal_digital.io.excel.import_ import import_workbook

    two = TWO_VOTED
    path = export_workbook(kd.workspace.rank(two, workspace), tmp_path / "werkstatt.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    columns = {str(cell.value): int(cell.column or 0) for cell in sheet[1]}
    row = sheet.max_row + 1
    added: dict[str, str | int] = {
        "Schlüssel": "c",
        "Titel": "Neue Maßnahme",
        "Handlungsfeld": "verwaltung",
        "Punkte": 9,
    }
    for header, value in added.items():
        sheet.cell(row=row, column=columns[header], value=value)
    book.save(path)
    imported = import_workbook(path)
    assert imported.ranking is not None
    assert imported.ranking.order == ("a", "b")  # the stored one, without the new measure
    assert [(f.part, f.state) for f in kd.workspace.derived_freshness(imported)] == [
        ("ranking", "stale")
    ]
    refreshed = kd.workspace.refresh_derived(imported, workspace).strategy
    assert refreshed.ranking is not None
    assert refreshed.ranking.order == ("c", "a", "b")
