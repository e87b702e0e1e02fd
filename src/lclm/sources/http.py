"""The only network code: HTTP GET and POST with a timeout, a polite retry, and a cache.

Every way a request can fail becomes a ``FetchError`` whose message names the
cause in a few words (the caller adds which paper it was for).  Answers are
cached for a day in the one cache scheme (``lclm.store.cache``), one file per
URL; callers store an answer only once they know it is a good one, so errors
are never cached, and one that turns out unreadable is dropped (``forget``)
and fetched again.  A bot-check page (an HTML proof-of-work challenge such
as Anubis, served with 200 or 500 where data was asked for) is recognised
here and raised as ``BotCheck``, never retried.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the HTTP and TLS stack is imported by the first fetch, not by a local command
    import urllib.error

from lclm import __version__
from lclm.errors import FetchError, UsageError
from lclm.store.cache import cache_file, drop, make_stamp, read_blob, write_blob

DEFAULT_TIMEOUT = 15.0
# arXiv asks for at least 3 s between calls; also the least wait before a retry.
DEFAULT_DELAY = 3.0
# A service that asks for a longer wait than this gets an error, not a hang.
MAX_WAIT = 60.0
CACHE_SECONDS = 24 * 3600
RETRY_STATUSES = frozenset({429, 503})
USER_AGENT = f"lclm/{__version__} (paper-list manager; python-urllib)"

# When each service was last called in this process, for the gap between calls.
_last_call: dict[str, float] = {}


class BotCheck(FetchError):
    """The service answered with a bot-check page instead of data: asking again will not help."""


# What a bot-check page says (lower-case bytes), whatever its status: Anubis, Cloudflare and kin.
BOT_MARKS = (
    b"making sure you&#39;re not a bot",
    b"making sure you're not a bot",
    b"anubis_challenge",
    b"/.within.website/",
    b"just a moment...",
    b"cf-challenge",
    b"captcha",
)


def is_bot_check(body: bytes) -> bool:
    """Whether ``body`` is an HTML bot-check page rather than data."""
    head = body[:8192].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) and any(mark in head for mark in BOT_MARKS)


class HttpError(FetchError):
    """The service answered with an error status; its body is kept for a better message."""

    def __init__(self, message: str, status: int, body: bytes, retry_after: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body
        self.retry_after = retry_after


def seconds_from_env(name: str, default: float) -> float:
    """A non-negative number of seconds from the environment, else ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise UsageError(f"{name}: must be a number of seconds, not {raw!r}")
    return value


def timeout() -> float:
    """How long to wait for a service: ``$LCLM_TIMEOUT`` seconds, by default 15."""
    return seconds_from_env("LCLM_TIMEOUT", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT


def delay() -> float:
    """Least gap between arXiv calls and least wait before a retry (``$LCLM_ARXIV_DELAY``)."""
    return seconds_from_env("LCLM_ARXIV_DELAY", DEFAULT_DELAY)


def service_url(env: str, default: str) -> str:
    """A service's base URL: ``$env`` when set (tests point it at a local server)."""
    url = os.environ.get(env, "").strip() or default
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"{env}: not an http(s) URL: {url!r}")
    return url


# ---------------------------------------------------------------- cache


CACHE_FORMAT = 2


def _cache_file(url: str) -> Path:
    return cache_file(None, "http", f"{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}.txt")


def _stamp(url: str) -> str:
    return make_stamp("http", CACHE_FORMAT, url)


def cached(url: str, max_age: float = CACHE_SECONDS) -> bytes | None:
    """The answer stored for ``url`` less than ``max_age`` seconds (a day) ago, or None (also for a damaged entry)."""
    path = _cache_file(url)
    try:
        if time.time() - path.stat().st_mtime > max_age:
            return None
    except OSError:
        return None
    return read_blob(path, _stamp(url))


def remember(url: str, body: bytes) -> None:
    """Store a good answer for ``url`` (a cache that cannot be written only costs speed)."""
    write_blob(_cache_file(url), _stamp(url), body)


