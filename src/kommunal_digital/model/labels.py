"""Enumerations of the domain, with the German labels used in documents."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """An enum whose value is a stable identifier and that has a German label."""

    @property
    def label(self) -> str:
        """The German label shown in documents."""
        # Keyed by (class, value): text enums of different classes with the
        # same value (e.g. "extern") would otherwise share one dict entry.
        return _LABELS.get((type(self), self.value), self.value)


class MunicipalityKind(LabelledEnum):
    """Kind of local authority."""

    GEMEINDE = "gemeinde"
    STADT = "stadt"
    VERBANDSGEMEINDE = "verbandsgemeinde"
    KREIS = "kreis"
    VERWALTUNGSGEMEINSCHAFT = "verwaltungsgemeinschaft"
    AMT = "amt"
    UNBEKANNT = "unbekannt"


class MaturityPhase(LabelledEnum):
    """Phase of digital maturity (Bausteinkonzept)."""

    ORIENTIERUNG = "orientierung"
    START = "start"
    STRATEGIE = "strategie"
    WACHSTUM = "wachstum"


class MeasureStatus(LabelledEnum):
    """State of a measure's implementation."""

    GEPLANT = "geplant"
    IN_UMSETZUNG = "in_umsetzung"
    VERZOEGERT = "verzoegert"
    ABGESCHLOSSEN = "abgeschlossen"
    VERWORFEN = "verworfen"


class Delivery(LabelledEnum):
    """Who builds a measure's IT part: the own IT, a contractor, or both."""

    OFFEN = "offen"
    INTERN = "intern"
    EXTERN = "extern"
    GEMISCHT = "gemischt"


class Raci(LabelledEnum):
    """Role of a stakeholder in one measure."""

    RESPONSIBLE = "responsible"
    ACCOUNTABLE = "accountable"
    CONSULTED = "consulted"
    INFORMED = "informed"


class StakeholderGroup(LabelledEnum):
    """Broad group a stakeholder belongs to."""

    VERWALTUNG = "verwaltung"
    POLITIK = "politik"
    WIRTSCHAFT = "wirtschaft"
    INSTITUTIONEN = "institutionen"
    VEREINE = "vereine"
    BUERGERSCHAFT = "buergerschaft"
    EXTERN = "extern"


class RoleKind(LabelledEnum):
    """Kind of a unit or role in the organigram."""

    MAYOR = "mayor"
    DEPUTY = "deputy"
    STAFF_UNIT = "staff_unit"
    DIGITAL_OFFICER = "digital_officer"
    CDO = "cdo"
    CORE_TEAM = "core_team"
    DEPARTMENT = "department"
    IT = "it"
    PRESS_OFFICE = "press_office"
    DIGITAL_COUNCIL = "digital_council"
    COUNCIL = "council"
    COMMITTEE = "committee"
    PILOT = "pilot"
    TOPIC_SPONSOR = "topic_sponsor"
    WORKING_GROUP = "working_group"
    EXTERNAL_PARTNER = "external_partner"
    VOLUNTEER = "volunteer"
    NETWORK = "network"


class RoleState(LabelledEnum):
    """Whether an organigram role exists yet and who holds it."""

    PLANNED = "planned"
    VACANT = "vacant"
    FILLED = "filled"
    REJECTED = "rejected"


class RelationKind(LabelledEnum):
    """Kind of a directed relation between two organigram roles."""

    REPORTS_TO = "reports_to"
    ADVISES = "advises"
    LEADS = "leads"
    MEMBER_OF = "member_of"
    LIAISES_WITH = "liaises_with"


