"""`podcast ingest`: a local HTTP server serves a site's feed and its article pages."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from podcast.api import RenderOptions, render
from podcast.cli import cli
from podcast.ingest import STATE_FILE
from podcast.text.article import parse_article
from tests.conftest import ROOT, make_runner
from tests.support.sites import Site

PAGE = (ROOT / "tests" / "data" / "articles" / "page.html").read_text("utf-8")
SECOND_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Les ruches urbaines | Le Courrier</title></head><body><nav><a href="/">Accueil</a></nav>
<main><article><h1>Les ruches urbaines se multiplient</h1>
<p>Les toits de Paris accueillent désormais plus de sept cents ruches, selon les apiculteurs de la ville.</p>
<p>Le miel parisien a un goût de tilleul, et les récoltes de cette année sont les meilleures depuis dix ans.</p>
<p>Les chercheurs rappellent pourtant que les abeilles sauvages souffrent de cette concurrence nouvelle.</p>
</article></main><footer>© Le Courrier</footer></body></html>"""


def _rss(base: str) -> str:
    items = [
        ("velo", "Le vélo électrique séduit les campagnes", "/a/velo.html", "Sat, 14 Mar 2026 08:00:00 +0100"),
        ("absent", "Une page disparue", "/a/missing.html", "Sun, 15 Mar 2026 08:00:00 +0100"),
        ("ruches", "Les ruches urbaines se multiplient", "/a/ruches.html", "Mon, 16 Mar 2026 08:00:00 +0100"),
        ("pdf", "Un rapport en PDF", "/a/rapport.pdf", "Tue, 17 Mar 2026 08:00:00 +0100"),
    ]
    body = "".join(
        f"<item><guid isPermaLink='false'>courrier-{guid}</guid><title>{title}</title>"
        f"<link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for guid, title, path, date in reversed(items)  # newest first, as sites publish
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Courrier</title>"
        f"<link>{base}/</link><description>Les articles</description>{body}</channel></rss>"
    )


def _atom(base: str) -> str:
    entries = [
        ("urn:uuid:1", "Le vélo électrique séduit les campagnes", "/a/velo.html", "2026-03-14T08:00:00Z"),
        ("urn:uuid:2", "Les ruches urbaines se multiplient", "/a/ruches.html", "2026-03-16T08:00:00Z"),
    ]
    body = "".join(
        f"<entry><id>{ident}</id><title>{title}</title><link href='{base}{path}'/><updated>{date}</updated></entry>"
        for ident, title, path, date in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Le Courrier</title><id>urn:courrier</id><updated>2026-03-16T08:00:00Z</updated>{body}</feed>"
    )


@pytest.fixture
def site():
    """A news site: its feed, two article pages, a PDF, and a page that is gone."""
    served = Site()
    for path, kind, body in [
        ("/feed.xml", "application/rss+xml", _rss(served.url)),
        ("/atom.xml", "application/atom+xml", _atom(served.url)),
        ("/a/velo.html", "text/html; charset=utf-8", PAGE),
        ("/a/ruches.html", "text/html; charset=utf-8", SECOND_PAGE),
        ("/a/rapport.pdf", "application/pdf", b"%PDF-1.4 not an article"),
        ("/index.html", "text/html", "<html><body><p>Bienvenue</p></body></html>"),
    ]:
        served.add(path, kind, body)
    yield served
    served.close()


def _ingest(*args: str):
    return make_runner().invoke(cli, ["ingest", *args])


