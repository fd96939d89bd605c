"""Data tier: every national Air Force attack of the curated data set, written as posts, extracts back.

The attacks come from ``curated.national_attacks`` (grouping and classification rules there).
Each attack is written in every format of ``posts.FORMATS`` and the extraction must give back
launched/destroyed/lost per class and the date. The share of posts read back exactly must stay at or above the floor pinned
in ``gate_baseline.json`` (``data_tier.agreement``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402
from curated import agreement, national_attacks  # noqa: E402

pytestmark = pytest.mark.data


def test_generator_covers_the_data_set(shared_data) -> None:
    kept, skipped = national_attacks(shared_data / "missile_attacks_daily.csv")
    assert len(kept) >= 900, f"only {len(kept)} national attacks written ({skipped} left out)"
    assert skipped <= len(kept) * 0.05, f"{skipped} attacks could not be written"


def test_posts_extract_back_to_the_data_set(shared_data) -> None:
    pytest.importorskip("airtally.extraction", reason="the extraction engine is not on this branch yet")
    attacks, _ = national_attacks(shared_data / "missile_attacks_daily.csv")
    rate, posts, failures = agreement(attacks)
    floor = gate.load_baseline()["data_tier"]["agreement"]
    print(f"data tier: {rate:.3f} of {posts} posts read back exactly")
    assert rate + 1e-9 >= floor, (
        f"data tier agreement {rate:.3f} < floor {floor:.3f}; first disagreements:\n" + "\n".join(failures[:40])
    )
