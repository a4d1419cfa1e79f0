"""The layout of the workshop workbook, described once.

Export, import, the dropdowns and the documentation all follow these
tables: which sheets exist, which columns they have, which German header
names them, what kind of value a column holds and where in a strategy the
value belongs.
"""

from __future__ import annotations

from typing import Literal

import attrs

from kommunal_digital.model.labels import (
    Delivery,
    LabelledEnum,
    MaturityPhase,
    MeasureStatus,
    MunicipalityKind,
    Raci,
    StakeholderGroup,
)
from kommunal_digital.model.measure import MAX_DURATION_MONTHS
from kommunal_digital.model.partners import ShareBasis

#: What a cell holds. ``list`` is a list of texts, one per line in the cell;
#: ``json`` a JSON object written compactly (the extension data); ``shares``
#: agreed shares by partner key, one ``key: number`` per line.
Kind = Literal[
    "key", "text", "list", "int", "number", "money", "date", "bool", "enum", "json", "shares"
]

#: Key lists a column's dropdown offers: the key columns of other sheets.
KeySource = Literal["fields", "goals", "measures", "stakeholders"]

KOMMUNE = "Kommune"
ORTSGEMEINDEN = "Ortsgemeinden"
#: Table of the partners of a joint strategy (one council each).
PARTNER = "Partner"
HANDLUNGSFELDER = "Handlungsfelder"
ZIELE = "Ziele"
INDIKATOREN = "Indikatoren"
MASSNAHMEN = "Maßnahmen"
ABHAENGIGKEITEN = "Abhängigkeiten"
BETEILIGTE = "Beteiligte"
BETEILIGUNG = "Beteiligung"
#: Table of the money for the strategy as a whole (``Strategy.funding``).
FOERDERUNG = "Förderung"
#: Table of the milestones outside the municipality that measures wait for.
EXTERNE_MEILENSTEINE = "Externe Meilensteine"
#: Label/value sheet on the workshop the strategy was worked out in.
WERKSTATT = "Werkstatt"
#: Table of the sources the strategy draws on (title, web address).
QUELLEN = "Quellen"
#: Hidden sheet with the option lists the dropdowns offer.
LISTEN = "_listen"
#: Hidden sheet with the parts of the strategy not meant for workshop editing.
DATEN = "_daten"

#: Header prefix of the columns holding the scores of one criterion.
SCORE_PREFIX = "Bewertung: "
#: Rows the dropdowns and number checks cover, header included.
VALIDATED_ROWS = 1000

YES = "ja"
NO = "nein"


@attrs.frozen
class Column:
    """One column of a table sheet (or one row of the ``Kommune`` sheet).

    Attributes:
        header: German header label.
        path: Dotted path of the value inside the row's object; paths
            starting with ``@`` name the parent the row belongs to.
        kind: What the cell holds.
        width: Column width in Excel units.
        required: The cell must not be empty.
        enum: The enumeration of an ``enum`` column.
        low: Smallest value accepted, for numbers.
        high: Largest value accepted, for numbers.
        source: The key list its dropdown offers.
    """

    header: str
    path: str
    kind: Kind = "text"
    width: float = 16
    required: bool = False
    enum: type[LabelledEnum] | None = None
    low: float | None = None
    high: float | None = None
    source: KeySource | None = None

    @property
    def wraps(self) -> bool:
        """Whether the cell's text wraps (long texts and lists)."""
        return self.width >= 30 or self.kind == "list"


@attrs.frozen
class Table:
    """A sheet with a header row and one row per object.

    Attributes:
        name: The sheet's name.
        columns: Its columns, in order.
    """

    name: str
    columns: tuple[Column, ...]

    def column(self, path: str) -> Column:
        """Return the column holding ``path``."""
        for column in self.columns:
            if column.path == path:
                return column
        raise KeyError(path)

    def letter(self, path: str) -> str:
        """Return the Excel letter of the column holding ``path``."""
        index = [c.path for c in self.columns].index(path)
        return _letter(index + 1)


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_KEY = Column("Schlüssel", "key", "key", 18, required=True)
#: Plugins' extension data of a measure or action field, as compact JSON.
_EXTENSIONS = Column("Erweiterungen", "extensions", "json", 40)

