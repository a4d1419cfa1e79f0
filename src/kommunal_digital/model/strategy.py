"""The strategy: the aggregate that holds everything a municipality decides."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

import attrs

from kommunal_digital.errors import DependencyCycleError, ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.action_field import ActionField, Goal
from kommunal_digital.model.dependencies import find_cycle
from kommunal_digital.model.external import ExternalMilestone
from kommunal_digital.model.funding import StrategyFunding
from kommunal_digital.model.maturity import MaturityCheck
from kommunal_digital.model.measure import Measure
from kommunal_digital.model.municipality import Municipality
from kommunal_digital.model.organigram import Organigram
from kommunal_digital.model.pack_reference import PackReference
from kommunal_digital.model.partners import CostSharing, Partner, ShareBasis
from kommunal_digital.model.profile import ProjectProfile
from kommunal_digital.model.progress import ProgressUpdate, Reporting, check_history
from kommunal_digital.model.ranking import Comparison, Criterion, Ranking, RankingChoice
from kommunal_digital.model.roadmap import Roadmap
from kommunal_digital.model.schedule import Schedule, ScheduleLimits
from kommunal_digital.model.stakeholder import Stakeholder
from kommunal_digital.model.workshop import Workshop


@attrs.frozen
class Strategy:
    """A municipality's digital strategy.

    Construction checks that the parts fit together: keys are unique, every
    measure lies in a chosen action field of this strategy and serves one of
    that field's goals, dependencies, stakeholders and profiles refer to
    things that exist, and the measures do not depend on each other in a
    circle.

    Attributes:
        municipality: Whom the strategy is for.
        title: Title of the strategy document.
        vision: The guiding picture (Leitbild) in a few sentences.
        starting_point: Where the municipality stands today.
        adopted_on: The date the council adopted the strategy, once it has.
        action_fields: Action fields considered, chosen or not.
        measures: All measures.
        profiles: In-depth plans of the most important measures.
        stakeholders: Everybody with a stake in the strategy.
        roadmap: The procedure plan, if already made.
        roadmap_preset: Key of the roadmap preset to generate the roadmap
            from; the built-in three-phase procedure when not set.
        organigram: The organisation of the digital change, if already made.
        limits: Planning frame of the schedule: start, horizon, budgets, staff.
        schedule: The multi-year schedule of the measures, if already made.
        criteria: Criteria the measures are scored on (their ``scores``).
        comparisons: Pairwise comparisons of criteria, for AHP weights.
        ranking_rule: The ranking rule chosen, with its options.
        ranking: The ranking of the measures, once made.
        maturity_check: The answers of a maturity check (Digicheck), if one was made.
        progress_history: Progress updates on the measures, oldest first
            (append-only, see ``record_progress``).
        reporting: Reporting rhythm and how progress is judged and rolled up.
        pack: The template pack the strategy was made with, and its version;
            ``None`` in files written before packs were recorded: tools then
            use the documented default pack.
        workshop: When and with whom the strategy was worked out, and the
            sources it draws on; documents print only what is recorded.
        partners: In a joint strategy, every municipality that works it out
            and adopts it with its own council (the ``municipality`` is the
            lead, usually one of them); empty for a strategy of one municipality.
        cost_sharing: How the partners share a measure's costs unless its
            ``sharing`` says otherwise: ``equal`` (default), ``population`` or ``agreed``.
        funding: Money for the strategy as a whole rather than for one
            measure, e.g. a Smart-City programme or a grant for the strategy process.
        external_milestones: Things outside the municipality that measures
            wait for (their ``waits_for``), e.g. the Land's service portal,
            with the owner and the expected date.

    Raises:
        ModelValidationError: The parts do not fit together.
        DependencyCycleError: The measures depend on each other in a circle;
            the error names the cycle.
    """

    municipality: Municipality
    title: str = attrs.field(default="Digitalstrategie", validator=checks.required_text)
    vision: str = attrs.field(default="", validator=checks.text)
    starting_point: str = attrs.field(default="", validator=checks.text)
    adopted_on: date | None = attrs.field(default=None, validator=checks.optional_date)
    action_fields: tuple[ActionField, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    measures: tuple[Measure, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    profiles: tuple[ProjectProfile, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    stakeholders: tuple[Stakeholder, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    roadmap: Roadmap | None = None
    roadmap_preset: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.key)
    )
    organigram: Organigram | None = None
    limits: ScheduleLimits | None = None
    schedule: Schedule | None = None
    criteria: tuple[Criterion, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    comparisons: tuple[Comparison, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    ranking_rule: RankingChoice | None = None
    ranking: Ranking | None = None
    maturity_check: MaturityCheck | None = None
    progress_history: tuple[ProgressUpdate, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    reporting: Reporting = attrs.field(factory=Reporting)
    pack: PackReference | None = None
    workshop: Workshop | None = None
    partners: tuple[Partner, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    cost_sharing: ShareBasis = attrs.field(
        default=ShareBasis.EQUAL, validator=checks.member_of(ShareBasis)
    )
    funding: tuple[StrategyFunding, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    external_milestones: tuple[ExternalMilestone, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    def __attrs_post_init__(self) -> None:
        _check_strategy(self)

    @property
    def chosen_fields(self) -> tuple[ActionField, ...]:
        """The action fields the municipality works on, in their order."""
        return tuple(field for field in self.action_fields if field.chosen)

    def action_field(self, key: str) -> ActionField:
        """Return the action field with this key.

        Args:
            key: The action field's key.

        Raises:
            KeyError: No action field has the key.
        """
        return _lookup(_index(self).action_fields, key)

    def measure(self, key: str) -> Measure:
        """Return the measure with this key.

        Args:
            key: The measure's key.

        Raises:
            KeyError: No measure has the key.
        """
        return _lookup(_index(self).measures, key)

    def measures_in(self, field_key: str) -> tuple[Measure, ...]:
        """Return the measures of one action field, in their order.

        Args:
            field_key: The action field's key.
        """
        return tuple(m for m in self.measures if m.action_field == field_key)

    def profile_for(self, measure_key: str) -> ProjectProfile | None:
        """Return the project profile of a measure, if it has one.

        Args:
            measure_key: The measure's key.
        """
        return _index(self).profiles.get(measure_key)

    def external_milestone(self, key: str) -> ExternalMilestone:
        """Return the external milestone with this key.

        Args:
            key: The external milestone's key.

        Raises:
            KeyError: No external milestone has the key.
        """
        return _lookup(_index(self).external_milestones, key)

    def goal(self, key: str) -> Goal:
        """Return the goal with this key, from any action field.

        Args:
            key: The goal's key.

        Raises:
            KeyError: No goal has the key.
        """
        return _lookup(_index(self).goals, key)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)
V = TypeVar("V")


@attrs.frozen
class _Index:
    """A strategy's items by key, built on the first look-up (the first of a key wins)."""

    action_fields: dict[str, ActionField]
    measures: dict[str, Measure]
    goals: dict[str, Goal]
    profiles: dict[str, ProjectProfile]
    external_milestones: dict[str, ExternalMilestone]


