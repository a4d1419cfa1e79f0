"""The Word templates of the base pack other than the Digitalstrategie.

Each function builds one template against the render context of its
document type (``docs/render-context.md``).
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from template_kit import (
    CENTER,
    RIGHT,
    caption,
    heading,
    key_value_table,
    labelled,
    loop_table,
    milestones_table,
    new_document,
    para,
    relations_table,
    roles_table,
    tag,
    tasks_table,
    unplaced_and_done_tables,
)


def external_when(var: str) -> str:
    """Jinja text: "erreicht am …", "erwartet am …" or the pack's wording for unknown."""
    return (
        f"{{% if {var}.reached %}}erreicht am {{{{ {var}.reached_on|datum }}}}"
        f"{{% elif {var}.expected_on %}}erwartet am {{{{ {var}.expected_on|datum }}}}"
        f"{{% else %}}Termin {{{{ wording.unknown }}}}{{% endif %}}"
    )


def waits_for_text(item: str) -> str:
    """Jinja text listing what a measure waits for, with owner and date."""
    return (
        f"{{% for w in {item}.waits_for %}}{{{{ w.title }}}}{{% if w.owner %}} "
        "({{ w.owner }}){% endif %}, " + external_when("w") + "{% if not loop.last %}; "
        "{% endif %}{% endfor %}"
    )


def external_table(doc: Document, items: str) -> None:
    """A table of external milestones (``items``) with owner, date and waiting measures."""
    loop_table(
        doc,
        headers=["Meilenstein außerhalb der Kommune", "Zuständig", "Termin", "Maßnahmen"],
        opening=f"for e in {items}",
        body=[
            "{{ e.title }}{% if e.note %} – {{ e.note }}{% endif %}",
            "{{ e.owner or '–' }}",
            external_when("e"),
            "{% for m in e.measures %}{{ m.number }}. {{ m.title }}"
            "{% if not loop.last %}; {% endif %}{% else %}–{% endfor %}",
        ],
        widths=(5.4, 3.4, 3.4, 3.8),
    )


def _head(doc: Document, kind: str, title: str) -> None:
    para(doc, kind + " · {{ municipality.name }}", "Subtitle")
    para(doc, title, "Title")
    para(doc, "Stand: {{ document.date|datum }}")


