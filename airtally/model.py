"""Typed records shared by every part of airtally; no I/O here.

The extraction result mirrors the JSON output contract of ``airtally extract --json``:

>>> Extraction(input="-", language="en").model_dump(mode="json", by_alias=True)["totals"]["drones"]
{'launched': None, 'destroyed': None, 'lost': None, 'hits': None}
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple, Union

from pydantic import BaseModel, ConfigDict, Field

from airtally.threat_types import THREAT_DISCLAIMER, THREAT_TYPES, ThreatType  # noqa: F401 (re-exported)

Language = Literal["en", "uk", "ru"]
Country = Literal["RU", "UA"]
Scope = Literal["national", "regional"]
# what a report is: the Air Force's national post, a regional command's or official's, or news
ReportKind = Literal["national", "regional", "news"]
REPORT_KINDS: tuple[ReportKind, ...] = ("national", "regional", "news")
# How sure the engine is of a figure: "low" when another reading of the text competes for the same
# field (the warning ``ambiguous_figure`` then names both readings' spans).
Confidence = Literal["high", "low"]
WeaponClass = Literal[
    "strike_drone",
    "decoy_drone",
    "recon_drone",
    "loitering_munition",
    "cruise_missile",
    "ballistic_missile",
    "aeroballistic_missile",
    "guided_missile",
    "anti_ship_missile",
    "sam_missile",
    "glide_bomb",
    "unknown_drone",
    "unknown_missile",
]
# Which weapon classes count into totals.drones / totals.missiles.
DRONE_CLASSES = frozenset({"strike_drone", "decoy_drone", "unknown_drone"})
MISSILE_CLASSES = frozenset(
    {
        "cruise_missile",
        "ballistic_missile",
        "aeroballistic_missile",
        "guided_missile",
        "anti_ship_missile",
        "sam_missile",
        "unknown_missile",
    }
)


class _Record(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=False, extra="forbid")


class Approx(_Record):
    """A figure the text gives only approximately ("over 200" is ``Approx(min=200)``)."""

    min: int | None = None
    max: int | None = None
    about: int | None = None


# null (not stated), an exact integer, or an approximate figure.
Count = Union[int, Approx, None]


class Evidence(_Record):
    """The exact span of the input a figure came from: ``text == input[start:end]``."""

    field: str
    start: int
    end: int
    text: str
    rule: str | None = None
    confidence: Confidence = "high"


class ClassTotals(_Record):
    launched: Count = None
    destroyed: Count = None
    lost: Count = None
    hits: Count = None


class AllTotals(_Record):
    launched: Count = None
    destroyed: Count = None


class Totals(_Record):
    drones: ClassTotals = Field(default_factory=ClassTotals)
    missiles: ClassTotals = Field(default_factory=ClassTotals)
    all: AllTotals = Field(default_factory=AllTotals)


class WeaponFigure(_Record):
    """Figures for one weapon model (a catalogue model id, e.g. ``shahed``, ``kh-101``)."""

    model: str
    weapon_class: str = Field(alias="class")
    launched: Count = None
    destroyed: Count = None
    lost: Count = None
    hits: Count = None
    evidence: list[Evidence] = Field(default_factory=list)
    # the confidence of each stated figure, keyed by its field ("launched", "destroyed", "lost",
    # "hits"); a figure not listed is "high"
    confidence: dict[str, Confidence] = Field(default_factory=dict)

    def confidence_of(self, field: str) -> Confidence:
        """The confidence of this weapon's figure ``field`` ("high" unless marked "low").

        >>> WeaponFigure(model="shahed", weapon_class="strike_drone", confidence={"launched": "low"}).confidence_of("launched")
        'low'
        """
        return self.confidence.get(field, "high")


class Period(_Record):
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    date: dt.date | None = None


class Locations(_Record):
    hit: Count = None
    debris: Count = None


class Casualties(_Record):
    killed: Count = None
    injured: Count = None


class Claim(_Record):
    """A claim such as "the largest attack since the beginning of the invasion"."""

    kind: str
    text: str
    start: int
    end: int
    # Against what the claim measures: "invasion" ("since the beginning of the invasion", "of
    # the war"), the words after "since" otherwise, None when the text gives no baseline.
    since: str | None = None


class ExtractionWarning(_Record):
    """A note on the reading. ``field`` and ``evidence`` say which figure it is about and which
    spans, when it is about one: ``ambiguous_figure`` names the field (a dotted path as in
    ``Evidence.field``) and the competing readings' spans, the chosen one first (none chosen when
    the engine abstained and left the figure null)."""

    code: str
    message: str
    field: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


MEASURES = ("launched", "destroyed", "lost", "hits")


class Stated(NamedTuple):
    """One figure a report states, with its own evidence (the spans it was read from, the first
    the one it was read from) and confidence: what the record stores per figure, taken from the
    extraction as it is, never looked up again by a field's name."""

    subject: str  # drones | missiles | all, a weapon model's id, or casualties
    weapon_class: str | None  # a weapon model's class
    measure: str  # launched | destroyed | lost | hits; killed | injured
    value: Count
    evidence: list[Evidence]
    confidence: Confidence


