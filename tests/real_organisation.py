"""An organisation as municipalities really have it (issue 17), for several tests."""

from __future__ import annotations

import datetime as dt

import attrs

import kommunal_digital as kd
from kommunal_digital.model import (
    Organigram,
    Relation,
    RelationKind,
    Role,
    RoleHolding,
    RoleKind,
    RoleState,
    StakeholderGroup,
)


def real_organigram() -> Organigram:
    """Volunteers, 36 Digitallotsen from 15 departments, a vacant officer, a network."""
    roles = (
        Role("buergermeisterin", "Bürgermeisterin", RoleKind.MAYOR, holder="Anna Beispiel"),
        Role("vg-rat", "Verbandsgemeinderat", RoleKind.COUNCIL),
        Role("stabsstelle", "Stabsstelle Digitalisierung", RoleKind.STAFF_UNIT),
        Role(
            "digitalbeauftragte",
            "Digitalbeauftragte/r",
            RoleKind.DIGITAL_OFFICER,
            state=RoleState.VACANT,
            history=(
                RoleHolding(
                    "Bernd Vorgänger",
                    since=dt.date(2021, 4, 1),
                    until=dt.date(2024, 9, 30),
                    note="in den Ruhestand gegangen",
                ),
            ),
        ),
        Role("digitalrat", "Digitalrat", RoleKind.DIGITAL_COUNCIL, state=RoleState.PLANNED),
        Role(
            "digitallotsen",
            "Digitallotsinnen und Digitallotsen",
            RoleKind.PILOT,
            state=RoleState.FILLED,
            headcount=36,
            department_count=15,
            departments=("Bürgerdienste", "Bauen und Ortsentwicklung"),
        ),
        Role(
            "digitalbotschafter",
            "Digitalbotschafterinnen und -botschafter im Ehrenamt",
            RoleKind.VOLUNTEER,
            headcount=12,
        ),
        Role(
            "gewerbeverein",
            "Gewerbeverein Eichenberg",
            RoleKind.EXTERNAL_PARTNER,
            group=StakeholderGroup.WIRTSCHAFT,
        ),
        Role("fraktionen", "Vertretung der Ratsfraktionen", RoleKind.COMMITTEE),
        Role(
            "seniorenbeirat",
            "Seniorenbeirat",
            RoleKind.EXTERNAL_PARTNER,
            group=StakeholderGroup.VEREINE,
        ),
        Role("ndd", "Netzwerk Digitale Dörfer", RoleKind.NETWORK),
        Role(
            "digitalcoach",
            "Digitalcoach im Sozialamt",
            RoleKind.DEPARTMENT,
            state=RoleState.REJECTED,
        ),
    )
    relations = (
        Relation("stabsstelle", "buergermeisterin", RelationKind.REPORTS_TO),
        Relation("digitalbeauftragte", "stabsstelle", RelationKind.LEADS),
        Relation("digitalbeauftragte", "digitalrat", RelationKind.MEMBER_OF),
        Relation("digitalrat", "vg-rat", RelationKind.ADVISES),
        Relation("digitallotsen", "stabsstelle", RelationKind.REPORTS_TO),
        Relation("digitalbotschafter", "stabsstelle", RelationKind.LIAISES_WITH),
        Relation("gewerbeverein", "digitalrat", RelationKind.MEMBER_OF),
        Relation("fraktionen", "digitalrat", RelationKind.MEMBER_OF),
        Relation("seniorenbeirat", "digitalrat", RelationKind.MEMBER_OF),
        Relation("buergermeisterin", "ndd", RelationKind.MEMBER_OF),
    )
    return Organigram(roles=roles, relations=relations)


def real_strategy() -> kd.Strategy:
    """The demo strategy (Rheinland-Pfalz) with :func:`real_organigram`."""
    return attrs.evolve(kd.demo_strategy(planned=False), organigram=real_organigram())
