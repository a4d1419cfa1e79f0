"""Pictures for documents: the organigram, the power/interest grid, the Gantt chart.

The built-in pictures are drawn with matplotlib (imported lazily, Agg backend) at A4 text
width (16 cm) with German labels, and returned as PNG or SVG bytes. Labels
never overlap by construction: organigram boxes sit on a grid with gaps and
long levels wrap into further rows; stakeholders in the grid are numbered
markers explained in a legend beside the chart. The pictures of plugins'
picture sources (:mod:`kommunal_digital.documents.contributions`) are
added under their own names.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from kommunal_digital._version import __version__
from kommunal_digital.documents.contributions import BUILTIN_PICTURES, contributed_pictures
from kommunal_digital.documents.lazy_mapping import LazyMapping
from kommunal_digital.drawing import DPI, TEXT_WIDTH, ImageFormat, new_figure, picture_bytes
from kommunal_digital.io.disk_cache import default_cache, key_of
from kommunal_digital.io.forked import ForkedWork, can_fork
from kommunal_digital.io.lru import Lru
from kommunal_digital.maturity.radar import strategy_maturity_image
from kommunal_digital.model import Organigram, Strategy
from kommunal_digital.model.fingerprints import fingerprint
from kommunal_digital.model.labels import RelationKind, RoleKind, RoleState
from kommunal_digital.model.organigram import Relation, Role
from kommunal_digital.organisation.stakeholders import Quadrant
from kommunal_digital.workspace.workspace import Workspace

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "GANTT_MAX_ROWS",
    "ORGANIGRAM_MAX_ROLES",
    "STAKEHOLDER_LEGEND_LINES",
    "BoxLayout",
    "GanttRow",
    "box_text",
    "chart_images",
    "clear_picture_cache",
    "document_images",
    "document_pictures",
    "draw_aside",
    "gantt_image",
    "gantt_rows",
    "organigram_image",
    "organigram_layout",
    "organigram_summary",
    "picture_files",
    "stakeholder_grid_image",
    "stop_drawing_aside",
]

_BOXES_PER_ROW = 5
_BOX_W = 0.86  # of one column
_BOX_H = 0.62  # of one row
_FONT = 7.5
_MIN_FONT = 5.0
_WRAP = 18

_UP = (RelationKind.REPORTS_TO, RelationKind.LEADS, RelationKind.MEMBER_OF)
_SIDE = (RelationKind.ADVISES, RelationKind.LIAISES_WITH)
_EDGE_STYLE: dict[RelationKind, dict[str, Any]] = {
    RelationKind.REPORTS_TO: {"linestyle": "-", "color": "#333333", "linewidth": 1.0},
    RelationKind.LEADS: {"linestyle": "-", "color": "#1f5f99", "linewidth": 1.8},
    RelationKind.MEMBER_OF: {"linestyle": "--", "color": "#555555", "linewidth": 0.9},
    RelationKind.ADVISES: {"linestyle": ":", "color": "#2e7d32", "linewidth": 1.2},
    RelationKind.LIAISES_WITH: {"linestyle": "-.", "color": "#8d6e63", "linewidth": 0.9},
}
_KIND_COLOUR = {
    RoleKind.MAYOR: "#d6e4f0",
    RoleKind.COUNCIL: "#f3e5c0",
    RoleKind.COMMITTEE: "#f3e5c0",
    RoleKind.DIGITAL_COUNCIL: "#dcedc8",
    RoleKind.EXTERNAL_PARTNER: "#eeeeee",
    RoleKind.TOPIC_SPONSOR: "#fce4ec",
    RoleKind.WORKING_GROUP: "#fce4ec",
    RoleKind.VOLUNTEER: "#fce4ec",
    RoleKind.NETWORK: "#e0f2f1",
}
#: Border of a box by the role's state: a post that is not held is dashed.
_STATE_BORDER: dict[RoleState | None, str] = {
    RoleState.PLANNED: "--",
    RoleState.VACANT: "--",
    RoleState.REJECTED: ":",
}


def box_text(role: Role) -> str:
    """The text of a role's box: its title, then head count, departments and state.

    E.g. ``Digitallotsen`` / ``36 aus 15 Fachbereichen``, or
    ``Digitalbeauftragte/r`` / ``(unbesetzt)``; each part wrapped for the box.
    """
    parts = [role.title]
    departments = role.departments_total
    if role.headcount is not None and departments is not None:
        parts.append(f"{role.headcount} aus {departments} Fachbereichen")
    elif role.headcount is not None:
        parts.append(f"{role.headcount} Personen")
    elif departments is not None:
        parts.append(f"aus {departments} Fachbereichen")
    if role.state is not None and role.state is not RoleState.FILLED:
        parts.append(f"({role.state.label})")
    return "\n".join(
        line for part in parts for line in textwrap.wrap(part, _WRAP, break_long_words=False)
    )


@attrs.frozen
class BoxLayout:
    """Where a role's box sits: centre ``x``/``y`` in grid units (row 0 at the top)."""

    key: str
    x: float
    y: float
    text: str


