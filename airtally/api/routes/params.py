"""Query parameters several routes share, declared once so that the OpenAPI schema states them."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import Query

DATE_PATTERN = r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"

FromDate = Annotated[Optional[str], Query(alias="from", pattern=DATE_PATTERN, description="First Kyiv date: YYYY-MM-DD, YYYY-MM or YYYY.")]
ToDate = Annotated[Optional[str], Query(alias="to", pattern=DATE_PATTERN, description="Last Kyiv date, inclusive.")]
WeaponClass = Literal["drones", "missiles", "all"]
ClassParam = Annotated[Optional[WeaponClass], Query(alias="class", description="drones, missiles or all (all weapons).")]
Direction = Annotated[Literal["RU-UA", "UA-RU", "any"], Query(description="Who attacked whom.")]
SourceKind = Annotated[Literal["national", "regional", "news", "all"], Query(description="Which reports' figures: all is the merged record.")]
