"""The ``init`` command: a new strategy project from a template pack."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

import kommunal_digital as kd

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.authoring
    import kommunal_digital.german
    import kommunal_digital.model
from kommunal_digital.cli.output import count, date_option, fail, installation, reported

__all__ = ["init", "parse_fields", "parse_own_field", "parse_partner"]

#: The file ``init`` writes, and the optional workshop workbook next to it.
STRATEGY_NAME = "strategy.yaml"
WORKBOOK_NAME = "Workshop.xlsx"

# The values of kd.MunicipalityKind, written out so that the command line
# starts without loading the model (a test keeps both in step).
_KINDS = [
    "gemeinde",
    "stadt",
    "verbandsgemeinde",
    "kreis",
    "verwaltungsgemeinschaft",
    "amt",
    "unbekannt",
]


def parse_fields(answer: str, available: Sequence[kd.ActionField]) -> tuple[str, ...]:
    """Action field keys from ``"1,3,tourismus"``: numbers of the list shown, or keys.

    Raises:
        click.BadParameter: A part is neither a number of the list nor a key.
    """
    keys = [field.key for field in available]
    chosen: list[str] = []
    for part in (p.strip() for p in answer.split(",")):
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= len(keys):
            key = keys[int(part) - 1]
        elif part in keys:
            key = part
        else:
            raise click.BadParameter(
                f"{part!r} is not one of the numbers 1-{len(keys)} or a key ({', '.join(keys)})"
            )
        if key not in chosen:
            chosen.append(key)
    if not chosen:
        raise click.BadParameter("choose at least one action field")
    return tuple(chosen)


def parse_own_field(answer: str) -> tuple[str, str]:
    """An own action field from ``"mobilitaet=Mobilität im ländlichen Raum"``: key and title.

    Raises:
        click.BadParameter: No ``=``, an invalid key or an empty title.
    """
    key, sep, title = answer.partition("=")
    key, title = key.strip(), title.strip()
    if not sep or not title:
        raise click.BadParameter(f"{answer!r}: expected KEY=TITLE, e.g. 'mobilitaet=Mobilität'")
    if not kd.model.checks.is_key(key):
        raise click.BadParameter(
            f"{key!r} is not a valid key (lower-case letters, digits, '-' and '_')"
        )
    return key, title


def _own_fields(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    parsed = tuple(parse_own_field(value) for value in values)
    keys = [key for key, _ in parsed]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise click.BadParameter(f"the key(s) {', '.join(duplicates)} are given twice")
    return parsed


def parse_partner(answer: str) -> tuple[str, str, str]:
    """A partner of a joint strategy from ``"nord=verbandsgemeinde:VG Nord"``: key, kind, name.

    The kind may be left out (``"nord=Verbandsgemeinde Nord"``): it is then
    taken from the name's first word, as for ``--name``, or ``unbekannt``.

    Raises:
        click.BadParameter: No ``=``, an invalid key or an empty name.
    """
    key, sep, rest = answer.partition("=")
    key = key.strip()
    kind, colon, name = rest.partition(":")
    if not colon or kind.strip().lower() not in _KINDS:
        kind, name = "", rest
    name = name.strip()
    if not sep or not name:
        raise click.BadParameter(
            f"{answer!r}: expected KEY=KIND:NAME or KEY=NAME, e.g. "
            "'nord=verbandsgemeinde:Verbandsgemeinde Nord'"
        )
    if not kd.model.checks.is_key(key):
        raise click.BadParameter(
            f"{key!r} is not a valid key (lower-case letters, digits, '-' and '_')"
        )
    return key, kind.strip().lower() or _kind_from_name(name), name


def _partners(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[tuple[str, str, str], ...]:
    parsed = tuple(parse_partner(value) for value in values)
    for position, what in ((0, "key"), (2, "name")):
        items = [item[position] for item in parsed]
        duplicates = sorted({item for item in items if items.count(item) > 1})
        if duplicates:
            raise click.BadParameter(
                f"the partner {what}(s) {', '.join(duplicates)} are given twice"
            )
    return parsed


def _population(answer: str) -> int | None:
    text = answer.strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise click.BadParameter(f"{answer!r} is not a number of inhabitants")
    return int(text)


def _kind_from_name(name: str) -> str:
    """``Stadt Bergheim`` is a Stadt: the first word often names the kind.

    A name whose first word names no kind gives ``unbekannt``: the kind is
    not guessed.
    """
    first = name.split(" ", 1)[0].lower()
    aliases = {
        "vg": "verbandsgemeinde",
        "ortsgemeinde": "gemeinde",
        "landkreis": "kreis",
        "vgem": "verwaltungsgemeinschaft",
    }
    first = aliases.get(first, first)
    return first if first in _KINDS else "unbekannt"


def _next_new_year(today: dt.date) -> dt.date:
    return dt.date(today.year + 1, 1, 1)


def _folder_for(name: str) -> Path:
    # The same folder names as batch runs.
    return Path(kd.german.slug(name) or "strategie")


@click.command(
    help="Start a new strategy project from a template pack: asks for the municipality, "
    "the pack and the action fields (or takes them from the options), and writes "
    "strategy.yaml into a new folder."
)
@click.option("--name", help="Official name of the municipality, e.g. 'Gemeinde Lindenau'.")
@click.option("--kind", type=click.Choice(_KINDS), help="Kind of municipality.")
@click.option("--land", help="The Bundesland; by default the pack's region.")
@click.option("--population", type=click.IntRange(min=1), help="Number of inhabitants.")
@click.option(
    "--pack",
    "pack_name",
    help="Pack to start from: a name (see 'packs'), a pack folder or zip; the installation's "
    "default pack (rlp) by default.",
)
@click.option(
    "--fields",
    help="Chosen action fields of the pack, comma-separated keys or numbers; the pack's first "
    "four by default (none when --own-field is given).",
)
@click.option(
    "--own-field",
    "own_fields",
    multiple=True,
    callback=_own_fields,
    metavar="KEY=TITLE",
    help="An action field of your own, not in the pack, e.g. "
    "'mobilitaet=Mobilität im ländlichen Raum'; repeat for each. The strategy then lists "
    "only these and the pack fields --fields chooses.",
)
@click.option(
    "--partner",
    "partners",
    multiple=True,
    callback=_partners,
    metavar="KEY=KIND:NAME",
    help="A partner of a joint strategy, with its own council, e.g. "
    "'nord=verbandsgemeinde:Verbandsgemeinde Nord' (KIND may be left out: then it comes from "
    "the name's first word); repeat for each, the municipality of --name included. The "
    "partners share every measure's costs equally until the strategy file says otherwise.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create; by default one named after the municipality.",
)
@date_option(
    "--start",
    help="First day of the plan (YYYY-MM-DD); 1 January of next year by default.",
)
@click.option("--workbook", is_flag=True, help=f"Also write the workshop workbook {WORKBOOK_NAME}.")
@click.option(
    "--yes",
    "--no-input",
    "no_input",
    is_flag=True,
    help="Ask nothing: take the options given and the defaults for the rest.",
)
@click.option("--force", is_flag=True, help="Overwrite the files of an earlier init.")
def init(
    name: str | None,
    kind: str | None,
    land: str | None,
    population: int | None,
    pack_name: str | None,
    fields: str | None,
    own_fields: tuple[tuple[str, str], ...],
    partners: tuple[tuple[str, str, str], ...],
    out_dir: Path | None,
    start: dt.date | None,
    workbook: bool,
    no_input: bool,
    force: bool,
) -> None:
    """Create a strategy project and say what to do next."""

    def ask(
        given: str | None, text: str, default: str | None, choice: click.Choice[str] | None = None
    ) -> str:
        if given is not None:
            return given
        if no_input:
            if default is None:
                raise click.UsageError(f"--yes needs an answer for: {text}")
            return default
        return str(click.prompt(text, default=default, type=choice))

    if name is None and no_input:
        raise click.UsageError("--yes needs --name (the municipality's name)")
    name = ask(name, "Name of the municipality", None)
    kind = ask(kind, "Kind", _kind_from_name(name), click.Choice(_KINDS))
    with reported():
        installed = installation()
    registered = sorted(installed.packs)
    default = installed.default_pack
    pack_default = default if default in registered else (registered[0] if registered else None)
    pack_name = ask(pack_name, f"Pack ({', '.join(registered)})", pack_default)
    with reported():
        workspace = installed.workspace(pack_name)
    pack = workspace.pack
    available = list(workspace.action_fields.values())
    land = ask(land, "Bundesland", pack.manifest.region or None)
    if population is None and not no_input:
        population = click.prompt(
            "Inhabitants (empty if unknown)", default="", show_default=False, value_proc=_population
        )
    if fields is not None:
        try:
            chosen = parse_fields(fields, available)
        except click.BadParameter as error:
            error.param_hint = "--fields"
            raise
    elif own_fields:
        chosen = ()
    elif no_input:
        chosen = tuple(field.key for field in available[:4])
    else:
        click.echo(f"Action fields of the pack {pack.name}:")
        for number, field in enumerate(available, start=1):
            click.echo(f"  {number:>2}  {field.key:<24} {field.title}")
        chosen = click.prompt(
            "Which do you choose? Numbers or keys, comma-separated",
            default=",".join(str(n) for n in range(1, min(4, len(available)) + 1)),
            value_proc=lambda answer: parse_fields(answer, available),
        )
    given_folder = None if out_dir is None else str(out_dir)
    folder = Path(ask(given_folder, "Folder to create", str(_folder_for(name))))
    targets = [folder / STRATEGY_NAME, *([folder / WORKBOOK_NAME] if workbook else [])]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        fail(f"{', '.join(existing)}: exist(s) already; pass --force to overwrite")
    with reported():
        municipality = kd.Municipality(name, kd.MunicipalityKind(kind), land, population=population)
        strategy = kd.authoring.starter_strategy(
            workspace,
            municipality,
            start=start or _next_new_year(dt.date.today()),
            fields=chosen,
            own_fields=[kd.ActionField(key, title) for key, title in own_fields],
        )
        if partners:
            import attrs  # lazy, like the model: the command line starts fast

            strategy = attrs.evolve(
                strategy,
                partners=tuple(
                    kd.model.Partner(key, partner, kd.MunicipalityKind(kind))
                    for key, kind, partner in partners
                ),
            )
        folder.mkdir(parents=True, exist_ok=True)
        written = [kd.dump_strategy(strategy, targets[0], force=force)]
        if workbook:
            written.append(kd.dump_strategy(strategy, targets[1], force=force))
    for path in written:
        click.echo(f"wrote {path}")
    if partners and name not in [partner for _, _, partner in partners]:
        click.echo(
            f"note: {name} is not among the partners; add it with --partner (or edit "
            "'partners' in the file) if its council adopts the strategy too.",
            err=True,
        )
    # A pack given as a folder or zip is not registered: the commands need it again.
    given = None if pack_name in installed.packs else pack_name
    _next_steps(strategy, targets[0], pack.name, given)


def _next_steps(strategy: kd.Strategy, path: Path, pack: str, given: str | None = None) -> None:
    """Print what to do next; ``given`` is the folder or zip of a pack not registered."""
    file = shlex.quote(str(path))
    out = shlex.quote(str(path.parent / "dokumente"))
    option = "" if given is None else f" --pack {shlex.quote(given)}"
    if given is None:
        note = (
            f"The strategy records the pack {pack}; every command uses it unless --pack "
            "says otherwise."
        )
    else:
        note = (
            f"The strategy records the pack {pack}, which is not installed: give its folder "
            "with --pack, as above, or install it with a plugin."
        )
    click.echo(
        f"\n{strategy.municipality.name}: {count(len(strategy.chosen_fields), 'action field')}, "
        f"{count(len(strategy.measures), 'measure')} from the catalogue of the pack {pack}.\n"
        "Next steps:\n"
        f"  1. Edit {path}: the goals and measures of your workshop and their dot votes\n"
        "     ('votes', which the ranking uses); the format: docs/strategy-file.md.\n"
        f"  2. kommunal-digital validate {file}{option}\n"
        f"  3. kommunal-digital rank {file}{option} && kommunal-digital plan {file}{option}\n"
        f"  4. kommunal-digital build {file} --out {out}{option}\n"
        f"{note}"
    )
    if strategy.partners:
        keys = ", ".join(partner.key for partner in strategy.partners)
        click.echo(
            f"A joint strategy of {count(len(strategy.partners), 'partner')} ({keys}): build "
            "writes one Beschlussvorlage per partner council; render one with "
            "--type beschlussvorlage --partner KEY. How the partners share the costs: "
            "'cost_sharing' and each measure's 'sharing' in docs/strategy-file.md."
        )