def _levels(organigram: Organigram) -> dict[str, int]:
    """Hierarchy level per role: the mayor and the council on top (0)."""
    up: dict[str, list[str]] = defaultdict(list)
    side: dict[str, list[str]] = defaultdict(list)
    for relation in organigram.relations:
        if relation.kind in _UP:
            up[relation.source].append(relation.target)
        else:
            side[relation.source].append(relation.target)
    tops = [r.key for r in organigram.roles if r.kind in (RoleKind.MAYOR, RoleKind.COUNCIL)]
    level: dict[str, int] = dict.fromkeys(tops, 0)
    # Relax repeatedly: a role sits one level below the highest role it reports up to.
    for _ in range(len(organigram.roles) + 1):
        changed = False
        for role in organigram.roles:
            if role.key in tops:
                continue
            targets = [level[t] for t in up[role.key] if t in level]
            if not targets:
                targets = [level[t] for t in side[role.key] if t in level]
            if targets:
                candidate = min(targets) + 1
                if level.get(role.key) != candidate:
                    level[role.key] = candidate
                    changed = True
        if not changed:
            break
    bottom = max(level.values(), default=0) + 1
    return {role.key: level.get(role.key, bottom) for role in organigram.roles}


def organigram_layout(organigram: Organigram) -> tuple[list[BoxLayout], int]:
    """Place every role on a grid; returns the boxes and the number of rows.

    Levels with more than five roles wrap into further rows, so boxes never
    get narrower than a fifth of the text width.
    """
    levels = _levels(organigram)
    by_level: dict[int, list[str]] = defaultdict(list)
    titles = {role.key: role.title for role in organigram.roles}
    texts = {role.key: box_text(role) for role in organigram.roles}
    for role in organigram.roles:
        by_level[levels[role.key]].append(role.key)
    boxes: list[BoxLayout] = []
    row = 0
    x_of: dict[str, float] = {}
    parents: dict[str, list[str]] = defaultdict(list)
    for relation in organigram.relations:
        parents[relation.source].append(relation.target)
    for level in sorted(by_level):
        # Order a level by the mean position of the roles it relates to, then title.
        keys = sorted(
            by_level[level],
            key=lambda k: (
                sum(x_of[p] for p in parents[k] if p in x_of)
                / max(1, sum(1 for p in parents[k] if p in x_of)),
                titles[k],
            ),
        )
        for start in range(0, len(keys), _BOXES_PER_ROW):
            chunk = keys[start : start + _BOXES_PER_ROW]
            offset = (_BOXES_PER_ROW - len(chunk)) / 2
            for index, key in enumerate(chunk):
                x = offset + index + 0.5
                x_of[key] = x
                boxes.append(BoxLayout(key=key, x=x, y=float(row), text=texts[key]))
            row += 1
    return boxes, row