# Indexes by id() of their strategy, each with a weak reference that drops
# it when the strategy goes: a frozen attrs class has no room for a cache of
# its own, and a look-up by scanning made planning quadratic.
_INDEXES: dict[int, tuple[weakref.ref[Strategy], _Index]] = {}


def _by_key(items: Iterable[K]) -> dict[str, K]:
    found: dict[str, K] = {}
    for item in items:
        found.setdefault(item.key, item)
    return found


def _index(strategy: Strategy) -> _Index:
    number = id(strategy)
    entry = _INDEXES.get(number)
    if entry is not None and entry[0]() is strategy:
        return entry[1]
    profiles: dict[str, ProjectProfile] = {}
    for profile in strategy.profiles:
        profiles.setdefault(profile.measure, profile)
    index = _Index(
        action_fields=_by_key(strategy.action_fields),
        measures=_by_key(strategy.measures),
        goals=_by_key(goal for field in strategy.action_fields for goal in field.goals),
        profiles=profiles,
        external_milestones=_by_key(strategy.external_milestones),
    )

    def forget(reference: weakref.ref[Strategy]) -> None:
        current = _INDEXES.get(number)
        if current is not None and current[0] is reference:
            del _INDEXES[number]

    _INDEXES[number] = (weakref.ref(strategy, forget), index)
    return index


def _lookup(items: Mapping[str, V], key: str) -> V:
    try:
        return items[key]
    except KeyError:
        raise KeyError(key) from None


