"""Channel posts in the record: a post is a report, an edit its next revision, a deletion withdraws it.

A post's identity is its channel (the record's source of that name) and its post id, never its
text: two posts with the same text are two reports. The text is compared after the
extractor's normalisation with runs of white space made one (``post_hash``), so the same post
read from Telegram Desktop's export and from the web preview is one revision, not two. A new
revision replaces the one before it whole: the figures it restates supersede the old ones, and
the old ones it no longer states stop counting. A deleted post's report is withdrawn: its
figures stop counting and stay queryable.

The channel ``kpszsu`` and the curated data set's ``kpszsu`` rows are one source (the same
``sources`` row), so a night imported from the data set and then read from the channel is
revised whole by the channel's report, not doubled (airtally.record.ingest.superseded).

>>> post_hash("Збито  270\u00a0засобів ", "kpszsu", 7) == post_hash("Збито 270 засобів", "kpszsu", 7)
True
>>> post_hash("Збито 270 засобів", "kpszsu", 7) == post_hash("Збито 270 засобів", "kpszsu", 8)
False
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlalchemy.engine import Connection, Engine

from airtally.catalog.normalize import normalize
from airtally.record.attack_events import AttackChanges
from airtally.record.ingest import IngestSummary, Outcome, run_extract, store_extraction
from airtally.record.merge import recompute
from airtally.sources.posts import Post
from airtally.storage import reports as report_store
from airtally.storage.transactions import write_transaction


def post_hash(text: str, source: str = "", post_id: int = 0, revision: int = 1) -> str:
    """sha256 of a post's identity, revision and text normalised as the extractor normalises it
    (white space runs as one space): a post's content hash, unique as every report's is."""
    normalised = " ".join(normalize(text).split())
    return hashlib.sha256(f"{source}/{post_id}/{revision}\n{normalised}".encode("utf-8")).hexdigest()


def post_origin(post: Post) -> str:
    return post.url or f"https://t.me/{post.channel}/{post.id}"


def store_post(conn: Connection, post: Post, *, kind: str | None = None, source: str | None = None,
               changes: AttackChanges | None = None) -> Outcome:
    """Store one post inside the caller's transaction: ``stored`` (a new post), ``revised`` (an
    edit: its next revision), ``reinstated`` (seen again after a withdrawal), ``duplicate``,
    ``not_attack`` (stored, no attack), ``unsupported_language`` or ``empty`` (nothing stored).
    What an extraction becomes is decided by ``store_extraction``, as for a file.

    The events of its change to attacks are written at once, or, given ``changes``, when the
    caller calls ``changes.emit()`` (one event per attack for a whole poll or batch)."""
    if changes is None:
        changes = AttackChanges(conn)
        outcome = store_post(conn, post, kind=kind, source=source, changes=changes)
        changes.emit()
        return outcome
    if not post.text.strip():
        return Outcome("empty")
    name = source or post.channel
    source_id = report_store.find_source_id(conn, name)
    latest = report_store.latest_revision(conn, source_id, post.id) if source_id is not None else None
    revision = 1 if latest is None else latest["revision"] + 1
    if latest is not None:
        changes.watch([latest["attack_id"]])
    if latest is not None and latest["content_hash"] == post_hash(post.text, name, post.id, latest["revision"]):
        if latest["withdrawn_at"] is None:
            return Outcome("duplicate", latest["id"], latest["attack_id"])
        report_store.reinstate_report(conn, latest["id"])
        _recompute(conn, latest["attack_id"])
        return Outcome("reinstated", latest["id"], latest["attack_id"])
    outcome = store_extraction(conn, run_extract(post.text, post.published), post.text,
                               post_hash(post.text, name, post.id, revision), origin=post_origin(post),
                               published=post.published, source=name, kind=kind,
                               post={"post_id": post.id, "revision": revision}, changes=changes)
    if latest is not None and outcome.report_id is not None:
        report_store.withdraw_report(conn, latest["id"], dt.datetime.now(dt.timezone.utc))
        _recompute(conn, latest["attack_id"], outcome.attack_id)
        if outcome.status == "stored":
            outcome.status = "revised"
    return outcome


def withdraw_post(conn: Connection, channel: str, post_id: int, when: dt.datetime,
                  changes: AttackChanges | None = None) -> int | None:
    """Withdraw a deleted post's report (its newest revision); returns the report id, or None
    when the post was never stored or is withdrawn already. A withdrawal that changes a figure
    is an ``attack.revised`` (written now, or by ``changes.emit()`` when given)."""
    source_id = report_store.find_source_id(conn, channel)
    latest = report_store.latest_revision(conn, source_id, post_id) if source_id is not None else None
    if latest is None or latest["withdrawn_at"] is not None:
        return None
    watching = changes or AttackChanges(conn)
    watching.watch([latest["attack_id"]])
    report_store.withdraw_report(conn, latest["id"], when)
    _recompute(conn, latest["attack_id"])
    if changes is None:
        watching.emit()
    return latest["id"]


def _recompute(conn: Connection, *attack_ids: int | None) -> None:
    ids = [a for a in attack_ids if a is not None]
    if ids:
        recompute(conn, ids)


def ingest_posts(engine: Engine, posts: Iterable[Post], *, kind: str | None = None, source: str | None = None,
                 batch: int = 200, notify: bool = False) -> IngestSummary:
    """Store posts (oldest first), ``batch`` posts per transaction: a killed run keeps the batches
    it finished, and a re-run finds them stored (``duplicate``). A batch writes one event per
    attack it changed, recorded but not to be sent unless ``notify`` (an import of a history)."""
    summary = IngestSummary()
    pending = list(posts)
    for i in range(0, len(pending), batch):
        with write_transaction(engine) as conn:
            changes = AttackChanges(conn, notify=notify)
            outcomes = [store_post(conn, post, kind=kind, source=source, changes=changes)
                        for post in pending[i : i + batch]]
            changes.emit()
        for outcome in outcomes:
            summary.count(outcome)
    return summary