@pytest.mark.slow
def test_ingest_renders_new_entries_once_and_skips_failing_pages(site, tmp_path):
    out = tmp_path / "out"
    args = [f"{site.url}/feed.xml", "-o", str(out), "--engine", "espeak", "--cache-dir", str(tmp_path / "clips")]
    first = _ingest(*args)
    # Two pages fail (one gone, one a PDF): each is one line, and the batch goes on.
    assert first.exit_code == 3, first.output + first.stderr
    failures = [line for line in first.stderr.splitlines() if "skipped" in line]
    assert len(failures) == 2, first.stderr
    assert any("/a/missing.html: skipped: HTTP 404" in line for line in failures), first.stderr
    assert any("/a/rapport.pdf: skipped: not an HTML page (application/pdf)" in line for line in failures)
    assert "Traceback" not in first.stderr
    mp3s = sorted(out.glob("*.mp3"))
    assert sorted(Path(line) for line in first.output.split()) == mp3s and len(mp3s) == 2
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert sorted(e.title for e in feed.entries) == [
        "Le vélo électrique séduit les campagnes",
        "Les ruches urbaines se multiplient",
    ]
    state = json.loads((out / STATE_FILE).read_text("utf-8"))["entries"]
    assert sorted(state) == ["courrier-ruches", "courrier-velo"]
    # The oldest entry is rendered first: episode numbers follow publication order.
    manifests = {
        json.loads(p.read_text("utf-8"))["title"]: json.loads(p.read_text("utf-8"))
        for p in out.glob("*.json")
        if "." not in p.stem
    }
    assert manifests["Le vélo électrique séduit les campagnes"]["number"] == 1
    assert manifests["Les ruches urbaines se multiplient"]["date"].startswith("2026-03-16")

    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    pages_before = site.hits["/a/velo.html"], site.hits["/a/ruches.html"]
    second = _ingest(*args)
    assert second.exit_code == 3  # the two failing pages are tried again, and fail again
    assert second.output == "" and "0 rendered, 2 done before, 2 failed" in second.stderr
    assert (site.hits["/a/velo.html"], site.hits["/a/ruches.html"]) == pages_before  # not even fetched
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps  # nothing rewritten