def steckbrief() -> Document:
    doc = new_document("Maßnahmen-Steckbrief")
    _head(doc, "Maßnahmen-Steckbrief", "{{ measure.title }}")
    labelled(
        doc,
        "Handlungsfeld: ",
        "{{ measure.field_title }} · Maßnahme Nr. {{ measure.number }}"
        "{% if placement.rank %} · Rang {{ placement.rank }}{% endif %}",
    )
    heading(doc, "Ziel und Beschreibung", 1)
    tag(doc, "if measure.goal")
    labelled(doc, "Ziel: ", "{{ measure.goal|trim }}")
    tag(doc, "endif")
    para(doc, "{{ measure.description|trim or 'Die Beschreibung folgt.' }}")
    tag(doc, "if profile")
    labelled(doc, "Angestrebtes Ergebnis: ", "{{ profile.result|trim or 'noch offen' }}")
    labelled(doc, "Zielgruppe: ", "{{ profile.target_group|trim or 'noch offen' }}")
    tag(doc, "endif")
    heading(doc, "Eckdaten", 1)
    key_value_table(
        doc,
        [
            ("Dauer", "{{ measure.duration_months|monate(wording.unknown) }}"),
            (
                "Zeitraum",
                "{{ placement.start|monat }} bis {{ placement.end|monat }}",
                "placement.start",
            ),
            ("Begonnen", "{{ measure.start_on|datum }}", "measure.start_on"),
            ("Zieltermin", "{{ measure.target_on|datum }}", "measure.target_on"),
            ("Spätestes Ende", "{{ measure.deadline|datum }}", "measure.deadline"),
            ("Abgeschlossen am", "{{ measure.finished_on|datum }}", "measure.finished_on"),
            ("Einmalige Kosten", "{{ measure.cost_one_off|euro(wording.unknown) }}"),
            (
                "Laufende Kosten",
                "{{ measure.cost_yearly|euro(wording.unknown) }}"
                "{% if measure.cost_yearly is not none %} pro Jahr{% endif %}",
            ),
            (
                "Personal",
                "{% if measure.staff_fte is none %}{{ wording.unknown }}{% else %}"
                "{{ measure.staff_fte|zahl }} Vollzeitäquivalente{% endif %}",
            ),
            ("Verantwortlich", "{{ measure.owner_role or wording.unknown }}"),
            ("Gilt für", "{{ measure.members_text }}", "measure.members_text"),
            (
                "Beteiligte Kommunen",
                "{{ measure.sharing.partners|join(', ') }}{% if measure.sharing.basis %} "
                "(Kosten {{ measure.sharing.basis }}){% endif %}"
                "{% if measure.sharing.shares|length > 1 %}{% for s in measure.sharing.shares %}"
                "; {{ s.name }}: einmalig {{ s.one_off|euro(wording.unknown) }}, laufend "
                "{{ s.yearly|euro(wording.unknown) }}{% endfor %}{% endif %}",
                "measure.sharing",
            ),
            ("Projektleitung", "{{ profile.lead|trim }}", "profile and profile.lead"),
            ("Partner", "{{ measure.partners|join(', ') }}", "measure.partners"),
            ("Finanzierung", "{{ measure.funding_sources|join(', ') }}", "measure.funding_sources"),
            (
                "Setzt voraus",
                "{{ measure.depends_on|join(', ') }}",
                "measure.depends_on",
            ),
            ("Wartet auf", waits_for_text("measure"), "measure.waits_for"),
            (
                "Rechtliche Vorgabe",
                "{{ measure.legal_driver }}{% if measure.legal_deadline %}, Frist: "
                "{{ measure.legal_deadline|datum }}{% if measure.legal_deadline_passed %} "
                "(verstrichen){% endif %}{% endif %}",
                "measure.legal_driver or measure.legal_deadline",
            ),
            ("Stand", "{{ measure.status }}, {{ measure.progress|prozent }} umgesetzt"),
        ],
    )
    tag(doc, "if measure.stakeholders")
    heading(doc, "Beteiligte", 1)
    loop_table(
        doc,
        headers=["Wer", "Rolle in der Maßnahme"],
        opening="for s in measure.stakeholders",
        body=["{{ s.name }}", "{{ s.role }}"],
        widths=(9.0, 7.0),
    )
    tag(doc, "endif")
    heading(doc, "Arbeitsschritte", 1)
    tag(doc, "if steps")
    tasks_table(doc, "steps")
    tag(doc, "else")
    para(doc, "Die Arbeitsschritte werden in der vertieften Planung festgelegt.")
    tag(doc, "endif")
    heading(doc, "Meilensteine", 1)
    tag(doc, "if milestones")
    milestones_table(doc, "milestones")
    tag(doc, "else")
    para(doc, "Die Meilensteine werden in der vertieften Planung festgelegt.")
    tag(doc, "endif")
    heading(doc, "Erfolgsmessung", 1)
    tag(doc, "if measure.indicators")
    loop_table(
        doc,
        headers=["Indikator", ("Ausgangswert", RIGHT), ("Zielwert", RIGHT), "Einheit"],
        opening="for i in measure.indicators",
        body=[
            "{{ i.name }}",
            ("{{ i.baseline|zahl }}", RIGHT),
            ("{{ i.target|zahl }}", RIGHT),
            "{{ i.unit or '–' }}",
        ],
        widths=(6.0, 3.6, 3.0, 3.4),
    )
    tag(doc, "else")
    para(doc, "Für diese Maßnahme ist noch kein Indikator festgelegt.")
    tag(doc, "endif")
    return doc