#: The ``Kommune`` sheet: one label/value row per entry.
KOMMUNE_ROWS: tuple[Column, ...] = (
    Column("Name", "municipality.name", required=True),
    Column("Art", "municipality.kind", "enum", required=True, enum=MunicipalityKind),
    Column("Land", "municipality.land", required=True),
    Column("AGS/ARS", "municipality.official_key"),
    Column("Einwohner", "municipality.population", "int", low=0),
    Column("Reifegrad", "municipality.maturity", "enum", enum=MaturityPhase),
    Column("Titel", "title"),
    Column("Leitbild", "vision"),
    Column("Ausgangslage", "starting_point"),
    Column("Beschlossen am", "adopted_on", "date"),
    Column("Vorlagenpaket", "pack.name", "key"),
    Column("Version des Vorlagenpakets", "pack.version"),
    Column("Kostenteilung", "cost_sharing", "enum", enum=ShareBasis),
)
KOMMUNE_HEADERS = ("Angabe", "Wert")

#: The ``Werkstatt`` sheet: one label/value row per entry, like ``Kommune``.
#: All rows are optional; a sheet with every value empty means no workshop
#: is recorded.
WERKSTATT_ROWS: tuple[Column, ...] = (
    Column("Datum", "workshop.held_on", "date"),
    Column("Letzter Tag", "workshop.ended_on", "date"),
    Column("Teilnehmende", "workshop.participants", "list"),
    Column("Anzahl Teilnehmende", "workshop.participant_count", "int", low=1, high=10**5),
    Column("Moderation", "workshop.moderation"),
    Column("Notizen", "workshop.notes"),
)


@attrs.frozen
class Form:
    """A sheet of label/value rows (``Kommune``, ``Werkstatt``).

    Attributes:
        name: The sheet's name.
        rows: Its rows, in order; column A holds the label, B the value.
    """

    name: str
    rows: tuple[Column, ...]


FORMS: tuple[Form, ...] = (Form(KOMMUNE, KOMMUNE_ROWS), Form(WERKSTATT, WERKSTATT_ROWS))
FORM = {form.name: form for form in FORMS}


def _sharing(prefix: str) -> tuple[Column, ...]:
    """The columns of a cost sharing (of a measure or of strategy funding)."""
    return (
        Column("Beteiligte Partner", f"{prefix}partners", "list", 20),
        Column("Kostenteilung", f"{prefix}basis", "enum", 22, enum=ShareBasis),
        Column("Vereinbarte Anteile", f"{prefix}shares", "shares", 20),
    )


