import functools
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, new_pack
from kommunal_digital.authoring.check import CONTEXT_VARIABLES
from kommunal_digital.cli.main import cli
from kommunal_digital.errors import UnsafePathError
from kommunal_digital.packs import archive, load_pack

from .docx_reading import make_template


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return new_pack("probe", tmp_path)


@functools.cache
def installation() -> kd.Installation:
    """The installed plugins and their packs, as ``pack check`` sees them."""
    return kd.load_installation()


def messages(path: Path) -> list[str]:
    inst = installation()
    return [
        str(p) for p in check_pack(path, packs=inst.packs, document_types=inst.document_types())
    ]


def test_new_pack_is_clean_and_renders_the_demo(pack: Path, tmp_path: Path) -> None:
    assert messages(pack) == []
    loaded = installation().pack(pack)
    assert [f.key for f in loaded.action_fields()] == ["verwaltung", "dorfleben"]
    assert [e.key for e in loaded.data("catalogue")] == ["online-termine"]
    workspace = kd.open_workspace(pack)
    assert workspace.pack.name == "probe"
    out = kd.render_document(kd.demo_strategy(), tmp_path / "x.docx", workspace)
    assert out.is_file()


def test_new_pack_refuses_bad_name_and_existing_folder(tmp_path: Path, pack: Path) -> None:
    with pytest.raises(kd.PackError, match="not a valid pack name"):
        new_pack("Mein Paket", tmp_path)
    with pytest.raises(kd.OutputExistsError):
        new_pack("probe", tmp_path)


def test_bad_manifest(pack: Path) -> None:
    (pack / "pack.toml").write_text('[pack]\nname = "probe"\ntitle = "x"\n', encoding="utf-8")
    assert messages(pack) == ["probe: probe/pack.toml: pack.version: required key is missing"]


def test_dangling_references(pack: Path) -> None:
    catalogue = pack / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace("action_field: verwaltung", "action_field: tourismus").replace(
            "text_block: online-termine", "text_block: fehlt"
        ),
        encoding="utf-8",
    )
    assert messages(pack) == [
        "probe/catalogue.yaml: entries[0].action_field: names the action field 'tourismus', "
        "which the pack does not have",
        "probe/catalogue.yaml: entries[0].text_block: names the text block 'fehlt', "
        "which the pack does not have",
    ]


def test_schema_errors_name_file_and_path(pack: Path) -> None:
    catalogue = pack / "catalogue.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "duration_months: 3", "duration_months: drei"
        ),
        encoding="utf-8",
    )
    assert messages(pack) == [
        "probe/catalogue.yaml: entries[0].duration_months: expected a whole number, got 'drei'"
    ]


def test_unknown_template_variable_and_syntax(pack: Path) -> None:
    template = pack / "templates" / "digitalstrategie.docx"
    make_template(template, "{{ municipality.name }} {{ gemeinde.name }}")
    # The variables of the Digitalstrategie, as docs/render-context.md lists them.
    available = ", ".join(sorted(CONTEXT_VARIABLES))
    assert {"municipality", "fields", "measures", "text_blocks", "wording"} <= CONTEXT_VARIABLES
    assert messages(pack) == [
        "templates/digitalstrategie.docx: uses 'gemeinde', which is not in the render context "
        f"(available: {available})"
    ]
    make_template(template, "{% for m in measures %}")
    assert messages(pack) == [
        "templates/digitalstrategie.docx: template syntax error (the body): "
        "Unexpected end of template. Jinja was looking for the following "
        "tags: 'endfor' or 'else'. The innermost block that needs to be "
        "closed is 'for'."
    ]


def test_path_leaving_the_pack(pack: Path) -> None:
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'text_blocks = "text_blocks.yaml"', 'text_blocks = "../geheim.yaml"'
        ),
        encoding="utf-8",
    )
    assert messages(pack) == ["../geheim.yaml: probe: '../geheim.yaml' points outside the pack"]