def _check_strategy(strategy: Strategy) -> None:
    fields = checks.unique_keys(strategy.action_fields, "action_fields")
    goal_field: dict[str, str] = {}
    for f_index, field in enumerate(strategy.action_fields):
        for g_index, goal in enumerate(field.goals):
            if goal.key in goal_field:
                raise ModelValidationError(
                    f"action_fields[{f_index}].goals[{g_index}].key",
                    f"duplicate goal key {goal.key!r} (already used in action field "
                    f"{goal_field[goal.key]!r})",
                )
            goal_field[goal.key] = field.key
    measures = checks.unique_keys(strategy.measures, "measures")
    external = checks.unique_keys(strategy.external_milestones, "external_milestones")
    stakeholders = checks.unique_keys(strategy.stakeholders, "stakeholders")
    _check_partners(strategy)
    for index, measure in enumerate(strategy.measures):
        _check_measure(strategy, index, measure, fields, goal_field, measures, stakeholders)
        for w_index, ref in enumerate(measure.waits_for):
            if ref not in external:
                known = ", ".join(external) or "none"
                raise ModelValidationError(
                    f"measures[{index}].waits_for[{w_index}]",
                    f"measure {measure.key!r} waits for unknown external milestone {ref!r} "
                    f"(external milestones: {known})",
                )
    profiled: dict[str, int] = {}
    for index, profile in enumerate(strategy.profiles):
        if profile.measure not in measures:
            raise ModelValidationError(
                f"profiles[{index}].measure", f"unknown measure {profile.measure!r}"
            )
        if profile.measure in profiled:
            raise ModelValidationError(
                f"profiles[{index}].measure",
                f"measure {profile.measure!r} already has a profile "
                f"(profiles[{profiled[profile.measure]}])",
            )
        profiled[profile.measure] = index
        for s_index, ref in enumerate(profile.stakeholders):
            if ref not in stakeholders:
                raise ModelValidationError(
                    f"profiles[{index}].stakeholders[{s_index}]", f"unknown stakeholder {ref!r}"
                )
    _check_ranking_inputs(strategy, measures)
    check_history(strategy.progress_history, measures)
    if strategy.schedule is not None:
        for part in ("placed", "unplaced", "done"):
            for index, item in enumerate(getattr(strategy.schedule, part)):
                if item.measure not in measures:
                    raise ModelValidationError(
                        f"schedule.{part}[{index}].measure", f"unknown measure {item.measure!r}"
                    )
        for index, key in enumerate(strategy.schedule.dropped):
            if key not in measures:
                raise ModelValidationError(f"schedule.dropped[{index}]", f"unknown measure {key!r}")
    if strategy.organigram is not None:
        for index, role in enumerate(strategy.organigram.roles):
            if role.action_field is not None and role.action_field not in fields:
                raise ModelValidationError(
                    f"organigram.roles[{index}].action_field",
                    f"unknown action field {role.action_field!r}",
                )
    # Last, as the loader always reported a cycle only in an otherwise valid file.
    cycle = find_cycle(strategy.measures)
    if cycle:
        raise DependencyCycleError(cycle)


def _check_ranking_inputs(strategy: Strategy, measures: dict[str, int]) -> None:
    criteria = {c.key: c for c in strategy.criteria}
    checks.unique_keys(strategy.criteria, "criteria")
    if criteria:
        for index, measure in enumerate(strategy.measures):
            for key, score in measure.scores.items():
                criterion = criteria.get(key)
                if criterion is None:
                    known = ", ".join(criteria)
                    raise ModelValidationError(
                        f"measures[{index}].scores.{key}",
                        f"unknown criterion {key!r} (criteria: {known})",
                    )
                if not criterion.scale_min <= score <= criterion.scale_max:
                    raise ModelValidationError(
                        f"measures[{index}].scores.{key}",
                        f"{score:g} lies outside the scale {criterion.scale_min:g} "
                        f"to {criterion.scale_max:g}",
                    )
    seen: set[frozenset[str]] = set()
    for index, comparison in enumerate(strategy.comparisons):
        for end in ("more", "less"):
            if getattr(comparison, end) not in criteria:
                raise ModelValidationError(
                    f"comparisons[{index}].{end}",
                    f"unknown criterion {getattr(comparison, end)!r}",
                )
        pair = frozenset((comparison.more, comparison.less))
        if pair in seen:
            raise ModelValidationError(
                f"comparisons[{index}]",
                f"{comparison.more!r} and {comparison.less!r} are compared twice",
            )
        seen.add(pair)
    if strategy.ranking is not None:
        for index, entry in enumerate(strategy.ranking.entries):
            if entry.measure not in measures:
                raise ModelValidationError(
                    f"ranking.entries[{index}].measure", f"unknown measure {entry.measure!r}"
                )


