"""The canned sentences of the documents, each said only when its fact holds.

Templates print these lists of paragraphs (``texts`` in every render
context) instead of writing fixed prose: a sentence about a Digitalrat
appears only when the organigram has one, a sentence about goals only for
fields that have goals, a ranking is called a ranking only when it was
assessed, and the workshop is named only when the strategy records one.
Terms that regions word differently come from the pack's ``[wording]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from kommunal_digital.german import datum, euro, zahl
from kommunal_digital.model import Measure, MeasureStatus, MunicipalityKind, Role, Strategy

__all__ = [
    "DEFAULT_WORDING",
    "cost_summary",
    "council_name",
    "count",
    "the",
    "fields_intro",
    "monitoring_paragraph",
    "passed_deadlines",
    "preface",
    "roles_by_kind",
    "schedule_intro",
    "staff_summary",
    "workshop_sentence",
]

#: The wording used where a pack says nothing (the ``base`` pack repeats it).
DEFAULT_WORDING: Mapping[str, str] = {
    "unknown": "noch offen",
    "not_assessed": "noch nicht bewertet",
    "to_be_worked_out": "noch zu erarbeiten",
    "workshop": "Strategieworkshop",
}

_OPEN = (MeasureStatus.GEPLANT, MeasureStatus.IN_UMSETZUNG, MeasureStatus.VERZOEGERT)

_COUNCILS = {
    MunicipalityKind.GEMEINDE: "Gemeinderat",
    MunicipalityKind.STADT: "Stadtrat",
    MunicipalityKind.VERBANDSGEMEINDE: "Verbandsgemeinderat",
    MunicipalityKind.KREIS: "Kreistag",
    MunicipalityKind.VERWALTUNGSGEMEINSCHAFT: "Gemeinschaftsversammlung",
    MunicipalityKind.AMT: "Amtsausschuss",
    MunicipalityKind.UNBEKANNT: "Rat",
}


_FEMININE_ENDINGS = ("ung", "schaft", "heit", "keit", "ion", "gruppe", "runde", "konferenz")


def the(noun: str, case: str = "nom") -> str:
    """Return the noun with its definite article, e.g. ``der Gemeinderat``.

    ``dem Gemeinderat`` in the dative; ``die Gemeinschaftsversammlung``,
    ``der Lenkungsgruppe`` (dative) for a feminine body.

    Bodies and roles are masculine (Rat, Kreistag, Ausschuss) unless their
    last word has a feminine ending (-ung, -schaft, -gruppe, ...).

    Args:
        noun: A council's or role's name, e.g. ``Gemeinschaftsversammlung``.
        case: ``nom`` (nominative) or ``dat`` (dative).
    """
    last = noun.strip().split()[-1].lower() if noun.strip() else ""
    feminine = last.endswith(_FEMININE_ENDINGS)
    article = {("nom", False): "der", ("dat", False): "dem"}.get(
        (case, feminine), "die" if case == "nom" else "der"
    )
    return f"{article} {noun}"


def council_name(kind: MunicipalityKind) -> str:
    """The name of the elected body that adopts the strategy, e.g. ``Stadtrat``."""
    return _COUNCILS[kind]


def count(number: int, singular: str, plural: str) -> str:
    """``1 Maßnahme``, ``3 Maßnahmen`` (German numerals are not spelled out here)."""
    return f"{number} {singular if number == 1 else plural}"


def roles_by_kind(strategy: Strategy) -> dict[str, list[Role]]:
    """The organigram's roles grouped by kind value (empty without an organigram)."""
    roles: dict[str, list[Role]] = {}
    if strategy.organigram is not None:
        for role in strategy.organigram.roles:
            roles.setdefault(role.kind.value, []).append(role)
    return roles


def _plain(amount: object) -> str:
    return euro(amount).replace("\xa0", " ")  # type: ignore[arg-type]


