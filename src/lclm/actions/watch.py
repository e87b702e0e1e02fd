"""`lclm watch`: gather candidates, rank them against the list, accept or reject them.

``run`` reads the store and its ``_watch.yaml``, gathers candidates (a
``--from`` file, arXiv's recent submissions in the watched categories, and
Semantic Scholar's recommendations for the list), and ranks them with the
model of ``lclm.watch.ranking``.  ``accept`` writes a paper through ``add``'s
transaction (rules, duplicate refusal, READMEs re-rendered); ``reject``
remembers a paper in ``_watch.yaml`` under the store lock, so it never comes
back and teaches the model.  ``suggest`` serves ``lclm add`` without ``-c``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from lclm.actions import add as adding
from lclm.errors import FetchError
from lclm.model import Paper
from lclm.store.files import read_text
from lclm.store.layout import WATCH_FILE, Store
from lclm.store.load import load_store
from lclm.watch import candidates, memory
from lclm.watch.memory import WatchState
from lclm.watch.ranking import Model, Ranked, rank, train

DEFAULT_CATEGORIES = ("cs.CL", "cs.LG", "cs.AI")
# Without --since and without a last run: the past week.
FIRST_RUN_DAYS = 7

Progress = Callable[[str], None]


@dataclass(slots=True)
class Sources:
    """Where candidates come from: a ``--from`` file, or the network services."""

    from_file: Path | None = None
    categories: list[str] = field(default_factory=list)
    since: date | None = None
    s2: bool = False
    limit: int = 2000
    today: date = field(default_factory=date.today)


@dataclass(slots=True)
class WatchRun:
    """A ranked run: candidates best first, what was left out and why, category names, failures."""

    ranked: list[Ranked]
    left_out: dict[str, int]
    names: dict[str, str]
    failures: list[str] = field(default_factory=list)
    gathered: int = 0
    # Entries of a --from file that could not be read as papers (told, not failed).
    set_aside: list[str] = field(default_factory=list)


def watch_file(root: Path) -> Path:
    """The store's ``_watch.yaml``."""
    return root / WATCH_FILE


def read_state(root: Path) -> WatchState:
    """What the store's ``_watch.yaml`` holds (empty when there is none)."""
    path = watch_file(root)
    return memory.parse(path, read_text(path)) if path.exists() else WatchState()


def run(root: Path, sources: Sources, progress: Progress | None = None) -> WatchRun:
    """Gather candidates and rank them against the store's list; remember a network run's date."""
    say = progress or (lambda _message: None)
    store = load_store(root)
    state = read_state(root)
    papers, failures, set_aside = _gather(root, store, state, sources, say)
    model = train(store.papers, state.rejected_papers())
    ranked, left_out = rank(model, papers, state.rejected_papers())
    if sources.from_file is None and not failures:
        _remember_run(root, sources)
    names = {c.slug: c.name for c in store.categories()}
    return WatchRun(ranked, left_out, names, failures, len(papers), set_aside)


def _gather(root: Path, store: Store, state: WatchState, sources: Sources, say: Progress) -> tuple[list[Paper], list[str], list[str]]:
    if sources.from_file is not None:
        return _from_file(sources.from_file, say)
    from lclm.sources import arxiv_recent

    categories = arxiv_recent.check_categories(sources.categories or state.categories or list(DEFAULT_CATEGORIES))
    since = sources.since or _last_run(state) or sources.today - timedelta(days=FIRST_RUN_DAYS)
    papers: list[Paper] = []
    failures: list[str] = []
    try:
        papers += arxiv_recent.fetch_recent(
            categories, since, sources.today, limit=sources.limit,
            progress=lambda got, total: say(f"arXiv: {got}/{total} papers since {since}"),
        )
    except FetchError as exc:
        failures.append(str(exc))
    if sources.s2:
        from lclm.sources import s2_recommend

        say("Semantic Scholar: recommendations for the list")
        try:
            papers += s2_recommend.recommend(
                s2_recommend.seed_ids(store.papers), s2_recommend.seed_ids(state.rejected_papers()), limit=500
            )
        except FetchError as exc:
            failures.append(str(exc))
    return papers, failures, []