#: Pictures kept in memory, by what they are drawn from; the least recently
#: used is dropped first.
PICTURE_CACHE_SIZE = 64
#: A picture's key: its name, its format and the fingerprint of its inputs.
_Key = tuple[str, str, str]
_PICTURES: Lru[_Key, bytes] = Lru(PICTURE_CACHE_SIZE)
#: Pictures a forked child is drawing (see :func:`draw_aside`), by key.
_PENDING: dict[_Key, ForkedWork[_Key]] = {}


@attrs.frozen
class _Builtin:
    """A built-in picture a strategy has: its names, what it is drawn from, how.

    ``inputs`` hold everything the drawing reads; the picture's key is their
    fingerprint, so equal inputs in another strategy object find the
    picture drawn for the first.
    """

    name: str  # in templates: images.<name>
    stem: str  # in Bilder/: <stem>.<format>
    inputs: tuple[Any, ...]
    draw: Callable[[ImageFormat], bytes]

    def key(self, fmt: ImageFormat) -> _Key:
        return (self.name, fmt, fingerprint(self.name, *self.inputs))


def _builtins(strategy: Strategy, workspace: Workspace) -> list[_Builtin]:
    """The built-in pictures the strategy has something to show in, in their listed order.

    The maturity radar only with its questionnaire at hand (the workspace's).
    The drawing functions are looked up when a picture is drawn.
    """
    pictures: list[_Builtin] = []
    organigram = strategy.organigram
    if organigram is not None:
        pictures.append(
            _Builtin(
                "organigramm",
                "Organigramm",
                (organigram,),
                lambda fmt: organigram_image(organigram, fmt),
            )
        )
    if strategy.stakeholders:
        pictures.append(
            _Builtin(
                "stakeholder",
                "Stakeholder-Matrix",
                (strategy.stakeholders,),
                lambda fmt: stakeholder_grid_image(strategy, fmt),
            )
        )
    if strategy.schedule is not None and strategy.schedule.placed:
        measures = [(m.key, m.title, m.action_field) for m in strategy.measures]
        fields = [(f.key, f.title, f.chosen) for f in strategy.action_fields]
        pictures.append(
            _Builtin(
                "zeitplan",
                "Zeitplan",
                (strategy.schedule.placed, measures, fields),
                lambda fmt: gantt_image(strategy, fmt),
            )
        )
    check = strategy.maturity_check
    questionnaire = None if check is None else workspace.questionnaires.get(check.questionnaire)
    if check is not None and questionnaire is not None:

        def radar(fmt: ImageFormat) -> bytes:
            image = strategy_maturity_image(strategy, workspace.questionnaires, fmt)
            assert image is not None  # the strategy has a maturity check
            return image

        pictures.append(
            _Builtin(
                "reifegrad",
                "Reifegrad",
                (check, questionnaire, strategy.municipality.maturity),
                radar,
            )
        )
    return pictures


def _picture(builtin: _Builtin, fmt: ImageFormat) -> bytes:
    """A built-in picture: from memory, from the child drawing it, from disk, or drawn."""
    key = builtin.key(fmt)

    def made() -> bytes:
        forked = _PENDING.pop(key, None)
        data = None if forked is None else forked.get(key)
        if data is None or not data.startswith(_SIGNATURES[fmt]):
            data = _stored(key)
            if data is not None:
                return data
            data = builtin.draw(fmt)
        # A later build (a new process) finds it on disk and draws nothing.
        default_cache().put("pictures", _disk_key(key), data)
        return data

    return _PICTURES.get(key, made)


def _disk_key(key: _Key) -> str:
    return key_of(_picture_version(), *key)


def _stored(key: _Key) -> bytes | None:
    """The picture from the disk cache, if an earlier build left it there."""
    data = default_cache().get("pictures", _disk_key(key))
    return data if data is not None and data.startswith(_SIGNATURES[key[1]]) else None


#: How each picture format begins (an entry on disk that does not is drawn anew).
_SIGNATURES: dict[str, bytes] = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml"}


