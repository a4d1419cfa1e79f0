"""Hypothesis strategies that build valid kommunal-digital objects.

They are meant for plugin authors and for the project's own tests: every
strategy yields objects that pass the model's checks, so a property test can
concentrate on the code under test. The values are deliberately awkward:
texts hold umlauts, emoji, quotes, markup and template syntax
(``&<>{}%``, ``{{ }}``), line breaks, leading and trailing spaces and words
that YAML would otherwise read as something else (``no``, ``null``,
``2027-01-01``, ``1e3``); keys include ``no``, ``null`` and ``1_000``.

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
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from kommunal_digital.model import (
    ActionField,
    Budgeting,
    Cost,
    Delivery,
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
    Phase,
    ProjectProfile,
    Raci,
    Relation,
    RelationKind,
    Resources,
    Roadmap,
    Role,
    RoleKind,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    Task,
)
from kommunal_digital.model.ranking import Comparison, Criterion, Direction
from kommunal_digital.model.schedule import ScheduleLimits, YearLimit

__all__ = [
    "action_fields",
    "budgetings",
    "comparisons",
    "costs",
    "criteria",
    "dates",
    "goals",
    "indicators",
    "involvements",
    "keys",
    "measures",
    "member_municipalities",
    "milestones",
    "money",
    "municipalities",
    "organigrams",
    "phases",
    "project_profiles",
    "relations",
    "resources",
    "roadmaps",
    "roles",
    "schedule_limits",
    "stakeholders",
    "strategies",
    "tasks",
    "texts",
    "year_limits",
]

T = TypeVar("T")

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


def _characters(*, multiline: bool) -> st.SearchStrategy[str]:
    return st.characters(
        exclude_categories=["Cs"],
        exclude_characters=_FORBIDDEN if multiline else _ONE_LINE_FORBIDDEN,
    )


def _words(*, multiline: bool) -> tuple[str, ...]:
    if multiline:
        return _HOSTILE_WORDS + _LINE_BREAKS
    return _HOSTILE_WORDS


def _is_visible(value: str) -> bool:
    return bool(value.strip())


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
        multiline: Also yield line breaks (``\n``, ``\r\n``, ``\u2028``, ...).

    Returns:
        A strategy of ``str``.
    """
    part = st.one_of(
        st.sampled_from(_words(multiline=multiline)),
        st.text(_characters(multiline=multiline), max_size=8),
    )
    body = st.lists(part, max_size=4).map("".join)
    spaces = st.sampled_from(_SPACES + (("\n",) if multiline else ()))
    if allow_empty:
        return st.one_of(
            body,
            st.tuples(spaces, body, spaces).map("".join),
        )
    anchor = st.one_of(
        st.sampled_from(_HOSTILE_WORDS).filter(_is_visible),
        st.text(_characters(multiline=multiline), min_size=1, max_size=8).filter(_is_visible),
    )
    return st.one_of(
        anchor,
        st.tuples(spaces, body, anchor, body, spaces).map("".join),
    )


def keys() -> st.SearchStrategy[str]:
    """Valid keys (``^[a-z0-9][a-z0-9_-]*$``), including YAML-special words.

    Returns:
        A strategy of ``str`` such as ``"verwaltung"``, ``"no"``, ``"1_000"``
        or ``"2027-01-01"``.
    """
    return st.one_of(
        st.sampled_from(_YAML_SPECIAL_KEYS),
        st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True),
    )