TABLES: tuple[Table, ...] = (
    Table(
        ORTSGEMEINDEN,
        (
            Column("Name", "name", width=28, required=True),
            Column("AGS/ARS", "official_key"),
            Column("Einwohner", "population", "int", low=0),
            Column("Kostenanteil", "cost_share", "number", low=0),
        ),
    ),
    Table(
        PARTNER,
        (
            _KEY,
            Column("Name", "name", width=28, required=True),
            Column("Art", "kind", "enum", 20, required=True, enum=MunicipalityKind),
            Column("Beschlussgremium", "council", width=24),
            Column("AGS/ARS", "official_key"),
            Column("Einwohner", "population", "int", low=0),
            Column("Kostenanteil", "cost_share", "number", low=0),
        ),
    ),
    Table(
        HANDLUNGSFELDER,
        (
            _KEY,
            Column("Titel", "title", width=28, required=True),
            Column("Beschreibung", "description", width=50),
            Column("Ausgewählt", "chosen", "bool", 12),
            _EXTENSIONS,
        ),
    ),
    Table(
        ZIELE,
        (
            Column("Handlungsfeld", "@field", "key", 18, required=True, source="fields"),
            _KEY,
            Column("Ziel", "statement", width=50, required=True),
            Column("Gewichtung", "weight", "number", 12, low=0),
        ),
    ),
    Table(
        INDIKATOREN,
        (
            Column("Ziel", "@goal", "key", 18, source="goals"),
            Column("Maßnahme", "@measure", "key", 18, source="measures"),
            Column("Indikator", "name", width=32, required=True),
            Column("Einheit", "unit", width=12),
            Column("Ausgangswert", "baseline", "number", 14),
            Column("Zielwert", "target", "number", 14),
        ),
    ),
    Table(
        MASSNAHMEN,
        (
            _KEY,
            Column("Titel", "title", width=32, required=True),
            Column("Handlungsfeld", "action_field", "key", 18, required=True, source="fields"),
            Column("Ziel", "goal", "key", 18, source="goals"),
            Column("Beschreibung", "description", width=50),
            Column("Dauer (Monate)", "duration_months", "int", 14, low=1, high=MAX_DURATION_MONTHS),
            Column("Einmalkosten (€)", "cost.one_off", "money", 16),
            Column("Jährliche Kosten (€)", "cost.yearly", "money", 18),
            Column("Personal (VZÄ)", "staff_fte", "number", 14, low=0),
            Column("Verantwortliche Rolle", "owner_role", width=24),
            Column("Partner", "partners", "list", 28),
            Column("Ortsgemeinden", "members", "list", 24),
            Column("Rechtsgrundlage", "legal_driver", width=16),
            Column("Gesetzliche Frist", "legal_deadline", "date", 16),
            Column("Status", "status", "enum", 16, enum=MeasureStatus),
            Column("Fortschritt (%)", "progress", "int", 14, low=0, high=100),
            Column("Beginn", "start_on", "date", 14),
            Column("Zieltermin", "target_on", "date", 14),
            Column("Spätestes Ende", "deadline", "date", 16),
            Column("Abgeschlossen am", "finished_on", "date", 16),
            Column("Punkte", "votes", "int", 10, low=0, high=10**6),
            Column("Baut auf", "budgeting.builds_on", width=28),
            Column("Im laufenden Betrieb", "budgeting.absorbed_by_operations", "bool", 14),
            Column("Zusätzliches Personal", "budgeting.needs_extra_staff", "bool", 14),
            Column("Zusätzliche Sachmittel", "budgeting.needs_extra_material", "bool", 14),
            Column("Kooperation nötig", "budgeting.needs_cooperation", "bool", 14),
            Column("Umsetzung", "budgeting.delivery", "enum", 22, enum=Delivery),
            _EXTENSIONS,
            # Added later: after the older columns, so that their letters stay.
            *_sharing("sharing."),
            Column("Wartet auf", "waits_for", "list", 20),
        ),
    ),
    Table(
        ABHAENGIGKEITEN,
        (
            Column("Maßnahme", "@measure", "key", 20, required=True, source="measures"),
            Column("Setzt voraus", "depends_on", "key", 20, required=True, source="measures"),
        ),
    ),
    Table(
        BETEILIGTE,
        (
            _KEY,
            Column("Name", "name", width=28, required=True),
            Column("Gruppe", "group", "enum", 20, enum=StakeholderGroup),
            Column("Einfluss (1-5)", "power", "int", 14, low=1, high=5),
            Column("Interesse (1-5)", "interest", "int", 14, low=1, high=5),
        ),
    ),
    Table(
        BETEILIGUNG,
        (
            Column("Maßnahme", "@measure", "key", 20, required=True, source="measures"),
            Column("Beteiligte/r", "stakeholder", "key", 20, required=True, source="stakeholders"),
            Column("Rolle (RACI)", "role", "enum", 20, enum=Raci),
        ),
    ),
    Table(
        FOERDERUNG,
        (
            _KEY,
            Column("Titel", "title", width=32, required=True),
            Column("Förderprogramm", "programme", "key", 18),
            Column("Fördergeber", "provider", width=20),
            Column("Volumen (€)", "amount", "money", 16),
            Column("Eigenanteil (%)", "own_share", "number", 14, low=0, high=100),
            Column("Beginn", "start", "date", 14),
            Column("Ende", "end", "date", 14),
            *_sharing("sharing."),
        ),
    ),
    Table(
        EXTERNE_MEILENSTEINE,
        (
            _KEY,
            Column("Titel", "title", width=32, required=True),
            Column("Verantwortlich", "owner", width=24),
            Column("Erwartet am", "expected_on", "date", 14),
            Column("Erreicht am", "reached_on", "date", 14),
            Column("Anmerkung", "note", width=40),
        ),
    ),
    Table(
        QUELLEN,
        (
            Column("Titel", "title", width=40, required=True),
            Column("Adresse (URL)", "url", width=50),
        ),
    ),
)

TABLE = {table.name: table for table in TABLES}

