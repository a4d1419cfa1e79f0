"""Hypothesis strategies that build valid kommunal-digital objects.

They are meant for plugin authors and for the project's own tests: every
strategy yields objects that pass the model's checks, so a property test can
concentrate on the code under test. The values are deliberately awkward:
texts hold umlauts, emoji, quotes, markup and template syntax
(``&<>{}%``, ``{{ }}``), line breaks, leading and trailing spaces and words
that YAML would otherwise read as something else (``no``, ``null``,
``2027-01-01``, ``1e3``); keys include ``no``, ``null`` and ``1_000``.

Titles and names (of measures, fields, stakeholders, ...) stay on one line,
as they would in a real file; longer texts (descriptions, statements) may
span several lines.

Unknown is a value: costs, durations and staff figures are sometimes
``None`` (not estimated yet), never a stand-in 0 or 6 months; measures
carry the dates of their status (a completion date only when finished).
:func:`thin_strategies` yields strategies in which much is still missing,
as real workshop records are.

Numbers stay finite, so every object survives a round trip through YAML or
JSON unchanged. Lists are kept short (at most about six items) so that tests
stay fast.

Example:
    >>> from hypothesis import given
    >>> from kommunal_digital.testing import strategies as kst
    >>> @given(kst.strategies())
    ... def test_my_plugin_accepts_any_strategy(strategy): ...

Strategies for single objects take optional arguments that tie them to their
surroundings (``measures(field_key="verwaltung", goal_keys=["g1"])``);
:func:`strategies` uses them to build a whole, consistent
:class:`~kommunal_digital.model.Strategy`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from kommunal_digital.model import (
    ActionField,
    Budgeting,
    Cost,
    CostSharing,
    Delivery,
    ExternalMilestone,
    Goal,
    Indicator,
    Involvement,
    MaturityPhase,
    Measure,
    MeasureStatus,
    MemberMunicipality,
    Milestone,
    Municipality,
    MunicipalityKind,
    Organigram,
    PackReference,
    Partner,
    Phase,
    ProjectProfile,
    Raci,
    Relation,
    RelationKind,
    Resources,
    Roadmap,
    Role,
    RoleHolding,
    RoleKind,
    RoleState,
    ShareBasis,
    Source,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyFunding,
    Task,
    Workshop,
)
from kommunal_digital.model.funding import FundingKind, FundingProgramme, FundingSource, Operator
from kommunal_digital.model.maturity import (
    MAX_ANSWER_SCORE,
    OZG_MAX_LEVEL,
    MaturityCheck,
    MaturityQuestion,
    OzgService,
    Questionnaire,
)
from kommunal_digital.model.measure import MAX_DURATION_MONTHS
from kommunal_digital.model.progress import ProgressUpdate, Reporting, Weighting
from kommunal_digital.model.ranking import Comparison, Criterion, Direction
from kommunal_digital.model.schedule import ScheduleLimits, YearLimit
from kommunal_digital.packs.bundled import bundled_packs_dir
from kommunal_digital.packs.pack import load_pack

__all__ = [
    "action_fields",
    "budgetings",
    "comparisons",
    "cost_sharings",
    "costs",
    "criteria",
    "dates",
    "digicheck",
    "extension_data",
    "external_milestones",
    "funding_programmes",
    "funding_sources",
    "goals",
    "indicators",
    "involvements",
    "keys",
    "maturity_checks",
    "measures",
    "member_municipalities",
    "milestones",
    "money",
    "municipalities",
    "operators",
    "organigrams",
    "ozg_services",
    "pack_references",
    "partners",
    "phases",
    "progress_updates",
    "project_profiles",
    "relations",
    "reportings",
    "resources",
    "roadmaps",
    "roles",
    "schedule_limits",
    "stakeholders",
    "strategies",
    "strategy_fundings",
    "tasks",
    "texts",
    "thin_strategies",
    "workshop_sources",
    "workshops",
    "year_limits",
]

#: Most items in any generated list.
MAX_ITEMS = 6

_CENT = Decimal("0.01")

# Pieces of text that have tripped up YAML, JSON, XML or template engines.
_HOSTILE_WORDS = (
    "Ärger",
    "Öffnungszeiten",
    "Bürgerbüro",
    "Straße",
    "Maßnahme",
    "ÄÖÜäöüß",
    "Café",
    "🚀",
    "👩‍💻",
    "🇩🇪",
    "€ 1.000,50",
    "§ 3 OZG",
    "„Digital“",
    "‚innen‘",
    '"',
    "'",
    "`",
    "&",
    "&amp;",
    "<",
    ">",
    "<w:t>",
    "</w:p>",
    "{",
    "}",
    "{{ title }}",
    "{{",
    "}}",
    "{% if x %}",
    "{%",
    "{#",
    "%",
    "%s",
    "$x",
    "\\",
    "\\n",
    "#",
    " # kein Kommentar",
    "- ",
    ": ",
    "key: value",
    "? ",
    "!",
    "!!python/object:os.system",
    "*alias",
    "&anker",
    "|",
    ">-",
    "---",
    "...",
    "~",
    "no",
    "No",
    "yes",
    "off",
    "on",
    "y",
    "n",
    "null",
    "Null",
    "NULL",
    "true",
    "False",
    "2027-01-01",
    "2027-01-01 10:00:00",
    "1e3",
    "1.5",
    "0x1F",
    "010",
    "1_000",
    "12:30",
    ".inf",
    ".nan",
    "-1",
    "+1",
    "\t",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\x7f",
    "\x9f",
)
_LINE_BREAKS = ("\n", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\n\n")
_SPACES = ("", "", " ", "  ", "\t", " \u00a0")

# Characters the model refuses in text (XML 1.0 cannot hold them).
_FORBIDDEN = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
_ONE_LINE_FORBIDDEN = _FORBIDDEN + "\n\r\x85\u2028\u2029"

# Words that YAML 1.1 would read as booleans, null, numbers or dates, but
# that are valid keys.
_YAML_SPECIAL_KEYS = (
    "no",
    "yes",
    "on",
    "off",
    "y",
    "n",
    "null",
    "true",
    "false",
    "1e3",
    "0x1f",
    "010",
    "0o17",
    "0b101",
    "1_000",
    "12",
    "0",
    "2027-01-01",
    "1-2",
    "nan",
    "inf",
)


_EARLIEST = dt.date(1990, 1, 1)
_LATEST = dt.date(2100, 12, 31)


def _characters(*, multiline: bool) -> st.SearchStrategy[str]:
    return st.characters(
        exclude_categories=["Cs"],
        exclude_characters=_FORBIDDEN if multiline else _ONE_LINE_FORBIDDEN,
    )


def _is_visible(value: str) -> bool:
    return bool(value.strip())


def _build_texts(*, allow_empty: bool, multiline: bool) -> st.SearchStrategy[str]:
    words = _HOSTILE_WORDS + (_LINE_BREAKS if multiline else ())
    part = st.one_of(
        st.sampled_from(words),
        st.text(_characters(multiline=multiline), max_size=8),
    )
    body = st.lists(part, max_size=3).map("".join)
    spaces = st.sampled_from(_SPACES + (("\n",) if multiline else ()))
    if allow_empty:
        return st.one_of(body, st.tuples(spaces, body, spaces).map("".join))
    anchor = st.one_of(
        st.sampled_from(_HOSTILE_WORDS).filter(_is_visible),
        st.text(_characters(multiline=multiline), min_size=1, max_size=8).filter(_is_visible),
    )
    return st.one_of(anchor, st.tuples(spaces, body, anchor, body, spaces).map("".join))


# Built once: Hypothesis validates a strategy object the first time it is
# drawn from, so reusing the objects keeps drawing whole strategies fast.
_TEXTS = {
    (allow_empty, multiline): _build_texts(allow_empty=allow_empty, multiline=multiline)
    for allow_empty in (False, True)
    for multiline in (False, True)
}
_TEXT = _TEXTS[True, True]
_LINE = _TEXTS[True, False]
_REQUIRED_TEXT = _TEXTS[False, True]
_REQUIRED_LINE = _TEXTS[False, False]
_KEY = st.one_of(
    st.sampled_from(_YAML_SPECIAL_KEYS),
    st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True),
)
_OPTIONAL_KEY = st.none() | _KEY
_DATE = st.dates(min_value=_EARLIEST, max_value=_LATEST)
_OPTIONAL_DATE = st.none() | _DATE
_DAYS = st.integers(min_value=0, max_value=3650)
_OPTIONAL_BOOL = st.none() | st.booleans()
_OFFICIAL_KEY = st.one_of(
    st.text("0123456789", min_size=8, max_size=8),
    st.text("0123456789", min_size=12, max_size=12),
)
_POPULATION = st.none() | st.integers(min_value=0, max_value=5_000_000)


def _numbers(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


_WEIGHT = _numbers(0, 100)
_OPTIONAL_WEIGHT = st.none() | _WEIGHT
_MEASURED = st.none() | _numbers(-1e9, 1e9)


def _key_lists(min_size: int = 0, max_size: int = MAX_ITEMS) -> st.SearchStrategy[list[str]]:
    return st.lists(_KEY, unique=True, min_size=min_size, max_size=max_size)


_KEY_LIST = _key_lists()
_FEW_KEYS = _key_lists(max_size=3)
_TWO_OR_MORE_KEYS = _key_lists(min_size=2)
_FEW_TEXTS = st.lists(_REQUIRED_TEXT, max_size=3)


def _subset(draw: st.DrawFn, items: Sequence[str], max_size: int = MAX_ITEMS) -> list[str]:
    """Draw some of ``items`` in their order, each at most once."""
    chosen: list[str] = []
    for item in dict.fromkeys(items):
        if len(chosen) < max_size and draw(st.booleans()):
            chosen.append(item)
    return chosen


def _two_of(draw: st.DrawFn, pool: Sequence[str]) -> tuple[str, str]:
    """Draw two different items of ``pool`` (which holds at least two)."""
    items = list(dict.fromkeys(pool))
    first = draw(st.sampled_from(items))
    second = draw(st.sampled_from([item for item in items if item != first]))
    return first, second


def texts(*, allow_empty: bool = True, multiline: bool = True) -> st.SearchStrategy[str]:
    r"""Texts the model accepts, from harmless to hostile.

    They mix plain characters of any script with umlauts, emoji, quotes,
    markup and template syntax, YAML-special words such as ``no``, ``null``,
    ``2027-01-01`` or ``1e3`` (sometimes as the whole text), line breaks and
    leading or trailing whitespace. They never hold a character a Word
    document cannot hold.

    Args:
        allow_empty: Also yield texts that are empty or only whitespace.
            Pass ``False`` for fields such as titles and names.
        multiline: Also yield line breaks (``\n``, ``\r\n``, ``\x85``,
            ``\u2028``, ...).

    Returns:
        A strategy of ``str``.
    """
    return _TEXTS[allow_empty, multiline]


def keys() -> st.SearchStrategy[str]:
    """Valid keys (``^[a-z0-9][a-z0-9_-]*$``), including YAML-special words.

    Returns:
        A strategy of ``str`` such as ``"verwaltung"``, ``"no"``, ``"1_000"``
        or ``"2027-01-01"``.
    """
    return _KEY


_VERSION = st.one_of(
    st.just(""),
    st.sampled_from(["0.1.0", "1.0", "2024.1+lindenau", "1!2.0rc1", "v3", "1e3"]),
    st.from_regex(r"[0-9A-Za-z][0-9A-Za-z.+!_-]{0,11}", fullmatch=True),
)
_PACK_REFERENCE = st.builds(PackReference, name=_KEY, version=_VERSION)


def pack_references() -> st.SearchStrategy[PackReference]:
    """References to template packs, with a known or an unknown (``""``) version.

    Returns:
        A strategy of :class:`~kommunal_digital.model.PackReference` such as
        ``PackReference("rlp", "0.1.0")``; versions include ones YAML would
        read as numbers (``1.0``, ``1e3``).
    """
    return _PACK_REFERENCE


_PLAIN_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
_PLAIN_DATA = st.recursive(
    _PLAIN_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_LINE, inner, max_size=3),
    max_leaves=6,
)
_EXTENSION_DATA = st.dictionaries(_KEY, st.dictionaries(_LINE, _PLAIN_DATA, max_size=3), max_size=2)
# Most objects of a file carry no extension data; some do.
_SOMETIMES_EXTENSIONS = st.one_of(st.just({}), _EXTENSION_DATA)


def extension_data() -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    """Extension data as the model accepts it: ``{key: {name: plain data}}``.

    Under one to two plugin keys, names (any one-line text, even empty) hold
    plain data nested a few levels: ``None``, booleans, integers up to
    ``2**63``, any finite float, hostile texts, lists and mappings. It survives
    YAML, JSON and the workbook unchanged. :func:`measures` and
    :func:`action_fields` sometimes draw from it.

    Returns:
        A strategy of ``dict`` such as ``{"hessen": {"interkommunal": True}}``.
    """
    return _EXTENSION_DATA


def _euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT)


def money(*, max_euros: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Amounts of euros with cents, from 0.00 up to ``max_euros``.

    Args:
        max_euros: The largest amount, in whole euros (below ``10**12``).

    Returns:
        A strategy of :class:`~decimal.Decimal` with exactly two decimal places.
    """
    return st.integers(min_value=0, max_value=max_euros * 100).map(_euros)