def money(*, max_euros: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Amounts of euros with cents, from 0.00 up to ``max_euros``.

    Args:
        max_euros: The largest amount, in whole euros (at most ``10**12 - 1``).

    Returns:
        A strategy of :class:`~decimal.Decimal` with exactly two decimal places.
    """
    return st.integers(min_value=0, max_value=max_euros * 100).map(
        lambda cents: (Decimal(cents) / 100).quantize(_CENT)
    )


def dates(
    *, min_value: dt.date = dt.date(1990, 1, 1), max_value: dt.date = dt.date(2100, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Dates (without a time) in a plausible planning range.

    Args:
        min_value: The earliest date.
        max_value: The latest date.

    Returns:
        A strategy of :class:`datetime.date`.
    """
    return st.dates(min_value=min_value, max_value=max_value)


def _numbers(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy)


def _key_lists(*, min_size: int = 0, max_size: int = MAX_ITEMS) -> st.SearchStrategy[list[str]]:
    return st.lists(keys(), unique=True, min_size=min_size, max_size=max_size)


def _subset(draw: st.DrawFn, items: Sequence[str], max_size: int = MAX_ITEMS) -> list[str]:
    if not items:
        return []
    return draw(st.lists(st.sampled_from(list(items)), unique=True, max_size=max_size))


def indicators() -> st.SearchStrategy[Indicator]:
    """Indicators with an optional baseline and target.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Indicator`.
    """
    return st.builds(
        Indicator,
        name=texts(allow_empty=False),
        unit=texts(multiline=False),
        baseline=_optional(_numbers(-1e9, 1e9)),
        target=_optional(_numbers(-1e9, 1e9)),
    )


def goals(*, key: str | None = None) -> st.SearchStrategy[Goal]:
    """Goals with a weight and up to three indicators.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Goal`.
    """
    return st.builds(
        Goal,
        key=keys() if key is None else st.just(key),
        statement=texts(allow_empty=False),
        weight=_numbers(0, 100),
        indicators=st.lists(indicators(), max_size=3).map(tuple),
    )


@st.composite
def _action_fields(
    draw: st.DrawFn,
    key: str | None,
    goal_keys: Sequence[str] | None,
    chosen: bool | None,
) -> ActionField:
    if goal_keys is None:
        goal_keys = draw(_key_lists(max_size=3))
    return ActionField(
        key=draw(keys()) if key is None else key,
        title=draw(texts(allow_empty=False)),
        description=draw(texts()),
        goals=tuple(draw(goals(key=goal_key)) for goal_key in goal_keys),
        chosen=draw(st.booleans()) if chosen is None else chosen,
    )


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


def costs() -> st.SearchStrategy[Cost]:
    """One-off and yearly costs.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Cost`.
    """
    return st.builds(Cost, one_off=money(), yearly=money(max_euros=10**7))


def budgetings() -> st.SearchStrategy[Budgeting]:
    """Answers to the budgeting questions, each possibly still open.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Budgeting`.
    """
    answer = _optional(st.booleans())
    return st.builds(
        Budgeting,
        builds_on=texts(),
        absorbed_by_operations=answer,
        needs_extra_staff=answer,
        needs_extra_material=answer,
        needs_cooperation=answer,
        delivery=st.sampled_from(Delivery),
    )


def involvements(*, stakeholder: str | None = None) -> st.SearchStrategy[Involvement]:
    """A stakeholder's RACI role in a measure.

    Args:
        stakeholder: Use this stakeholder key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Involvement`.
    """
    return st.builds(
        Involvement,
        stakeholder=keys() if stakeholder is None else st.just(stakeholder),
        role=st.sampled_from(Raci),
    )


def criteria(*, key: str | None = None) -> st.SearchStrategy[Criterion]:
    """Ranking criteria with a weight, a scale and a direction.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ranking.Criterion`.
    """
    return _criteria(key)


@st.composite
def _criteria(draw: st.DrawFn, key: str | None) -> Criterion:
    scale_min = draw(_numbers(-10, 10))
    scale_max = draw(st.floats(min_value=scale_min, max_value=scale_min + 100, exclude_min=True))
    return Criterion(
        key=draw(keys()) if key is None else key,
        title=draw(texts(allow_empty=False)),
        weight=draw(_numbers(0, 100)),
        scale_min=scale_min,
        scale_max=scale_max,
        direction=draw(st.sampled_from(Direction)),
    )


@st.composite
def _comparisons(draw: st.DrawFn, criterion_keys: Sequence[str] | None) -> Comparison:
    pool = list(criterion_keys) if criterion_keys is not None else draw(_key_lists(min_size=2))
    more = draw(st.sampled_from(pool))
    less = draw(st.sampled_from([k for k in pool if k != more]))
    value = draw(st.one_of(_numbers(1, 9), st.integers(1, 9).map(lambda n: 1 / n)))
    return Comparison(more=more, less=less, value=value)


def comparisons(*, criterion_keys: Sequence[str] | None = None) -> st.SearchStrategy[Comparison]:
    """Pairwise AHP comparisons of two different criteria.

    Args:
        criterion_keys: Compare two of these keys (at least two are needed);
            by default two drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.ranking.Comparison`.
    """
    return _comparisons(criterion_keys)


@st.composite
def _scores(draw: st.DrawFn, scored_by: Sequence[Criterion] | None) -> dict[str, float]:
    if scored_by is None:
        return draw(st.dictionaries(keys(), _numbers(-100, 100), max_size=4))
    chosen = draw(st.lists(st.sampled_from(list(scored_by)), unique_by=lambda c: c.key))
    return {c.key: draw(_numbers(c.scale_min, c.scale_max)) for c in chosen} if chosen else {}


@st.composite
def _measures(
    draw: st.DrawFn,
    key: str | None,
    field_key: str | None,
    goal_keys: Sequence[str] | None,
    depends_on: Sequence[str] | None,
    stakeholder_keys: Sequence[str] | None,
    member_names: Sequence[str] | None,
    scored_by: Sequence[Criterion] | None,
) -> Measure:
    own_key = draw(keys()) if key is None else key
    if goal_keys is None:
        goal = draw(_optional(keys()))
    else:
        goal = draw(_optional(st.sampled_from(list(goal_keys)))) if goal_keys else None
    if depends_on is None:
        dependencies = draw(_key_lists(max_size=3).map(lambda ks: [k for k in ks if k != own_key]))
    else:
        dependencies = _subset(draw, [k for k in depends_on if k != own_key], max_size=3)
    if stakeholder_keys is None:
        involved = draw(_key_lists(max_size=3))
    else:
        involved = _subset(draw, stakeholder_keys, max_size=3)
    if member_names is None:
        members = draw(st.lists(texts(allow_empty=False), max_size=3))
    else:
        members = _subset(draw, member_names, max_size=3)
    return Measure(
        key=own_key,
        title=draw(texts(allow_empty=False)),
        action_field=draw(keys()) if field_key is None else field_key,
        description=draw(texts()),
        goal=goal,
        duration_months=draw(st.integers(1, 120)),
        cost=draw(costs()),
        staff_fte=draw(_numbers(0, 20)),
        owner_role=draw(texts(multiline=False)),
        partners=tuple(draw(st.lists(texts(allow_empty=False), max_size=3))),
        depends_on=tuple(dependencies),
        stakeholders=tuple(draw(involvements(stakeholder=ref)) for ref in involved),
        funding_sources=tuple(draw(st.lists(texts(allow_empty=False), max_size=2))),
        legal_driver=draw(texts(multiline=False)),
        legal_deadline=draw(_optional(dates())),
        scores=draw(_scores(scored_by)),
        status=draw(st.sampled_from(MeasureStatus)),
        progress=draw(st.integers(0, 100)),
        indicators=tuple(draw(st.lists(indicators(), max_size=2))),
        budgeting=draw(budgetings()),
        members=tuple(members),
        votes=draw(st.integers(0, 10**6)),
    )


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


def _official_keys() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text("0123456789", min_size=8, max_size=8),
        st.text("0123456789", min_size=12, max_size=12),
    )