#: The sheets a workbook shows, in order.
VISIBLE_SHEETS = (
    KOMMUNE,
    *(table.name for table in TABLES if table.name != QUELLEN),
    WERKSTATT,
    QUELLEN,
)
#: Sheets a workbook may lack: workbooks written before they existed still import.
OPTIONAL_SHEETS = (PARTNER, FOERDERUNG, EXTERNE_MEILENSTEINE, WERKSTATT, QUELLEN)
#: The sheets every workbook must have, in order.
REQUIRED_SHEETS = tuple(name for name in VISIBLE_SHEETS if name not in OPTIONAL_SHEETS)
#: Optional table sheets whose objects the hidden sheet also keeps, with the
#: strategy field they hold: a workbook without the sheet takes them from there.
OPTIONAL_TABLE_FIELDS = {
    PARTNER: "partners",
    FOERDERUNG: "funding",
    EXTERNE_MEILENSTEINE: "external_milestones",
}
#: The parts of a strategy only the hidden sheet ``_daten`` carries, with
#: their German names (an import without ``_daten`` names them as lost).
HIDDEN_PARTS = {
    "profiles": "Projektsteckbriefe",
    "roadmap": "Roadmap",
    "roadmap_preset": "Roadmap-Vorlage",
    "organigram": "Organigramm",
    "limits": "Planungsrahmen",
    "schedule": "Zeitplan",
    "criteria": "Bewertungskriterien",
    "comparisons": "Paarvergleiche",
    "ranking_rule": "Rangfolge-Regel",
    "ranking": "Rangfolge",
    "maturity_check": "Reifegrad-Check",
    "progress_history": "Fortschrittsverlauf",
    "reporting": "Berichtswesen",
}

#: Where each key list lives: sheet and column of the keys.
KEY_SOURCES: dict[KeySource, tuple[str, str]] = {
    "fields": (HANDLUNGSFELDER, TABLE[HANDLUNGSFELDER].letter("key")),
    "goals": (ZIELE, TABLE[ZIELE].letter("key")),
    "measures": (MASSNAHMEN, TABLE[MASSNAHMEN].letter("key")),
    "stakeholders": (BETEILIGTE, TABLE[BETEILIGTE].letter("key")),
}

#: The enumerations offered as dropdowns, in the column order of ``_listen``.
ENUMS: tuple[type[LabelledEnum], ...] = (
    MunicipalityKind,
    MaturityPhase,
    MeasureStatus,
    Delivery,
    StakeholderGroup,
    Raci,
    ShareBasis,
)

#: What the sheets carry, per kind of object: the field paths of the columns
#: and the lists other sheets fill in. Everything else an object holds rides
#: in the hidden ``_daten`` sheet.
CARRIED: dict[str, tuple[str, ...]] = {
    "strategy": (
        "schema_version",
        "municipality",
        "action_fields",
        "measures",
        "stakeholders",
        *(c.path for c in KOMMUNE_ROWS if not c.path.startswith("municipality.")),
        *(c.path for c in WERKSTATT_ROWS),
        "workshop.sources",
        # ``partners``, ``funding`` and ``external_milestones`` stay in the hidden
        # sheet as well: a workbook without their (optional) sheets keeps them.
    ),
    "municipality": (
        "members",
        *(
            c.path.removeprefix("municipality.")
            for c in KOMMUNE_ROWS
            if c.path.startswith("municipality.")
        ),
    ),
    "member": tuple(c.path for c in TABLE[ORTSGEMEINDEN].columns),
    "partner": tuple(c.path for c in TABLE[PARTNER].columns),
    "funding": tuple(c.path for c in TABLE[FOERDERUNG].columns),
    "external": tuple(c.path for c in TABLE[EXTERNE_MEILENSTEINE].columns),
    "field": ("goals", *(c.path for c in TABLE[HANDLUNGSFELDER].columns)),
    "goal": ("indicators", *(c.path for c in TABLE[ZIELE].columns if c.path[0] != "@")),
    "indicator": tuple(c.path for c in TABLE[INDIKATOREN].columns if c.path[0] != "@"),
    "measure": (
        "depends_on",
        "stakeholders",
        "indicators",
        "scores",
        *(c.path for c in TABLE[MASSNAHMEN].columns),
    ),
    "stakeholder": tuple(c.path for c in TABLE[BETEILIGTE].columns),
    "involvement": tuple(c.path for c in TABLE[BETEILIGUNG].columns if c.path[0] != "@"),
}


def score_column(criterion: str) -> Column:
    """Return the column holding the scores of one criterion."""
    return Column(f"{SCORE_PREFIX}{criterion}", f"scores.{criterion}", "number", 14)


def cell_ref(sheet: str, column: int, row: int) -> str:
    """Return ``Sheet!B7`` for a 1-based column and row."""
    return f"{sheet}!{_letter(column)}{row}"


def letter(column: int) -> str:
    """Return the Excel letter of a 1-based column number."""
    return _letter(column)
