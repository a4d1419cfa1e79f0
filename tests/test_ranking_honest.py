"""Rankings never claim what the workshop did not decide.

Checked claims:

- A rule with nothing to decide by (no votes for ``punktabfrage``, no
  criteria or no scores for ``nutzwert``, ``quick-win`` and ``ahp``, no
  pairwise comparisons for ``ahp``) returns a ranking with ``assessed``
  false: the measures in the order they were recorded, score 0, the note
  "noch nicht bewertet", no tie sentence, and an explanation that says so
  and cites no points.
- Partly assessed data: measures lacking scores follow the assessed ones in
  recorded order, with the note "noch nicht bewertet" (naming the missing
  criteria when some scores exist), and the explanation counts them.
- A tie sentence names only the step of the chain that decided, and only a
  fact that holds and differs between the two measures; when no fact
  differs it says the recorded order decided.
- Unknown costs and durations never count as zero.
- ``rank_strategy`` stamps the fingerprint of its inputs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import RankingError
from kommunal_digital.model import (
    ActionField,
    Cost,
    Goal,
    Measure,
    Municipality,
    MunicipalityKind,
    RankingChoice,
)
from kommunal_digital.model.fingerprints import ranking_inputs
from kommunal_digital.model.ranking import Comparison, Criterion, Direction, Ranking
from kommunal_digital.ranking.ahp import Ahp
from kommunal_digital.ranking.ordering import (
    NO_MEASURES_EXPLANATION,
    NOT_ASSESSED,
    NOT_ASSESSED_EXPLANATION,
    Scored,
    build_ranking,
    entry_assessed,
)
from kommunal_digital.ranking.registry import rank_measures, rank_strategy
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.ranking.sensitivity import sensitivity
from kommunal_digital.ranking.simple_rules import DotVoting, LegalFirst, QuickWin
from kommunal_digital.ranking.weighted_sum import WeightedSum

#: The built-in rules, made directly (the ranking does not need a workspace).
RULES: dict[str, RankingRule] = {
    rule.name: rule for rule in (WeightedSum(), Ahp(), QuickWin(), DotVoting(), LegalFirst())
}

NUTZEN = Criterion("nutzen", "Nutzen", weight=3)
AUFWAND = Criterion("aufwand", "Aufwand", weight=1, direction=Direction.COST)

#: Words of the dot-voting explanation; they must not appear without votes.
POINTS_CLAIM = "Punkten, die die Teilnehmenden"


def strategy(
    *measures: Measure,
    criteria: tuple[Criterion, ...] = (),
    comparisons: tuple[Comparison, ...] = (),
    rule: RankingChoice | None = None,
) -> kd.Strategy:
    return kd.Strategy(
        municipality=Municipality(name="Gemeinde Test", kind=MunicipalityKind.GEMEINDE, land="RP"),
        action_fields=(ActionField("f", "Feld"),),
        measures=measures,
        criteria=criteria,
        comparisons=comparisons,
        ranking_rule=rule,
    )


def plain(key: str, **extra: Any) -> Measure:
    return Measure(key, key.upper(), "f", **extra)


def assert_not_assessed(ranking: Ranking, keys: list[str]) -> None:
    assert not ranking.assessed
    assert list(ranking.order) == keys
    assert all(entry.score == 0 for entry in ranking.entries)
    assert all(entry.note.startswith(NOT_ASSESSED) for entry in ranking.entries)
    assert all(not entry_assessed(entry) for entry in ranking.entries)
    assert all(entry.tie_break == "" and entry.parts == () for entry in ranking.entries)
    assert ranking.weights == {}
    assert ranking.explanation.endswith(NOT_ASSESSED_EXPLANATION)
    assert POINTS_CLAIM not in ranking.explanation


# ------------------------------------------------------------ nothing to decide by


def test_dot_voting_without_votes_is_not_assessed() -> None:
    # Keys in reverse alphabetical order: the list keeps the recorded order.
    s = strategy(plain("z"), plain("m"), plain("a"))
    ranking = rank_measures(s, RULES, "punktabfrage")
    assert_not_assessed(ranking, ["z", "m", "a"])
    assert [entry.note for entry in ranking.entries] == ["noch nicht bewertet"] * 3
    assert ranking.explanation == (
        "Es sind keine Punkte aus einer Punktabfrage erfasst. Die Maßnahmen sind noch nicht "
        "bewertet; die Liste folgt der Reihenfolge, in der sie erfasst wurden."
    )


def test_dot_voting_with_votes_cites_the_points() -> None:
    s = strategy(plain("a", votes=0), plain("b", votes=2))
    ranking = rank_measures(s, RULES, "punktabfrage")
    assert ranking.assessed
    assert ranking.order == ("b", "a")
    assert POINTS_CLAIM in ranking.explanation
    # no votes is a real result once the dot voting took place
    assert ranking.entry("a").note == ""


def test_default_rule_without_criteria_does_not_fail() -> None:
    s = strategy(plain("b", votes=4), plain("a", votes=9))
    ranking = rank_measures(s, RULES)
    assert ranking.rule == "nutzwert"
    assert_not_assessed(ranking, ["b", "a"])
    assert ranking.explanation == (
        "Es sind keine Bewertungskriterien festgelegt. Die Maßnahmen sind noch nicht bewertet; "
        "die Liste folgt der Reihenfolge, in der sie erfasst wurden."
    )


@pytest.mark.parametrize("rule", ["nutzwert", "quick-win", "ahp"])
def test_criteria_without_any_scores_are_not_assessed(rule: str) -> None:
    s = strategy(
        plain("b"),
        plain("a"),
        criteria=(NUTZEN, AUFWAND),
        comparisons=(Comparison("nutzen", "aufwand", 3),),
    )
    ranking = rank_measures(s, RULES, rule)
    assert ranking.rule == rule
    assert_not_assessed(ranking, ["b", "a"])
    assert ranking.explanation.startswith(
        "Für die Maßnahmen liegen noch keine Bewertungen nach den Kriterien vor."
    )


@pytest.mark.parametrize("rule", ["quick-win", "ahp"])
def test_rules_on_criteria_without_criteria_are_not_assessed(rule: str) -> None:
    ranking = rank_measures(strategy(plain("b"), plain("a")), RULES, rule)
    assert_not_assessed(ranking, ["b", "a"])
    assert ranking.explanation.startswith("Es sind keine Bewertungskriterien festgelegt.")


def test_ahp_without_comparisons_is_not_assessed() -> None:
    s = strategy(
        plain("b", scores={"nutzen": 5, "aufwand": 1}),
        plain("a", scores={"nutzen": 1, "aufwand": 5}),
        criteria=(NUTZEN, AUFWAND),
    )
    ranking = rank_measures(s, RULES, "ahp")
    assert_not_assessed(ranking, ["b", "a"])
    assert ranking.explanation.startswith(
        "Für die Kriterien liegen noch keine paarweisen Vergleiche vor."
    )
    assert ranking.consistency_ratio is None


def test_ahp_with_one_criterion_needs_no_comparison() -> None:
    s = strategy(
        plain("a", scores={"nutzen": 1}), plain("b", scores={"nutzen": 5}), criteria=(NUTZEN,)
    )
    ranking = rank_measures(s, RULES, "ahp")
    assert ranking.assessed
    assert ranking.order == ("b", "a")


def test_legal_first_over_an_unassessed_rule_lifts_the_law_but_assesses_nothing() -> None:
    s = strategy(
        plain("a"),
        plain("b", legal_driver="OZG", legal_deadline=dt.date(2026, 12, 31)),
        plain("c"),
        plain("d", legal_driver="EGovG"),
    )
    ranking = rank_measures(s, RULES, "gesetz-zuerst")
    assert not ranking.assessed
    assert ranking.order == ("b", "d", "a", "c")
    assert [entry.note for entry in ranking.entries] == [
        "noch nicht bewertet. Gesetzlich vorgeschrieben: OZG, Frist 31.12.2026.",
        "noch nicht bewertet. Gesetzlich vorgeschrieben: EGovG.",
        "noch nicht bewertet",
        "noch nicht bewertet",
    ]
    assert all(entry.score == 0 and entry.tie_break == "" for entry in ranking.entries)
    assert ranking.explanation == (
        "Gesetzlich vorgeschriebene Maßnahmen stehen vorn, die mit der frühesten Frist zuerst. "
        "Im Übrigen gilt: Es sind keine Bewertungskriterien festgelegt. Die Maßnahmen sind noch "
        "nicht bewertet; die Liste folgt der Reihenfolge, in der sie erfasst wurden."
    )


def test_legal_first_without_any_legal_duty_says_so() -> None:
    s = strategy(plain("a", votes=1), plain("b", votes=3))
    ranking = rank_measures(s, RULES, "gesetz-zuerst", {"then": "punktabfrage"})
    assert ranking.assessed
    assert ranking.order == ("b", "a")
    assert ranking.explanation.startswith(
        "Für keine Maßnahme ist eine gesetzliche Pflicht erfasst. "
    )
    assert "stehen vorn" not in ranking.explanation


@pytest.mark.parametrize("rule", sorted(RULES))
def test_no_measures_give_an_empty_unassessed_ranking(rule: str) -> None:
    ranking = rank_measures(strategy(criteria=(NUTZEN, AUFWAND)), RULES, rule)
    assert ranking.entries == ()
    assert not ranking.assessed
    assert ranking.explanation == NO_MEASURES_EXPLANATION


def test_sensitivity_refuses_an_unassessed_ranking() -> None:
    s = strategy(plain("a"), plain("b"), criteria=(NUTZEN, AUFWAND))
    with pytest.raises(RankingError, match="not assessed"):
        sensitivity(s, RULES, rule="nutzwert")


# ------------------------------------------------------------ partly assessed


def test_partly_scored_measures_come_last_in_recorded_order() -> None:
    s = strategy(
        plain("ohne"),  # no score at all
        plain("gut", scores={"nutzen": 5, "aufwand": 1}),
        plain("halb", scores={"nutzen": 5}),  # effort not scored
        plain("mittel", scores={"nutzen": 3, "aufwand": 3}),
        criteria=(NUTZEN, AUFWAND),
    )
    ranking = rank_measures(s, RULES, "nutzwert")
    assert ranking.assessed
    assert ranking.order == ("gut", "mittel", "ohne", "halb")
    assert [entry_assessed(e) for e in ranking.entries] == [True, True, False, False]
    assert ranking.entry("ohne").note == "noch nicht bewertet"
    assert ranking.entry("halb").note == (
        "noch nicht bewertet. Es fehlt die Bewertung nach: „Aufwand“."
    )
    assert ranking.entry("halb").score == 0
    assert ranking.weights == pytest.approx({"nutzen": 0.75, "aufwand": 0.25})
    assert ranking.explanation == (
        "Die bewerteten Maßnahmen haben je Kriterium eine Bewertung. Die Bewertungen werden "
        "auf 0 bis 1 umgerechnet (bei Aufwandskriterien umgekehrt), mit dem Gewicht des "
        "Kriteriums multipliziert und addiert. 2 der 4 Maßnahmen sind noch nicht bewertet; "
        "sie stehen hinter den bewerteten Maßnahmen, in der Reihenfolge, in der sie erfasst "
        "wurden."
    )


def test_one_unscored_measure_is_named_in_the_singular() -> None:
    s = strategy(
        plain("a", scores={"nutzen": 5, "aufwand": 1}), plain("b"), criteria=(NUTZEN, AUFWAND)
    )
    ranking = rank_measures(s, RULES, "nutzwert")
    assert ranking.explanation.endswith(
        "Eine der 2 Maßnahmen ist noch nicht bewertet; sie steht hinter den bewerteten Maßnahmen."
    )


def test_quick_win_puts_unscored_measures_after_every_quadrant() -> None:
    s = strategy(
        plain("ohne"),
        plain("zeitfresser", scores={"nutzen": 1, "aufwand": 5}),
        plain("quick", scores={"nutzen": 5, "aufwand": 1}),
        criteria=(NUTZEN, AUFWAND),
    )
    ranking = rank_measures(s, RULES, "quick-win")
    assert ranking.order == ("quick", "zeitfresser", "ohne")
    assert ranking.entry("ohne").note == "noch nicht bewertet"
    assert ranking.explanation.startswith("Die bewerteten Maßnahmen wurden nach Nutzen")


def test_legal_first_keeps_an_unscored_legal_measure_in_front() -> None:
    s = strategy(
        plain("gut", scores={"nutzen": 5, "aufwand": 1}),
        plain("ozg", legal_driver="OZG"),
        criteria=(NUTZEN, AUFWAND),
    )
    ranking = rank_measures(s, RULES, "gesetz-zuerst")
    assert ranking.assessed
    assert ranking.order == ("ozg", "gut")
    assert ranking.entry("ozg").note == "noch nicht bewertet. Gesetzlich vorgeschrieben: OZG."


def test_goal_weighting_is_mentioned_only_when_applied() -> None:
    s = strategy(
        plain("a", scores={"nutzen": 5, "aufwand": 1}),
        plain("b", scores={"nutzen": 3, "aufwand": 1}),
        criteria=(NUTZEN, AUFWAND),
    )
    field = attrs.evolve(s.action_fields[0], goals=(Goal("g", "Ziel", weight=2),))
    with_goal = attrs.evolve(s, action_fields=(field,))
    ranking = rank_measures(with_goal, RULES, "nutzwert")
    assert "Gewicht des Ziels" not in ranking.explanation  # no measure serves the goal


# ------------------------------------------------------------ tie sentences


def tied(*measures: Measure) -> Ranking:
    return build_ranking("test", [Scored(m, 1.0) for m in measures])


def test_tie_cites_a_deadline_only_the_first_measure_has() -> None:
    a = plain("a", legal_deadline=dt.date(2026, 6, 30))
    ranking = tied(plain("b", votes=9), a)
    assert ranking.order == ("a", "b")
    assert ranking.entry("b").tie_break == (
        "Punktgleich mit „A“; entscheidend war: für „A“ ist eine gesetzliche Frist erfasst, "
        "für diese Maßnahme nicht."
    )


def test_tie_without_deadlines_never_mentions_one() -> None:
    ranking = tied(plain("a", votes=1), plain("b", votes=4))
    assert ranking.entry("a").tie_break == (
        "Punktgleich mit „B“; entscheidend war: mehr Punkte in der Punktabfrage."
    )
    both = tied(
        plain("a", legal_deadline=dt.date(2027, 1, 1)),
        plain("b", legal_deadline=dt.date(2026, 1, 1)),
    )
    assert both.entry("a").tie_break == (
        "Punktgleich mit „B“; entscheidend war: frühere gesetzliche Frist."
    )


def test_unknown_cost_is_not_zero_in_a_tie() -> None:
    ranking = tied(plain("a"), plain("b", cost=Cost(Decimal(0))))
    assert ranking.order == ("b", "a")
    assert ranking.entry("a").tie_break == (
        "Punktgleich mit „B“; entscheidend war: für „B“ liegt eine Kostenschätzung vor, "
        "für diese Maßnahme noch nicht."
    )
    cheaper = tied(plain("a", cost=Cost(Decimal(900))), plain("b", cost=Cost(Decimal(100))))
    assert cheaper.entry("a").tie_break.endswith("entscheidend war: geringere einmalige Kosten.")


def test_unknown_duration_is_not_zero_in_a_tie() -> None:
    ranking = tied(plain("a"), plain("b", duration_months=60))
    assert ranking.order == ("b", "a")
    assert ranking.entry("a").tie_break == (
        "Punktgleich mit „B“; entscheidend war: für „B“ ist die Dauer geschätzt, für diese "
        "Maßnahme noch nicht."
    )
    shorter = tied(plain("a", duration_months=12), plain("b", duration_months=3))
    assert shorter.entry("a").tie_break.endswith("entscheidend war: kürzere Dauer.")


def test_when_no_fact_differs_the_recorded_order_decides() -> None:
    ranking = tied(plain("z"), plain("a"))
    assert ranking.order == ("z", "a")
    assert ranking.entry("a").tie_break == (
        "Punktgleich mit „Z“; entscheidend war: die Reihenfolge, in der die Maßnahmen erfasst "
        "wurden."
    )
    assert tied(plain("a"), plain("z")).order == ("a", "z")


_DEADLINES = st.one_of(st.none(), st.sampled_from([dt.date(2026, 1, 1), dt.date(2027, 1, 1)]))


@st.composite
def tie_measures(draw: st.DrawFn) -> list[Measure]:
    count = draw(st.integers(2, 5))
    return [
        Measure(
            f"m{index}",
            f"Maßnahme {index}",
            "f",
            legal_deadline=draw(_DEADLINES),
            votes=draw(st.integers(0, 2)),
            cost=Cost(draw(st.one_of(st.none(), st.sampled_from([Decimal(0), Decimal(500)])))),
            duration_months=draw(st.one_of(st.none(), st.sampled_from([3, 6]))),
        )
        for index in range(count)
    ]


def _decider(first: Measure, second: Measure) -> str:
    """Which step decides between two tied measures, computed independently."""
    if first.legal_deadline != second.legal_deadline:
        return "deadline"
    if first.votes != second.votes:
        return "votes"
    if first.cost.one_off != second.cost.one_off:
        return "cost"
    if first.duration_months != second.duration_months:
        return "duration"
    return "order"


#: Words that name each step; a sentence contains those of its step only.
_WORDS = {
    "deadline": "Frist",
    "votes": "Punktabfrage",
    "cost": "Kosten",
    "duration": "Dauer",
    "order": "erfasst wurden",
}


@given(tie_measures())
def test_tie_sentences_cite_only_facts_that_differ(measures: list[Measure]) -> None:
    ranking = tied(*measures)
    by_key = {m.key: m for m in measures}
    for index in range(1, len(ranking.entries)):
        first = by_key[ranking.entries[index - 1].measure]
        second = by_key[ranking.entries[index].measure]
        sentence = ranking.entries[index].tie_break
        step = _decider(first, second)
        assert sentence.startswith(f"Punktgleich mit „{first.title}“; entscheidend war: ")
        for name, word in _WORDS.items():
            assert (word in sentence) == (name == step), (name, sentence)
        # The fact stated holds for the two measures.
        if step == "deadline":
            assert first.legal_deadline is not None
            if second.legal_deadline is None:
                assert "für diese Maßnahme nicht" in sentence
            else:
                assert first.legal_deadline < second.legal_deadline
                assert "frühere gesetzliche Frist" in sentence
        elif step == "votes":
            assert first.votes > second.votes
        elif step == "cost":
            assert first.cost.one_off is not None
            if second.cost.one_off is not None:
                assert first.cost.one_off < second.cost.one_off
            else:
                assert "noch nicht" in sentence
        elif step == "duration":
            assert first.duration_months is not None
            if second.duration_months is not None:
                assert first.duration_months < second.duration_months
            else:
                assert "noch nicht" in sentence
        else:
            assert measures.index(first) < measures.index(second)


# ------------------------------------------------------------ thin data, every rule


@st.composite
def thin_strategies(draw: st.DrawFn) -> kd.Strategy:
    criteria = draw(st.sampled_from([(), (NUTZEN,), (NUTZEN, AUFWAND)]))
    comparisons: tuple[Comparison, ...] = ()
    if len(criteria) == 2 and draw(st.booleans()):
        comparisons = (Comparison("nutzen", "aufwand", 3),)
    measures = []
    for index in range(draw(st.integers(0, 5))):
        scores: dict[str, float] = {
            c.key: draw(st.integers(1, 5)) for c in criteria if draw(st.integers(0, 3)) > 0
        }
        measures.append(
            Measure(
                f"m{index}",
                f"M{index}",
                "f",
                scores=scores,
                votes=draw(st.sampled_from([0, 0, 1, 3])),
                legal_driver=draw(st.sampled_from(["", "", "OZG"])),
                cost=Cost(draw(st.one_of(st.none(), st.just(Decimal(1000))))),
            )
        )
    return strategy(*measures, criteria=criteria, comparisons=comparisons)


@pytest.mark.parametrize("rule", sorted(RULES))
@given(s=thin_strategies())
def test_every_rule_is_honest_on_thin_data(rule: str, s: kd.Strategy) -> None:
    if rule == "quick-win" and s.criteria and len(s.criteria) < 2:
        with pytest.raises(RankingError, match="cost criterion"):
            rank_measures(s, RULES, rule)
        return
    ranking = rank_measures(s, RULES, rule)
    keys = [m.key for m in s.measures]
    assert sorted(ranking.order) == sorted(keys)
    if POINTS_CLAIM in ranking.explanation:
        assert any(m.votes for m in s.measures)
    assessed = [entry_assessed(e) for e in ranking.entries]
    assert ranking.assessed == any(assessed)
    for entry, is_assessed in zip(ranking.entries, assessed, strict=True):
        if not is_assessed:
            assert entry.score == 0
            assert entry.tie_break == ""
    if not ranking.assessed:
        assert ranking.weights == {}
        if keys:
            assert NOT_ASSESSED in ranking.explanation
        if rule == "gesetz-zuerst":
            legal = [m.key for m in s.measures if m.legal_driver]
            assert list(ranking.order) == legal + [k for k in keys if k not in legal]
        else:
            assert list(ranking.order) == keys
    elif not all(assessed):
        assert NOT_ASSESSED in ranking.explanation
    if rule in ("nutzwert", "quick-win", "ahp"):
        # a measure lacking a score is never ranked as if it had one
        for m in s.measures:
            if any(c.key not in m.scores for c in s.criteria):
                assert not entry_assessed(ranking.entry(m.key))
    if rule != "gesetz-zuerst" and False in assessed:
        # unassessed measures come after every assessed one
        assert True not in assessed[assessed.index(False) :]


# ------------------------------------------------------------ fingerprints


def test_rank_strategy_stamps_the_fingerprint_of_its_inputs() -> None:
    s = strategy(plain("a", votes=2), plain("b", votes=5))
    ranked = rank_strategy(s, RULES, "punktabfrage")
    assert ranked.ranking is not None
    assert ranked.ranking_rule == RankingChoice("punktabfrage")
    assert ranked.ranking.inputs.startswith("sha256:")
    # computed with the rule finally stored, not the strategy's earlier one
    assert ranked.ranking.inputs == ranking_inputs(ranked)
    assert ranked.ranking.inputs != ranking_inputs(s)
    # ranking again gives the same stamp; a new measure makes it stale
    assert rank_strategy(ranked, RULES).ranking == ranked.ranking
    grown = attrs.evolve(ranked, measures=(*ranked.measures, plain("c", votes=9)))
    assert ranking_inputs(grown) != ranked.ranking.inputs
    regrown = rank_strategy(grown, RULES)
    assert regrown.ranking is not None
    assert regrown.ranking.inputs == ranking_inputs(regrown)
    assert regrown.ranking.order[0] == "c"


def test_an_unassessed_ranking_is_stamped_too() -> None:
    s = strategy(plain("a"), rule=RankingChoice("nutzwert"))
    ranked = rank_strategy(s, RULES)
    assert ranked.ranking is not None
    assert not ranked.ranking.assessed
    assert ranked.ranking.inputs == ranking_inputs(ranked) == ranking_inputs(s)