def vorgehensplan() -> Document:
    doc = new_document("Vorgehensplan")
    _head(doc, "Vorgehensplan", "{{ strategy.title }}")
    tag(doc, "if roadmap")
    para(
        doc,
        "Der Plan beginnt am {{ roadmap.start|datum }} und gliedert die Arbeit in "
        "{{ roadmap.phases|length }} Phasen. Die Aufgaben nennen, wer sie übernimmt und bis "
        "wann, soweit das schon feststeht; die Meilensteine zeigen, wann ein Abschnitt "
        "erreicht ist.",
    )
    tag(doc, "for phase in roadmap.phases")
    heading(doc, "Phase {{ loop.index }}: {{ phase.title }}", 1)
    tag(doc, "if phase.tasks")
    caption(doc, "Aufgaben")
    tasks_table(doc, "phase.tasks")
    tag(doc, "endif")
    tag(doc, "if phase.milestones")
    caption(doc, "Meilensteine")
    milestones_table(doc, "phase.milestones")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "else")
    para(doc, "Der Vorgehensplan ist noch nicht erstellt.")
    tag(doc, "endif")
    tag(doc, "if schedule")
    heading(doc, "Zeitplan der Maßnahmen", 1)
    tag(doc, "if images is defined and images.zeitplan is defined")
    para(doc, "{{ images.zeitplan }}")
    caption(doc, "Zeitplan der Maßnahmen")
    tag(doc, "endif")
    loop_table(
        doc,
        headers=["Nr.", "Maßnahme", "Handlungsfeld", "Beginn", "Ende", "Hinweis"],
        opening="for p in schedule.placed",
        body=[
            "{{ p.number }}",
            "{{ p.title }}",
            "{{ p.field_title }}",
            "{{ p.start|monat }}",
            "{{ p.end|monat }}",
            "{{ p.notes|join(' ') or '–' }}",
        ],
        widths=(1.0, 4.6, 3.4, 2.3, 2.3, 3.4),
    )
    unplaced_and_done_tables(
        doc, unplaced="Nicht eingeplant", done="Bereits abgeschlossen", widths=(6.0, 11.0)
    )
    tag(doc, "if schedule.external_milestones")
    heading(doc, "Abhängigkeiten außerhalb der Kommune", 1)
    para(
        doc,
        "Der Zeitplan lässt Maßnahmen, die auf einen dieser Meilensteine warten, nicht vor "
        "dessen Termin beginnen; ist ein Termin offen, steht das in den Hinweisen.",
    )
    external_table(doc, "schedule.external_milestones")
    tag(doc, "endif")
    tag(doc, "endif")
    return doc


