"""Network errors in a few words, for the commands that fetch over HTTP (ingest, publish's verify)."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit, urlunsplit


def network_reason(exc: BaseException, timeout: tuple[float, float]) -> str:
    """What went wrong: requests wraps urllib3 wraps the socket or TLS error, and only the
    innermost says it plainly ("Connection refused", the certificate's fault).

    `timeout` is the request's (connect, read) pair, named when one of them ran out.
    """
    import requests

    if isinstance(exc, requests.ConnectTimeout):
        return f"no connection within {timeout[0]:g} s"
    if isinstance(exc, requests.Timeout):
        return f"timed out (no data for {timeout[1]:g} s)"
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects"
    inner: BaseException = exc
    seen = {id(exc)}
    while True:
        nxt = inner.__cause__ or inner.__context__
        if nxt is None or id(nxt) in seen:
            break
        seen.add(id(nxt))
        inner = nxt
    if isinstance(inner, ssl.SSLCertVerificationError):
        # Never skipped: the user must fix the certificate (or the clock), so name its fault.
        return f"TLS certificate not trusted ({inner.verify_message or inner.reason})"
    if isinstance(inner, ssl.SSLError):
        return f"TLS error ({inner.reason or inner})"
    if isinstance(inner, TimeoutError):  # a stalled body: urllib3's read timeout, under a ConnectionError
        return f"timed out (no data for {timeout[1]:g} s)"
    if isinstance(inner, socket.gaierror):
        return f"unknown host ({inner.strerror or inner})"
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror
    text = str(inner or exc).replace("\n", " ")
    return text if len(text) <= 200 else text[:199] + "…"


def redact(url: str) -> str:
    """`url` as messages and logs may show it: a password in it (scheme://user:secret@host) becomes ***.

    The one redactor for every URL we name (feeds, pages, queues, publish targets): the host part is
    kept as typed (IPv6 brackets, port), and an unparsable URL keeps only what follows its last '@'.
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.rpartition("@")[2]
    if password is None:
        return url
    user, _, _ = parts.netloc.rpartition("@")[0].partition(":")
    return urlunsplit(parts._replace(netloc=f"{user}:***@{parts.netloc.rpartition('@')[2]}"))