def test_symlink_leaving_the_pack(pack: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    (pack / "notes.txt").symlink_to(secret)
    assert messages(pack) == ["notes.txt: link points outside the pack"]


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, Path(folder.name) / path.relative_to(folder))
    return target


def test_zip_pack_loads_and_checks(pack: Path, tmp_path: Path) -> None:
    packed = zip_folder(pack, tmp_path / "probe.zip")
    assert messages(packed) == []
    loaded = installation().pack(packed)
    assert loaded.name == "probe"
    assert loaded.document_template("digitalstrategie") is not None


def test_oversized_and_escaping_zips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("pack.toml", b"0" * (2 * 1024 * 1024))
    assert messages(bomb) == ["bomb.zip: pack.toml: compressed more than 100:1 (zip bomb?)"]
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as out:
        out.writestr("pack.toml", b"x" * 2000)
    assert messages(big) == ["big.zip: unpacks to 2000 bytes, more than the 1000 allowed"]
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as out:
        out.writestr("../evil.toml", "x")
    assert messages(evil) == ["evil.zip: ../evil.toml: points outside the pack"]
    with pytest.raises(UnsafePathError):
        load_pack(evil)


def set_extends(folder: Path, parent: str) -> None:
    """Make the pack in ``folder`` extend ``parent`` (replacing any ``extends`` it has)."""
    manifest = folder / "pack.toml"
    lines = [
        line
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if not line.startswith("extends =")
    ]
    at = lines.index('language = "de"') + 1
    lines.insert(at, f'extends = "{parent}"')
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_extends_merges_data_and_templates(tmp_path: Path) -> None:
    base = new_pack("grund", tmp_path)
    child = new_pack("kind", tmp_path)
    set_extends(child, "grund")
    manifest = child / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'digitalstrategie = "templates/digitalstrategie.docx"', ""
        ),
        encoding="utf-8",
    )
    (child / "action_fields.yaml").write_text(
        "action_fields:\n- key: dorfleben\n  title: Dorfleben neu\n"
        "- key: energie\n  title: Energie\n",
        encoding="utf-8",
    )

    class Packs:
        @kd.hookimpl
        def kd_template_packs(self) -> list[Path]:
            return [base, child]

    inst = kd.load_installation(entry_points=False, plugins=[Packs()])
    merged = inst.pack("kind")
    assert [(f.key, f.title) for f in merged.action_fields()] == [
        ("verwaltung", "Kommunale Verwaltung"),
        ("dorfleben", "Dorfleben neu"),
        ("energie", "Energie"),
    ]
    assert (
        merged.document_template("digitalstrategie")
        == (base / "templates" / "digitalstrategie.docx").resolve()
    )
    assert list(inst.workspace("kind").action_fields) == [
        "verwaltung",
        "dorfleben",
        "energie",
    ]


def test_extends_unknown_and_circular(tmp_path: Path) -> None:
    first = new_pack("eins", tmp_path)
    second = new_pack("zwei", tmp_path)
    for folder, parent in ((first, "zwei"), (second, "eins")):
        set_extends(folder, parent)

    class Packs:
        @kd.hookimpl
        def kd_template_packs(self) -> list[Path]:
            return [first, second]

    with pytest.raises(kd.PackError, match="extend each other in a circle"):
        kd.load_installation(entry_points=False, plugins=[Packs()])
    shutil.rmtree(second)
    assert any("extends 'zwei', which is not registered" in m for m in messages(first))