def member_municipalities() -> st.SearchStrategy[MemberMunicipality]:
    """Member municipalities (Ortsgemeinden) with optional key, population and share.

    Returns:
        A strategy of :class:`~kommunal_digital.model.MemberMunicipality`.
    """
    return st.builds(
        MemberMunicipality,
        name=texts(allow_empty=False, multiline=False),
        official_key=_optional(_official_keys()),
        population=_optional(st.integers(0, 5_000_000)),
        cost_share=_optional(_numbers(0, 1000)),
    )


@st.composite
def _municipalities(draw: st.DrawFn, kind: MunicipalityKind | None) -> Municipality:
    kind = draw(st.sampled_from(MunicipalityKind)) if kind is None else kind
    members: list[MemberMunicipality] = []
    if kind in (MunicipalityKind.VERBANDSGEMEINDE, MunicipalityKind.KREIS):
        members = draw(st.lists(member_municipalities(), max_size=4, unique_by=lambda m: m.name))
    return Municipality(
        name=draw(texts(allow_empty=False, multiline=False)),
        kind=kind,
        land=draw(st.one_of(st.just("Rheinland-Pfalz"), texts(allow_empty=False))),
        official_key=draw(_optional(_official_keys())),
        population=draw(_optional(st.integers(0, 5_000_000))),
        members=tuple(members),
        maturity=draw(_optional(st.sampled_from(MaturityPhase))),
    )


