"""Following sources: catch-up, new-post latency, and a Telegram export import; SQLite in a temp folder.

    python benchmarks/watch.py [--channels 20] [--posts 10000] [--latency-posts 8]

1. catch-up: ``airtally watch --once`` (``Watcher.run(once=True)``) against the fake preview
   server of the tests (loopback, 20 posts a page as t.me serves) with 20 channels and 10,000
   posts of history within the first poll's 7 days; time and memory (max RSS before and
   after). Baselines in the same run: fetching and parsing the same
   pages alone (no database, no extraction), and extraction alone over the same texts.
2. latency: the watch loop running (a thread), channels polled every 2 s (below the 30 s a
   user may set, to keep the run short; the bound scales with it); new posts appear at random
   moments; the time from a post appearing on the server to its attack being in the record,
   against the target: one interval with its jitter (+10 %) plus 1 s.
3. import: a Telegram Desktop export of 10,000 messages (``import_export`` as ``airtally import
   telegram`` runs it), against extraction alone over the same texts.

Each phase reports its wall time and the process's CPU time: on a shared machine the wall
time swings with the load, the CPU time much less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from airtally.extraction import extract  # noqa: E402
from airtally.record.posts import ingest_posts  # noqa: E402
from airtally.sources.fetch import Fetcher  # noqa: E402
from airtally.sources.followed import add_source  # noqa: E402
from airtally.sources.telegram import page_url  # noqa: E402
from airtally.sources.telegram_export import parse_export  # noqa: E402
from airtally.sources.telegram_page import parse_page  # noqa: E402
from airtally.sources.watch import Watcher  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402
from airtally.storage.tables_record import attacks, reports  # noqa: E402
from airtally.storage.tables_watch import followed_sources  # noqa: E402
from tests.sources.fake_telegram import FakeTelegram, Serving  # noqa: E402

UTC = dt.timezone.utc
MONTHS = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()
THREATS = ["Загроза застосування балістичного озброєння з півдня!", "Швидкісна ціль на Київ!",
           "Група ударних БпЛА з півночі курсом на Чернігівщину.", "Вибухи в Києві: працює ППО."]


def text_for(rng: random.Random, when: dt.datetime, i: int) -> str:
    if i % 3:
        return f"{rng.choice(THREATS)} ({i})"
    day = when.date()
    launched = rng.randint(20, 700)
    return (f"У ніч на {day.day} {MONTHS[day.month - 1]} (з 18:00) противник атакував {launched} ударними БпЛА "
            f"типу Shahed та {rng.randint(0, 12)} ракетами. Станом на 09:00 збито/подавлено {launched - rng.randint(1, 19)} "
            f"БпЛА. Влучання зафіксовано на {rng.randint(1, 20)} локаціях. (повідомлення {i})")


def history(fake: FakeTelegram, channels: list[str], total: int, now: dt.datetime, rng: random.Random) -> list[str]:
    texts = []
    per = total // len(channels)
    span = dt.timedelta(days=6)
    for name in channels:
        post_id = 1000
        for k in range(per):
            when = now - span + span * (k + 1) / (per + 1)
            text = text_for(rng, when, k)
            fake.post(name, post_id, text, when)
            texts.append(text)
            post_id += rng.choice((1, 1, 1, 2, 5))  # deleted posts leave gaps
    return texts


def extraction_alone(texts: list[str], published: dt.datetime) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the extractor over ``texts``."""
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        extract(text, published=published)
    return time.perf_counter() - start, time.process_time() - cpu


def fetch_parse_alone(url: str, channels: list[str]) -> tuple[float, float, int]:
    fetcher = Fetcher()
    start, cpu, pages = time.perf_counter(), time.process_time(), 0
    for name in channels:
        before = None
        while True:
            page = parse_page(fetcher.get(page_url(url, name, before)).text, name)
            pages += 1
            if page.before is None:
                break
            before = page.before
    fetcher.close()
    return time.perf_counter() - start, time.process_time() - cpu, pages


def catch_up(folder: Path, args, rng: random.Random) -> dict:
    now = dt.datetime.now(UTC)
    fake = FakeTelegram(page_size=20)
    channels = [f"channel{i:02d}" for i in range(args.channels)]
    texts = history(fake, channels, args.posts, now, rng)
    engine = open_database(f"sqlite:///{folder / 'watch.db'}")
    with Serving(fake) as url:
        with engine.begin() as conn:
            for name in channels:
                add_source(conn, name, platform="telegram", kind="national", url=url)
        fetcher = Fetcher()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, cpu = time.perf_counter(), time.process_time()
        results = Watcher(engine, fetcher).run(once=True)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fetcher.close()
        fetch_seconds, fetch_cpu, pages = fetch_parse_alone(url, channels)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar()
    engine.dispose()
    return dict(seconds=seconds, cpu=cpu, posts=sum(r.new for r in results), stored=stored, errors=sum(1 for r in results if r.error),
                pages=sum(r.pages for r in results), rss_before_mib=rss_before / 1024,
                rss_after_mib=rss_after / 1024, fetch_parse_seconds=fetch_seconds, fetch_cpu=fetch_cpu,
                fetch_pages=pages, extract=extraction_alone(texts, now))