def test_cli_pack_new_check_and_plugins(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["pack", "new", "agentur", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["pack", "check", str(tmp_path / "agentur")])
    assert result.exit_code == 0
    assert "no problems found" in result.output
    (tmp_path / "agentur" / "catalogue.yaml").write_text("entries: [1]\n", encoding="utf-8")
    result = runner.invoke(cli, ["pack", "check", str(tmp_path / "agentur")])
    assert result.exit_code == 1
    assert "entries[0]" in result.output
    result = runner.invoke(cli, ["plugins"])
    assert result.exit_code == 0
    assert "kommunal_digital.builtin" in result.output
    assert "kd_ranking_rules" in result.output


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("{% include 'kopf.docx' %}", "include"),
        ("{% import 'makros' as m %}", "import"),
        ("{% from 'makros' import zeile %}", "from ... import"),
        ("{% extends 'basis' %}", "extends"),
    ],
)
def test_file_tags_in_a_word_template_are_a_problem_not_a_traceback(
    pack: Path, tag: str, name: str
) -> None:
    make_template(
        pack / "templates" / "digitalstrategie.docx",
        "Digitalstrategie {{ municipality.name }}",
        f"Anlage & Verweise: {tag}",
        "Schluss",
    )
    result = CliRunner().invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        "templates/digitalstrategie.docx: refused by the sandbox (the body, paragraph "
        f'"Anlage & Verweise: {tag}"): {{% {name} %}} is not allowed: templates cannot read '
        "other templates or files"
    ) in result.output
    assert "probe: 1 problem" in result.output


def test_file_tags_in_headers_footers_and_properties_name_the_part(pack: Path) -> None:
    import docx

    template = pack / "templates" / "digitalstrategie.docx"
    document = docx.Document()
    document.add_paragraph("{{ municipality.name }}")
    section = document.sections[0]
    section.header.paragraphs[0].text = "Kopf {% include 'kopf' %}"
    section.footer.paragraphs[0].text = "Seite {{ document.date|unbekannt }}"
    document.core_properties.title = "{% import 'titel' as t %}"
    document.save(str(template))
    assert messages(pack) == [
        "templates/digitalstrategie.docx: refused by the sandbox (header 1, paragraph "
        "\"Kopf {% include 'kopf' %}\"): {% include %} is not allowed: templates cannot read "
        "other templates or files",
        "templates/digitalstrategie.docx: uses the filter 'unbekannt' (footer 1, paragraph "
        '"Seite {{ document.date|unbekannt }}"), which is neither built in nor added by a '
        "plugin of this pack",
        "templates/digitalstrategie.docx: refused by the sandbox (document property 'title'): "
        "{% import %} is not allowed: templates cannot read other templates or files",
    ]


def test_a_tag_in_a_table_cell_quotes_the_cell_paragraph(pack: Path) -> None:
    import docx

    template = pack / "templates" / "digitalstrategie.docx"
    document = docx.Document()
    document.add_paragraph("Übersicht")
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "Summe {% extends 'x' %}"
    document.save(str(template))
    assert messages(pack) == [
        "templates/digitalstrategie.docx: refused by the sandbox (the body, paragraph "
        "\"Summe {% extends 'x' %}\" (table 1, row 2, column 2)): {% extends %} is not "
        "allowed: templates cannot read "
        "other templates or files"
    ]


def test_file_tags_in_a_markdown_template_name_the_line(pack: Path) -> None:
    (pack / "templates" / "kurz.md").write_text(
        "# {{ municipality.name }}\n\nVorwort\n{% include 'anhang.md' %}\n", encoding="utf-8"
    )
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + 'digitalstrategie-markdown = "templates/kurz.md"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "templates/kurz.md: refused by the sandbox (line 4): {% include %} is not allowed: "
        "templates cannot read other templates or files"
    ) in result.output


def test_an_unknown_filter_is_reported_with_its_paragraph(pack: Path) -> None:
    make_template(
        pack / "templates" / "digitalstrategie.docx",
        "{{ municipality.name|gross }} und {{ municipality.name|upper }}",
    )
    assert messages(pack) == [
        "templates/digitalstrategie.docx: uses the filter 'gross' (the body, paragraph "
        '"{{ municipality.name|gross }} und {{ municipality.name|upper }}"), which is neither '
        "built in nor added by a plugin of this pack"
    ]