_MONEY = money()
_OPTIONAL_MONEY = st.none() | _MONEY


def dates(
    *, min_value: dt.date = _EARLIEST, max_value: dt.date = _LATEST
) -> st.SearchStrategy[dt.date]:
    """Dates (without a time), by default from 1990 to 2100.

    The model accepts dates from 1900-01-01 to 2199-12-31 (the first day of
    a plan at most 2159-12-31, see :mod:`kommunal_digital.model.checks`);
    bounds outside that range yield dates the model refuses.

    Args:
        min_value: The earliest date.
        max_value: The latest date.

    Returns:
        A strategy of :class:`datetime.date`.
    """
    if (min_value, max_value) == (_EARLIEST, _LATEST):
        return _DATE
    return st.dates(min_value=min_value, max_value=max_value)


def _date_from(draw: st.DrawFn, not_before: dt.date | None) -> dt.date | None:
    """Draw an optional date, on or after ``not_before`` if given."""
    if not_before is None:
        return draw(_OPTIONAL_DATE)
    if draw(st.booleans()):
        return None
    days = min(draw(_DAYS), (dt.date.max - not_before).days)
    return not_before + dt.timedelta(days=days)


def _indicator(draw: st.DrawFn) -> Indicator:
    return Indicator(
        name=draw(_REQUIRED_LINE),
        unit=draw(_LINE),
        baseline=draw(_MEASURED),
        target=draw(_MEASURED),
    )


_INDICATOR = st.composite(_indicator)()
_FEW_INDICATORS = st.lists(_INDICATOR, max_size=2)


def indicators() -> st.SearchStrategy[Indicator]:
    """Indicators with an optional baseline and target.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Indicator`.
    """
    return _INDICATOR


def _goal(draw: st.DrawFn, key: str | None) -> Goal:
    return Goal(
        key=draw(_KEY) if key is None else key,
        statement=draw(_REQUIRED_TEXT),
        weight=draw(_WEIGHT),
        indicators=tuple(draw(_FEW_INDICATORS)),
    )


_goals = st.composite(_goal)


def goals(*, key: str | None = None) -> st.SearchStrategy[Goal]:
    """Goals with a weight and up to two indicators.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Goal`.
    """
    return _goals(key)


def _action_field(
    draw: st.DrawFn,
    key: str | None,
    goal_keys: Sequence[str] | None,
    chosen: bool | None,
) -> ActionField:
    if goal_keys is None:
        goal_keys = draw(_FEW_KEYS)
    return ActionField(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        description=draw(_TEXT),
        goals=tuple(_goal(draw, goal_key) for goal_key in goal_keys),
        chosen=draw(st.booleans()) if chosen is None else chosen,
        extensions=draw(_SOMETIMES_EXTENSIONS),
    )


_action_fields = st.composite(_action_field)


def action_fields(
    *,
    key: str | None = None,
    goal_keys: Sequence[str] | None = None,
    chosen: bool | None = None,
) -> st.SearchStrategy[ActionField]:
    """Action fields with their goals.

    Args:
        key: Use this key instead of drawing one.
        goal_keys: Give the field exactly these goals (keys must be unique);
            by default up to three goals with drawn keys.
        chosen: Fix whether the municipality chose the field; drawn by default.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ActionField`.
    """
    return _action_fields(key, goal_keys, chosen)


_YEARLY_MONEY = money(max_euros=10**7)
_KNOWN_COST = st.builds(Cost, one_off=_MONEY, yearly=_YEARLY_MONEY)
# Usually estimated; sometimes one or both parts are still unknown (None).
_COST = st.one_of(
    _KNOWN_COST,
    st.builds(Cost, one_off=st.none() | _MONEY, yearly=st.none() | _YEARLY_MONEY),
)


def costs(*, known: bool = False) -> st.SearchStrategy[Cost]:
    """One-off and yearly costs, each possibly not estimated yet (``None``).

    Unknown is not zero: a measure nobody has costed keeps ``None``, and
    code under test must neither print nor sum it as 0 €.

    Args:
        known: Only yield costs whose one-off and yearly parts are both
            estimated.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Cost`.
    """
    return _KNOWN_COST if known else _COST


