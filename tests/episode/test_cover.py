"""Cover art: Apple's rules enforced on --cover, a legible generated cover, a small copy for ID3."""

from __future__ import annotations

import io

import pytest
from mutagen.id3 import ID3
from PIL import Image

from podcast.cli import cli
from podcast.episode.cover import (
    SIDE,
    TAG_MAX_BYTES,
    Cover,
    check_cover,
    draw_cover,
    episode_cover,
    show_cover,
    tag_picture,
)
from podcast.errors import InputError


def _image(path, size=(1400, 1400), mode="RGB", kind="JPEG", noise=False):
    if noise:  # a photo-like image whose JPEG is megabytes
        image = Image.effect_noise((size[0] // 5, size[1] // 5), 100).convert(mode).resize(size, Image.BICUBIC)
    else:
        image = Image.new(mode, size, "red")
    image.save(path, kind, **({"quality": 95} if kind == "JPEG" else {}))
    return path


@pytest.mark.parametrize(
    "name, size, mode, kind, problem",
    [
        ("small.jpg", (1000, 1000), "RGB", "JPEG", "1400-3000"),
        ("huge.png", (3200, 3200), "RGB", "PNG", "1400-3000"),
        ("wide.jpg", (1500, 1400), "RGB", "JPEG", "not square"),
        ("cmyk.jpg", (1400, 1400), "CMYK", "JPEG", "CMYK"),
        ("alpha.png", (1400, 1400), "RGBA", "PNG", "RGBA"),
        ("grey.png", (1400, 1400), "L", "PNG", "mode L"),
        ("anim.gif", (1400, 1400), "RGB", "GIF", "JPEG or PNG"),
    ],
)
def test_bad_covers_are_refused_with_the_reason(tmp_path, name, size, mode, kind, problem):
    path = _image(tmp_path / name, size, mode, kind)
    with pytest.raises(InputError, match=problem) as caught:
        check_cover(path)
    assert name in str(caught.value)


def test_not_an_image_and_missing_file(tmp_path):
    (tmp_path / "x.jpg").write_text("hello", "utf-8")
    with pytest.raises(InputError, match="not an image"):
        check_cover(tmp_path / "x.jpg")
    with pytest.raises(InputError, match="no such file"):
        check_cover(tmp_path / "absent.png")


@pytest.mark.parametrize("kind, mime", [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_good_covers_pass(tmp_path, kind, mime):
    assert check_cover(_image(tmp_path / "c", (3000, 3000), "RGB", kind)).mime == mime


def test_cli_rejects_a_bad_cover_in_one_line_before_rendering(tmp_path, runner, seed):
    cover = _image(tmp_path / "cover.png", (800, 600), "RGB", "PNG")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(seed), "-o", str(out), "--engine", "espeak", "--cover", str(cover)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cover.png" in lines[0] and "square" in lines[0], result.stderr
    assert not list(out.glob("*.mp3")) if out.exists() else True


def test_generated_cover_is_a_3000px_rgb_jpeg_with_the_titles_drawn(tmp_path):
    cover = episode_cover(None, tmp_path, "ep", "Mon émission", "Un épisode « très » réussi")
    assert cover.path == tmp_path / "ep.jpg" and cover.mime == "image/jpeg"
    check_cover(cover.path)  # passes Apple's rules itself
    with Image.open(cover.path) as image:
        assert image.format == "JPEG" and image.size == (SIDE, SIDE) and image.mode == "RGB"
        grey = image.convert("L")
        # White title text: many bright pixels, all inside the margins.
        bright = grey.point(lambda v: 255 if v > 230 else 0)
        box = bright.getbbox()
        assert box and box[0] >= 150 and box[2] <= SIDE - 150 and box[3] <= SIDE - 150
        assert sum(bright.histogram()[255:]) > 50_000


def test_generated_covers_differ_with_the_titles_and_fit_any_length():
    short = draw_cover("Show", "A")
    long = draw_cover("Show", "mot " * 400 + "x" * 200)
    assert short.tobytes() != long.tobytes()
    assert draw_cover("Show").tobytes() != draw_cover("Autre show").tobytes()
    box = long.convert("L").point(lambda v: 255 if v > 230 else 0).getbbox()
    assert box[3] <= SIDE - 150


def test_given_cover_is_copied_beside_the_mp3(tmp_path):
    source = _image(tmp_path / "art.png", (1400, 1400), "RGB", "PNG")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ep.jpg").write_bytes(b"old generated cover")
    cover = episode_cover(source, out, "ep", "Show", "Title")
    assert cover.path == out / "ep.png" and cover.path.read_bytes() == source.read_bytes()
    assert not (out / "ep.jpg").exists()


def test_show_cover_name_changes_with_the_image(tmp_path):
    first = show_cover(None, tmp_path, "Show A")
    second = show_cover(None, tmp_path, "Show B")
    assert first.path.name != second.path.name and not first.path.exists() and second.path.exists()
    assert second.path.name.startswith("show.")


def test_tag_picture_shrinks_big_covers_under_the_budget(tmp_path):
    big = _image(tmp_path / "big.jpg", (3000, 3000), "RGB", "JPEG", noise=True)
    assert big.stat().st_size > TAG_MAX_BYTES
    data, mime = tag_picture(Cover(big, "image/jpeg"))
    assert mime == "image/jpeg" and len(data) <= TAG_MAX_BYTES
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[0] == image.size[1] >= 1000


@pytest.mark.slow
def test_render_with_a_big_cover_tags_a_small_copy(tmp_path, runner, seed):
    big = _image(tmp_path / "big.jpg", (3000, 3000), "RGB", "JPEG", noise=True)
    short = tmp_path / "court.txt"
    short.write_text("Un article très court.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["-q", "render", str(short), "-o", str(out), "--engine", "espeak", "--cover", str(big)])
    assert result.exit_code == 0, result.output
    (picture,) = ID3(out / "court.mp3").getall("APIC")
    assert len(picture.data) <= TAG_MAX_BYTES
    assert (out / "court.jpg").read_bytes() == big.read_bytes()  # the feed gets the full-size original


def test_bad_show_cover_in_settings_is_a_one_line_error(tmp_path, runner):
    _image(tmp_path / "tiny.png", (500, 500), "RGB", "PNG")
    (tmp_path / "podcast.toml").write_text('cover = "tiny.png"\n', "utf-8")
    (tmp_path / "audio").mkdir()
    result = runner.invoke(cli, ["feed", str(tmp_path / "audio"), "--show", str(tmp_path / "podcast.toml")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "tiny.png" in lines[0] and "1400-3000" in lines[0], result.stderr


def test_show_cover_from_settings_is_published_under_a_content_name(tmp_path):
    art = _image(tmp_path / "art.jpg", (1400, 1400), "RGB", "JPEG")
    (tmp_path / "audio").mkdir()
    cover = show_cover(art, tmp_path / "audio", "Show")
    assert cover.path.parent == tmp_path / "audio" and cover.path.read_bytes() == art.read_bytes()
    assert cover.path.name.startswith("show.") and cover.path.suffix == ".jpg"


@pytest.mark.parametrize(
    "title",
    [
        "Le vélo en ville : bilan 2025",
        "Le vélo en ville\u00a0: bilan 2025",
        "Le vélo en ville\u202f: bilan 2025 ; suite ! et fin ?",
        "Il a dit « bonjour la ville » puis est parti",
    ],
)
def test_french_punctuation_stays_with_its_word_when_the_title_wraps(title):
    from podcast.episode.cover import _fit

    # The cover's own box (2560 px wide), with words put before the title to move each line break.
    titles = [" ".join(["Un"] * count + [title]) for count in range(16)]
    layouts = [(text, _fit(text, SIDE - 440, 2000, 290, 120)[0]) for text in titles]
    assert all(len(lines) > 1 for _, lines in layouts)  # the title did wrap
    for title, lines in layouts:
        for line in lines:
            assert not line.lstrip().startswith((":", ";", "!", "?", "»")), lines
            assert not line.rstrip().endswith("«"), lines
        # Every word is drawn, in order (no-break spaces drawn as spaces of their own width).
        assert (
            " ".join(lines).replace("\u00a0", " ").replace("\u202f", " ").split()
            == title.replace("\u00a0", " ").replace("\u202f", " ").split()
        )


def test_titles_without_spaces_are_capped_and_cut_fast_enough_to_finish():
    from podcast.episode.cover import MAX_DRAWN, _fit

    lines, _ = _fit("x" * 5000, 2560, 2000, 290, 120)
    drawn = "".join(lines)
    assert drawn.endswith("…") and len(drawn) <= MAX_DRAWN
    assert all(len(line) > 1 for line in lines)  # cut where the width ends, not one letter a line
    draw_cover("S" * 2_000_000, "É" * 10_000)  # past Pillow's own string limit: capped before drawing


@pytest.mark.slow
def test_a_decompression_bomb_cover_is_a_one_line_error(tmp_path, runner, seed):
    Image.new("1", (20_000, 20_000)).save(tmp_path / "bombe.png")  # 48 KB on disk, 400 Mpx once decoded
    with pytest.raises(InputError, match="far larger than 3000x3000"):
        check_cover(tmp_path / "bombe.png")
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(seed), "-o", str(out), "--engine", "espeak", "--cover", str(out.parent / "bombe.png")]
    )
    assert result.exit_code == 1 and "bombe.png" in result.stderr and "internal error" not in result.stderr
