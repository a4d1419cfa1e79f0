"""Measures (Maßnahmen) and what they cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.action_field import Indicator
from kommunal_digital.model.funding import (
    FundingSource,
    Operator,
    check_funding,
    to_funding_sources,
)
from kommunal_digital.model.labels import Delivery, MeasureStatus, Raci
from kommunal_digital.model.partners import CostSharing

#: Longest duration accepted for one measure, in months (ten years).
MAX_DURATION_MONTHS = checks.MAX_DURATION_MONTHS


@attrs.frozen
class Cost:
    """Money a measure needs, in euros; ``None`` where nobody has estimated it yet.

    Unknown is not zero: a measure without an estimate keeps ``None``, and
    documents print it as still open instead of 0 €.

    Attributes:
        one_off: One-off cost of implementation (investment), if estimated.
        yearly: Follow-on cost per year once the measure is running, if estimated.
    """

    one_off: Decimal | None = attrs.field(
        default=None,
        converter=checks.optional_one_off,
        validator=attrs.validators.optional(checks.money),
    )
    yearly: Decimal | None = attrs.field(
        default=None,
        converter=checks.optional_yearly,
        validator=attrs.validators.optional(checks.money),
    )

    @property
    def known(self) -> bool:
        """Whether both the one-off and the yearly cost are estimated."""
        return self.one_off is not None and self.yearly is not None


@attrs.frozen
class Budgeting:
    """Answers to the budgeting questions asked for every measure.

    Attributes:
        builds_on: Earlier work or projects the measure can build on.
        absorbed_by_operations: Whether running operations can carry it.
        needs_extra_staff: Whether additional staff is required.
        needs_extra_material: Whether additional material or services are required.
        needs_cooperation: Whether partners or neighbouring municipalities are needed.
        delivery: Whether IT builds it in-house or it is contracted out.
    """

    builds_on: str = attrs.field(default="", validator=checks.text)
    absorbed_by_operations: bool | None = None
    needs_extra_staff: bool | None = None
    needs_extra_material: bool | None = None
    needs_cooperation: bool | None = None
    delivery: Delivery = attrs.field(default=Delivery.OFFEN, validator=checks.member_of(Delivery))


@attrs.frozen
class Involvement:
    """A stakeholder's role (RACI) in one measure.

    Attributes:
        stakeholder: Key of the stakeholder.
        role: Responsible, accountable, consulted or informed (the default).
    """

    stakeholder: str = attrs.field(validator=checks.key)
    role: Raci = attrs.field(default=Raci.INFORMED, validator=checks.member_of(Raci))


def _duration(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is None:
        return
    checks.whole(instance, attribute, value)
    if not 1 <= value <= MAX_DURATION_MONTHS:
        raise ModelValidationError(
            attribute.name,
            f"must be between 1 and {MAX_DURATION_MONTHS} months, got {value}",
        )


@attrs.frozen
class Measure:
    """A measure (Maßnahme) planned in one action field.

    Attributes:
        key: Identifier, unique within the strategy.
        title: Short German title.
        action_field: Key of the action field the measure belongs to.
        description: What will be done.
        goal: Key of the goal the measure serves, if any.
        duration_months: Estimated implementation time in whole months;
            ``None`` while unknown.
        cost: One-off and yearly cost in euros (each ``None`` while unknown).
        staff_fte: Staff needed while implementing, in full-time
            equivalents; ``None`` while unknown.
        owner_role: The role that carries the measure, e.g. "Digitallotse Verwaltung".
        partners: Partners outside the administration.
        depends_on: Keys of measures that must be finished first.
        waits_for: Keys of the strategy's external milestones (things
            outside the municipality, e.g. the Land's service portal) that
            must be there first; the scheduler starts the measure no earlier
            than they are expected.
        stakeholders: Who is involved and how (RACI).
        funding_sources: Where the money for the one-off cost comes from
            (own budget, third parties, funding programmes); plain texts
            become unclassified sources.
        operator: Who runs the result after the project ends and carries
            the yearly follow-on cost.
        legal_driver: A law that requires the measure, e.g. "OZG".
        legal_deadline: The date the law sets, if any.
        scores: Criteria scores from the workshop, by criterion key.
        status: Implementation state.
        progress: Percent complete, 0 to 100.
        start_on: When the measure started (running or finished measures)
            or must start (planned ones); the scheduler keeps it.
        target_on: The date the measure should be finished by (Zieltermin);
            the scheduler reports when its plan ends later.
        deadline: The latest date the measure may end, e.g. the end of a
            funding period; the scheduler reports when it cannot be met.
        finished_on: When a finished measure was completed.
        indicators: How the measure's success is measured.
        budgeting: Answers to the budgeting questions.
        members: Names of the member municipalities the measure applies to;
            empty means all of them.
        sharing: In a joint strategy: which partners take part and how they
            share the costs; ``None`` means all partners, shared by the
            strategy's ``cost_sharing``.
        votes: Points the measure got in the workshop's dot voting (Punktabfrage).
        extensions: Plugins' own data, one mapping per plugin key, e.g.
            ``{"hessen": {"interkommunal": True}}``; plain data only (text,
            numbers, booleans, null, lists, mappings). The workspace checks
            it against the shapes the plugins declare (see
            :class:`~kommunal_digital.workspace.ExtensionSchema`).
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    action_field: str = attrs.field(validator=checks.key)
    description: str = attrs.field(default="", validator=checks.text)
    goal: str | None = attrs.field(default=None)
    duration_months: int | None = attrs.field(default=None, validator=_duration)
    cost: Cost = attrs.field(factory=Cost)
    staff_fte: float | None = attrs.field(default=None, validator=checks.fte)
    owner_role: str = attrs.field(default="", validator=checks.text)
    partners: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    depends_on: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.keys]
    )
    waits_for: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.keys]
    )
    stakeholders: tuple[Involvement, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    funding_sources: tuple[FundingSource, ...] = attrs.field(
        default=(), converter=to_funding_sources, validator=checks.is_tuple
    )
    operator: Operator | None = attrs.field(default=None)
    legal_driver: str = attrs.field(default="", validator=checks.text)
    legal_deadline: date | None = attrs.field(default=None, validator=checks.optional_date)
    scores: dict[str, float] = attrs.field(factory=dict, hash=False)
    status: MeasureStatus = attrs.field(
        default=MeasureStatus.GEPLANT, validator=checks.member_of(MeasureStatus)
    )
    progress: int = attrs.field(default=0, validator=[checks.whole, checks.between(0, 100)])
    start_on: date | None = attrs.field(default=None, validator=checks.optional_date)
    target_on: date | None = attrs.field(default=None, validator=checks.optional_date)
    deadline: date | None = attrs.field(default=None, validator=checks.optional_date)
    finished_on: date | None = attrs.field(default=None, validator=checks.optional_date)
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    budgeting: Budgeting = attrs.field(factory=Budgeting)
    members: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    sharing: CostSharing | None = None
    votes: int = attrs.field(default=0, validator=[checks.whole, checks.between(0, 10**6)])
    extensions: checks.Extensions = attrs.field(
        factory=dict, converter=checks.to_extensions, hash=False
    )

    @goal.validator
    def _check_goal(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            checks.key(self, attribute, value)

    @depends_on.validator
    def _check_self_dependency(
        self, attribute: attrs.Attribute[Any], value: tuple[str, ...]
    ) -> None:
        if self.key in value:
            raise ModelValidationError(
                "depends_on", f"measure {self.key!r} cannot depend on itself"
            )

    @funding_sources.validator
    def _check_funding(
        self, attribute: attrs.Attribute[Any], value: tuple[FundingSource, ...]
    ) -> None:
        check_funding(value, self.cost.one_off)

    @operator.validator
    def _check_operator(self, attribute: attrs.Attribute[Any], value: Operator | None) -> None:
        if value is not None and value.no_follow_on_costs and self.cost.yearly:
            # An unknown yearly cost (None) does not contradict "no follow-on costs".
            raise ModelValidationError(
                "operator.no_follow_on_costs",
                f"the measure has yearly costs of {self.cost.yearly} €",
            )

    @stakeholders.validator
    def _check_stakeholders(
        self, attribute: attrs.Attribute[Any], value: tuple[Involvement, ...]
    ) -> None:
        checks.unique_keys(value, "stakeholders", attribute="stakeholder")

    @scores.validator
    def _check_scores(self, attribute: attrs.Attribute[Any], value: dict[str, float]) -> None:
        for criterion, score in value.items():
            if not isinstance(criterion, str) or not checks.is_key(criterion):
                raise ModelValidationError("scores", f"{criterion!r} is not a valid criterion key")
            if not checks.is_finite_number(score):
                raise ModelValidationError(
                    f"scores.{criterion}", f"expected a number, got {score!r}"
                )
            if abs(score) > checks.MAX_WEIGHT:
                raise ModelValidationError(
                    f"scores.{criterion}",
                    f"must be between -{checks.show_number(checks.MAX_WEIGHT)} and "
                    f"{checks.show_number(checks.MAX_WEIGHT)}, got {score:g}",
                )