_BUDGETING = st.builds(
    Budgeting,
    builds_on=_TEXT,
    absorbed_by_operations=_OPTIONAL_BOOL,
    needs_extra_staff=_OPTIONAL_BOOL,
    needs_extra_material=_OPTIONAL_BOOL,
    needs_cooperation=_OPTIONAL_BOOL,
    delivery=st.sampled_from(Delivery),
)


def budgetings() -> st.SearchStrategy[Budgeting]:
    """Answers to the budgeting questions, each possibly still open.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Budgeting`.
    """
    return _BUDGETING


_RACI = st.sampled_from(Raci)


def _involvement(draw: st.DrawFn, stakeholder: str | None) -> Involvement:
    return Involvement(
        stakeholder=draw(_KEY) if stakeholder is None else stakeholder, role=draw(_RACI)
    )


_involvements = st.composite(_involvement)


def involvements(*, stakeholder: str | None = None) -> st.SearchStrategy[Involvement]:
    """A stakeholder's RACI role in a measure.

    Args:
        stakeholder: Use this stakeholder key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Involvement`.
    """
    return _involvements(stakeholder)


_SCALE_MIN = _numbers(-10, 10)


def _criterion(
    draw: st.DrawFn,
    key: str | None,
    *,
    weight: st.SearchStrategy[float] = _WEIGHT,
    direction: Direction | None = None,
) -> Criterion:
    scale_min = draw(_SCALE_MIN)
    span = draw(_numbers(0.5, 100))
    return Criterion(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        weight=draw(weight),
        scale_min=scale_min,
        scale_max=scale_min + span,
        direction=draw(st.sampled_from(Direction)) if direction is None else direction,
    )


_criteria = st.composite(_criterion)


def criteria(*, key: str | None = None) -> st.SearchStrategy[Criterion]:
    """Ranking criteria with a weight, a scale and a direction.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ranking.Criterion`.
    """
    return _criteria(key)


_SAATY = st.one_of(_numbers(1, 9), st.integers(1, 9).map(lambda n: 1 / n))


def _comparison(draw: st.DrawFn, criterion_keys: Sequence[str] | None) -> Comparison:
    pool = draw(_TWO_OR_MORE_KEYS) if criterion_keys is None else criterion_keys
    more, less = _two_of(draw, pool)
    return Comparison(more=more, less=less, value=draw(_SAATY))


_comparisons = st.composite(_comparison)

# A weight every rule accepts: above zero (and not so small that it vanishes).
_POSITIVE_WEIGHT = _numbers(0.01, 100)
# How much each criterion matters for AHP; two of them are at most 9 : 1 apart.
_PRIORITY = st.one_of(st.integers(1, 9).map(float), _numbers(1, 9))


def _rankable_criteria(draw: st.DrawFn) -> list[Criterion]:
    """Two to four criteria with positive weights, at least one benefit and one cost."""
    keys = draw(_key_lists(min_size=2, max_size=4))
    directions = [Direction.BENEFIT, Direction.COST]
    directions += [draw(st.sampled_from(Direction)) for _ in keys[2:]]
    directions = draw(st.permutations(directions))
    return [
        _criterion(draw, key, weight=_POSITIVE_WEIGHT, direction=direction)
        for key, direction in zip(keys, directions, strict=True)
    ]


def _consistent_comparisons(draw: st.DrawFn, criteria: Sequence[Criterion]) -> list[Comparison]:
    """Every pair of criteria compared once, perfectly consistently (AHP accepts them).

    Each criterion gets a priority from 1 to 9; a pair is judged by the
    ratio of their priorities, stated either way round.
    """
    priority = {c.key: draw(_PRIORITY) for c in criteria}
    judgements = []
    for index, first in enumerate(criteria):
        for second in criteria[index + 1 :]:
            more, less = (first.key, second.key) if draw(st.booleans()) else (second.key, first.key)
            judgements.append(
                Comparison(more=more, less=less, value=priority[more] / priority[less])
            )
    return judgements


def comparisons(*, criterion_keys: Sequence[str] | None = None) -> st.SearchStrategy[Comparison]:
    """Pairwise AHP comparisons of two different criteria.

    Args:
        criterion_keys: Compare two of these keys (at least two different
            ones are needed); by default two drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ranking.Comparison`.
    """
    return _comparisons(criterion_keys)


_FREE_SCORES = st.dictionaries(_KEY, _numbers(-100, 100), max_size=3)


def _scores(
    draw: st.DrawFn, scored_by: Sequence[Criterion] | None, *, complete: bool = False
) -> dict[str, float]:
    if scored_by is None:
        return draw(_FREE_SCORES)
    scores: dict[str, float] = {}
    for criterion in scored_by:
        if criterion.key not in scores and (complete or draw(st.booleans())):
            scores[criterion.key] = draw(_numbers(criterion.scale_min, criterion.scale_max))
    return scores


_KNOWN_DURATION = st.integers(min_value=1, max_value=MAX_DURATION_MONTHS)
_KNOWN_STAFF = _numbers(0, 20)
# Usually estimated, sometimes still unknown (None).
_DURATION = st.one_of(_KNOWN_DURATION, st.none())
_STAFF = st.one_of(_KNOWN_STAFF, st.none())
_STATUS = st.sampled_from(MeasureStatus)
_PROGRESS = st.integers(min_value=0, max_value=100)
_VOTES = st.integers(min_value=0, max_value=10**6)
_PERCENT = st.one_of(st.just(100.0), st.integers(1, 100).map(float), _numbers(0.01, 100))
_OPTIONAL_PERCENT = st.none() | _PERCENT


@attrs.frozen
class _Gaps:
    """Where a measure's values come from: how often they are unknown or empty."""

    cost: st.SearchStrategy[Cost] = _COST
    duration: st.SearchStrategy[int | None] = _DURATION
    staff: st.SearchStrategy[float | None] = _STAFF
    votes: st.SearchStrategy[int] = _VOTES
    text: st.SearchStrategy[str] = _TEXT


_FULL = _Gaps()
_RUNNING = (MeasureStatus.IN_UMSETZUNG, MeasureStatus.VERZOEGERT)


def _measure_dates(
    draw: st.DrawFn, status: MeasureStatus
) -> tuple[dt.date | None, dt.date | None, dt.date | None, dt.date | None]:
    """Draw ``start_on``, ``target_on``, ``deadline`` and ``finished_on`` fitting the status.

    Any status may have a start (the real start of a running, finished or
    dropped measure; the fixed start of a planned one). Only a finished
    measure has a completion date, on or after its start. A target date
    lies on or after the start, a deadline on or after the target (or the
    start): the dates do not contradict each other, though the scheduler may
    still miss them.
    """
    start_on = draw(_OPTIONAL_DATE)
    if status in _RUNNING and draw(st.booleans()):
        start_on = start_on or draw(_DATE)  # running measures usually know their start
    target_on = _date_from(draw, start_on)
    deadline = _date_from(draw, target_on or start_on)
    finished_on = _date_from(draw, start_on) if status is MeasureStatus.ABGESCHLOSSEN else None
    return start_on, target_on, deadline, finished_on


def _funding_source(draw: st.DrawFn, one_off: Decimal | None) -> FundingSource:
    kind = draw(st.sampled_from(FundingKind))
    programme = kind is FundingKind.FOERDERPROGRAMM
    key = draw(_OPTIONAL_KEY) if programme else None
    name = draw(_LINE if key is not None else _REQUIRED_LINE)
    quantity = draw(st.sampled_from(("none", "amount", "share")))
    limit = one_off if one_off is not None else Decimal(10**9)
    return FundingSource(
        kind=kind,
        name=name,
        programme=key,
        amount=draw(money(max_euros=int(limit))) if quantity == "amount" else None,
        share=draw(_PERCENT) if quantity == "share" else None,
        rate=draw(_OPTIONAL_PERCENT) if programme else None,
        deadline=draw(_OPTIONAL_DATE) if programme else None,
        co_financing_required=draw(_OPTIONAL_BOOL) if programme else None,
    )


_PLAIN_SOURCE = _REQUIRED_TEXT.map(lambda text: FundingSource(name=text))


def _operator_for(draw: st.DrawFn, cost: Cost) -> Operator | None:
    operator = draw(st.none() | _OPERATOR)
    # "No follow-on costs" only where the yearly cost is known to be zero.
    if operator is not None and cost.yearly == 0 and draw(st.booleans()):
        return Operator(operator.name, operator.budget, no_follow_on_costs=True)
    return operator


def _funding_sources_for(draw: st.DrawFn, one_off: Decimal | None) -> tuple[FundingSource, ...]:
    """Up to three sources whose third-party and programme money stays within ``one_off``.

    While the one-off cost is unknown, grants may name any amount (the model
    accepts it: nothing can exceed a cost nobody has estimated).
    """
    sources: list[FundingSource] = []
    external = Decimal(0)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        source = draw(_PLAIN_SOURCE | funding_sources(one_off=one_off))
        covered = source.covers(one_off) if source.kind.external else None
        if covered is not None and one_off is not None and external + covered > one_off:
            continue
        external += covered or 0
        sources.append(source)
    return tuple(sources)