def municipalities(*, kind: MunicipalityKind | None = None) -> st.SearchStrategy[Municipality]:
    """Municipalities of every kind; Verbandsgemeinden and Kreise may have members.

    Args:
        kind: Fix the kind instead of drawing it.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Municipality`.
    """
    return _municipalities(kind)


def stakeholders(*, key: str | None = None) -> st.SearchStrategy[Stakeholder]:
    """Stakeholders with a group, power and interest.

    Args:
        key: Use this key instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Stakeholder`.
    """
    return st.builds(
        Stakeholder,
        key=keys() if key is None else st.just(key),
        name=texts(allow_empty=False),
        group=st.sampled_from(StakeholderGroup),
        power=st.integers(1, 5),
        interest=st.integers(1, 5),
    )


def tasks(*, not_before: dt.date | None = None) -> st.SearchStrategy[Task]:
    """Tasks (what, who, by when).

    Args:
        not_before: The due date, if any, is on or after this date (a
            roadmap refuses tasks due before its start).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Task`.
    """
    due = dates() if not_before is None else dates(min_value=not_before)
    return st.builds(Task, what=texts(allow_empty=False), who=texts(), due=_optional(due))


def milestones() -> st.SearchStrategy[Milestone]:
    """Milestones with optional planned and reached dates.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Milestone`.
    """
    return st.builds(
        Milestone,
        what=texts(allow_empty=False),
        planned=_optional(dates()),
        reached_on=_optional(dates()),
    )


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
    return st.builds(
        Phase,
        key=keys() if key is None else st.just(key),
        title=texts(allow_empty=False),
        tasks=st.lists(tasks(not_before=not_before), max_size=3).map(tuple),
        milestones=st.lists(milestones(), max_size=2).map(tuple),
    )


@st.composite
def _roadmaps(draw: st.DrawFn) -> Roadmap:
    start = draw(dates(max_value=dt.date(2090, 12, 31)))
    phase_keys = draw(_key_lists(max_size=4))
    return Roadmap(
        start=start,
        phases=tuple(draw(phases(key=k, not_before=start)) for k in phase_keys),
    )


def roadmaps() -> st.SearchStrategy[Roadmap]:
    """Roadmaps whose tasks are not due before the roadmap starts.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Roadmap`.
    """
    return _roadmaps()


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
    if field_keys is None:
        field: st.SearchStrategy[str | None] = _optional(keys())
    elif field_keys:
        field = _optional(st.sampled_from(list(field_keys)))
    else:
        field = st.none()
    return st.builds(
        Role,
        key=keys() if key is None else st.just(key),
        title=texts(allow_empty=False),
        kind=st.sampled_from(RoleKind),
        holder=texts(multiline=False),
        action_field=field,
    )