def _check_measure(
    strategy: Strategy,
    index: int,
    measure: Measure,
    fields: dict[str, int],
    goal_field: dict[str, str],
    measures: dict[str, int],
    stakeholders: dict[str, int],
) -> None:
    path = f"measures[{index}]"
    if measure.action_field not in fields:
        known = ", ".join(sorted(fields)) or "none"
        raise ModelValidationError(
            f"{path}.action_field",
            f"the strategy has no action field {measure.action_field!r} (it has: {known})",
        )
    if not strategy.action_fields[fields[measure.action_field]].chosen:
        raise ModelValidationError(
            f"{path}.action_field",
            f"action field {measure.action_field!r} is not chosen by the municipality",
        )
    if measure.goal is not None:
        if measure.goal not in goal_field:
            raise ModelValidationError(f"{path}.goal", f"unknown goal {measure.goal!r}")
        if goal_field[measure.goal] != measure.action_field:
            raise ModelValidationError(
                f"{path}.goal",
                f"goal {measure.goal!r} belongs to action field "
                f"{goal_field[measure.goal]!r}, not to {measure.action_field!r}",
            )
    for d_index, ref in enumerate(measure.depends_on):
        if ref not in measures:
            raise ModelValidationError(
                f"{path}.depends_on[{d_index}]",
                f"measure {measure.key!r} depends on unknown measure {ref!r}",
            )
    member_names = {m.name for m in strategy.municipality.members}
    for m_index, name in enumerate(measure.members):
        if name not in member_names:
            known = ", ".join(sorted(member_names)) or "none"
            raise ModelValidationError(
                f"{path}.members[{m_index}]",
                f"{name!r} is not a member municipality (members: {known})",
            )
    if measure.sharing is not None:
        _check_sharing(strategy, f"{path}.sharing", measure.sharing)
    for s_index, involvement in enumerate(measure.stakeholders):
        if involvement.stakeholder not in stakeholders:
            raise ModelValidationError(
                f"{path}.stakeholders[{s_index}].stakeholder",
                f"unknown stakeholder {involvement.stakeholder!r}",
            )


def _check_partners(strategy: Strategy) -> None:
    checks.unique_keys(strategy.partners, "partners")
    checks.unique_keys(strategy.partners, "partners", attribute="name")
    checks.unique_keys(strategy.funding, "funding")
    if strategy.partners and strategy.municipality.members:
        raise ModelValidationError(
            "partners",
            "a joint strategy cannot also break down to member municipalities; "
            "name the Ortsgemeinden as partners or leave the partners out",
        )
    for index, measure in enumerate(strategy.measures):
        if measure.sharing is None and strategy.partners:
            _check_basis(f"measures[{index}].sharing", strategy.cost_sharing, strategy.partners)
    for index, funding in enumerate(strategy.funding):
        if funding.sharing is not None:
            _check_sharing(strategy, f"funding[{index}].sharing", funding.sharing)
        elif strategy.partners and funding.own_share is not None:
            _check_basis(f"funding[{index}].sharing", strategy.cost_sharing, strategy.partners)


def _check_sharing(strategy: Strategy, path: str, sharing: CostSharing) -> None:
    known = {p.key: p for p in strategy.partners}
    if not known:
        raise ModelValidationError(path, "the strategy has no partners to share the costs with")
    for p_index, key in enumerate(sharing.partners):
        if key not in known:
            raise ModelValidationError(
                f"{path}.partners[{p_index}]",
                f"unknown partner {key!r} (partners: {', '.join(known)})",
            )
    for key in sharing.shares:
        if key not in known:
            raise ModelValidationError(
                f"{path}.shares.{key}",
                f"unknown partner {key!r} (partners: {', '.join(known)})",
            )
    taking_part = tuple(known[k] for k in sharing.partners) or strategy.partners
    basis = sharing.basis or strategy.cost_sharing
    _check_basis(path, basis, taking_part, sharing.shares)


def _check_basis(
    path: str,
    basis: ShareBasis,
    partners: tuple[Partner, ...],
    shares: Mapping[str, Decimal] | None = None,
) -> None:
    """Refuse a measure whose basis lacks a figure, so sharing never fails later."""
    if basis is ShareBasis.EQUAL:
        return
    for partner in partners:
        if basis is ShareBasis.POPULATION and partner.population is None:
            raise ModelValidationError(
                path,
                f"partner {partner.key!r} has no population; it is needed to share costs "
                "by population",
            )
        if (
            basis is ShareBasis.AGREED
            and partner.cost_share is None
            and partner.key not in (shares or {})
        ):
            raise ModelValidationError(
                f"{path}.shares",
                f"no agreed share for partner {partner.key!r} (give it in the measure's "
                "sharing.shares or as the partner's cost_share)",
            )