@functools.cache
def _picture_version() -> str:
    """What else a picture's bytes depend on: matplotlib's version, ours, and the drawing code.

    The code of the modules that draw is part of it, so a changed drawing
    (in development, between releases) never finds an old picture on disk.
    """
    import sys
    from importlib.metadata import version  # lazy: only when a picture is looked up

    code = []
    for name in (__name__, "kommunal_digital.drawing", "kommunal_digital.maturity.radar"):
        try:
            code.append(Path(str(sys.modules[name].__file__)).read_bytes())
        except (KeyError, OSError, TypeError):
            code.append(name.encode())
    return f"matplotlib {version('matplotlib')} kd {__version__} dpi {DPI} {key_of(*code)}"


def draw_aside(
    strategy: Strategy,
    workspace: Workspace,
    pictures: Iterable[tuple[str, ImageFormat]],
) -> None:
    """Start drawing built-in pictures of the strategy in a forked child process.

    On a machine with more than one core, a build renders the documents
    that show no picture while a child draws the pictures (see
    :mod:`kommunal_digital.io.forked`); a picture is then taken from the
    child when it is first used. Pictures in memory or on disk are not
    drawn again. Where no child can be forked nothing happens, and each
    picture is drawn when first used. The bytes are the same either way.

    Args:
        strategy: The strategy to draw.
        workspace: Supplies the questionnaires.
        pictures: ``(name, format)`` pairs, e.g. ``("zeitplan", "png")``, in
            the order to draw them; pictures the strategy lacks are skipped.
    """
    wanted = list(dict.fromkeys(pictures))
    if not wanted or not can_fork():
        return
    builtins = {builtin.name: builtin for builtin in _builtins(strategy, workspace)}
    work: list[tuple[_Key, Callable[[], bytes]]] = []
    for name, fmt in wanted:
        builtin = builtins.get(name)
        if builtin is None:
            continue
        key = builtin.key(fmt)
        if key in _PENDING or key in _PICTURES:
            continue
        stored = _stored(key)
        if stored is not None:
            _PICTURES.get(key, _eager(stored))
            continue
        work.append((key, functools.partial(builtin.draw, fmt)))
    forked = ForkedWork.start(work)
    if forked is not None:
        _PENDING.update(dict.fromkeys((key for key, _ in work), forked))


def stop_drawing_aside() -> None:
    """End the children still drawing pictures nobody took (they are drawn here when used)."""
    children = {id(forked): forked for forked in _PENDING.values()}
    _PENDING.clear()
    for forked in children.values():
        forked.close()


def clear_picture_cache() -> None:
    """Forget every picture drawn so far."""
    stop_drawing_aside()
    _PICTURES.clear()


