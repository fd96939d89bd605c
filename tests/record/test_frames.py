"""DataFrames for notebooks: attacks with their merged class totals, figures in long format."""

from __future__ import annotations

import datetime as dt

from airtally.record.frames import attacks_frame, figures_frame


def test_attacks_frame_has_one_row_per_attack_with_class_totals(imported):
    frame = attacks_frame(imported)
    assert len(frame) == 7
    night = frame[frame.date == dt.date(2025, 7, 4)].iloc[0]
    assert (night.drones_launched, night.drones_destroyed, night.drones_lost) == (539, 268, 208)
    assert (night.missiles_launched, night.all_launched, night.totals_from) == (11, 550, "national")
    assert str(frame["start"].dt.tz) == "UTC"


def test_figures_frame_is_long_with_source_kind_and_evidence(imported):
    frame = figures_frame(imported)
    regional = frame[(frame.kind == "regional") & (frame.date == dt.date(2025, 7, 4))]
    assert set(regional.subject) == {"unknown-drone", "iskander-m"}
    row = frame[(frame.subject == "shahed") & (frame.measure == "lost") & (frame.value == 208)].iloc[0]
    assert "Shahed-136/131" in row.evidence_text and row.source == "kpszsu" and row.line == 8
    assert frame.superseded_by.isna().all()
