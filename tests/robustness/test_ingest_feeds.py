"""`podcast ingest` as a new user and a hostile tester use it: what the feed says, where it is, an
interrupted run, and a queue that fails or goes away.

Real parts only: a local HTTP(S) site, and a redis-server for the queue, on 127.0.0.1 and started here.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import feedparser
import pytest

from podcast.cancel import Cancelled, CancelToken
from podcast.cli import cli
from podcast.errors import InputError
from podcast.ingest import STATE_FILE, fetch_article, ingest, read_feed
from tests.conftest import make_runner
from tests.support.sites import Site

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><title>{title} | Le Courrier</title></head><body>
<nav>Accueil</nav><article><h1>{title}</h1><p>{body}</p>
<p>Les habitants du village en parlent beaucoup, et les élus suivent cela de près.</p></article></body></html>"""


@pytest.fixture
def site():
    served = Site()
    yield served
    served.close()


def _rss(items: str, link: str = "") -> str:
    head = "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Courrier</title>"
    return f"{head}{link}{items}</channel></rss>"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(text, encoding="utf-8")
    return path


# --- ingest: what the feed says ---------------------------------------------------------------


def test_an_id_listed_twice_in_one_feed_is_one_entry(tmp_path):
    items = (
        "<item><guid>same</guid><title>Le vélo</title><link>https://site.example/a</link></item>"
        "<item><guid>same</guid><title>Le vélo (corrigé)</title><link>https://site.example/a</link></item>"
        "<item><title>Sans guid</title><link>https://site.example/b</link></item>"
        "<item><title>Sans guid</title><link>https://site.example/b</link></item>"
    )
    entries = read_feed(str(_write(tmp_path, _rss(items))))
    assert [(e.id, e.title) for e in entries] == [("same", "Le vélo"), ("https://site.example/b", "Sans guid")]


def test_entry_links_are_web_pages_resolved_against_the_feed(tmp_path):
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xml:base='https://site.example/blog/'><title>x</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>"
        # the page is the alternate link, not the enclosure listed first
        "<entry><id>tag:a</id><title>A</title><link rel='enclosure' href='a.mp3'/><link href='posts/a.html'/></entry>"
        # no link at all: its id is no web page
        "<entry><id>tag:b</id><title>B</title></entry>"
        # no id, no link, no title: nothing to fetch nor remember; never the feed's own URL
        "<entry><summary>rien</summary></entry>"
        "</feed>"
    )
    entries = {e.id: e.link for e in read_feed(str(_write(tmp_path, atom)))}
    assert entries == {"tag:a": "https://site.example/blog/posts/a.html", "tag:b": ""}
    # A saved RSS file: relative links are the site's (its <link>), not the local folder's.
    rss = _rss(
        "<item><guid>r</guid><title>R</title><link>/a/r.html</link></item>", "<link>https://site.example/</link>"
    )
    [entry] = read_feed(str(_write(tmp_path, rss)))
    assert entry.link == "https://site.example/a/r.html"