def funding_sources(*, one_off: Decimal | None = None) -> st.SearchStrategy[FundingSource]:
    """Funding sources of every kind, quantified by amount, share, rate or not at all.

    Args:
        one_off: Keep amounts at or below this one-off cost. A single source
            may still cover it fully; combine sources with care.

    Returns:
        A strategy of :class:`~kommunal_digital.model.funding.FundingSource`.
    """
    return st.composite(_funding_source)(one_off)


_OPERATOR = st.builds(
    Operator, name=_REQUIRED_LINE, budget=_LINE, no_follow_on_costs=st.just(False)
)


def operators() -> st.SearchStrategy[Operator]:
    """Operators of a measure's result (with ``no_follow_on_costs`` false).

    Returns:
        A strategy of :class:`~kommunal_digital.model.funding.Operator`.
    """
    return _OPERATOR


def _funding_programme(draw: st.DrawFn, key: str | None) -> FundingProgramme:
    return FundingProgramme(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        provider=draw(_LINE),
        description=draw(_TEXT),
        rate=draw(_OPTIONAL_PERCENT),
        max_amount=draw(_OPTIONAL_MONEY),
        deadlines=tuple(draw(st.lists(_DATE, max_size=3))),
        co_financing_required=draw(_OPTIONAL_BOOL),
    )


def funding_programmes(*, key: str | None = None) -> st.SearchStrategy[FundingProgramme]:
    """Funding programmes as packs and plugins contribute them.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.funding.FundingProgramme`.
    """
    return st.composite(_funding_programme)(key)


def _measure(
    draw: st.DrawFn,
    key: str | None,
    field_key: str | None,
    goal_keys: Sequence[str] | None,
    depends_on: Sequence[str] | None,
    stakeholder_keys: Sequence[str] | None,
    member_names: Sequence[str] | None,
    scored_by: Sequence[Criterion] | None,
    *,
    fully_scored: bool = False,
    gaps: _Gaps = _FULL,
) -> Measure:
    own_key = draw(_KEY) if key is None else key
    if goal_keys is None:
        goal = draw(_OPTIONAL_KEY)
    else:
        goal = draw(st.none() | st.sampled_from(list(goal_keys))) if goal_keys else None
    candidates = draw(_FEW_KEYS) if depends_on is None else depends_on
    dependencies = _subset(draw, [k for k in candidates if k != own_key], max_size=3)
    involved = draw(_FEW_KEYS) if stakeholder_keys is None else _subset(draw, stakeholder_keys, 3)
    members = draw(_FEW_TEXTS) if member_names is None else _subset(draw, member_names, 3)
    cost = draw(gaps.cost)
    status = draw(_STATUS)
    start_on, target_on, deadline, finished_on = _measure_dates(draw, status)
    return Measure(
        key=own_key,
        title=draw(_REQUIRED_LINE),
        action_field=draw(_KEY) if field_key is None else field_key,
        description=draw(gaps.text),
        goal=goal,
        duration_months=draw(gaps.duration),
        cost=cost,
        staff_fte=draw(gaps.staff),
        owner_role=draw(_LINE),
        partners=tuple(draw(_FEW_TEXTS)),
        depends_on=tuple(dependencies),
        stakeholders=tuple(_involvement(draw, ref) for ref in involved),
        funding_sources=_funding_sources_for(draw, cost.one_off),
        operator=_operator_for(draw, cost),
        legal_driver=draw(_LINE),
        legal_deadline=draw(_OPTIONAL_DATE),
        scores=_scores(draw, scored_by, complete=fully_scored),
        status=status,
        progress=draw(_PROGRESS),
        start_on=start_on,
        target_on=target_on,
        deadline=deadline,
        finished_on=finished_on,
        indicators=tuple(draw(_FEW_INDICATORS)),
        budgeting=draw(_BUDGETING),
        members=tuple(members),
        votes=draw(gaps.votes),
        extensions=draw(_SOMETIMES_EXTENSIONS),
    )


_measures = st.composite(_measure)


def measures(
    *,
    key: str | None = None,
    field_key: str | None = None,
    goal_keys: Sequence[str] | None = None,
    depends_on: Sequence[str] | None = None,
    stakeholder_keys: Sequence[str] | None = None,
    member_names: Sequence[str] | None = None,
    scored_by: Sequence[Criterion] | None = None,
) -> st.SearchStrategy[Measure]:
    """Measures with every field filled in some way.

    The estimates (one-off and yearly cost, duration, staff) are each
    sometimes unknown (``None``). The dates fit the status: any measure may
    have a start (``start_on``), running ones usually do; a target date and
    a deadline lie on or after the start (the deadline on or after the
    target); only a finished measure (``abgeschlossen``) has a completion
    date (``finished_on``), on or after its start. A grant may name an
    amount while the one-off cost is unknown; "no follow-on costs" is only
    stated where the yearly cost is known to be zero.

    Without arguments a measure refers to drawn keys (its action field, goal,
    dependencies, stakeholders), which makes it valid on its own but not in
    a strategy. The arguments tie it to existing things.

    Args:
        key: Use this key instead of drawing one.
        field_key: The key of the measure's action field.
        goal_keys: The goal is one of these keys or ``None`` (always
            ``None`` for an empty sequence).
        depends_on: The measure depends on some of these keys (its own key
            is left out).
        stakeholder_keys: The measure involves some of these stakeholders.
        member_names: The measure applies to some of these member
            municipalities (names).
        scored_by: Scores are given only for these criteria and lie within
            their scales; by default scores use drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Measure`.
    """
    return _measures(
        key, field_key, goal_keys, depends_on, stakeholder_keys, member_names, scored_by
    )


_MEMBER = st.builds(
    MemberMunicipality,
    name=_REQUIRED_LINE,
    official_key=st.none() | _OFFICIAL_KEY,
    population=_POPULATION,
    cost_share=st.none() | _numbers(0, 1000),
)


def member_municipalities() -> st.SearchStrategy[MemberMunicipality]:
    """Member municipalities (Ortsgemeinden) with optional key, population and share.

    Returns:
        A strategy of :class:`~kommunal_digital.model.MemberMunicipality`.
    """
    return _MEMBER


_MEMBERS = st.lists(_MEMBER, max_size=4, unique_by=lambda m: m.name)
_LAND = st.just("Rheinland-Pfalz") | _REQUIRED_LINE
_HAS_MEMBERS = (MunicipalityKind.VERBANDSGEMEINDE, MunicipalityKind.KREIS)


def _municipality(draw: st.DrawFn, kind: MunicipalityKind | None) -> Municipality:
    kind = draw(st.sampled_from(MunicipalityKind)) if kind is None else kind
    return Municipality(
        name=draw(_REQUIRED_LINE),
        kind=kind,
        land=draw(_LAND),
        official_key=draw(st.none() | _OFFICIAL_KEY),
        population=draw(_POPULATION),
        members=tuple(draw(_MEMBERS)) if kind in _HAS_MEMBERS else (),
        maturity=draw(st.none() | st.sampled_from(MaturityPhase)),
    )


_municipalities = st.composite(_municipality)


def municipalities(*, kind: MunicipalityKind | None = None) -> st.SearchStrategy[Municipality]:
    """Municipalities of every kind; Verbandsgemeinden and Kreise may have members.

    Args:
        kind: Fix the kind instead of drawing it.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Municipality`.
    """
    return _municipalities(kind)


_KNOWN_SHARE = _numbers(0, 1000)
_KNOWN_PEOPLE = st.integers(min_value=0, max_value=5_000_000)
_PARTNER_COST_SHARE = st.none() | _KNOWN_SHARE
_SHARE_WEIGHT = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(Decimal),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)
_BASIS = st.sampled_from(ShareBasis)


def _partner(draw: st.DrawFn, key: str | None) -> Partner:
    return Partner(
        key=draw(_KEY) if key is None else key,
        name=draw(_REQUIRED_LINE),
        kind=draw(st.sampled_from(MunicipalityKind)),
        council=draw(_LINE),
        official_key=draw(st.none() | _OFFICIAL_KEY),
        population=draw(_POPULATION),
        cost_share=draw(_PARTNER_COST_SHARE),
    )


_partners = st.composite(_partner)


def partners(*, key: str | None = None) -> st.SearchStrategy[Partner]:
    """Partners of a joint strategy, of every kind, with optional figures.

    Population and agreed share (``cost_share``) are each sometimes unknown.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Partner`.
    """
    return _partners(key)