def _from_file(path: Path, say: Progress) -> tuple[list[Paper], list[str], list[str]]:
    found = candidates.read(path, read_text(path))
    papers, failures = list(found.papers), []
    if found.arxiv:
        from lclm.sources import arxiv

        batch = arxiv.fetch_batch(found.arxiv, progress=lambda n: say(f"arXiv: {n} ids"))
        papers += [batch.papers[i] for i in found.arxiv if i in batch.papers]
        failures += [f"{i}: {why}" for i, why in batch.failed.items()]
        failures += [f"{i}: arXiv has no paper with this id" for i in batch.missing]
    if found.dois:
        # add's Crossref lookup (cached a day), so a DOI reads the same here as in `lclm add --doi`
        outcomes = adding._fetch_dois(found.dois, None, False, say)
        papers += [o.paper for o in outcomes if o.paper is not None]
        failures += [f"{o.source}: {o.reason}" for o in outcomes if o.paper is None]
    return papers, failures, list(found.skipped)


def _last_run(state: WatchState) -> date | None:
    try:
        return date.fromisoformat(state.last_run) if state.last_run else None
    except ValueError:
        return None


def _remember_run(root: Path, sources: Sources) -> None:
    from lclm.actions.write import transaction

    with transaction(root) as tx:
        state = read_state(root)
        state.last_run = sources.today.isoformat()
        if sources.categories:
            state.categories = list(sources.categories)
        tx.write_side_file(WATCH_FILE, memory.dump(state))


# ---------------------------------------------------------------- triage


def accept(root: Path, paper: Paper, slug: str) -> adding.AddReport:
    """Add ``paper`` to category ``slug`` through ``add``'s transaction."""
    req = adding.Request(ready=[adding.Outcome(paper.arxiv or paper.doi or paper.title, paper)])
    return adding.add(root, req, slug)


def reject(root: Path, papers: Sequence[Paper], today: date | None = None) -> int:
    """Remember ``papers`` as rejected in ``_watch.yaml``; how many were new there."""
    from lclm.actions.write import transaction
    from lclm.duplicates.identity import Lookup

    with transaction(root) as tx:
        state = read_state(root)
        known = Lookup(state.rejected_papers())
        added = 0
        for paper in papers:
            if known.find(paper) is None:
                state.reject(paper, (today or date.today()).isoformat())
                known.add(paper)
                added += 1
        if added:
            tx.write_side_file(WATCH_FILE, memory.dump(state))
    return added


def model_for(root: Path) -> tuple[Model, Store]:
    """The model trained on the store at ``root`` and its rejections."""
    store = load_store(root)
    return train(store.papers, read_state(root).rejected_papers()), store


def suggest(root: Path, papers: Sequence[Paper]) -> list[tuple[str, float]]:
    """Categories (slugs, best first, with shares) for papers about to be added: the model's vote over them all."""
    model, _store = model_for(root)
    votes: dict[str, float] = {}
    for paper in papers:
        for slug, share in model.categories(paper, count=12):
            votes[slug] = votes.get(slug, 0.0) + share
    total = sum(votes.values()) or 1.0
    return sorted(((s, v / total) for s, v in votes.items()), key=lambda item: -item[1])


def preview(req: adding.Request, refresh: bool = False) -> list[Paper]:
    """The papers ``req`` names, fetched ahead of ``add`` (which then reads them from the cache)."""
    papers = [o.paper for o in req.ready if o.paper is not None]
    if req.arxiv:
        from lclm.sources import arxiv

        batch = arxiv.fetch_batch(req.arxiv, refresh=refresh)
        papers += [batch.papers[i] for i in req.arxiv if i in batch.papers]
    if req.dois:
        papers += [o.paper for o in adding._fetch_dois(req.dois, req.year, refresh, lambda _m: None) if o.paper is not None]
    return papers