class Severity(LabelledEnum):
    """How serious a governance finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Direction(LabelledEnum):
    """Whether a higher score on a criterion is better or worse."""

    BENEFIT = "benefit"
    COST = "cost"


class Constraint(LabelledEnum):
    """Why a measure could not be placed in the schedule."""

    BUDGET = "budget"
    STAFF = "staff"
    HORIZON = "horizon"
    DEPENDENCY = "dependency"
    UNKNOWN_DURATION = "duration"


_LABEL_LIST: list[tuple[LabelledEnum, str]] = [
    (MunicipalityKind.GEMEINDE, "Gemeinde"),
    (MunicipalityKind.STADT, "Stadt"),
    (MunicipalityKind.VERBANDSGEMEINDE, "Verbandsgemeinde"),
    (MunicipalityKind.KREIS, "Kreis"),
    (MunicipalityKind.VERWALTUNGSGEMEINSCHAFT, "Verwaltungsgemeinschaft"),
    (MunicipalityKind.AMT, "Amt"),
    (MunicipalityKind.UNBEKANNT, "Kommune"),
    (MaturityPhase.ORIENTIERUNG, "Orientierung"),
    (MaturityPhase.START, "Start"),
    (MaturityPhase.STRATEGIE, "Strategie"),
    (MaturityPhase.WACHSTUM, "Wachstum"),
    (MeasureStatus.GEPLANT, "geplant"),
    (MeasureStatus.IN_UMSETZUNG, "in Umsetzung"),
    (MeasureStatus.VERZOEGERT, "verzögert"),
    (MeasureStatus.ABGESCHLOSSEN, "abgeschlossen"),
    (MeasureStatus.VERWORFEN, "verworfen"),
    (Delivery.OFFEN, "noch offen"),
    (Delivery.INTERN, "durch die eigene IT"),
    (Delivery.EXTERN, "extern vergeben"),
    (Delivery.GEMISCHT, "teils intern, teils extern"),
    (Raci.RESPONSIBLE, "durchführend (R)"),
    (Raci.ACCOUNTABLE, "verantwortlich (A)"),
    (Raci.CONSULTED, "beratend (C)"),
    (Raci.INFORMED, "informiert (I)"),
    (StakeholderGroup.VERWALTUNG, "Verwaltung"),
    (StakeholderGroup.POLITIK, "Politik"),
    (StakeholderGroup.WIRTSCHAFT, "Wirtschaft"),
    (StakeholderGroup.INSTITUTIONEN, "Institutionen"),
    (StakeholderGroup.VEREINE, "Vereine und Verbände"),
    (StakeholderGroup.BUERGERSCHAFT, "Bürgerschaft"),
    (StakeholderGroup.EXTERN, "externe Partner"),
    (RoleKind.MAYOR, "Bürgermeister/in"),
    (RoleKind.DEPUTY, "Beigeordnete/r"),
    (RoleKind.STAFF_UNIT, "Stabsstelle"),
    (RoleKind.DIGITAL_OFFICER, "Digitalbeauftragte/r"),
    (RoleKind.CDO, "Chief Digital Officer"),
    (RoleKind.CORE_TEAM, "Kernteam"),
    (RoleKind.DEPARTMENT, "Fachbereich"),
    (RoleKind.IT, "IT"),
    (RoleKind.PRESS_OFFICE, "Presse- und Öffentlichkeitsarbeit"),
    (RoleKind.DIGITAL_COUNCIL, "Digitalrat"),
    (RoleKind.COUNCIL, "Rat"),
    (RoleKind.COMMITTEE, "Ausschuss"),
    (RoleKind.PILOT, "Digitallotse"),
    (RoleKind.TOPIC_SPONSOR, "Themenpate/-patin"),
    (RoleKind.WORKING_GROUP, "Arbeitsgruppe"),
    (RoleKind.EXTERNAL_PARTNER, "externer Partner"),
    (RoleKind.VOLUNTEER, "Ehrenamtliche (Digitalbotschafter/-lotsen)"),
    (RoleKind.NETWORK, "Netzwerk (Mitgliedschaft)"),
    (RoleState.PLANNED, "geplant"),
    (RoleState.VACANT, "unbesetzt"),
    (RoleState.FILLED, "besetzt"),
    (RoleState.REJECTED, "abgelehnt"),
    (RelationKind.REPORTS_TO, "berichtet an"),
    (RelationKind.ADVISES, "berät"),
    (RelationKind.LEADS, "leitet"),
    (RelationKind.MEMBER_OF, "ist Mitglied von"),
    (RelationKind.LIAISES_WITH, "stimmt sich ab mit"),
    (Severity.ERROR, "Fehler"),
    (Severity.WARNING, "Warnung"),
    (Severity.INFO, "Hinweis"),
    (Direction.BENEFIT, "Nutzen (höher ist besser)"),
    (Direction.COST, "Aufwand (niedriger ist besser)"),
    (Constraint.BUDGET, "Budget"),
    (Constraint.STAFF, "Personal"),
    (Constraint.HORIZON, "Planungszeitraum"),
    (Constraint.DEPENDENCY, "Abhängigkeit"),
    (Constraint.UNKNOWN_DURATION, "Dauer noch offen"),
]

_LABELS: dict[tuple[type[LabelledEnum], str], str] = {
    (type(member), member.value): label for member, label in _LABEL_LIST
}
