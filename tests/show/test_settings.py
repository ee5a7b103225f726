"""Show settings: podcast.toml read, validated (errors name the key), written by `podcast init`."""

from __future__ import annotations

import pytest

from podcast.cli import cli
from podcast.errors import InputError
from podcast.show.settings import Show, find_show, load_show, resolve_category, show_toml, write_show


def test_defaults_suit_the_seed():
    show = Show()
    assert show.language == "fr" and show.category == "Technology" and show.explicit is False
    assert show.apple_category == ("Technology", None)
    assert show.copyright_notice == "© La rédaction" and show.owner_name == "La rédaction"


def test_init_writes_a_file_that_reads_back_identically(tmp_path, runner):
    path = tmp_path / "podcast.toml"
    result = runner.invoke(
        cli,
        [
            "init",
            str(path),
            "--title",
            'Mon "show" \\ à moi',
            "--email",
            "moi@exemple.fr",
            "--base-url",
            "https://exemple.fr/podcast/",
            "--category",
            "Tech News",
        ],
    )
    assert result.exit_code == 0, result.output
    show = load_show(path)
    assert show.title == 'Mon "show" \\ à moi' and show.email == "moi@exemple.fr"
    assert show.base_url == "https://exemple.fr/podcast/" and show.apple_category == ("News", "Tech News")
    assert load_show(path) == Show(title=show.title, email=show.email, base_url=show.base_url, category="Tech News")


def test_init_refuses_to_overwrite_without_force(tmp_path, runner):
    path = tmp_path / "podcast.toml"
    path.write_text('title = "mine"\n', "utf-8")
    result = runner.invoke(cli, ["init", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "already exists" in result.stderr and "--force" in result.stderr
    assert path.read_text("utf-8") == 'title = "mine"\n'
    assert runner.invoke(cli, ["init", str(path), "--force"]).exit_code == 0
    assert load_show(path) == Show()


BAD_SETTINGS = [
    ('title = "x"\nauthor = "unterminated\n', "author"),
    ("title = x\n", "title"),
    ('explicit = "yes"\n', "explicit"),
    ('category = "Tech"\n', "category"),
    ('email = "nobody"\n', "email"),
    ('base_url = "example.org/podcast"\n', "base_url"),
    ('language = "français"\n', "language"),
    ('colour = "blue"\n', "colour"),
    ('type = "daily"\n', "type"),
    ("[show]\ntitle = 3\n", "title"),
]


@pytest.mark.parametrize("text, key", BAD_SETTINGS)
def test_bad_settings_give_one_line_naming_the_key(tmp_path, runner, text, key):
    path = tmp_path / "podcast.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=f"'{key}'"):
        load_show(path)
    (tmp_path / "audio").mkdir()
    result = runner.invoke(cli, ["feed", str(tmp_path / "audio"), "--show", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"'{key}'" in lines[0] and str(path) in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_render_with_malformed_settings_fails_before_any_audio(tmp_path, runner, seed):
    path = tmp_path / "podcast.toml"
    path.write_text("title = \n", "utf-8")
    result = runner.invoke(
        cli, ["render", str(seed), "-o", str(tmp_path / "out"), "--show", str(path), "--engine", "espeak"]
    )
    assert result.exit_code == 1 and "'title'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_settings_discovery_prefers_explicit_then_cwd_then_folder(tmp_path, monkeypatch):
    folder = tmp_path / "audio"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    assert find_show(None, folder) == Show()
    write_show(folder / "podcast.toml", Show(title="Dossier"))
    assert find_show(None, folder).title == "Dossier"
    write_show(tmp_path / "podcast.toml", Show(title="Ici"))
    assert find_show(None, folder).title == "Ici"
    write_show(tmp_path / "autre.toml", Show(title="Explicite"))
    assert find_show(tmp_path / "autre.toml", folder).title == "Explicite"
    with pytest.raises(InputError, match="no such settings file"):
        find_show(tmp_path / "absent.toml")


def test_relative_cover_is_relative_to_the_settings_file(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "podcast.toml"
    path.write_text('cover = "art/cover.jpg"\n', "utf-8")
    assert load_show(path).cover == str((tmp_path / "conf" / "art" / "cover.jpg").resolve())


@pytest.mark.parametrize(
    "name, expected",
    [
        ("technology", ("Technology", None)),
        ("Tech News", ("News", "Tech News")),
        ("News/Tech News", ("News", "Tech News")),
        ("society & culture", ("Society & Culture", None)),
    ],
)
def test_apple_categories_resolve(name, expected):
    assert resolve_category(name) == expected


def test_toml_text_escapes_strings():
    from podcast.files import tomllib

    text = show_toml(Show(title='a"b\\c\x7f\nd'))
    assert tomllib.loads(text)["title"] == 'a"b\\c\x7f\nd'


def test_settings_saved_with_a_byte_order_mark_load(tmp_path):
    """Notepad saves UTF-8 with a BOM: podcast.toml and the lexicon go through one reader that accepts it."""
    from podcast.text.french import load_lexicon

    settings = tmp_path / "podcast.toml"
    settings.write_bytes('\ufefftitle = "Les Échos du code"\n'.encode("utf-8"))
    assert load_show(settings).title == "Les Échos du code"
    lexicon = tmp_path / "lex.toml"
    lexicon.write_bytes('\ufeffIA = "intelligence artificielle"\n'.encode("utf-8"))
    assert load_lexicon(lexicon) == {"IA": "intelligence artificielle"}
