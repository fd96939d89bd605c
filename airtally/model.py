"""Typed records shared by every part of airtally; no I/O here.

The extraction result mirrors the JSON output contract of ``airtally extract --json``; beside a
record's figures, ``spans`` holds each stated figure's own evidence:

>>> Extraction(input="-", language="en").model_dump(mode="json", by_alias=True)["totals"]["drones"]
{'launched': None, 'destroyed': None, 'lost': None, 'hits': None, 'spans': {}}
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


class Span(_Record):
    """One span of the input a figure was read from: ``text == input[start:end]``, the rule that
    read it and how sure the engine is of the reading. Each figure holds its own spans (the
    ``spans`` of the record that holds the figure, keyed by the figure's name there)."""

    start: int
    end: int
    text: str
    rule: str | None = None
    confidence: Confidence = "high"


# a record's figures' spans, by the figure's name in that record ("launched", "killed", "date")
Spans = dict[str, list[Span]]


class Evidence(_Record):
    """A span with the dotted path of the figure it belongs to (``totals.drones.launched``): an
    entry of the flat views ``Extraction.evidence`` and ``WeaponFigure.evidence``, both derived
    from the figures' own ``spans``, and of a warning's competing readings."""

    field: str
    start: int
    end: int
    text: str
    rule: str | None = None
    confidence: Confidence = "high"


def _low(spans: list[Span]) -> Confidence:
    return "low" if any(span.confidence == "low" for span in spans) else "high"


class ClassTotals(_Record):
    launched: Count = None
    destroyed: Count = None
    lost: Count = None
    hits: Count = None
    # each stated figure's own evidence, by its name ("launched": the spans it was read from)
    spans: Spans = Field(default_factory=dict)


class AllTotals(_Record):
    launched: Count = None
    destroyed: Count = None
    spans: Spans = Field(default_factory=dict)


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
    # each stated figure's own evidence, by its name ("launched": the spans it was read from)
    spans: Spans = Field(default_factory=dict)
    # derived views of ``spans`` for the output contract: every span with its field
    # ("shahed.launched"), and each stated figure's confidence by its name ("high" when not listed)
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: dict[str, Confidence] = Field(default_factory=dict)

    def confidence_of(self, field: str) -> Confidence:
        """The confidence of this weapon's figure ``field``: "low" when a span of it is (or the
        derived ``confidence`` says so), else "high".

        >>> WeaponFigure(model="shahed", weapon_class="strike_drone", launched=50, spans={"launched": [
        ...     {"start": 0, "end": 9, "text": "50 Shahed", "confidence": "low"}]}).confidence_of("launched")
        'low'
        """
        if _low(self.spans.get(field, [])) == "low":
            return "low"
        return self.confidence.get(field, "high")


class Period(_Record):
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    date: dt.date | None = None
    # the attack's window: where each stated time and the date were read ("start", "end", "date")
    spans: Spans = Field(default_factory=dict)


class Locations(_Record):
    hit: Count = None
    debris: Count = None
    spans: Spans = Field(default_factory=dict)


class Casualties(_Record):
    killed: Count = None
    injured: Count = None
    spans: Spans = Field(default_factory=dict)


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

    subject: str  # drones | missiles | all, a weapon model's id; casualties; locations
    weapon_class: str | None  # a weapon model's class
    measure: str  # launched | destroyed | lost | hits; killed | injured; hit | debris
    value: Count
    evidence: list[Span]
    confidence: Confidence
    # the other readings the engine weighed for the same figure (an ``ambiguous_figure``
    # warning's spans, the chosen one left out): what a reviewer compares it with
    competing: tuple[Span, ...] = ()


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
    # A derived view for the output contract: the spans of the top-level figures (totals,
    # period, casualties, locations), each with its figure's dotted path ("totals.drones.launched").
    # A figure's own evidence is its record's ``spans``; read it there (``figures()``).
    evidence: list[Evidence] = Field(default_factory=list)

    def to_json(self) -> dict:
        """The output contract as plain JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)

    def confidence_of(self, field: str) -> Confidence:
        """The confidence of the figure at the dotted path ``field`` ("totals.drones.launched",
        "casualties.killed", "weapons.<model>.<field>"), for readers of the output contract's paths:
        "low" when any of its spans is marked low, else "high" (also for a figure not stated).

        >>> Extraction(input="-", language="en", casualties={"killed": 3, "spans": {"killed": [
        ...     {"start": 0, "end": 1, "text": "3", "confidence": "low"}]}}).confidence_of("casualties.killed")
        'low'
        """
        head, _, rest = field.partition(".")
        if head == "weapons":
            model, _, name = rest.rpartition(".")
            return next((w.confidence_of(name) for w in self.weapons if w.model == model), "high")
        holder: object = self
        parts = field.split(".")
        for part in parts[:-1]:
            holder = getattr(holder, part, None)
        spans: Spans = getattr(holder, "spans", None) or {}
        return _low(spans.get(parts[-1], []))

    def figures(self) -> list[Stated]:
        """Every figure stated in the totals (drones, missiles, all) and per weapon model, each
        with the evidence it holds and its confidence (what the record stores per figure).

        >>> ex = Extraction(input="-", language="en", totals={"drones": {"launched": 50, "spans": {"launched": [
        ...     {"start": 0, "end": 9, "text": "50 drones", "rule": "stated_total"}]}}})
        >>> [(f.subject, f.measure, f.value, [e.text for e in f.evidence], f.confidence) for f in ex.figures()]
        [('drones', 'launched', 50, ['50 drones'], 'high')]
        """
        out = []
        for subject in ("drones", "missiles", "all"):
            out += _stated(getattr(self.totals, subject), subject, None, MEASURES)
        for weapon in self.weapons:
            # a weapon's confidence may also be given by its derived ``confidence`` alone
            out += [figure._replace(confidence=weapon.confidence_of(figure.measure))
                    for figure in _stated(weapon, weapon.model, weapon.weapon_class, MEASURES)]
        return self._with_competing(out)

    def casualty_figures(self) -> list[Stated]:
        """The killed and injured stated, each with its evidence, confidence and competing readings.

        >>> ex = Extraction(input="3 killed, 4 killed", language="en",
        ...     casualties={"killed": 3, "spans": {"killed": [{"start": 0, "end": 8, "text": "3 killed", "confidence": "low"}]}},
        ...     warnings=[{"code": "ambiguous_figure", "message": "-", "field": "casualties.killed", "evidence": [
        ...         {"field": "casualties.killed", "start": 0, "end": 8, "text": "3 killed"},
        ...         {"field": "casualties.killed", "start": 10, "end": 18, "text": "4 killed"}]}])
        >>> [(f.value, [c.text for c in f.competing]) for f in ex.casualty_figures()]
        [(3, ['4 killed'])]
        """
        return self._with_competing(_stated(self.casualties, "casualties", None, ("killed", "injured")))

    def _with_competing(self, stated: list[Stated]) -> list[Stated]:
        """``stated`` with each figure's competing readings: the spans of the ``ambiguous_figure``
        warning the engine wrote for the figure's path (``figure_path``), other than the figure's
        own. Read here, once, where the paths are this contract's own: the record stores them
        with the figure."""
        warned = {w.field: w.evidence for w in self.warnings if w.code == "ambiguous_figure" and w.field}
        if not warned:
            return stated
        out = []
        for figure in stated:
            path = figure_path(figure.subject, figure.weapon_class, figure.measure)
            own = {(span.start, span.end) for span in figure.evidence}
            competing = tuple(Span(start=e.start, end=e.end, text=e.text, rule=e.rule, confidence=e.confidence)
                              for e in warned.get(path, ()) if (e.start, e.end) not in own)
            out.append(figure._replace(competing=competing) if competing else figure)
        return out

    def location_figures(self) -> list[Stated]:
        """The numbers of locations hit and struck by debris, each with its evidence."""
        return _stated(self.locations, "locations", None, ("hit", "debris"))

    @property
    def unsupported_language(self) -> bool:
        """Whether the report is in a language airtally does not read (so no figures were read)."""
        return any(warning.code == "unsupported_language" for warning in self.warnings)


def figure_path(subject: str, weapon_class: str | None, measure: str) -> str:
    """A figure's dotted path in the output contract, as ``Evidence.field`` and the warnings name it.

    >>> [figure_path(*f) for f in [("drones", None, "launched"), ("shahed", "strike_drone", "destroyed"),
    ...                           ("casualties", None, "killed")]]
    ['totals.drones.launched', 'weapons.shahed.destroyed', 'casualties.killed']
    """
    if subject in ("casualties", "locations"):
        return f"{subject}.{measure}"
    return f"{'totals' if weapon_class is None else 'weapons'}.{subject}.{measure}"


def _stated(record: ClassTotals | AllTotals | WeaponFigure | Casualties | Locations, subject: str,
            weapon_class: str | None, measures: tuple[str, ...]) -> list[Stated]:
    """The figures ``record`` states among ``measures``, each with the spans it holds."""
    out = []
    for measure in measures:
        value = getattr(record, measure, None)
        if value is not None:
            spans = record.spans.get(measure, [])
            out.append(Stated(subject, weapon_class, measure, value, spans, _low(spans)))
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