def workshop_sentence(strategy: Strategy, wording: Mapping[str, str]) -> str:
    """Where the strategy was worked out, from the recorded workshop; ``""`` without one."""
    workshop = strategy.workshop
    if workshop is None:
        return ""
    when = ""
    if workshop.held_on is not None and workshop.ended_on not in (None, workshop.held_on):
        when = f" vom {datum(workshop.held_on)} bis zum {datum(workshop.ended_on)}"
    elif workshop.held_on is not None:
        when = f" am {datum(workshop.held_on)}"
    sentences = [f"Die Strategie wurde im Format „{wording['workshop']}“{when} erarbeitet."]
    total = (
        f"insgesamt {count(workshop.participant_count, 'Person', 'Personen')}"
        if workshop.participant_count is not None
        else ""
    )
    if workshop.participants:
        names = _join(list(workshop.participants))
        sentences.append(f"Teilnehmende: {names}" + (f" ({total})." if total else "."))
    elif total:
        sentences.append(f"Teilgenommen haben {total[len('insgesamt ') :]}.")
    if workshop.moderation.strip():
        sentences.append(f"Moderation: {workshop.moderation.strip()}.")
    return " ".join(sentences)


def _join(items: Sequence[str]) -> str:
    items = [item.strip() for item in items if item.strip()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def preface(strategy: Strategy, wording: Mapping[str, str]) -> list[str]:
    """The preface: what a strategy is for, and how this one came about (if recorded)."""
    paragraphs = [
        "Die Digitalisierung verändert, wie Menschen arbeiten, lernen, sich versorgen und "
        "miteinander in Kontakt bleiben. Diese Strategie beschreibt, welche Chancen die "
        "Kommune nutzen will, welche Ziele sie sich setzt und mit welchen Maßnahmen sie "
        "diese Ziele erreichen möchte."
    ]
    sentence = workshop_sentence(strategy, wording)
    if sentence:
        paragraphs.append(sentence)
    return paragraphs


def fields_intro(strategy: Strategy, wording: Mapping[str, str]) -> list[str]:
    """What the field chapter holds: fields, goals, indicators and measures as they exist."""
    fields = strategy.chosen_fields
    if not fields:
        return ["Es sind noch keine Handlungsfelder ausgewählt."]
    with_goals = [f for f in fields if f.goals]
    with_indicators = [f for f in fields if any(g.indicators for g in f.goals)]
    with_measures = [f for f in fields if strategy.measures_in(f.key)]
    chosen = count(len(fields), "Handlungsfeld", "Handlungsfelder")
    sentences = [f"Die Kommune hat {chosen} ausgewählt."]
    if len(with_goals) == len(fields):
        sentences.append("Für jedes Feld ist festgehalten, welches Ziel es verfolgt.")
    elif with_goals:
        sentences.append(
            f"Für {len(with_goals)} von {len(fields)} Feldern sind Ziele festgehalten; "
            f"für die übrigen sind sie {wording['to_be_worked_out']}."
        )
    else:
        sentences.append(f"Ziele sind für die Felder {wording['to_be_worked_out']}.")
    if with_indicators:
        sentences.append(
            "Indikatoren zur Messung des Fortschritts gibt es "
            + (
                "für jedes Feld."
                if len(with_indicators) == len(fields)
                else f"für {len(with_indicators)} von {len(fields)} Feldern."
            )
        )
    measures = len(strategy.measures)
    if not measures:
        sentences.append(f"Maßnahmen sind {wording['to_be_worked_out']}.")
    elif len(with_measures) == len(fields):
        sentences.append(f"Zusammen enthalten sie {count(measures, 'Maßnahme', 'Maßnahmen')}.")
    else:
        sentences.append(
            f"{count(len(with_measures), 'Feld enthält', 'Felder enthalten')} zusammen "
            f"{count(measures, 'Maßnahme', 'Maßnahmen')}; für "
            f"{count(len(fields) - len(with_measures), 'Feld', 'Felder')} sind Maßnahmen "
            f"{wording['to_be_worked_out']}."
        )
    return [" ".join(sentences)]


def cost_summary(measures: Sequence[Measure], wording: Mapping[str, str]) -> str:
    """One sentence on what the measures cost that never hides an unknown estimate."""
    if not measures:
        return "Kosten fallen erst an, wenn Maßnahmen erarbeitet sind."
    one_off = [m.cost.one_off for m in measures if m.cost.one_off is not None]
    yearly = [m.cost.yearly for m in measures if m.cost.yearly is not None]
    if not one_off and not yearly:
        return (
            f"Für keine der {count(len(measures), 'Maßnahme', 'Maßnahmen')} liegt bisher eine "
            f"Kostenschätzung vor; die Kosten sind {wording['unknown']}."
        )
    parts = []
    if one_off:
        parts.append(f"einmalig {_plain(sum(one_off))}")
    if yearly:
        parts.append(f"{_plain(sum(yearly))} im Jahr an Folgekosten")
    costed = [m for m in measures if m.cost.known]
    missing = len(measures) - len(costed)
    if missing == 0:
        return f"Die Maßnahmen kosten nach den Schätzungen {' und '.join(parts)}."
    return (
        f"Die geschätzten Kosten betragen {' und '.join(parts)}; "
        f"davon {count(missing, 'Maßnahme', 'Maßnahmen')} ohne vollständige Kostenschätzung, "
        "deren Kosten noch hinzukommen."
    )


def staff_summary(measures: Sequence[Measure], wording: Mapping[str, str]) -> str:
    """The staff need during implementation, saying how many measures are not yet estimated."""
    known = [m.staff_fte for m in measures if m.staff_fte is not None]
    missing = len(measures) - len(known)
    if not measures:
        return f"Personalbedarf: {wording['unknown']}, solange keine Maßnahmen erarbeitet sind"
    if not known:
        return f"Personalbedarf: {wording['unknown']} (für keine Maßnahme geschätzt)"
    text = f"Personalbedarf: {zahl(sum(known))} Vollzeitäquivalente während der Umsetzung"
    if missing:
        text += f" (davon {count(missing, 'Maßnahme', 'Maßnahmen')} ohne Schätzung)"
    return text


def monitoring_paragraph(strategy: Strategy, council: str) -> str:
    """Who follows the implementation and who gets the progress reports, from the organigram."""
    roles = roles_by_kind(strategy)
    lead = roles.get("digital_officer", []) + roles.get("cdo", [])
    pilots = roles.get("pilot", []) + roles.get("topic_sponsor", [])
    board = roles.get("digital_council", [])
    sentences = []
    people = [r.title for r in lead[:1]] + ([pilots[0].title] if pilots else [])
    if people:
        sentences.append(
            f"{_join(people)} besprechen regelmäßig den Stand jeder Maßnahme."
            if len(people) > 1
            else f"Den Stand jeder Maßnahme verfolgt die Funktion „{people[0]}“."
        )
    rhythm = strategy.reporting.rhythm_months
    every = "Jeden Monat" if rhythm == 1 else f"Alle {rhythm} Monate"
    receiver = the(board[0].title) if board else the(council)
    sentences.append(f"{every} erhält {receiver} einen Fortschrittsbericht.")
    return " ".join(sentences)


def schedule_intro(strategy: Strategy) -> str:
    """How the schedule came about, naming the priority it followed only if there is one."""
    schedule = strategy.schedule
    if schedule is None:
        return ""
    limits = schedule.limits
    text = (
        f"Der Zeitplan ordnet die Maßnahmen ab {datum(limits.start)} über "
        f"{count(limits.horizon_years, 'Jahr', 'Jahre')} so an, dass Abhängigkeiten eingehalten "
        "werden und die Mittel und das Personal je Jahr reichen, soweit sie festgelegt sind."
    )
    ranking = strategy.ranking
    if ranking is not None and ranking.assessed:
        text += " Maßnahmen mit höherem Rang werden zuerst eingeplant."
    else:
        text += (
            " Eine bewertete Rangfolge liegt nicht vor; Maßnahmen mit gesetzlicher Frist "
            "kommen zuerst, die übrigen in der Reihenfolge der Strategie."
        )
    return text


def passed_deadlines(strategy: Strategy, today: dt.date) -> list[str]:
    """One sentence per open measure whose legal deadline has passed by ``today``."""
    sentences = []
    for measure in strategy.measures:
        deadline = measure.legal_deadline
        if deadline is None or deadline >= today or measure.status not in _OPEN:
            continue
        driver = f" ({measure.legal_driver.strip()})" if measure.legal_driver.strip() else ""
        sentences.append(
            f"Die gesetzliche Frist{driver} für „{measure.title}“ ist am {datum(deadline)} "
            "abgelaufen; die Maßnahme ist noch nicht abgeschlossen."
        )
    return sentences