@pytest.mark.slow
def test_ingest_reads_an_atom_file_and_limit_takes_the_oldest_first(site, tmp_path):
    feed = tmp_path / "atom.xml"
    feed.write_text(_atom(site.url), encoding="utf-8")
    out = tmp_path / "out"
    args = [str(feed), "-o", str(out), "--engine", "espeak", "--cache-dir", str(tmp_path / "clips")]
    runs = [_ingest(*args, "--limit", "1"), _ingest(*args), _ingest(*args)]
    assert [r.exit_code for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    rendered = [[Path(line).name for line in r.output.split()] for r in runs]
    assert rendered == [["le-velo-electrique-seduit-les-campagnes.mp3"], ["les-ruches-urbaines-se-multiplient.mp3"], []]
    assert "0 rendered, 2 done before, 0 failed" in runs[2].stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "make_source,message",
    [
        (lambda site, tmp: f"{site.url}/index.html", "not an RSS or Atom feed"),
        (lambda site, tmp: str(tmp / "none.xml"), "feed not found"),
        (lambda site, tmp: f"{site.url}/nowhere.xml", "HTTP 404"),
    ],
)
def test_a_bad_feed_is_one_line(site, tmp_path, make_source, message):
    result = _ingest(make_source(site, tmp_path), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert result.exit_code in (1, 3), result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.slow
def test_ingest_through_the_queue_submits_each_entry_once(site, tmp_path):
    from podcast.queue import connect
    from tests.support.queueing import Worker, redis_server, wait_for_episodes

    out = tmp_path / "out"
    with redis_server(tmp_path / "redis") as url:
        args = [f"{site.url}/atom.xml", "-o", str(out), "--engine", "espeak", "--cache-dir", str(tmp_path / "clips")]
        first = _ingest(*args, "--queue", url)
        assert first.exit_code == 0, first.stderr
        assert "2 submitted, 0 done before" in first.stderr
        worker = Worker(url, tmp_path / "worker.log")
        queue = connect(url)
        try:
            worker.wait_ready()
            ids = first.output.split()
            statuses = wait_for_episodes(queue, ids)
            assert [s.state for s in statuses] == ["done", "done"], [s.error for s in statuses]
            second = _ingest(*args, "--queue", url)
            assert second.exit_code == 0 and second.output == "", second.stderr
            assert "0 submitted, 2 done before" in second.stderr
        finally:
            queue.close()
            worker.stop()
    assert len(list(out.glob("*.mp3"))) == 2
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 2


@pytest.mark.slow
def test_a_page_over_the_size_cap_is_skipped_and_the_batch_goes_on(site, tmp_path, monkeypatch):
    from podcast import ingest

    monkeypatch.setattr(ingest, "MAX_PAGE_BYTES", 2000)  # the vélo page is ~4 KB, the bees' under 1 KB
    feed = tmp_path / "atom.xml"
    feed.write_text(_atom(site.url), encoding="utf-8")
    out = tmp_path / "out"
    result = _ingest(str(feed), "-o", str(out), "--engine", "espeak", "--cache-dir", str(tmp_path / "clips"))
    assert result.exit_code == 3, result.stderr
    [skipped] = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped.endswith("/a/velo.html: skipped: page larger than 2,000 bytes"), skipped
    assert [p.name for p in out.glob("*.mp3")] == ["les-ruches-urbaines-se-multiplient.mp3"]
    assert list(json.loads((out / STATE_FILE).read_text("utf-8"))["entries"]) == ["urn:uuid:2"]


def test_absurdly_nested_state_and_index_files_are_input_errors_not_crashes(tmp_path):
    from podcast.errors import InputError
    from podcast.ingest import load_state
    from podcast.publish.plan import parse_index

    nested = "[" * 100_000 + "]" * 100_000
    (tmp_path / STATE_FILE).write_text(nested, "utf-8")
    with pytest.raises(InputError, match="unreadable ingest state"):
        load_state(tmp_path)
    assert parse_index(nested.encode()) == {}  # a damaged host index: every file is sent again


@pytest.mark.slow
def test_a_daily_show_under_one_title_gets_one_episode_per_page(site, tmp_path):
    # Pages at different addresses are different articles even when their titles are equal;
    # the same page fetched again (its title edited) is a re-render of its episode.
    days = [("lundi", "/j/1.html", "Mon, 16 Mar 2026 08:00:00 +0100"), ("mardi", "/j/2.html", "Tue, 17 Mar 2026")]
    page = "<html lang='fr'><body><article><h1>Le journal</h1><p>Les nouvelles de {} : {}.</p></article></body></html>"
    news = "la pluie revient sur la Bretagne et les trains circulent normalement"
    for day, path, _ in days:
        site.pages[path] = ("text/html; charset=utf-8", page.format(day, news))
    items = "".join(
        f"<item><guid>{site.url}{path}</guid><title>Le journal</title><link>{site.url}{path}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for _, path, date in days
    )
    site.pages["/journal.xml"] = (
        "application/rss+xml",
        f"<rss version='2.0'><channel><title>J</title>{items}</channel></rss>",
    )
    out = tmp_path / "out"
    args = [f"{site.url}/journal.xml", "-o", str(out), "--engine", "espeak", "--cache-dir", str(tmp_path / "clips")]
    assert _ingest(*args).exit_code == 0
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Le journal", "Le journal"]
    assert len({e.enclosures[0].href for e in feed.entries}) == 2 and len(list(out.glob("*.mp3"))) == 2
    manifests = [json.loads(p.read_text("utf-8")) for p in out.glob("*.json") if "." not in p.stem]
    assert sorted(m["source"] for m in manifests) == [f"{site.url}/j/1.html", f"{site.url}/j/2.html"]
    assert sorted(m["number"] for m in manifests) == [1, 2]
    # The same page rendered again, its headline edited, replaces its own episode: still two, same guids.
    guids = sorted(m["guid"] for m in manifests)
    edited = parse_article(
        page.format("mardi", news), name=f"{site.url}/j/2.html", kind="html", title="Le journal (mardi)"
    )
    render([edited], RenderOptions(output_dir=out, engine="espeak", cache_dir=tmp_path / "clips"))
    manifests = [json.loads(p.read_text("utf-8")) for p in out.glob("*.json") if "." not in p.stem]
    assert sorted(m["guid"] for m in manifests) == guids
    assert sorted(m["title"] for m in manifests) == ["Le journal", "Le journal (mardi)"]