def _feasible_bases(taking_part: Sequence[Partner]) -> list[ShareBasis]:
    """The bases the partners' own figures allow (without a measure's own shares)."""
    bases = [ShareBasis.EQUAL]
    if all(p.population is not None for p in taking_part):
        bases.append(ShareBasis.POPULATION)
    if all(p.cost_share is not None for p in taking_part):
        bases.append(ShareBasis.AGREED)
    return bases


def _cost_sharing(draw: st.DrawFn, partners: Sequence[Partner], default: ShareBasis) -> CostSharing:
    keys = [p.key for p in partners]
    named = _subset(draw, keys)
    taking_part = [p for p in partners if not named or p.key in named]
    choices = [b for b in _feasible_bases(taking_part) if b is not ShareBasis.AGREED]
    basis = draw(st.none() | st.sampled_from([*choices, ShareBasis.AGREED]))
    needed: set[str] = set()
    if (basis or default) is ShareBasis.AGREED:
        needed = {p.key for p in taking_part if p.cost_share is None}
    extra = set(_subset(draw, [p.key for p in taking_part], max_size=3))
    shares = {k: draw(_SHARE_WEIGHT) for k in keys if k in needed | extra}
    return CostSharing(partners=tuple(named), basis=basis, shares=shares)


def cost_sharings(
    *, partners: Sequence[Partner], default: ShareBasis = ShareBasis.EQUAL
) -> st.SearchStrategy[CostSharing]:
    """How a measure's (or strategy funding's) costs are shared among partners.

    Some or all partners take part (none named means all); the basis is
    drawn among those the figures allow (by population only when every
    partner taking part has one) or left to the strategy (``None``); agreed
    shares are given for every partner taking part that has no
    ``cost_share`` when the basis (or ``default``) is ``agreed``, and
    sometimes for others.

    Args:
        partners: The strategy's partners (at least one).
        default: The strategy's ``cost_sharing``, which must suit all partners.

    Returns:
        A strategy of :class:`~kommunal_digital.model.CostSharing`.
    """
    return st.composite(_cost_sharing)(list(partners), default)


def _strategy_funding(
    draw: st.DrawFn, key: str | None, partners: Sequence[Partner], default: ShareBasis
) -> StrategyFunding:
    start = draw(_OPTIONAL_DATE)
    sharing = None
    if bool(partners) and draw(st.booleans()):
        sharing = _cost_sharing(draw, partners, default)
    return StrategyFunding(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        programme=draw(_OPTIONAL_KEY),
        provider=draw(_LINE),
        amount=draw(_OPTIONAL_MONEY),
        own_share=draw(_OPTIONAL_PERCENT),
        start=start,
        end=_date_from(draw, start),
        sharing=sharing,
    )


def strategy_fundings(
    *,
    key: str | None = None,
    partners: Sequence[Partner] = (),
    default: ShareBasis = ShareBasis.EQUAL,
) -> st.SearchStrategy[StrategyFunding]:
    """Money for a strategy as a whole; amount, own share and period each optional.

    Args:
        key: Use this key instead of drawing one.
        partners: In a joint strategy its partners: the own share is then
            sometimes shared by a :func:`cost_sharings` of them.
        default: The strategy's ``cost_sharing``, which must suit all partners.

    Returns:
        A strategy of :class:`~kommunal_digital.model.StrategyFunding`.
    """
    return st.composite(_strategy_funding)(key, list(partners), default)


def _external_milestone(draw: st.DrawFn, key: str | None) -> ExternalMilestone:
    return ExternalMilestone(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        owner=draw(_LINE),
        expected_on=draw(_OPTIONAL_DATE),
        reached_on=draw(_OPTIONAL_DATE),
        note=draw(_TEXT),
    )


_external_milestones = st.composite(_external_milestone)


def external_milestones(*, key: str | None = None) -> st.SearchStrategy[ExternalMilestone]:
    """Milestones outside the municipality, expected and reached dates each optional.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ExternalMilestone`.
    """
    return _external_milestones(key)


@attrs.frozen
class _Joint:
    """The parts of a strategy that tie measures to partners and outside milestones."""

    municipality: Municipality
    partners: tuple[Partner, ...] = ()
    cost_sharing: ShareBasis = ShareBasis.EQUAL
    milestones: tuple[ExternalMilestone, ...] = ()


# One strategy in four is a joint one (a single municipality is the usual case).
_JOINT = st.integers(min_value=0, max_value=3).map(lambda n: n == 3)


def _joint(draw: st.DrawFn, municipality: Municipality, *, partners: bool = True) -> _Joint:
    """Partners (a joint strategy has no member municipalities) and external milestones."""
    milestones = tuple(_external_milestone(draw, k) for k in draw(_key_lists(max_size=3)))
    if not partners or not draw(_JOINT):
        # Without partners the basis concerns nothing, but it is still stored.
        return _Joint(municipality, (), draw(_BASIS), milestones)
    found = [_partner(draw, k) for k in draw(_key_lists(min_size=1, max_size=4))]
    unique = list({p.name: p for p in found}.values())
    basis = draw(_BASIS)
    # The strategy's basis needs its figure from every partner.
    if basis is ShareBasis.POPULATION:
        unique = [
            p if p.population is not None else attrs.evolve(p, population=draw(_KNOWN_PEOPLE))
            for p in unique
        ]
    elif basis is ShareBasis.AGREED:
        unique = [
            p if p.cost_share is not None else attrs.evolve(p, cost_share=draw(_KNOWN_SHARE))
            for p in unique
        ]
    return _Joint(attrs.evolve(municipality, members=()), tuple(unique), basis, milestones)


def _joined(draw: st.DrawFn, measure: Measure, joint: _Joint) -> Measure:
    """The measure with a partners' sharing and waits for some external milestones."""
    sharing = None
    if bool(joint.partners) and draw(st.booleans()):
        sharing = _cost_sharing(draw, joint.partners, joint.cost_sharing)
    waits = _subset(draw, [m.key for m in joint.milestones], max_size=2)
    if sharing is None and not waits:
        return measure
    return attrs.evolve(measure, sharing=sharing, waits_for=tuple(waits))


def _fundings(draw: st.DrawFn, joint: _Joint) -> tuple[StrategyFunding, ...]:
    keys = draw(_key_lists(max_size=2))
    return tuple(_strategy_funding(draw, k, joint.partners, joint.cost_sharing) for k in keys)


_SCALE = st.integers(min_value=1, max_value=5)


def _stakeholder(draw: st.DrawFn, key: str | None) -> Stakeholder:
    return Stakeholder(
        key=draw(_KEY) if key is None else key,
        name=draw(_REQUIRED_LINE),
        group=draw(st.sampled_from(StakeholderGroup)),
        power=draw(_SCALE),
        interest=draw(_SCALE),
    )


_stakeholders = st.composite(_stakeholder)


def stakeholders(*, key: str | None = None) -> st.SearchStrategy[Stakeholder]:
    """Stakeholders with a group, power and interest.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Stakeholder`.
    """
    return _stakeholders(key)


def _task(draw: st.DrawFn, not_before: dt.date | None) -> Task:
    return Task(what=draw(_REQUIRED_TEXT), who=draw(_TEXT), due=_date_from(draw, not_before))


_tasks = st.composite(_task)


def tasks(*, not_before: dt.date | None = None) -> st.SearchStrategy[Task]:
    """Tasks (what, who, by when).

    Args:
        not_before: The due date, if any, is on or after this date (a
            roadmap refuses tasks due before its start).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Task`.
    """
    return _tasks(not_before)


_FEW_TASKS = st.lists(_tasks(None), max_size=3)
_MILESTONE = st.builds(
    Milestone, what=_REQUIRED_TEXT, planned=_OPTIONAL_DATE, reached_on=_OPTIONAL_DATE
)
_FEW_MILESTONES = st.lists(_MILESTONE, max_size=2)


def milestones() -> st.SearchStrategy[Milestone]:
    """Milestones with optional planned and reached dates.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Milestone`.
    """
    return _MILESTONE


def _phase(draw: st.DrawFn, key: str | None, not_before: dt.date | None) -> Phase:
    count = draw(st.integers(min_value=0, max_value=3))
    return Phase(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        tasks=tuple(_task(draw, not_before) for _ in range(count)),
        milestones=tuple(draw(_FEW_MILESTONES)),
    )


_phases = st.composite(_phase)


def phases(
    *, key: str | None = None, not_before: dt.date | None = None
) -> st.SearchStrategy[Phase]:
    """Roadmap phases with tasks and milestones.

    Args:
        key: Use this key instead of drawing one.
        not_before: Tasks are not due before this date.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Phase`.
    """
    return _phases(key, not_before)


def _roadmap(draw: st.DrawFn) -> Roadmap:
    start = draw(_DATE)
    return Roadmap(
        start=start,
        phases=tuple(_phase(draw, k, start) for k in draw(_key_lists(max_size=4))),
    )


