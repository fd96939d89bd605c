"""`airtally import telegram`: Telegram Desktop's export into the record, idempotent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from airtally.errors import MalformedData
from airtally.sources.telegram_export import parse_export

ROOT = Path(__file__).resolve().parents[2]
NIGHT = [{"type": "bold", "text": "У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА"},
         " типу Shahed та дронами-імітаторами і 11 ракетами.\n\nСтаном на 09:00 збито/подавлено 270 засобів: "
         "268 БпЛА та 2 ракети.\n\n", {"type": "hashtag", "text": "#новини"}]


def export(messages) -> str:
    return json.dumps({"name": "Повітряні Сили ЗСУ", "type": "public_channel", "id": 1,
                       "messages": messages}, ensure_ascii=False)


def message(id_, text, unixtime=1751611212, **extra):
    return {"id": id_, "type": "message", "date": "2025-07-04T09:40:12", "date_unixtime": str(unixtime),
            "from": "Повітряні Сили ЗСУ", "text": text, **extra}


MESSAGES = [
    {"id": 1, "type": "service", "date": "2022-02-24T05:00:00", "date_unixtime": "1645671600", "action": "create_channel"},
    message(10, NIGHT, edited="2025-07-04T09:50:00", edited_unixtime="1751611800"),
    message(12, "Загроза застосування балістичного озброєння!", 1751600000),
    message(13, NIGHT),  # the same text again: another post, another report
    message(15, ""),
    message(16, "Dzisiaj w nocy Rosja zaatakowała Ukrainę dronami."),  # Polish: not read, not stored
]


def test_parse_export_flattens_entities_and_reads_unix_times():
    posts = parse_export(export(MESSAGES), "kpszsu")
    assert [p.id for p in posts] == [10, 12, 13, 15, 16]
    assert posts[0].text.startswith("У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА типу")
    assert posts[0].text.endswith("#новини") and posts[0].edited and posts[0].edited_at.isoformat() == "2025-07-04T06:50:00+00:00"
    assert posts[1].published.isoformat() == "2025-07-04T03:33:20+00:00"


@pytest.mark.parametrize("raw,message_", [
    ("{", "not JSON"),
    ('{"name": "x"}', "no 'messages' list"),
    (export([message(1, "x", unixtime="yesterday")]), "no readable date_unixtime"),
])
def test_a_bad_export_names_what_is_wrong(raw, message_):
    with pytest.raises(MalformedData, match=message_):
        parse_export(raw, "kpszsu")


def airtally(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIRTALLY_DB": db, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from airtally.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_import_twice_stores_once(tmp_path):
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    path = tmp_path / "result.json"
    path.write_text(export(MESSAGES), "utf-8")
    first = airtally("import", "telegram", str(path), "--channel", "kpszsu", "--kind", "national", db=db)
    assert first.returncode == 0, first.stderr
    assert ("read 5 posts of kpszsu: stored 2 (in 1 attacks), revised 0, duplicates 0, not attack reports 1, "
            "without text 1, in a language not read 1") in first.stderr
    again = airtally("import", "telegram", str(path), "--channel", "kpszsu", db=db)
    assert "stored 0 (in 0 attacks), revised 0, duplicates 3" in again.stderr  # attacks of what was stored


def test_import_errors_exit_codes(tmp_path):
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    bad = tmp_path / "bad.json"
    bad.write_text('{"chats": []}', "utf-8")
    done = airtally("import", "telegram", str(bad), "--channel", "kpszsu", db=db)
    assert done.returncode == 5 and "no 'messages' list" in done.stderr and "Traceback" not in done.stderr
    missing = airtally("import", "telegram", str(tmp_path / "none.json"), "--channel", "kpszsu", db=db)
    assert missing.returncode == 3
    wrong_kind = airtally("import", "telegram", str(bad), "--channel", "kpszsu", "--kind", "alerts", db=db)
    assert wrong_kind.returncode == 2