@st.composite
def _relations(draw: st.DrawFn, role_keys: Sequence[str] | None) -> Relation:
    pool = list(role_keys) if role_keys is not None else draw(_key_lists(min_size=2))
    source = draw(st.sampled_from(pool))
    target = draw(st.sampled_from([k for k in pool if k != source]))
    return Relation(source=source, target=target, kind=draw(st.sampled_from(RelationKind)))


def relations(*, role_keys: Sequence[str] | None = None) -> st.SearchStrategy[Relation]:
    """Directed relations between two different roles.

    Args:
        role_keys: Relate two of these keys (at least two are needed); by
            default two drawn keys.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Relation`.
    """
    return _relations(role_keys)


@st.composite
def _organigrams(draw: st.DrawFn, field_keys: Sequence[str] | None) -> Organigram:
    role_keys = draw(_key_lists(max_size=MAX_ITEMS))
    links: list[Relation] = []
    if len(role_keys) >= 2:
        links = draw(
            st.lists(
                relations(role_keys=role_keys),
                max_size=MAX_ITEMS,
                unique_by=lambda r: (r.source, r.target, r.kind),
            )
        )
    return Organigram(
        roles=tuple(draw(roles(key=k, field_keys=field_keys)) for k in role_keys),
        relations=tuple(links),
    )


def organigrams(*, field_keys: Sequence[str] | None = None) -> st.SearchStrategy[Organigram]:
    """Organigrams: roles with unique keys and relations between them.

    Args:
        field_keys: The action fields roles may look after (see :func:`roles`).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Organigram`.
    """
    return _organigrams(field_keys)


def resources() -> st.SearchStrategy[Resources]:
    """The resources a project needs (core question 5).

    Returns:
        A strategy of :class:`~kommunal_digital.model.Resources`.
    """
    return st.builds(Resources, financial=texts(), staff=texts(), organisational=texts())


@st.composite
def _project_profiles(
    draw: st.DrawFn, measure_key: str | None, stakeholder_keys: Sequence[str] | None
) -> ProjectProfile:
    if stakeholder_keys is None:
        involved = draw(_key_lists(max_size=3))
    else:
        involved = _subset(draw, stakeholder_keys, max_size=3)
    return ProjectProfile(
        measure=draw(keys()) if measure_key is None else measure_key,
        result=draw(texts(allow_empty=False)),
        target_group=draw(texts()),
        stakeholders=tuple(involved),
        lead=draw(texts()),
        resources=draw(resources()),
        tasks=tuple(draw(st.lists(tasks(), max_size=3))),
        milestones=tuple(draw(st.lists(milestones(), max_size=2))),
    )


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


def year_limits(*, year: int | None = None) -> st.SearchStrategy[YearLimit]:
    """Budget and staff limits of one year (``None`` meaning unlimited).

    Args:
        year: Use this year instead of drawing one.

    Returns:
        A strategy of :class:`~kommunal_digital.model.schedule.YearLimit`.
    """
    return st.builds(
        YearLimit,
        year=st.integers(1990, 2100) if year is None else st.just(year),
        one_off_budget=_optional(money()),
        staff_fte=_optional(_numbers(0, 100)),
    )


@st.composite
def _schedule_limits(draw: st.DrawFn) -> ScheduleLimits:
    years = draw(st.lists(st.integers(1990, 2100), unique=True, max_size=3))
    return ScheduleLimits(
        start=draw(dates()),
        horizon_years=draw(st.integers(1, 30)),
        one_off_budget=draw(_optional(money())),
        staff_fte=draw(_optional(_numbers(0, 100))),
        years=tuple(draw(year_limits(year=y)) for y in years),
    )