@pytest.mark.slow
def test_relative_links_are_relative_to_where_a_redirect_led(site):
    def moved(handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", f"{site.url}/blog/feed.xml")
        handler.end_headers()

    site.serve_with = {"/feed": moved}
    site.add(
        "/blog/feed.xml",
        "application/rss+xml",
        _rss("<item><guid>p</guid><title>P</title><link>post.html</link></item>"),
    )
    [entry] = read_feed(f"{site.url}/feed")
    assert entry.link == f"{site.url}/blog/post.html"


def test_an_entry_without_a_page_is_said_so(tmp_path):
    [entry] = read_feed(str(_write(tmp_path, _rss("<item><guid>g1</guid><title>T</title></item>"))))
    with pytest.raises(InputError, match="g1: the entry has no link to a web page"):
        fetch_article(entry)


@pytest.mark.parametrize(
    "title,expected",
    [
        ("Le &lt;b&gt;vélo&lt;/b&gt; &amp;amp; co", "Le vélo & co"),
        ("<![CDATA[Le <em>vélo</em>\n   électrique]]>", "Le vélo électrique"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Un titre   sur\n deux lignes", "Un titre sur deux lignes"),
    ],
)
def test_titles_are_plain_text(tmp_path, title, expected):
    items = f"<item><guid>g</guid><title>{title}</title><link>https://site.example/a</link></item>"
    [entry] = read_feed(str(_write(tmp_path, _rss(items))))
    assert entry.title == expected


@pytest.mark.slow
def test_a_charset_given_only_in_the_http_header_is_used(site):
    url = site.add("/feed", "application/rss+xml; charset=iso-8859-15", _rss_bytes("iso-8859-15"))
    [entry] = read_feed(url)
    assert entry.title == "Été brûlant à 5 €"
    page = ARTICLE.format(title="Le prix", body="Le ticket coûte 5 € à Besançon, une somme modeste pour la région.")
    for path, kind, body in [
        ("/header", "text/html; charset=iso-8859-15", page.encode("iso-8859-15")),
        ("/meta", "text/html", page.replace("<head>", "<head><meta charset='iso-8859-15'>").encode("iso-8859-15")),
        # a server's default "ISO-8859-1" on a page that is really UTF-8: the bytes win
        ("/wrong", "text/html; charset=iso-8859-1", page.encode("utf-8")),
    ]:
        link = site.add(path, kind, body)
        article = fetch_article(_entry(link))
        assert "coûte 5 € à Besançon" in article.sections[0].paragraphs[0], path


@pytest.mark.slow
def test_the_feeds_title_and_date_win_over_the_pages(site):
    from datetime import date

    from podcast.ingest import Entry

    link = site.add(
        "/p.html",
        "text/html",
        "<html><head><meta property='article:published_time' content='2020-01-02T10:00:00Z'>"
        "<title>Titre de la page</title></head><body><article><h1>Titre de la page</h1>"
        "<p>Le texte de l'article est assez long pour compter comme un article.</p>"
        "<p>Encore une phrase de plus ici.</p></article></body></html>",
    )
    article = fetch_article(Entry("x", "Titre du flux", link, date(2026, 3, 14)))
    assert (article.title, article.date) == ("Titre du flux", date(2026, 3, 14))
    undated = fetch_article(Entry("y", "", link, None))  # the page's, when the feed has none
    assert (undated.title, undated.date) == ("Titre de la page", date(2020, 1, 2))


def _rss_bytes(encoding: str) -> bytes:
    # No encoding in the XML declaration: the header alone says it.
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><guid>g</guid>"
        "<title>Été brûlant à 5 €</title><link>https://site.example/e</link></item></channel></rss>"
    ).encode(encoding)


def _entry(link: str):
    from podcast.ingest import Entry

    return Entry(link, "", link)


# --- ingest: where the feed is ---------------------------------------------------------------


def _ingest(*args: str):
    return make_runner().invoke(cli, ["ingest", *args, "--engine", "espeak"])


def test_a_file_url_is_read_as_the_file_and_other_schemes_are_refused(tmp_path):
    feed = _write(tmp_path, _rss(""))
    result = _ingest(feed.as_uri(), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "0 rendered, 0 done before, 0 failed" in result.stderr
    for source in ("ftp://site.example/feed.xml", "gopher://x/1"):
        result = _ingest(source, "-o", str(tmp_path / "out"))
        assert result.exit_code == 1, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert f"{source}: unsupported feed URL scheme" in line


@pytest.mark.slow
def test_a_home_page_given_for_the_feed_names_the_feed_it_announces(site, tmp_path):
    home = site.add(
        "/",
        "text/html; charset=utf-8",
        "<html><head><title>Le Courrier</title><link rel='alternate' type='application/rss+xml' href='/rss.xml'>"
        "</head><body><p>Bienvenue</p></body></html>",
    )
    result = _ingest(home, "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"podcast: error: {home}: not an RSS or Atom feed but a web page; its feed is {site.url}/rss.xml: give that\n"
    )


@pytest.mark.slow
def test_a_private_feeds_password_never_shows(site, tmp_path):
    private = site.url.replace("http://", "http://reader:hunter2@")
    for source in (f"{private}/nowhere.xml", private.replace("http://", "ftp://") + "/feed.xml"):
        result = _ingest(source, "-o", str(tmp_path / "out"))
        assert result.exit_code in (1, 3), result.stderr
        [line] = result.stderr.strip().splitlines()
        assert "reader:***@" in line and "hunter2" not in line, line


@pytest.mark.slow
def test_network_failures_are_one_plain_line(tmp_path):
    tls = Site(tls=True)
    try:
        feed = tls.add("/feed.xml", "application/rss+xml", _rss(""))
        result = _ingest(feed, "-o", str(tmp_path / "out"))
    finally:
        tls.close()
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"podcast: error: {feed}: cannot fetch the feed: TLS certificate not trusted "
        "(unable to get local issuer certificate)"
    ), line
    port = Site()
    closed = port.url
    port.close()  # nothing listens there now
    result = _ingest(f"{closed}/feed.xml", "-o", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert result.stderr == f"podcast: error: {closed}/feed.xml: cannot fetch the feed: Connection refused\n"


# --- ingest: interrupted, then run again ------------------------------------------------------


@pytest.mark.slow
def test_an_interrupted_ingest_lists_what_it_rendered_and_a_rerun_finishes(site, tmp_path):
    from podcast.api import RenderOptions

    items = ""
    for n, day in ((1, 14), (2, 15)):
        title = f"Nouvelle numéro {n}"
        site.add(f"/a/{n}.html", "text/html; charset=utf-8", ARTICLE.format(title=title, body="Une phrase courte."))
        items += (
            f"<item><guid>n{n}</guid><title>{title}</title><link>{site.url}/a/{n}.html</link>"
            f"<pubDate>Sat, {day} Mar 2026 08:00:00 +0100</pubDate></item>"
        )
    feed = site.add("/feed.xml", "application/rss+xml", _rss(items))
    out = tmp_path / "out"
    token = CancelToken()
    # Ctrl-C as the second page is fetched: the first episode is made and remembered.
    site.on_get = lambda path: token.cancel() if path == "/a/2.html" else None
    options = RenderOptions(output_dir=out, engine="espeak", cache_dir=tmp_path / "clips")
    with pytest.raises(Cancelled):
        ingest(feed, options, cancel=token)
    assert list(json.loads((out / STATE_FILE).read_text("utf-8"))["entries"]) == ["n1"]
    titles = [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert titles == ["Nouvelle numéro 1"]  # listed although the batch did not finish

    site.on_get = lambda path: None
    report = ingest(feed, RenderOptions(output_dir=out, engine="espeak", cache_dir=tmp_path / "clips"))
    assert [e.id for e, _ in report.rendered] == ["n2"] and report.already == 1
    titles = [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert sorted(titles) == ["Nouvelle numéro 1", "Nouvelle numéro 2"]

    # Killed between an episode and the feed: the state is newer than feed.xml (here: no feed.xml).
    (out / "feed.xml").unlink()
    report = ingest(feed, RenderOptions(output_dir=out, engine="espeak", cache_dir=tmp_path / "clips"))
    assert report.rendered == [] and report.already == 2
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 2
    stamp = (out / "feed.xml").stat().st_mtime_ns
    ingest(feed, RenderOptions(output_dir=out, engine="espeak", cache_dir=tmp_path / "clips"))
    assert (out / "feed.xml").stat().st_mtime_ns == stamp  # up to date: not rewritten


class Trickle:
    """A page sent a few bytes at a time, for up to `pieces` half-seconds; `sending` is set
    while it is being sent, `over` once it is all sent (or the client left)."""

    def __init__(self, pieces: int = 40) -> None:
        self.pieces = pieces
        self.sending = threading.Event()
        self.over = threading.Event()

    def serve(self, handler) -> None:
        import time

        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        self.sending.set()
        try:
            for _ in range(self.pieces):
                handler.wfile.write(b"<p>Encore un mot.</p>\n")
                handler.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass
        finally:
            self.over.set()


@pytest.mark.slow
def test_a_stop_or_the_deadline_is_heard_in_the_middle_of_a_download(site, monkeypatch):
    from podcast import ingest as ingest_module
    from podcast.errors import EngineError

    trickle = Trickle()
    site.serve_with = {"/slow.html": trickle.serve}
    token = CancelToken()
    threading.Thread(target=lambda: trickle.sending.wait(30) and token.cancel(), daemon=True).start()
    with pytest.raises(Cancelled):
        fetch_article(_entry(f"{site.url}/slow.html"), cancel=token)
    assert not trickle.over.is_set()  # stopped while the server was still sending, not after

    monkeypatch.setattr(ingest_module, "DEADLINE", 1.0)
    again = Trickle()
    site.serve_with = {"/slow.html": again.serve}
    with pytest.raises(EngineError, match=r"/slow.html: the page took over 1 s to download"):
        fetch_article(_entry(f"{site.url}/slow.html"))
    assert not again.over.is_set()


@pytest.mark.slow
def test_a_second_ingest_while_one_runs_leaves_the_entries_to_it(site, tmp_path):
    import fcntl

    from podcast.ingest import LOCK_FILE

    link = site.add("/a/1.html", "text/html", ARTICLE.format(title="Un", body="Une phrase."))
    feed = site.add("/feed.xml", "application/rss+xml", _rss(f"<item><guid>g1</guid><link>{link}</link></item>"))
    out = tmp_path / "out"
    out.mkdir()
    fetched: list[str] = []
    site.on_get = fetched.append
    with open(out / LOCK_FILE, "a") as held:  # a run from cron that has not finished
        fcntl.flock(held, fcntl.LOCK_EX)
        result = _ingest(feed, "-o", str(out), "--cache-dir", str(tmp_path / "clips"))
    assert result.exit_code == 0, result.stderr
    assert f"another `podcast ingest` is running in {out}: leaving the new entries to it" in result.stderr
    assert fetched == [] and not (out / STATE_FILE).exists() and not list(out.glob("*.mp3"))
    result = _ingest(feed, "-o", str(out), "--cache-dir", str(tmp_path / "clips"))  # that run is over
    assert result.exit_code == 0 and "1 rendered" in result.stderr, result.stderr


# --- ingest onto the queue ---------------------------------------------------------------------


@pytest.mark.slow
def test_an_entry_that_failed_on_the_queue_is_submitted_again_by_the_next_ingest(site, tmp_path):
    from podcast.queue import connect
    from podcast.queue.status import fail
    from tests.support.queueing import redis_server

    site.add("/a/1.html", "text/html; charset=utf-8", ARTICLE.format(title="Un", body="Une phrase."))
    feed = site.add(
        "/feed.xml", "application/rss+xml", _rss(f"<item><guid>g1</guid><link>{site.url}/a/1.html</link></item>")
    )
    args = [feed, "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "clips")]
    with redis_server(tmp_path / "redis") as url:
        first = _ingest(*args, "--queue", url)
        assert first.exit_code == 0, first.stderr
        [episode] = first.output.split()
        queue = connect(url)
        try:
            fail(queue, episode, "the clip store is not writable")  # as a worker records it
        finally:
            queue.close()
        second = _ingest(*args, "--queue", url)
        assert second.exit_code == 0, second.stderr
        assert f"{site.url}/a/1.html: failed on the queue (the clip store is not writable); submitting it again" in (
            second.stderr
        )
        [again] = second.output.split()
        assert again != episode
        state = json.loads((tmp_path / "out" / STATE_FILE).read_text("utf-8"))["entries"]
        assert state["g1"]["result"] == again
        third = _ingest(*args, "--queue", url)  # pending now, not failed: left alone
        assert third.exit_code == 0 and third.output == "" and "0 submitted, 1 done before" in third.stderr


@pytest.mark.slow
def test_a_queue_lost_mid_ingest_stops_the_batch_in_one_line(site, tmp_path):
    import redis

    from podcast.api import RenderOptions
    from podcast.queue import connect
    from podcast.queue.connection import QueueError
    from tests.support.queueing import redis_server

    items = ""
    for n in (1, 2, 3):
        link = site.add(f"/a/{n}.html", "text/html", ARTICLE.format(title=f"Article {n}", body="Une phrase."))
        items += f"<item><guid>g{n}</guid><link>{link}</link></item>"
    feed = site.add("/feed.xml", "application/rss+xml", _rss(items))
    fetched: list[str] = []
    site.on_get = fetched.append
    with redis_server(tmp_path / "redis") as url:
        queue = connect(url)
        try:
            redis.Redis.from_url(url).shutdown(nosave=True)  # Redis goes away after the connect
            options = RenderOptions(output_dir=tmp_path / "out", engine="espeak", cache_dir=tmp_path / "clips")
            with pytest.raises(QueueError, match="Connection refused"):
                ingest(feed, options, queue=queue)
        finally:
            queue.close()
    # One entry tried, not every entry failing the same way one by one.
    assert len([path for path in fetched if path.startswith("/a/")]) == 1
    assert not (tmp_path / "out" / STATE_FILE).exists()