def forget(url: str) -> None:
    """Drop the stored answer for ``url``: it could not be read after all."""
    drop(_cache_file(url))


# ---------------------------------------------------------------- network


def get(url: str, service: str, gap: float = 0.0, *, attempts: int = 2) -> bytes:
    """The body of a successful GET of ``url`` (see ``request``)."""
    return request(url, service, gap, attempts=attempts)


def request(
    url: str,
    service: str,
    gap: float = 0.0,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    attempts: int = 2,
) -> bytes:
    """The body of a successful GET (or POST of ``data``) of ``url``.

    Waits until ``gap`` seconds have passed since the last call to ``service``
    in this process.  A 429 or 503 is asked again, at most ``attempts`` times
    in all, after the wait the service asks for (at least ``delay()``, at
    most ``MAX_WAIT``); a bot-check page raises ``BotCheck`` at once; every
    other failure raises ``FetchError``.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _request_once(url, service, gap if attempt == 1 else 0.0, data, headers or {})
        except HttpError as exc:
            if exc.status not in RETRY_STATUSES or attempt == attempts:
                raise
            wait = max(_retry_after(exc), delay())
            if wait > MAX_WAIT:
                raise FetchError(f"{exc} and asks to wait {wait:.0f} s; try again later") from None
            time.sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises


def _request_once(url: str, service: str, gap: float, data: bytes | None, headers: dict[str, str]) -> bytes:
    import http.client
    import urllib.error
    import urllib.request

    since = time.monotonic() - _last_call.get(service, float("-inf"))
    if since < gap:
        time.sleep(gap - since)
    limit = timeout()
    try:
        request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT, **headers})
        with urllib.request.urlopen(request, timeout=limit) as response:
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise _http_error(service, exc) from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{service}: {_network_cause(exc.reason, url, limit)}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{service}: {_network_cause(exc, url, limit)}") from None
    except ValueError as exc:  # a malformed URL in LCLM_*_URL
        raise UsageError(f"{service}: bad service URL {url!r} ({exc})") from None
    finally:
        _last_call[service] = time.monotonic()
    if is_bot_check(body):
        raise BotCheck(bot_message(service))
    return body


def bot_message(service: str) -> str:
    """The one line a bot-check answer becomes."""
    return f"{service}: answered with a bot-check page, not data"


def _http_error(service: str, exc: urllib.error.HTTPError) -> FetchError:
    import http.client

    body = b""
    with contextlib.suppress(OSError, http.client.HTTPException):
        body = exc.read()
    exc.close()
    if is_bot_check(body):  # DBLP's Anubis page comes with HTTP 500 as often as with 200
        return BotCheck(bot_message(service))
    status = exc.code
    reason = exc.reason or http.client.responses.get(status, "")
    retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
    return HttpError(f"{service}: HTTP {status} {reason}".rstrip(), status, body, retry_after)


def _retry_after(exc: HttpError) -> float:
    """The wait a Retry-After header asks for: seconds or an HTTP date; 0 if none."""
    value = exc.retry_after.strip()
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0


def _causes() -> tuple[tuple[type[BaseException], str], ...]:
    """The cause of a failed connection, by exception type (first match wins)."""
    import http.client
    import socket
    import ssl

    return (
        (TimeoutError, "timed out after {limit:g} s ({host})"),
        (ConnectionRefusedError, "connection refused by {host}"),
        (socket.gaierror, "cannot resolve {name} (no network or DNS failure)"),
        (ssl.SSLError, "TLS error talking to {host} ({detail})"),
        (ConnectionError, "connection to {host} broken ({detail})"),
        (http.client.HTTPException, "bad answer from {host} ({detail})"),
    )


def _network_cause(reason: object, url: str, limit: float) -> str:
    parts = urlsplit(url)
    fields = {
        "limit": limit,
        "host": parts.netloc or url,
        "name": parts.hostname or url,
        "detail": getattr(reason, "strerror", None) or str(reason) or type(reason).__name__,
    }
    for kind, template in _causes():
        if isinstance(reason, kind):
            return template.format(**fields)
    return "network error talking to {host} ({detail})".format(**fields)