def schedule_limits() -> st.SearchStrategy[ScheduleLimits]:
    """Planning frames of a schedule: start, horizon, budgets, staff.

    Returns:
        A strategy of :class:`~kommunal_digital.model.schedule.ScheduleLimits`.
    """
    return _schedule_limits()


def _spread(draw: st.DrawFn, items: Sequence[str], bins: int) -> list[list[str]]:
    """Distribute items over ``bins`` lists (each item into exactly one)."""
    spread: list[list[str]] = [[] for _ in range(bins)]
    for item in items:
        spread[draw(st.integers(0, bins - 1))].append(item)
    return spread


@st.composite
def _strategies(draw: st.DrawFn, max_measures: int) -> Strategy:
    municipality = draw(municipalities())
    member_names = [m.name for m in municipality.members]

    field_keys = draw(_key_lists(max_size=4))
    goal_keys = draw(_key_lists(max_size=MAX_ITEMS)) if field_keys else []
    goals_of = _spread(draw, goal_keys, len(field_keys)) if field_keys else []
    fields = [
        draw(action_fields(key=k, goal_keys=g)) for k, g in zip(field_keys, goals_of, strict=True)
    ]
    chosen = [f for f in fields if f.chosen]

    people = draw(st.lists(stakeholders(), max_size=4, unique_by=lambda s: s.key))
    people_keys = [s.key for s in people]

    scored_by = draw(st.lists(criteria(), max_size=3, unique_by=lambda c: c.key))
    criterion_keys = [c.key for c in scored_by]
    judgements: list[Comparison] = []
    if len(criterion_keys) >= 2:
        judgements = draw(
            st.lists(
                comparisons(criterion_keys=criterion_keys),
                max_size=3,
                unique_by=lambda c: frozenset((c.more, c.less)),
            )
        )

    measure_keys = draw(_key_lists(max_size=max_measures)) if chosen else []
    planned: list[Measure] = []
    for index, measure_key in enumerate(measure_keys):
        field = draw(st.sampled_from(chosen))
        planned.append(
            draw(
                measures(
                    key=measure_key,
                    field_key=field.key,
                    goal_keys=[g.key for g in field.goals],
                    depends_on=measure_keys[:index],
                    stakeholder_keys=people_keys,
                    member_names=member_names,
                    scored_by=scored_by,
                )
            )
        )
    profiled = _subset(draw, measure_keys, max_size=3)

    return Strategy(
        municipality=municipality,
        title=draw(st.one_of(st.just("Digitalstrategie"), texts(allow_empty=False))),
        vision=draw(texts()),
        starting_point=draw(texts()),
        adopted_on=draw(_optional(dates())),
        action_fields=tuple(fields),
        measures=tuple(planned),
        profiles=tuple(
            draw(project_profiles(measure_key=k, stakeholder_keys=people_keys)) for k in profiled
        ),
        stakeholders=tuple(people),
        roadmap=draw(_optional(roadmaps())),
        organigram=draw(_optional(organigrams(field_keys=field_keys))),
        limits=draw(_optional(schedule_limits())),
        criteria=tuple(scored_by),
        comparisons=tuple(judgements),
    )


def strategies(*, max_measures: int = MAX_ITEMS) -> st.SearchStrategy[Strategy]:
    """Whole, consistent strategies.

    Keys are unique where the model requires it; every measure lies in a
    chosen action field and serves, if any, a goal of that field; measures
    depend only on earlier measures (so the dependencies never form a
    cycle); involvements and profiles name existing stakeholders and
    measures; organigram roles look after existing action fields; scores
    lie within the scales of the strategy's criteria. Schedules and
    rankings, which the library computes, are left out.

    Args:
        max_measures: Most measures per strategy.

    Returns:
        A strategy of :class:`~kommunal_digital.model.Strategy`.
    """
    return _strategies(max_measures)