_ROADMAP = st.composite(_roadmap)()


def roadmaps() -> st.SearchStrategy[Roadmap]:
    """Roadmaps whose tasks are not due before the roadmap starts.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Roadmap`.
    """
    return _ROADMAP


def _role(draw: st.DrawFn, key: str | None, field_keys: Sequence[str] | None) -> Role:
    if field_keys is None:
        field = draw(_OPTIONAL_KEY)
    else:
        field = draw(st.none() | st.sampled_from(list(field_keys))) if field_keys else None
    return Role(
        key=draw(_KEY) if key is None else key,
        title=draw(_REQUIRED_LINE),
        kind=draw(st.sampled_from(RoleKind)),
        holder=draw(_LINE),
        action_field=field,
        group=draw(st.none() | st.sampled_from(StakeholderGroup)),
    )


_roles = st.composite(_role)


def roles(
    *, key: str | None = None, field_keys: Sequence[str] | None = None
) -> st.SearchStrategy[Role]:
    """Organigram roles of every kind.

    Args:
        key: Use this key instead of drawing one.
        field_keys: A role's action field, if any, is one of these keys
            (none for an empty sequence); by default a drawn key.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Role`.
    """
    return _roles(key, field_keys)


_RELATION_KIND = st.sampled_from(RelationKind)


def _relation(draw: st.DrawFn, role_keys: Sequence[str] | None) -> Relation:
    pool = draw(_TWO_OR_MORE_KEYS) if role_keys is None else role_keys
    source, target = _two_of(draw, pool)
    return Relation(source=source, target=target, kind=draw(_RELATION_KIND))


_relations = st.composite(_relation)


def relations(*, role_keys: Sequence[str] | None = None) -> st.SearchStrategy[Relation]:
    """Directed relations between two different roles.

    Args:
        role_keys: Relate two of these keys (at least two different ones are
            needed); by default two drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Relation`.
    """
    return _relations(role_keys)


def _organigram(draw: st.DrawFn, field_keys: Sequence[str] | None) -> Organigram:
    role_keys = draw(_KEY_LIST)
    links: dict[tuple[str, str, RelationKind], Relation] = {}
    if len(role_keys) >= 2:
        for _ in range(draw(st.integers(min_value=0, max_value=MAX_ITEMS))):
            relation = _relation(draw, role_keys)
            links.setdefault((relation.source, relation.target, relation.kind), relation)

    def as_it_is(role: Role) -> Role:
        # Organisations as they are: a state, a group's size and departments, former holders.
        state = draw(st.none() | st.sampled_from(RoleState))
        departments = draw(st.lists(_REQUIRED_LINE, max_size=3, unique=True))
        extra = draw(st.none() | st.integers(min_value=0, max_value=40))
        history = []
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            since, until = draw(_OPTIONAL_DATE), draw(_OPTIONAL_DATE)
            if since is not None and until is not None and until < since:
                since, until = until, since
            history.append(RoleHolding(draw(_REQUIRED_LINE), since, until, draw(_LINE)))
        return attrs.evolve(
            role,
            holder="" if state in (RoleState.VACANT, RoleState.REJECTED) else role.holder,
            state=state,
            headcount=draw(st.none() | st.integers(min_value=1, max_value=500)),
            departments=tuple(departments),
            department_count=None if extra is None else max(1, len(departments) + extra),
            history=tuple(history),
        )

    return Organigram(
        roles=tuple(as_it_is(_role(draw, k, field_keys)) for k in role_keys),
        relations=tuple(links.values()),
    )


_organigrams = st.composite(_organigram)


def organigrams(*, field_keys: Sequence[str] | None = None) -> st.SearchStrategy[Organigram]:
    """Organigrams: roles with unique keys and relations between them.

    Args:
        field_keys: The action fields roles may look after (see :func:`roles`).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Organigram`.
    """
    return _organigrams(field_keys)


_RESOURCES = st.builds(Resources, financial=_TEXT, staff=_TEXT, organisational=_TEXT)


def resources() -> st.SearchStrategy[Resources]:
    """The resources a project needs (core question 5).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Resources`.
    """
    return _RESOURCES


def _project_profile(
    draw: st.DrawFn, measure_key: str | None, stakeholder_keys: Sequence[str] | None
) -> ProjectProfile:
    involved = draw(_FEW_KEYS) if stakeholder_keys is None else _subset(draw, stakeholder_keys, 3)
    return ProjectProfile(
        measure=draw(_KEY) if measure_key is None else measure_key,
        result=draw(_REQUIRED_TEXT),
        target_group=draw(_TEXT),
        stakeholders=tuple(involved),
        lead=draw(_TEXT),
        resources=draw(_RESOURCES),
        tasks=tuple(draw(_FEW_TASKS)),
        milestones=tuple(draw(_FEW_MILESTONES)),
    )


_project_profiles = st.composite(_project_profile)


def project_profiles(
    *, measure_key: str | None = None, stakeholder_keys: Sequence[str] | None = None
) -> st.SearchStrategy[ProjectProfile]:
    """Project profiles answering the seven core questions.

    Args:
        measure_key: The measure the profile plans; by default a drawn key.
        stakeholder_keys: The profile names some of these stakeholders; by
            default drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ProjectProfile`.
    """
    return _project_profiles(measure_key, stakeholder_keys)


_YEAR = st.integers(min_value=_EARLIEST.year, max_value=_LATEST.year)


def _year_limit(draw: st.DrawFn, year: int | None) -> YearLimit:
    return YearLimit(
        year=draw(_YEAR) if year is None else year,
        one_off_budget=draw(_OPTIONAL_MONEY),
        staff_fte=draw(_OPTIONAL_WEIGHT),
    )


_year_limits = st.composite(_year_limit)


def year_limits(*, year: int | None = None) -> st.SearchStrategy[YearLimit]:
    """Budget and staff limits of one year (``None`` meaning unlimited).

    Args:
        year: Use this year instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.schedule.YearLimit`.
    """
    return _year_limits(year)


def _schedule_limit(draw: st.DrawFn) -> ScheduleLimits:
    years = draw(st.lists(_YEAR, unique=True, max_size=3))
    return ScheduleLimits(
        start=draw(_DATE),
        horizon_years=draw(st.integers(min_value=1, max_value=30)),
        one_off_budget=draw(_OPTIONAL_MONEY),
        staff_fte=draw(_OPTIONAL_WEIGHT),
        years=tuple(_year_limit(draw, year) for year in years),
        assumed_duration_months=draw(st.none() | _KNOWN_DURATION),
    )


_SCHEDULE_LIMITS = st.composite(_schedule_limit)()


def schedule_limits() -> st.SearchStrategy[ScheduleLimits]:
    """Planning frames of a schedule: start, horizon, budgets, staff.

    Some assume a duration for measures whose duration is unknown
    (``assumed_duration_months``), others leave such measures unplaced.

    Returns:
        A strategy of :class:`~kommunal_digital.model.schedule.ScheduleLimits`.
    """
    return _SCHEDULE_LIMITS


def _progress_update(
    draw: st.DrawFn, measure_key: str | None, date: dt.date | None
) -> ProgressUpdate:
    status = draw(_STATUS)
    progress = draw(st.none() | _PROGRESS)
    if status is MeasureStatus.ABGESCHLOSSEN and progress is not None:
        progress = 100
    return ProgressUpdate(
        measure=draw(_KEY) if measure_key is None else measure_key,
        date=draw(_DATE) if date is None else date,
        status=status,
        progress=progress,
        note=draw(_TEXT),
        author=draw(_LINE),
    )


_progress_updates = st.composite(_progress_update)


def progress_updates(
    *, measure_key: str | None = None, date: dt.date | None = None
) -> st.SearchStrategy[ProgressUpdate]:
    """Progress updates on a measure: a status, maybe a figure, a note and an author.

    A finished update (``abgeschlossen``) has no figure or 100.

    Args:
        measure_key: The measure reported on; by default a drawn key.
        date: The date of the update; by default a drawn date.

    Returns:
        A strategy of :class:`~kommunal_digital.model.progress.ProgressUpdate`.
    """
    return _progress_updates(measure_key, date)


_REPORTING = st.builds(
    Reporting,
    rhythm_months=st.integers(min_value=1, max_value=24),
    tolerance_points=st.integers(min_value=0, max_value=100),
    weighting=st.sampled_from(Weighting),
    last_report_on=_OPTIONAL_DATE,
)


def reportings() -> st.SearchStrategy[Reporting]:
    """Reporting settings: rhythm, tolerance, weighting, date of the last report.

    Returns:
        A strategy of :class:`~kommunal_digital.model.progress.Reporting`.
    """
    return _REPORTING


