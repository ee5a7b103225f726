"""index.html: parsed as HTML, escaped, self-contained; played in a real headless Chromium via `podcast serve`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from podcast.episode.manifest import load_episodes
from tests.support.shows import HOSTILE, SECTION_TITLES

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]


def _page(folder: Path):
    return html.fromstring((folder / "index.html").read_bytes())


def _label(button) -> str:
    """A chapter button's title: its text after the <time> stamp."""
    return button.text_content()[len(button.find("time").text_content()) :]


def test_page_lists_every_episode_with_player_chapters_and_transcript(published):
    doc = _page(published)
    episodes = list(reversed(load_episodes(published)))  # newest first on the page
    articles = doc.findall(".//article")
    assert [a.get("id") for a in articles] == [e.slug for e in episodes]
    for article, episode in zip(articles, episodes):
        audio = article.find(".//audio")
        assert audio.get("src") == episode.mp3 and audio.get("controls") is not None
        assert article.find(".//audio/track").get("src") == episode.vtt
        chapters = json.loads((published / episode.chapters_file).read_text("utf-8"))["chapters"]
        buttons = article.findall(".//ol[@class='chapters']//button")
        assert [float(b.get("data-start")) for b in buttons] == [c["startTime"] for c in chapters]
        assert [_label(b) for b in buttons] == [c["title"] for c in chapters]
        transcript = article.find_class("transcript")[0].text_content()
        # The transcript is the article as written, one span per sentence group, at its first chunk's start.
        groups = [c for c in episode.chunks if c.written]
        spans = article.find_class("transcript")[0].findall(".//span")
        assert [float(s.get("data-start")) for s in spans] == [c.start for c in groups]
        for chunk in groups:
            assert chunk.written.replace("\x00", "") in transcript
    sectioned = next(a for a in articles if a.get("id") == "chapitres-sections")
    assert [_label(b) for b in sectioned.findall(".//ol[@class='chapters']//button")] == SECTION_TITLES
    assert doc.find(".//h1").text_content() == "Émission d'essai & <co>"


def test_hostile_text_is_escaped_in_the_page(published):
    raw = (published / "index.html").read_text("utf-8")
    assert raw.count("<script") == 1  # only the page's own script
    assert "\x00" not in raw and "<b>gras</b>" not in raw and "<i>balise</i>" not in raw
    titles = [h.text_content() for h in _page(published).findall(".//h2")]
    assert HOSTILE.replace("\x00", "") in titles


def test_page_makes_no_external_request(published):
    doc = _page(published)
    for element in doc.iter():
        for attribute in ("src", "href", "poster", "data"):
            value = element.get(attribute)
            if value is not None:
                assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", value, re.I), (element.tag, value)
                assert (published / value.split("#")[0]).exists() or value.startswith("#"), value
    policy = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy


@pytest.fixture
def served(published, tmp_path):
    """`podcast serve` on a free port over a copy of the published folder; yields its base URL."""
    folder = tmp_path / "site"
    shutil.copytree(published, folder)
    proc = subprocess.Popen(
        [sys.executable, "-m", "podcast", "serve", str(folder), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        found = re.search(r"at (http://\S+/) ", line)
        assert found, line
        yield found.group(1), folder
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)")
def test_browser_plays_the_first_episode_and_seeks_by_chapter(served):
    playwright = pytest.importorskip("playwright.sync_api")
    url, folder = served
    first = list(reversed(load_episodes(folder)))[0]
    foreign: list[str] = []
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: r.url.startswith(url) or foreign.append(r.url))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
            page.goto(url + "index.html")
            assert page.title() == "Émission d'essai & <co>"
            audio = page.locator("article audio").first
            audio.evaluate("a => a.play()")
            page.wait_for_function(
                "() => { const a = document.querySelector('article audio');"
                " return isFinite(a.duration) && a.duration > 0 && a.currentTime > 0.3; }"
            )
            duration = audio.evaluate("a => a.duration")
            assert abs(duration - first.duration) < 0.5, (duration, first.duration)
            before = audio.evaluate("a => a.currentTime")
            page.wait_for_function(f"() => document.querySelector('article audio').currentTime > {before}")
            # Chapter buttons seek: the last chapter's start.
            button = page.locator("article").first.locator(".chapters button").last
            start = float(button.get_attribute("data-start"))
            button.click()
            page.wait_for_function(f"() => document.querySelector('article audio').currentTime >= {start}")
            assert audio.evaluate("a => a.paused") is False
        finally:
            browser.close()
    assert not foreign, foreign
    assert not errors, errors