def _eager(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def picture_files(
    strategy: Strategy,
    workspace: Workspace,
    *,
    formats: Sequence[ImageFormat] = ("png", "svg"),
) -> Mapping[str, bytes]:
    """The pictures of :func:`chart_images`, each drawn when it is first read.

    The names are known at once (and the picture sources have run); a
    built-in picture is drawn, or taken from memory, disk or the child of
    :func:`draw_aside`, only when read.
    """
    check = strategy.maturity_check
    if check is not None and check.questionnaire not in workspace.questionnaires:
        strategy_maturity_image(strategy, workspace.questionnaires)  # raises: names the key
    builtins = _builtins(strategy, workspace)
    makers: dict[str, Callable[[], bytes]] = {
        f"{builtin.stem}.{fmt}": functools.partial(_picture, builtin, fmt)
        for fmt in formats
        for builtin in builtins
    }
    for name, data in contributed_pictures(strategy, workspace).items():
        makers[f"{name}.png"] = _eager(data)
    return LazyMapping(makers)


def chart_images(
    strategy: Strategy,
    workspace: Workspace,
    *,
    formats: Sequence[ImageFormat] = ("png", "svg"),
) -> dict[str, bytes]:
    """All pictures of a strategy by file name, as ``build`` writes them into ``Bilder/``.

    The built-in pictures in each of ``formats`` (``Organigramm.png``,
    ``Organigramm.svg``, ...), then the PNG of each of the workspace's
    picture sources as ``<name>.png``. The workspace also supplies the
    questionnaire of a maturity check (``Reifegrad``). A picture already
    drawn for the same inputs (by :func:`document_images`, say) is not
    drawn again.

    Args:
        strategy: The strategy to draw.
        workspace: Supplies the questionnaires and the picture sources.
        formats: ``"png"``, ``"svg"`` or both.

    Raises:
        DocumentError: A picture source fails or has a name a built-in
            picture has (see :func:`document_images`).
        ModelValidationError: The questionnaire of the maturity check is
            unknown or an answer does not fit it.
    """
    return dict(picture_files(strategy, workspace, formats=formats))


def document_pictures(strategy: Strategy, workspace: Workspace) -> Mapping[str, bytes]:
    """The pictures of :func:`document_images`, each drawn when it is first read.

    A document that shows no built-in picture never waits for one.
    """
    makers: dict[str, Callable[[], bytes]] = {
        name: _eager(data)
        for name, data in workspace.pack.asset_data().items()
        if name not in BUILTIN_PICTURES  # reported by pack check, never shown
    }
    for builtin in _builtins(strategy, workspace):
        makers[builtin.name] = functools.partial(_picture, builtin, "png")
    for name, data in contributed_pictures(strategy, workspace).items():
        makers[name] = _eager(data)
    return LazyMapping(makers)


def document_images(strategy: Strategy, workspace: Workspace) -> dict[str, bytes]:
    """The pictures a document embeds, by the name templates use (``images.<name>``).

    First the pack's own pictures (``[assets]`` in ``pack.toml``, merged
    along its ``extends`` chain), then the built-in pictures ``organigramm``,
    ``stakeholder``, ``zeitplan`` and ``reifegrad`` (each only when the
    strategy has what it shows; the workspace supplies the questionnaire of
    a maturity check), then the
    pictures of the workspace's picture sources (hook
    ``kd_picture_sources``) under their names; a picture source's picture
    replaces a pack picture of the same name. Pack pictures named like a
    built-in picture are left out (``pack check`` reports them).

    Args:
        strategy: The strategy to draw.
        workspace: Supplies the pack's pictures, the questionnaires and the
            picture sources.

    Raises:
        DocumentError: A picture source has a name that is not a key or
            that a built-in picture has, fails, or returns something other
            than PNG bytes; the message names the source.
        PackError: A picture of the pack is bad (type, size, path).
    """
    return dict(document_pictures(strategy, workspace))


#: Most bars a Gantt chart shows one per measure; a larger schedule is
#: summarised with one bar per action field (see :func:`gantt_rows`).
GANTT_MAX_ROWS = 40


@attrs.frozen
class GanttRow:
    """One bar of the Gantt chart: a measure, or an action field's measures together."""

    label: str
    field: str
    start: dt.date
    end: dt.date


def gantt_rows(strategy: Strategy) -> list[GanttRow]:
    """The bars of the Gantt chart, by start.

    Up to :data:`GANTT_MAX_ROWS` placed measures, one bar each, labelled with
    the measure's title. A larger schedule would give a picture nobody can
    read (and one whose size grows without bound), so each action field
    gets one bar from its first start to its last end, labelled with the
    field's title and the number of its measures; the documents list every
    measure with its dates in their tables.
    """
    schedule = strategy.schedule
    placed = list(schedule.placed) if schedule is not None else []
    measures = {m.key: m for m in strategy.measures}
    if len(placed) <= GANTT_MAX_ROWS:
        return [
            GanttRow(
                textwrap.shorten(measures[item.measure].title, 42, placeholder="…"),
                measures[item.measure].action_field,
                item.start,
                item.end,
            )
            for item in placed
        ]
    titles = {f.key: f.title for f in strategy.action_fields}
    spans: dict[str, list[Any]] = {}
    for item in placed:
        field = measures[item.measure].action_field
        span = spans.setdefault(field, [item.start, item.end, 0])
        span[0] = min(span[0], item.start)
        span[1] = max(span[1], item.end)
        span[2] += 1
    rows = [
        GanttRow(
            textwrap.shorten(
                f"{titles.get(field, field)} ({count} Maßnahmen)", 42, placeholder="…"
            ),
            field,
            start,
            end,
        )
        for field, (start, end, count) in spans.items()
    ]
    return sorted(rows, key=lambda row: (row.start, row.label))


def gantt_figure(strategy: Strategy) -> Figure:
    """Draw the schedule as a Gantt chart: one bar per placed measure (or field), by start."""
    import importlib

    # matplotlib.dates has no type hints; used through Any on purpose.
    mdates: Any = importlib.import_module("matplotlib.dates")
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator

    rows = gantt_rows(strategy)
    fields = [f.key for f in strategy.chosen_fields]
    palette = ["#1f5f99", "#2e7d32", "#c0392b", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]

    def colour_of(field: str) -> str:
        return palette[fields.index(field) % len(palette)] if field in fields else "#7f8c8d"

    height = max(1.6, 0.32 * len(rows) + 1.0)
    figure = new_figure(TEXT_WIDTH, height)
    axes = figure.subplots()
    starts = [mdates.date2num(row.start) for row in rows]
    ends = [mdates.date2num(row.end) + 1 for row in rows]
    axes.barh(
        range(len(rows)),
        [end - start for start, end in zip(starts, ends, strict=True)],
        left=starts,
        height=0.6,
        color=[colour_of(row.field) for row in rows],
    )
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([row.label for row in rows], fontsize=_FONT)
    axes.invert_yaxis()
    # Years and quarters placed directly: matplotlib's date locators work
    # them out with dateutil's rrule at every layout and drawing pass.
    low, high = axes.get_xlim()
    years = range(mdates.num2date(low).year, mdates.num2date(high).year + 2)
    axes.xaxis.set_major_locator(
        FixedLocator([mdates.date2num(dt.date(year, 1, 1)) for year in years])
    )
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.xaxis.set_minor_locator(
        FixedLocator(
            [mdates.date2num(dt.date(year, month, 1)) for year in years for month in (4, 7, 10)]
        )
    )
    axes.set_xlim(low, high)
    axes.tick_params(axis="x", labelsize=_FONT)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    shown = {row.field for row in rows}
    used = [f for f in strategy.chosen_fields if f.key in shown]
    axes.legend(
        handles=[Patch(color=colour_of(f.key), label=f.title) for f in used],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        # Two columns: four long field titles side by side do not fit 16 cm.
        ncol=min(len(used), 2) or 1,
        fontsize=_FONT - 0.5,
        frameon=False,
    )
    figure.tight_layout()
    return figure


def gantt_image(strategy: Strategy, fmt: ImageFormat = "png") -> bytes:
    """The schedule as a Gantt chart, PNG or SVG, 16 cm wide."""
    return picture_bytes(lambda: gantt_figure(strategy), fmt)


#: Most roles an organigram shows one box each; a larger one is summarised
#: per kind of role (see :func:`organigram_summary`).
ORGANIGRAM_MAX_ROLES = 40


def organigram_summary(organigram: Organigram) -> Organigram:
    """The organigram as its picture shows it: itself, or summarised per kind of role.

    Up to :data:`ORGANIGRAM_MAX_ROLES` roles each get a box. A larger
    organigram would give a picture nobody can read (and one whose size
    grows without bound), so the roles are grouped by kind: a kind with one
    role keeps that role's box, a kind with several becomes one box titled
    with the kind and the number of roles (``Arbeitsgruppe (24 Rollen)``),
    and every relation between roles becomes one between their boxes (those
    within a box are left out). There are at most as many boxes as kinds of
    role; the picture says it is summarised, and the documents' tables
    still list every role.
    """
    if len(organigram.roles) <= ORGANIGRAM_MAX_ROLES:
        return organigram
    by_kind: dict[RoleKind, list[Role]] = defaultdict(list)
    for role in organigram.roles:
        by_kind[role.kind].append(role)
    taken = {roles[0].key for roles in by_kind.values() if len(roles) == 1}
    box_of: dict[str, str] = {}
    shown: list[Role] = []
    for kind, roles in by_kind.items():
        if len(roles) == 1:
            shown.append(roles[0])
            box_of[roles[0].key] = roles[0].key
            continue
        key = f"alle-{kind.value.replace('_', '-')}"
        while key in taken:
            key += "-x"
        taken.add(key)
        shown.append(Role(key=key, title=f"{kind.label} ({len(roles)} Rollen)", kind=kind))
        box_of.update(dict.fromkeys((role.key for role in roles), key))
    relations = {
        (box_of[r.source], box_of[r.target], r.kind): None
        for r in organigram.relations
        if box_of[r.source] != box_of[r.target]
    }
    return Organigram(
        roles=tuple(shown),
        relations=tuple(
            Relation(source=source, target=target, kind=kind) for source, target, kind in relations
        ),
    )


def organigram_figure(organigram: Organigram) -> Figure:
    """Draw the organigram (summarised when large) and return the matplotlib figure."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    complete = organigram
    organigram = organigram_summary(complete)
    boxes, rows = organigram_layout(organigram)
    kinds = {role.key: role.kind for role in organigram.roles}
    states = {role.key: role.state for role in organigram.roles}
    height = rows * 0.8 + 0.5
    figure = new_figure(TEXT_WIDTH, height)
    axes = figure.subplots()
    axes.set_xlim(0, _BOXES_PER_ROW)
    axes.set_ylim(rows - 0.5, -0.5)
    axes.axis("off")
    where = {box.key: box for box in boxes}
    for relation in organigram.relations:
        source, target = where[relation.source], where[relation.target]
        style = _EDGE_STYLE[relation.kind]
        # add_artist, not add_patch: the limits are fixed above, and working
        # out each patch's data limits is most of the drawing's cost.
        axes.add_artist(
            FancyArrowPatch(
                (source.x, source.y),
                (target.x, target.y),
                arrowstyle="-|>",
                mutation_scale=7,
                shrinkA=14,
                shrinkB=14,
                connectionstyle="arc3,rad=0.08",
                zorder=1,
                **style,
            )
        )
    labels = []
    for box in boxes:
        patch = axes.add_artist(
            FancyBboxPatch(
                (box.x - _BOX_W / 2, box.y - _BOX_H / 2),
                _BOX_W,
                _BOX_H,
                boxstyle="round,pad=0.0,rounding_size=0.06",
                facecolor=_KIND_COLOUR.get(kinds[box.key], "#ffffff"),
                edgecolor="#9e9e9e" if states[box.key] is RoleState.REJECTED else "#37474f",
                linestyle=_STATE_BORDER.get(states[box.key], "-"),
                linewidth=0.8,
                zorder=2,
            )
        )
        label = axes.text(
            box.x, box.y, box.text, ha="center", va="center", fontsize=_FONT, zorder=3, gid=box.key
        )
        labels.append((label, patch))
    handles = [Line2D([0], [0], **_EDGE_STYLE[kind], label=kind.label) for kind in RelationKind]
    axes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(handles),
        fontsize=_FONT - 0.5,
        frameon=False,
    )
    if organigram is not complete:
        axes.set_title(
            f"Zusammengefasst: {len(complete.roles)} Rollen, nach ihrer Art gruppiert",
            fontsize=_FONT,
            color="#555555",
        )
    figure.tight_layout()
    _fit_labels(figure, labels)
    return figure


def _fit_labels(figure: Figure, labels: Sequence[tuple[Any, Any]]) -> None:
    """Shrink a label's font until it fits inside its box (down to a minimum)."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for label, patch in labels:
        box = patch.get_window_extent(renderer)
        size = _FONT
        while size > _MIN_FONT:
            extent = label.get_window_extent(renderer)
            if extent.width <= box.width * 0.9 and extent.height <= box.height * 0.9:
                break
            size -= 0.25
            label.set_fontsize(size)


def organigram_image(organigram: Organigram, fmt: ImageFormat = "png") -> bytes:
    """The organigram as a PNG or SVG image, 16 cm wide."""
    return picture_bytes(lambda: organigram_figure(organigram), fmt)


_QUADRANT_PLACES = {
    Quadrant.MANAGE_CLOSELY: (4.5, 4.5),
    Quadrant.KEEP_SATISFIED: (2.0, 4.5),
    Quadrant.KEEP_INFORMED: (4.5, 2.0),
    Quadrant.MONITOR: (2.0, 2.0),
}


def _spread(count: int) -> Sequence[tuple[float, float]]:
    """Offsets that spread ``count`` markers sharing one grid point."""
    if count == 1:
        return [(0.0, 0.0)]
    import math

    # Neighbouring markers stay at least 0.36 grid units apart (chord of the circle).
    radius = min(0.18 / math.sin(math.pi / count), 0.42)
    return [
        (radius * math.cos(2 * math.pi * i / count), radius * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


#: Most lines the legend beside the power/interest grid has: the names of
#: the first stakeholders, then how many more there are.
STAKEHOLDER_LEGEND_LINES = 20


def stakeholder_grid_figure(strategy: Strategy) -> Figure:
    """Draw the power/interest grid of the strategy's stakeholders."""
    figure = new_figure(TEXT_WIDTH, 3.6)
    axes, legend_axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.0]})
    axes.set_xlim(0.4, 5.6)
    axes.set_ylim(0.1, 5.9)
    axes.set_xlabel("Interesse", fontsize=_FONT + 0.5)
    axes.set_ylabel("Einfluss", fontsize=_FONT + 0.5)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.tick_params(labelsize=_FONT)
    axes.axvline(3.5, color="#999999", linewidth=0.8)
    axes.axhline(3.5, color="#999999", linewidth=0.8)
    for item, (x, y) in _QUADRANT_PLACES.items():
        # Labels along the outer edge, where no marker can be (scores run 1 to 5).
        axes.text(
            x,
            5.68 if y > 3 else 0.32,
            item.label,
            ha="center",
            va="center",
            fontsize=_FONT,
            color="#607d8b",
        )
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for number, stakeholder in enumerate(strategy.stakeholders, start=1):
        cells[(stakeholder.interest, stakeholder.power)].append(number)
    for (interest, power), numbers in cells.items():
        for number, (dx, dy) in zip(numbers, _spread(len(numbers)), strict=True):
            axes.scatter(
                interest + dx, power + dy, s=110, color="#1f5f99", zorder=2, gid=f"marker-{number}"
            )
            axes.text(
                interest + dx,
                power + dy,
                str(number),
                ha="center",
                va="center",
                fontsize=_FONT - 1,
                color="white",
                zorder=3,
            )
    legend_axes.axis("off")
    lines = [
        f"{n:>2}  {textwrap.shorten(s.name, 44, placeholder='…')}"
        for n, s in enumerate(strategy.stakeholders, start=1)
    ]
    if len(lines) > STAKEHOLDER_LEGEND_LINES:
        # No more lines fit beside the grid; the rest are counted, not cut off.
        rest = len(lines) - STAKEHOLDER_LEGEND_LINES + 1
        lines = [*lines[: STAKEHOLDER_LEGEND_LINES - 1], f"    … und {rest} weitere"]
    legend_axes.text(
        0.0, 1.0, "\n".join(lines), va="top", ha="left", fontsize=_FONT, linespacing=1.5
    )
    figure.tight_layout()
    return figure


def stakeholder_grid_image(strategy: Strategy, fmt: ImageFormat = "png") -> bytes:
    """The power/interest grid as a PNG or SVG image, 16 cm wide."""
    return picture_bytes(lambda: stakeholder_grid_figure(strategy), fmt)
