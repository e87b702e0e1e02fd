"""What a metadata service is (``Source``), and the one cache-or-ask function (``ask``).

Each source module states its own ``SOURCE`` row; ``lclm.sources.registry``
gathers them into the one table.  A ``Source`` says everything the callers
need to know about a service:
its name, where it lives (an environment variable and a default, so tests
point it at a local server), how far apart its calls must be, how many ids
one request may carry, how long an answer is reused, which fields of a
record it can speak for, and the parse function of its module.  ``ask`` is
the loop ``add``, ``refresh`` and ``verify`` all use: good answers are cached
per id (so an interrupted run resumes where it stopped, and another selection
sharing ids asks only for what it lacks), uncached ids are asked for in
batches of the source's size, and failures are sorted the same way
everywhere: the service has no such paper (``missing``), one answer could not
be read (that id ``failed``, the rest go on), the service failed or answered
with a bot-check page (the rest of its ids ``failed`` with that one reason,
and it is asked no more: ``stopped``).

A new source is one module (its ``SOURCE``, its request and parse functions
and a function calling ``ask``) and one entry in ``lclm.sources.registry``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from lclm.errors import FetchError

T = TypeVar("T")
DAY = 24 * 3600
WEEK = 7 * DAY


@dataclass(frozen=True, slots=True)
class Source:
    """One metadata service: where, how politely, how many ids at once, for which fields."""

    name: str
    url_env: str
    default_url: str
    delay_env: str  # the variable overriding ``delay`` ("" for none)
    delay: float  # least seconds between two calls
    batch: int  # ids per request (1: one request per id)
    cache_seconds: float
    fields: frozenset[str]
    parse: Callable[..., Any]  # the module's reader of one answer
    attempts: int = 2  # tries for a 429/503, each after the wait the service asks for
    # Whether "no such paper" is cached too: yes where it means "not known yet" and the batch
    # would otherwise be asked again on every run (Semantic Scholar); no where it is a typo to retype (arXiv).
    cache_missing: bool = False

    def url(self) -> str:
        """The service's base URL (``$url_env`` when set)."""
        from lclm.sources.http import service_url

        return service_url(self.url_env, self.default_url)

    def gap(self) -> float:
        """The least gap between calls: ``$delay_env`` seconds when set (tests: 0), else ``delay``."""
        from lclm.sources.http import seconds_from_env

        return seconds_from_env(self.delay_env, self.delay) if self.delay_env else self.delay


@dataclass(slots=True)
class Answers(Generic[T]):
    """What one source said about a set of ids.

    ``found``: id -> what its answer reads as; ``missing``: ids the service
    has no paper for; ``failed``: ids that could not be asked about or whose
    answer could not be read, with why; ``stopped``: why the service stopped
    being asked ("" when it answered throughout); ``requests``: calls made.
    """

    found: dict[str, T] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stopped: str = ""
    bot_check: bool = False  # it stopped because it answered with a bot-check page
    requests: int = 0


MISSING = b""  # what the cache holds for an id the service has no paper for (``cache_missing``)
Fetch = Callable[[list[str]], dict[str, bytes | None]]
Read = Callable[[str, bytes], T | None]


def ask(
    source: Source,
    keys: Iterable[str],
    *,
    cache_url: Callable[[str], str],
    fetch: Fetch,
    read: Read[T],
    refresh: bool = False,
    offline: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Answers[T]:
    """Each of ``keys`` answered from the cache when fresh, else asked of ``source`` in batches.

    ``cache_url(key)`` is the address an answer is cached under;
    ``fetch(chunk)`` makes one request and gives each key's answer (None: the
    service has no such paper); ``read(key, body)`` reads one answer (None:
    no such paper; ``FetchError``: unreadable).  ``refresh`` asks again for
    everything; ``offline`` answers from the cache only, whatever its age.
    Never raises ``FetchError``: everything lands in the ``Answers``.
    """
    from lclm.sources import http

    done = progress or (lambda _n: None)
    answers: Answers[T] = Answers()
    wanted = list(dict.fromkeys(keys))
    todo = []
    max_age = math.inf if offline else source.cache_seconds
    for key in wanted:
        body = None if refresh and not offline else http.cached(cache_url(key), max_age)
        if body is None or not _take(answers, key, body, read):
            if body is not None:
                http.forget(cache_url(key))
            todo.append(key)
    if len(wanted) > len(todo):
        done(len(wanted) - len(todo))
    if offline:
        answers.failed.update(dict.fromkeys(todo, "not in the cache (asked nothing: --offline)"))
        done(len(todo))
        return answers
    for start in range(0, len(todo), source.batch):
        chunk = todo[start : start + source.batch]
        answers.requests += 1
        try:
            bodies = fetch(chunk)
        except FetchError as exc:  # down, refusing, a bot check: its other ids would fare no better
            answers.stopped = str(exc)
            answers.bot_check = isinstance(exc, http.BotCheck)
            answers.failed.update(dict.fromkeys(todo[start:], str(exc)))
            done(len(todo) - start)
            break
        for key in chunk:
            body = bodies.get(key)
            try:
                value = read(key, body) if body is not None else None
            except FetchError as exc:
                answers.failed[key] = str(exc)
                continue
            if body is None or value is None:
                answers.missing.append(key)
                if source.cache_missing:
                    http.remember(cache_url(key), MISSING)
            else:
                http.remember(cache_url(key), body)
                answers.found[key] = value
        done(len(chunk))
    return answers


def _take(answers: Answers[T], key: str, body: bytes, read: Read[T]) -> bool:
    """Read a cached answer into ``answers``; False if it is not usable."""
    if body == MISSING:
        answers.missing.append(key)
        return True
    try:
        value = read(key, body)
    except FetchError:
        return False
    if value is None:
        return False
    answers.found[key] = value
    return True
