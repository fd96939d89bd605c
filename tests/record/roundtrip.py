"""The curated round trip, plainly in pandas: figures per source post and model."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["launched", "destroyed", "not_reach_goal"]


def per_post_and_model(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum of launched/destroyed/not_reach_goal per (source, model), NaN kept as NaN."""
    frame = frame.copy()
    frame["model"] = frame["model"].str.strip()
    for column in COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame.groupby(["source", "model"])[COLUMNS].sum(min_count=1).sort_index()