class Extraction(_Record):
    """Everything one report states about one attack."""

    input: str
    # one of airtally's languages; for a report in another, that language's code (None when not
    # known), with the warning "unsupported_language" and no figures
    language: str | None
    is_attack_report: bool = False
    attacker: Country | None = None
    target: Country | None = None
    scope: Scope | None = None
    # national / regional / news, decided by the extraction (news: the text relays what others
    # said); None for a report in a language airtally does not read
    kind: ReportKind | None = None
    regions: list[str] = Field(default_factory=list)
    period: Period = Field(default_factory=Period)
    totals: Totals = Field(default_factory=Totals)
    weapons: list[WeaponFigure] = Field(default_factory=list)
    locations: Locations = Field(default_factory=Locations)
    casualties: Casualties = Field(default_factory=Casualties)
    claims: list[Claim] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)
    # Evidence for the top-level figures (totals, casualties, locations, period), field named
    # by its dotted path, e.g. "totals.drones.launched".
    evidence: list[Evidence] = Field(default_factory=list)

    def to_json(self) -> dict:
        """The output contract as plain JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)

    def confidence_of(self, field: str) -> Confidence:
        """The confidence of the figure at ``field``: a dotted path as in ``Evidence.field``
        ("totals.drones.launched", "casualties.killed") or ``weapons.<model>.<field>``. "low" when
        any of its evidence is marked low, else "high" (also for a figure not stated).

        >>> Extraction(input="-", language="en", evidence=[Evidence(field="casualties.killed", start=0,
        ...     end=1, text="3", confidence="low")]).confidence_of("casualties.killed")
        'low'
        """
        if field.startswith("weapons."):
            model, _, name = field[len("weapons."):].rpartition(".")
            return next((w.confidence_of(name) for w in self.weapons if w.model == model), "high")
        low = any(e.field == field and e.confidence == "low" for e in self.evidence)
        return "low" if low else "high"

    def figures(self) -> list[Stated]:
        """Every figure stated in the totals (drones, missiles, all) and per weapon model, each
        with its evidence and confidence.

        >>> ex = Extraction(input="-", language="en", totals={"drones": {"launched": 50}},
        ...     evidence=[Evidence(field="totals.drones.launched", start=0, end=10, text="50 drones")])
        >>> [(f.subject, f.measure, f.value, [e.text for e in f.evidence], f.confidence) for f in ex.figures()]
        [('drones', 'launched', 50, ['50 drones'], 'high')]
        """
        out = []
        own = self._evidence_by_figure()
        for subject in ("drones", "missiles", "all"):
            totals = getattr(self.totals, subject)
            for measure in MEASURES:
                value = getattr(totals, measure, None)
                if value is not None:
                    field = f"totals.{subject}.{measure}"
                    out.append(Stated(subject, None, measure, value, own.get(field, []), self.confidence_of(field)))
        for weapon in self.weapons:
            of_weapon = _by_field(weapon.evidence)
            for measure in MEASURES:
                value = getattr(weapon, measure)
                if value is not None:
                    out.append(Stated(weapon.model, weapon.weapon_class, measure, value, of_weapon.get(f"{weapon.model}.{measure}", []),
                                      weapon.confidence_of(measure)))
        return out

    def casualty_figures(self) -> list[Stated]:
        """The killed and injured stated, each with its evidence and confidence."""
        own = self._evidence_by_figure()
        out = []
        for measure in ("killed", "injured"):
            value = getattr(self.casualties, measure)
            if value is not None:
                field = f"casualties.{measure}"
                out.append(Stated("casualties", None, measure, value, own.get(field, []), self.confidence_of(field)))
        return out

    def _evidence_by_figure(self) -> dict[str, list[Evidence]]:
        # the top-level evidence, per figure: its ``field`` is the figure's own path (see Evidence)
        return _by_field(self.evidence)

    @property
    def unsupported_language(self) -> bool:
        """Whether the report is in a language airtally does not read (so no figures were read)."""
        return any(warning.code == "unsupported_language" for warning in self.warnings)


def _by_field(evidence: list[Evidence]) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for item in evidence:
        out.setdefault(item.field, []).append(item)
    return out


AlertLevel = Literal["oblast", "raion", "hromada"]
AlertType = Literal["air_raid", "artillery_shelling", "urban_fights", "chemical", "nuclear", "unknown"]


class AlertEvent(_Record):
    """One air-raid alert for one place; times are timezone-aware UTC.

    ``finished_at`` is None while the alert is active (or when the source never said);
    ``end_is_estimate`` marks an end that was predicted or assumed rather than observed
    (alerts.in.ua's ``calculated``, the volunteer data's ``naive=True``).
    """

    region_code: str  # ISO 3166-2:UA code of the oblast
    level: AlertLevel = "oblast"
    raion: str | None = None
    hromada: str | None = None
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    end_is_estimate: bool = False
    alert_type: AlertType = "air_raid"
    source: str = "official"
    external_id: str | None = None
    permanent: bool = False




class Threat(_Record):
    """One live threat read from one line of a channel's post (``airtally.extraction.threats``).

    ``regions`` are the oblasts the line names where the threat is (ISO 3166-2:UA codes, through
    the region forms registry; a city counts for its oblast); ``heading`` is where it is headed,
    as the post wrote it (a city, an oblast, a direction), with ``heading_region`` the oblast
    code when the registry knows the place (the first place that has one, for a list of headings
    "Полтаву, Кременчук"), ``heading_regions`` every oblast the heading's places name, in order;
    ``count`` the number the line states ("3 БпЛА"; a range "5-7" counts
    its lower bound), None when it states none. An ``all_clear`` names the places it clears (none:
    every place). Not an official alert.
    """

    at: dt.datetime | None = None
    type: ThreatType
    regions: list[str] = Field(default_factory=list)
    heading: str | None = None
    heading_region: str | None = None
    heading_regions: list[str] = Field(default_factory=list)
    count: int | None = None
    text: str