def latency(folder: Path, args, rng: random.Random) -> dict:
    interval = 2.0
    now = dt.datetime.now(UTC)
    fake = FakeTelegram(page_size=20)
    channels = [f"live{i:02d}" for i in range(args.channels)]
    history(fake, channels, 20 * len(channels), now, rng)
    engine = open_database(f"sqlite:///{folder / 'live.db'}")
    delays = []
    with Serving(fake) as url:
        with engine.begin() as conn:
            for name in channels:
                add_source(conn, name, platform="telegram", kind="national", url=url)
            conn.execute(followed_sources.update().values(interval_s=interval))  # below the CLI's minimum
        fetcher = Fetcher()
        watcher = Watcher(engine, fetcher)
        watcher.run(once=True)  # caught up
        stop = threading.Event()
        watcher.sleep = lambda s: stop.wait(min(s, 0.2))
        thread = threading.Thread(target=lambda: _loop(watcher, stop), daemon=True)
        thread.start()
        for k in range(args.latency_posts):
            time.sleep(rng.uniform(0.3, 2.5))
            name = rng.choice(channels)
            day = dt.date(2031, 1 + k % 12, 1 + k)  # a date no history post has: its attack is new
            text = (f"У ніч на {day.day} {MONTHS[day.month - 1]} {day.year} року противник атакував "
                    f"{100 + k} ударними БпЛА.")
            newest = max(p.id for p in fake.channels[name])
            appeared = time.perf_counter()
            fake.post(name, newest + 1, text, dt.datetime.now(UTC))
            while not _has_attack(engine, day):
                time.sleep(0.02)
            delays.append(time.perf_counter() - appeared)
        stop.set()
        thread.join(30)
        fetcher.close()
    engine.dispose()
    return dict(interval=interval, bound=interval * 1.1 + 1, delays=delays)


def _loop(watcher: Watcher, stop: threading.Event) -> None:
    while not stop.is_set():
        watcher.run(max_rounds=1)
        stop.wait(0.05)


def _has_attack(engine, day: dt.date) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(attacks.c.id).where(attacks.c.date == day)).first() is not None


def export_import(folder: Path, args, rng: random.Random) -> dict:
    start_at = dt.datetime(2024, 1, 1, tzinfo=UTC)
    messages, texts = [], []
    for i in range(args.posts):
        when = start_at + dt.timedelta(hours=i)
        text = text_for(rng, when, i)
        texts.append(text)
        parts = text.split(". ", 1)
        body = [{"type": "bold", "text": parts[0] + "."}, " " + parts[1]] if len(parts) == 2 else text
        messages.append({"id": i + 1, "type": "message", "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
                         "date_unixtime": str(int(when.timestamp())), "text": body})
    raw = json.dumps({"name": "bench", "type": "public_channel", "messages": messages}, ensure_ascii=False)
    engine = open_database(f"sqlite:///{folder / 'export.db'}")
    start, cpu = time.perf_counter(), time.process_time()
    posts = parse_export(raw, "bench")
    summary = ingest_posts(engine, posts, kind="national")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    again_start, again_cpu = time.perf_counter(), time.process_time()
    again = ingest_posts(engine, posts, kind="national")
    again_seconds, again_cpu = time.perf_counter() - again_start, time.process_time() - again_cpu
    engine.dispose()
    return dict(seconds=seconds, cpu=cpu, stored=summary.stored + summary.not_attack, again_seconds=again_seconds,
                again_cpu=again_cpu, again_duplicates=again.duplicates, extract=extraction_alone(texts, start_at))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--latency-posts", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        c = catch_up(folder, args, rng)
        print(f"catch-up: {c['posts']:,} posts of {args.channels} channels ({c['pages']} pages, {c['errors']} errors) "
              f"in {c['seconds']:.1f} s = {c['posts'] / c['seconds']:,.0f} posts/s (CPU {c['cpu']:.1f} s, the fake "
              f"server's thread included); {c['stored']:,} reports stored")
        print(f"  memory: max RSS {c['rss_before_mib']:.0f} MiB before (the fake server's history built), "
              f"{c['rss_after_mib']:.0f} MiB after")
        print(f"  baselines: fetch + parse the {c['fetch_pages']} pages alone {c['fetch_parse_seconds']:.1f} s "
              f"(CPU {c['fetch_cpu']:.1f} s); extraction alone over the same texts {c['extract'][0]:.1f} s "
              f"(CPU {c['extract'][1]:.1f} s)")
        lat = latency(folder, args, rng)
        d = sorted(lat["delays"])
        print(f"latency, new post -> attack in the record ({len(d)} posts, interval {lat['interval']:g} s): "
              f"median {d[len(d) // 2]:.2f} s, max {d[-1]:.2f} s; bound interval + 10 % + 1 s = {lat['bound']:.1f} s "
              f"({'met' if d[-1] <= lat['bound'] else 'NOT met'})")
        e = export_import(folder, args, rng)
        print(f"import telegram: {args.posts:,} messages in {e['seconds']:.1f} s = {args.posts / e['seconds']:,.0f} "
              f"messages/s (CPU {e['cpu']:.1f} s; {e['stored']:,} reports); again (all duplicates: "
              f"{e['again_duplicates']:,}) {e['again_seconds']:.1f} s (CPU {e['again_cpu']:.1f} s); extraction alone "
              f"{e['extract'][0]:.1f} s = {args.posts / e['extract'][0]:,.0f}/s (CPU {e['extract'][1]:.1f} s)")


if __name__ == "__main__":
    main()