def _history(draw: st.DrawFn, measure_keys: Sequence[str]) -> tuple[ProgressUpdate, ...]:
    """Updates on some of the measures, in date order (ties allowed)."""
    if not measure_keys:
        return ()
    days = sorted(draw(st.lists(_DATE, max_size=4)))
    return tuple(_progress_update(draw, draw(st.sampled_from(measure_keys)), d) for d in days)


def _ozg_service(draw: st.DrawFn, key: str | None) -> OzgService:
    criteria = draw(_key_lists(min_size=1, max_size=4))
    return OzgService(
        key=key if key is not None else draw(_KEY),
        title=draw(_REQUIRED_LINE),
        criteria={c: draw(st.integers(min_value=0, max_value=OZG_MAX_LEVEL)) for c in criteria},
    )


def ozg_services(*, key: str | None = None) -> st.SearchStrategy[OzgService]:
    """Administrative services rated on the OZG maturity model (levels 0 to 4).

    Args:
        key: Fixes the service's key.

    Returns:
        A strategy of :class:`~kommunal_digital.model.maturity.OzgService`.
    """
    return st.composite(_ozg_service)(key)


def _answer_for(draw: st.DrawFn, question: MaturityQuestion) -> str | int:
    option = draw(st.sampled_from(question.answers))
    return option.label if draw(st.booleans()) else option.score


def _maturity_check(draw: st.DrawFn, questionnaire: Questionnaire | None) -> MaturityCheck:
    if questionnaire is None:
        answers: dict[str, str | int] = {
            k: draw(_REQUIRED_LINE | st.integers(min_value=0, max_value=MAX_ANSWER_SCORE))
            for k in draw(_KEY_LIST)
        }
        key = draw(st.just("digicheck") | _KEY)
    else:
        answered = [q for q in questionnaire.questions if draw(_USUALLY)]
        answers = {q.key: _answer_for(draw, q) for q in answered}
        key = questionnaire.key
    services = [_ozg_service(draw, k) for k in draw(_key_lists(max_size=3))]
    return MaturityCheck(
        questionnaire=key,
        answered_on=draw(_OPTIONAL_DATE),
        answers=answers,
        ozg_services=tuple(services),
    )


def maturity_checks(
    *, questionnaire: Questionnaire | None = None
) -> st.SearchStrategy[MaturityCheck]:
    """Answers to a maturity check, with rated OZG services.

    Args:
        questionnaire: When given, the answers fit it: most of its
            questions are answered, each with one of its answers, given by
            label or by points. Without it, keys and answers are arbitrary
            (valid in form, for round trips).

    Returns:
        A strategy of :class:`~kommunal_digital.model.maturity.MaturityCheck`.
    """
    return st.composite(_maturity_check)(questionnaire)


@st.composite
def _digicheck_answers(draw: st.DrawFn) -> MaturityCheck:
    # Strategies must render and be assessed, so their checks fit the
    # Digicheck of the bundled base pack; arbitrary keys are covered by
    # maturity_checks().
    return draw(maturity_checks(questionnaire=digicheck()))


@functools.cache
def digicheck() -> Questionnaire:
    """The Digicheck questionnaire of the bundled ``base`` pack (read once)."""
    base = load_pack(bundled_packs_dir() / "base")
    found: Questionnaire = next(q for q in base.own_data("questionnaires") if q.key == "digicheck")
    return found


_MATURITY_CHECKS = _digicheck_answers()


_URL = st.one_of(
    st.sampled_from(
        (
            "https://example.org",
            "http://example.org/",
            "https://www.lindenau.de/rat/vorlage?id=12&teil=2",
            "https://example.org/Straße/%7B%7B%20title%20%7D%7D",
            "https://example.org/{{title}}",
            "https://example.org/a#&amp;b",
        )
    ),
    st.from_regex(
        r"https?://[a-z0-9-]{1,10}\.[a-z]{2,3}(/[A-Za-z0-9_%&?=.~/-]{0,12})?", fullmatch=True
    ),
)
_SOURCE = st.builds(Source, title=_REQUIRED_TEXT, url=st.just("") | _URL)


def workshop_sources() -> st.SearchStrategy[Source]:
    """Sources a strategy draws on: a title and maybe a web address.

    Addresses start with ``https://`` or ``http://`` and may hold ``&``,
    ``%``, ``#``, umlauts or template syntax (never whitespace).

    Returns:
        A strategy of :class:`~kommunal_digital.model.workshop.Source`.
    """
    return _SOURCE


def _workshop(draw: st.DrawFn) -> Workshop:
    held_on = draw(_OPTIONAL_DATE)
    ended_on = _date_from(draw, held_on) if held_on is not None else None
    return Workshop(
        held_on=held_on,
        ended_on=ended_on,
        participants=tuple(draw(st.lists(_REQUIRED_LINE, max_size=4))),
        participant_count=draw(st.none() | st.integers(min_value=1, max_value=10**5)),
        moderation=draw(_LINE),
        notes=draw(_TEXT),
        sources=tuple(draw(st.lists(_SOURCE, max_size=3))),
    )


_WORKSHOP = st.composite(_workshop)()
# A strategy without workshop record, with an empty one, or with one in any detail.
_SOMETIMES_WORKSHOP = st.one_of(st.none(), st.just(Workshop()), _WORKSHOP)


def workshops() -> st.SearchStrategy[Workshop]:
    """Workshop records with any of their fields empty or filled.

    The last day, if any, lies on or after the first; participants, the
    moderation, notes and sources may be missing or hostile text.

    Returns:
        A strategy of :class:`~kommunal_digital.model.workshop.Workshop`.
    """
    return _WORKSHOP


_FIELD_KEYS = _key_lists(min_size=1, max_size=4)
# True seven times out of eight (shrinking towards False): "usually, but not always".
_USUALLY = st.integers(min_value=0, max_value=7).map(bool)
_MOSTLY_CHOSEN = st.sampled_from((True, True, False))
_TITLE = st.just("Digitalstrategie") | _REQUIRED_LINE


@attrs.frozen
class _Parts:
    """What a strategy generator has drawn before the strategy is put together."""

    joint: _Joint
    fields: list[ActionField]
    planned: list[Measure]
    measure_keys: list[str]
    people: list[Stakeholder]
    field_keys: list[str]
    scored_by: list[Criterion]
    judgements: list[Comparison]


def _assembled(
    draw: st.DrawFn,
    parts: _Parts,
    roadmap_presets: Sequence[str],
    *,
    text: st.SearchStrategy[str],
    history_always: bool,
    reporting: st.SearchStrategy[Reporting],
) -> Strategy:
    """The strategy of both generators, from their parts (draws in one fixed order)."""
    joint = parts.joint
    people_keys = [person.key for person in parts.people]
    profiled = _subset(draw, parts.measure_keys, max_size=3)
    return Strategy(
        pack=draw(st.none() | _PACK_REFERENCE),
        municipality=joint.municipality,
        title=draw(_TITLE),
        vision=draw(text),
        starting_point=draw(text),
        adopted_on=draw(_OPTIONAL_DATE),
        action_fields=tuple(parts.fields),
        measures=tuple(parts.planned),
        profiles=tuple(_project_profile(draw, k, people_keys) for k in profiled),
        stakeholders=tuple(parts.people),
        roadmap=draw(st.none() | _ROADMAP),
        roadmap_preset=draw(st.none() | st.sampled_from(list(roadmap_presets)))
        if roadmap_presets
        else None,
        organigram=_organigram(draw, parts.field_keys) if draw(st.booleans()) else None,
        limits=draw(st.none() | _SCHEDULE_LIMITS),
        criteria=tuple(parts.scored_by),
        comparisons=tuple(parts.judgements),
        maturity_check=draw(st.none() | _MATURITY_CHECKS),
        progress_history=_history(draw, parts.measure_keys)
        if history_always or draw(st.booleans())
        else (),
        reporting=draw(reporting),
        workshop=draw(_SOMETIMES_WORKSHOP),
        partners=joint.partners,
        cost_sharing=joint.cost_sharing,
        funding=_fundings(draw, joint),
        external_milestones=joint.milestones,
    )