def beschlussvorlage() -> Document:
    doc = new_document("Beschlussvorlage")
    para(doc, "Beschlussvorlage", "Title")
    key_value_table(
        doc,
        [
            ("Gremium", "{{ council }}"),
            ("Kommune", "{{ municipality.name }}"),
            ("Datum", "{{ document.date|datum }}"),
            ("Betreff", "{{ proposal.subject }}"),
        ],
    )
    heading(doc, "Beschlussvorschlag", 1)
    tag(doc, "for point in proposal.decision")
    para(doc, "{{ point }}", "List Number")
    tag(doc, "endfor")
    heading(doc, "Begründung", 1)
    tag(doc, "for paragraph in proposal.justification")
    para(doc, "{{ paragraph }}")
    tag(doc, "endfor")
    tag(doc, "if top_measures")
    caption(doc, "Maßnahmen mit Vorrang")
    loop_table(
        doc,
        headers=[("Rang", CENTER), "Maßnahme", "Handlungsfeld"],
        opening="for m in top_measures",
        body=[("{{ m.rank }}", CENTER), "{{ m.title }}", "{{ m.field_title }}"],
        widths=(1.6, 8.4, 6.0),
    )
    tag(doc, "endif")
    heading(doc, "Finanzielle Auswirkungen", 1)
    para(doc, "{{ finances.summary }}")
    tag(doc, "if partner and partner.measures")
    caption(doc, "Anteil {{ partner.name }} je Maßnahme")
    loop_table(
        doc,
        headers=[
            ("Nr.", CENTER),
            "Maßnahme",
            ("Anteil einmalig", RIGHT),
            ("Anteil laufend", RIGHT),
            ("Anteil Personal", RIGHT),
        ],
        opening="for m in partner.measures",
        body=[
            ("{{ m.number }}", CENTER),
            "{{ m.title }}{% if not m.shared %} (allein){% endif %}",
            ("{{ m.one_off|euro(wording.unknown) }}", RIGHT),
            ("{{ m.yearly|euro(wording.unknown) }}", RIGHT),
            (
                "{% if m.staff_fte is none %}{{ wording.unknown }}{% else %}"
                "{{ m.staff_fte|zahl }} VZÄ{% endif %}",
                RIGHT,
            ),
        ],
        footer=[
            "",
            "Summe {{ partner.name }}",
            ("{{ partner.one_off|summe(partner.uncosted, wording.unknown) }}", RIGHT),
            ("{{ partner.yearly|summe(partner.uncosted_yearly, wording.unknown) }}", RIGHT),
            "",
        ],
        widths=(1.4, 6.0, 3.2, 3.0, 2.4),
    )
    tag(doc, "endif")
    tag(doc, "if finances.programmes")
    caption(doc, "Förderung der Strategie")
    loop_table(
        doc,
        headers=["Programm", ("Volumen", RIGHT), ("Eigenanteil", RIGHT), "Zeitraum"],
        opening="for f in finances.programmes",
        body=[
            "{{ f.title }}{% if f.provider %} ({{ f.provider }}){% endif %}",
            ("{{ f.amount|euro(wording.unknown) }}", RIGHT),
            (
                "{{ f.own_amount|euro(wording.unknown) }}"
                "{% if f.own_share is not none %} ({{ f.own_share|zahl }} %){% endif %}"
                "{% if partner and f.partner_own_amount is not none %}, davon "
                "{{ partner.name }}: {{ f.partner_own_amount|euro }}{% endif %}",
                RIGHT,
            ),
            "{% if f.start or f.end %}{{ f.start|datum }} bis {{ f.end|datum }}"
            "{% else %}{{ wording.unknown }}{% endif %}",
        ],
        widths=(5.6, 3.0, 4.6, 2.8),
    )
    tag(doc, "endif")
    tag(doc, "if finances.years and finances.incomplete < finances.measures")
    caption(doc, "Haushaltsmittel je Jahr nach dem Zeitplan")
    loop_table(
        doc,
        headers=[
            "Jahr",
            ("Einmalig", RIGHT),
            ("Folgekosten", RIGHT),
            ("Summe", RIGHT),
            ("Förder- und Drittmittel", RIGHT),
            ("Eigenanteil", RIGHT),
        ],
        opening="for y in finances.years",
        body=[
            "{{ y.year }}",
            ("{{ y.one_off|summe(y.uncosted, wording.unknown) }}", RIGHT),
            ("{{ y.follow_on|summe(y.uncosted_follow_on, wording.unknown) }}", RIGHT),
            ("{{ y.total|summe(y.incomplete, wording.unknown) }}", RIGHT),
            ("{{ y.income|summe(y.unquantified, wording.unknown) }}", RIGHT),
            ("{{ y.own_share|summe(y.incomplete, wording.unknown) }}", RIGHT),
        ],
        footer=[
            "Gesamt",
            "",
            "",
            ("{{ finances.planned_total|summe(finances.incomplete, wording.unknown) }}", RIGHT),
            ("{{ finances.planned_income|summe(finances.unquantified, wording.unknown) }}", RIGHT),
            (
                "{{ finances.planned_own_share|summe(finances.incomplete, wording.unknown) }}",
                RIGHT,
            ),
        ],
        widths=(1.9, 2.6, 2.9, 2.9, 3.0, 2.7),
    )
    tag(doc, "elif finances.scheduled")
    para(
        doc,
        "Für die Maßnahmen im Zeitplan liegt noch keine Kostenschätzung vor; die Mittel je Jahr "
        "werden mit ihr ermittelt.",
    )
    tag(doc, "else")
    para(doc, "Ein Zeitplan liegt noch nicht vor; die Mittel je Jahr werden mit ihm ermittelt.")
    tag(doc, "endif")
    heading(doc, "Personelle Auswirkungen", 1)
    para(doc, "{{ staffing.staff_text }}.")
    tag(doc, "if staffing.officer")
    para(
        doc,
        "Die Steuerung übernimmt die Funktion „{{ staffing.officer }}“"
        "{% if staffing.officer_holder %} ({{ staffing.officer_holder }}){% endif %}.",
    )
    tag(doc, "endif")
    tag(doc, "if staffing.extra_staff_measures")
    para(doc, "Zusätzliches Personal brauchen:")
    tag(doc, "for title in staffing.extra_staff_measures")
    para(doc, "{{ title }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "elif staffing.extra_staff_text")
    para(doc, "{{ staffing.extra_staff_text }}")
    tag(doc, "endif")
    heading(doc, "Anlagen", 1)
    tag(doc, "for attachment in attachments")
    para(doc, "{{ attachment }}", "List Bullet")
    tag(doc, "endfor")
    return doc


def organigramm() -> Document:
    doc = new_document("Organigramm")
    _head(doc, "Organigramm", "Organisation des digitalen Wandels")
    tag(doc, "if organigram")
    tag(doc, "if images is defined and images.organigramm is defined")
    para(doc, "{{ images.organigramm }}")
    caption(doc, "Organigramm")
    tag(doc, "endif")
    heading(doc, "Rollen", 1)
    roles_table(doc)
    tag(doc, "if pilots")
    heading(doc, "Zuständigkeit je Handlungsfeld", 1)
    loop_table(
        doc,
        headers=["Handlungsfeld", "Betreut von", "Verantwortet Maßnahmen"],
        opening="for p in pilots",
        body=[
            "{{ p.field_title }}",
            "{{ p.pilot or 'noch offen' }}{% if p.holder %} ({{ p.holder }}){% endif %}",
            "{{ p.owners|join(', ') or '–' }}",
        ],
        widths=(5.0, 5.5, 5.5),
    )
    tag(doc, "endif")
    tag(doc, "if organigram.relations")
    heading(doc, "Beziehungen", 1)
    relations_table(doc)
    tag(doc, "endif")
    tag(doc, "else")
    para(doc, "Die Organisation des digitalen Wandels ist noch nicht festgelegt.")
    tag(doc, "endif")
    return doc


def fortschrittsbericht() -> Document:
    doc = new_document("Fortschrittsbericht")
    _head(doc, "Fortschrittsbericht", "Stand der Umsetzung")
    para(doc, "{{ strategy.title }}")
    labelled(
        doc,
        "Berichtszeitraum: ",
        "{{ report.since|datum }} bis {{ report.as_of|datum }} · Berichtsrhythmus: "
        "alle {{ report.rhythm_months }} Monate",
    )
    heading(doc, "Gesamtfortschritt", 1)
    labelled(doc, "Umgesetzt: ", "{{ report.overall.progress|prozent }}")
    para(doc, "{{ report.overall.explanation }}")
    tag(doc, "if report.status_counts")
    caption(doc, "Maßnahmen nach Stand")
    loop_table(
        doc,
        headers=["Stand", ("Anzahl", CENTER)],
        opening="for c in report.status_counts",
        body=["{{ c.label }}", ("{{ c.count }}", CENTER)],
        widths=(11.0, 5.0),
    )
    tag(doc, "endif")
    heading(doc, "Fortschritt je Handlungsfeld", 1)
    loop_table(
        doc,
        headers=["Handlungsfeld", ("Fortschritt", RIGHT), "Wie der Wert entsteht"],
        opening="for f in report.fields",
        body=["{{ f.title }}", ("{{ f.progress|prozent }}", RIGHT), "{{ f.explanation }}"],
        widths=(3.8, 2.7, 9.5),
    )
    heading(doc, "Stand der Maßnahmen", 1)
    loop_table(
        doc,
        headers=["Maßnahme", "Stand", ("Fortschritt", RIGHT), "Letzte Meldung", "Hinweise"],
        opening="for m in report.measures",
        body=[
            "{{ m.title }}",
            "{{ m.status_label }}",
            ("{{ m.progress|prozent }}", RIGHT),
            "{{ m.last_update_on|datum('keine') }}",
            "{% for f in m.flags %}{{ f.reason }}{% if not loop.last %} {% endif %}"
            "{% else %}–{% endfor %}",
        ],
        widths=(4.2, 2.4, 2.7, 2.4, 4.3),
    )
    heading(doc, "Handlungsbedarf", 1)
    tag(doc, "if report.late")
    caption(doc, "Im Verzug")
    tag(doc, "for m in report.late")
    labelled(doc, "{{ m.title }}: ", "{{ m.reasons|join(' ') }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "if report.stale")
    caption(doc, "Ohne aktuelle Meldung")
    tag(doc, "for m in report.stale")
    labelled(doc, "{{ m.title }}: ", "{{ m.reasons|join(' ') }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "if not report.measures")
    para(doc, "Maßnahmen sind {{ wording.to_be_worked_out }}.")
    tag(doc, "elif not report.late and not report.stale")
    para(doc, "Alle Maßnahmen sind im Plan und aktuell gemeldet.")
    tag(doc, "endif")
    heading(doc, "Meldungen seit dem letzten Bericht", 1)
    tag(doc, "if report.updates")
    loop_table(
        doc,
        headers=["Datum", "Maßnahme", "Stand", "Notiz"],
        opening="for u in report.updates",
        body=[
            "{{ u.date|datum }}",
            "{{ u.title }}",
            "{{ u.status_label }}{% if u.progress is not none %}, "
            "{{ u.progress|prozent }}{% endif %}",
            "{{ u.note or '–' }}{% if u.author %} ({{ u.author }}){% endif %}",
        ],
        widths=(2.8, 4.6, 3.0, 5.6),
    )
    tag(doc, "else")
    para(doc, "Seit dem letzten Bericht sind keine Meldungen eingegangen.")
    tag(doc, "endif")
    return doc


#: Template file name and builder of each document type in this module.
BUILDERS: dict[str, Callable[[], Document]] = {
    "steckbrief.docx": steckbrief,
    "vorgehensplan.docx": vorgehensplan,
    "beschlussvorlage.docx": beschlussvorlage,
    "organigramm.docx": organigramm,
    "fortschrittsbericht.docx": fortschrittsbericht,
}