def _strategy(draw: st.DrawFn, max_measures: int, roadmap_presets: Sequence[str]) -> Strategy:
    joint = _joint(draw, _municipality(draw, None))
    municipality = joint.municipality
    member_names = [m.name for m in municipality.members]

    field_keys = draw(_FIELD_KEYS) if draw(_USUALLY) else []
    goal_keys = draw(_KEY_LIST) if field_keys else []
    goals_of: dict[str, list[str]] = {k: [] for k in field_keys}
    for goal_key in goal_keys:  # every goal into one field
        goals_of[draw(st.sampled_from(field_keys))].append(goal_key)
    fields = [_action_field(draw, k, goals_of[k], draw(_MOSTLY_CHOSEN)) for k in field_keys]
    chosen = [f for f in fields if f.chosen]

    people = [_stakeholder(draw, k) for k in draw(_key_lists(max_size=4))]
    people_keys = [s.key for s in people]

    # Every built-in ranking rule can rank the strategy: positive weights,
    # a benefit and a cost criterion (quick-win), every measure scored on
    # every criterion (nutzwert) and every pair compared consistently (ahp).
    scored_by = _rankable_criteria(draw)
    judgements = _consistent_comparisons(draw, scored_by)

    measure_keys: list[str] = []
    if chosen and max_measures > 0 and draw(_USUALLY):
        measure_keys = draw(_key_lists(min_size=1, max_size=max_measures))
    planned = []
    for index, measure_key in enumerate(measure_keys):
        field = draw(st.sampled_from(chosen))
        planned.append(
            _joined(
                draw,
                _measure(
                    draw,
                    key=measure_key,
                    field_key=field.key,
                    goal_keys=[g.key for g in field.goals],
                    depends_on=measure_keys[:index],
                    stakeholder_keys=people_keys,
                    member_names=member_names,
                    scored_by=scored_by,
                    fully_scored=True,
                ),
                joint,
            )
        )
    return _assembled(
        draw,
        _Parts(joint, fields, planned, measure_keys, people, field_keys, scored_by, judgements),
        roadmap_presets,
        text=_TEXT,
        history_always=True,
        reporting=_REPORTING,
    )


_strategies = st.composite(_strategy)


def strategies(
    *, max_measures: int = MAX_ITEMS, roadmap_presets: Sequence[str] = ()
) -> st.SearchStrategy[Strategy]:
    """Whole, consistent strategies.

    Keys are unique where the model requires it; every measure lies in a
    chosen action field and serves, if any, a goal of that field; measures
    depend only on earlier measures (so the dependencies never form a
    cycle); involvements and profiles name existing stakeholders and
    measures; organigram roles look after existing action fields; the
    progress history is in date order and reports on existing measures;
    some strategies record the template pack they were made with, some a
    workshop (empty or in any detail). One in four is a joint strategy:
    partners (no member municipalities) whose figures suit the strategy's
    ``cost_sharing``, measures and strategy funding shared among some or all
    of them (see :func:`cost_sharings`); any strategy may have strategy
    funding and external milestones its measures wait for (``waits_for``),
    and organigram roles carry states, head counts, departments and former
    holders. Measures may lack cost, duration or
    staff estimates (see :func:`measures`); for strategies in which much
    more is missing use :func:`thin_strategies`. Schedules and rankings,
    which the library computes, are left out.

    Every built-in ranking rule can rank every strategy drawn: there are two
    to four criteria with weights above zero, at least one of them a benefit
    and one a cost criterion; every measure is scored on every criterion,
    within its scale; every pair of criteria is compared once, consistently
    (AHP's consistency ratio is zero). A rule of a plugin can therefore be
    tested on them as it is (and compared with the built-in ones).

    Args:
        max_measures: Most measures per strategy.
        roadmap_presets: Keys of registered roadmap presets; the strategy's
            ``roadmap_preset`` is one of them or ``None`` (always ``None``
            when none are given, so that planning never meets an unknown
            preset).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Strategy`.
    """
    return _strategies(max_measures, tuple(roadmap_presets))


# How much of a kind of data a thin strategy holds: nothing, some or all.
# "none" comes first, so that Hypothesis shrinks towards the thinnest case.
_AMOUNT = st.sampled_from(("none", "some", "all"))
_NO_COST = st.just(Cost())
_NO_NUMBER = st.none()
_THIN_TEXT = st.one_of(st.just(""), _TEXT)


def _thin_values(
    draw: st.DrawFn,
    known: st.SearchStrategy[Any],
    unknown: st.SearchStrategy[Any],
    mixed: st.SearchStrategy[Any] | None = None,
) -> st.SearchStrategy[Any]:
    """Where a thin strategy's measures take a value from: all unknown, mixed or all known."""
    amount = draw(_AMOUNT)
    if amount == "none":
        return unknown
    if amount == "some":
        return st.one_of(unknown, known) if mixed is None else mixed
    return known


def _thin_strategy(draw: st.DrawFn, max_measures: int, roadmap_presets: Sequence[str]) -> Strategy:
    joint = _joint(draw, _municipality(draw, None))
    municipality = joint.municipality
    member_names = [m.name for m in municipality.members]

    field_keys = draw(_FIELD_KEYS) if draw(_USUALLY) else []
    with_goals = draw(st.booleans())
    goal_keys = draw(_KEY_LIST) if field_keys and with_goals else []
    goals_of: dict[str, list[str]] = {k: [] for k in field_keys}
    for goal_key in goal_keys:
        goals_of[draw(st.sampled_from(field_keys))].append(goal_key)
    fields = [_action_field(draw, k, goals_of[k], draw(_MOSTLY_CHOSEN)) for k in field_keys]
    chosen = [f for f in fields if f.chosen]
    # Measures go into some of the chosen fields; the others stay empty.
    filled = _subset(draw, [f.key for f in chosen])
    if chosen and not filled:
        filled = [chosen[-1].key]

    people = [_stakeholder(draw, k) for k in draw(_key_lists(max_size=4))]
    if not draw(st.booleans()):
        people = []
    people_keys = [s.key for s in people]

    scoring = draw(st.sampled_from(("none", "unscored", "some", "all")))
    scored_by = _rankable_criteria(draw) if scoring != "none" else []
    judgements = _consistent_comparisons(draw, scored_by) if draw(st.booleans()) else []
    gaps = _Gaps(
        cost=_thin_values(draw, _KNOWN_COST, _NO_COST, _NO_COST | _COST),
        duration=_thin_values(draw, _KNOWN_DURATION, _NO_NUMBER),
        staff=_thin_values(draw, _KNOWN_STAFF, _NO_NUMBER),
        votes=_thin_values(draw, st.integers(min_value=1, max_value=10**6), st.just(0)),
        text=_THIN_TEXT,
    )

    measure_keys: list[str] = []
    if filled and max_measures > 0 and draw(_USUALLY):
        measure_keys = draw(_key_lists(min_size=1, max_size=max_measures))
    planned = []
    for index, measure_key in enumerate(measure_keys):
        field = fields[field_keys.index(draw(st.sampled_from(filled)))]
        planned.append(
            _joined(
                draw,
                _measure(
                    draw,
                    key=measure_key,
                    field_key=field.key,
                    goal_keys=[g.key for g in field.goals],
                    depends_on=measure_keys[:index],
                    stakeholder_keys=people_keys,
                    member_names=member_names,
                    scored_by=scored_by if scoring in ("some", "all") else (),
                    fully_scored=scoring == "all",
                    gaps=gaps,
                ),
                joint,
            )
        )
    return _assembled(
        draw,
        _Parts(joint, fields, planned, measure_keys, people, field_keys, scored_by, judgements),
        roadmap_presets,
        text=_THIN_TEXT,
        history_always=False,
        reporting=st.just(Reporting()) | _REPORTING,
    )


_thin_strategies = st.composite(_thin_strategy)


def thin_strategies(
    *, max_measures: int = MAX_ITEMS, roadmap_presets: Sequence[str] = ()
) -> st.SearchStrategy[Strategy]:
    """Valid strategies in which much is still missing, as early in a project.

    Like :func:`strategies` the result is consistent (unique keys, measures
    in chosen fields, dependencies only on earlier measures, references to
    existing stakeholders), but each kind of data may be absent in the whole
    strategy or only in part of it:

    * measures: none at all (also with chosen action fields), or only in
      some chosen fields (the others stay empty); no action fields at all;
    * costs, durations, staff: for each, all unknown (``None``), some
      unknown, or all known; a cost may lack only its one-off or only its
      yearly part;
    * votes: all zero, some zero, or all given;
    * criteria and scores: no criteria; criteria but no scores; some
      measures scored on some criteria; every measure scored on every
      criterion; pairwise comparisons present or not;
    * goals, stakeholders, organigram, profiles, progress history, limits,
      roadmap, maturity check: each present or absent;
    * partners (a joint strategy), strategy funding and external milestones
      as in :func:`strategies` (a joint strategy's Beschlussvorlage is
      written per partner: code rendering it names one);
    * the workshop: not recorded, recorded empty, or recorded in any detail;
    * texts (vision, starting point, descriptions): often empty.

    Code that prints or sums figures must say what is unknown instead of
    showing 0; a ranking rule must cope with strategies it has nothing to
    rank by. Schedules and rankings are left out, as in :func:`strategies`.

    Args:
        max_measures: Most measures per strategy.
        roadmap_presets: Keys of registered roadmap presets; the strategy's
            ``roadmap_preset`` is one of them or ``None`` (always ``None``
            when none are given).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Strategy`.
    """
    return _thin_strategies(max_measures, tuple(roadmap_presets))
