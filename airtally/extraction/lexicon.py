"""The per-language lexicons: loading, the schema they follow, and the patterns built from them.

A lexicon file (``lexicons/<lang>.yaml``) lists, per concept, the regular-expression fragments
that express it in one language; ``base.yaml`` holds what every language shares. ``lexicon(lang)``
merges the two, checks the schema and compiles everything once.

>>> lex = lexicon("uk")
>>> [(h.kind, h.key) for h in lex.hits("збито 12 шахедів")]
[('destroyed', None), ('number', 12), ('model', 'shahed')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache, partial
from importlib import resources
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

from airtally.catalog.normalize import normalize
from airtally.catalog.region_forms import foreign_alternation, lowercase_forms, region_forms
from airtally.catalog.weapons import catalogue
from airtally.catalog.yaml_text import load_yaml, yaml_error
from airtally.errors import MalformedData
from airtally.extraction.matcher import Entry, FirstWords, Found, Matcher, Scanner, StartsWith
from airtally.model import THREAT_TYPES

if TYPE_CHECKING:
    from airtally.model import Language

LANGUAGES = ("en", "uk", "ru")
MAX_DIGITS = 9  # a number in digits longer than this counts nothing (and int() refuses ~4,300 digits)


def is_language(value: str) -> TypeGuard[Language]:
    """Whether ``value`` is one of the ``LANGUAGES`` (for the type checker: then a ``Language``)."""
    return value in LANGUAGES


# key -> nested keys it must have (None: a leaf: a list, a map or a string)
REQUIRED: dict[str, tuple[str, ...] | None] = {
    "language": None,
    "numbers": None,
    "quantifiers": ("all", "both"),
    "approx": ("min", "max", "about"),
    "partitive": None,
    "of_them": None,
    "share_link": None,
    "actions": ("modifier", "launched", "destroyed", "lost", "hit", "other"),
    "negation": None,
    "all_destroyed": None,
    "all_except": None,
    "weapons": ("decoy", "recon", "glide_bomb", "drone", "missile", "combined", "class", "models"),
    "units": None,
    "locations": ("location", "debris"),
    "casualties": ("person", "killed", "injured", "zero_killed", "zero_injured", "zero_both"),  # may: person_one
    "time": ("months", "weekdays", "night_of", "overnight", "from_time", "to_time", "as_of", "morning_of", "evening_of", "range_to",
             "reported", "yesterday", "today", "evening_after", "after_midnight", "holidays"),
    "direction": ("ua_attacker", "ru_attacker", "ua_weapon"),
    "cumulative": None,
    "distractor": None,
    "skip_line": None,
    "regional_source": None,
    "over_place": None,
    "contrast": None,
    "from_place": None,
    "conjunction": None,
    "more": None,
    "national": None,
    "claims": ("largest", "since_invasion", "since"),
    "alert": None,
    "news_markers": None,  # a text relaying what others said: of kind "news" (Extraction.kind)
    # how a record claim is worded (airtally.analytics.wording)
    "claim_wording": ("record", "drones", "missiles", "all", "destroyed", "all_time", "this_year", "in_year", "since_month",
                      "in_month"),
}
OPTIONAL = ("subset", "ru_strike", "air_force_said", "compound_joiner", "alias_suffix", "separate", "attribution", "countrywide", "toll_rose", "approx_numbers", "number_multipliers", "article_one", "definite_one", "definite_all", "singular_one",
            "regional_command", "regional_official", "noun_modifiers", "negation_after", "update", "zero_whole", "zero_local", "launch_airspace", "hospitalised", "vague_count", "recap_line",
            "disjunction", "age_word", "no_information", "item_article", "hundreds_joiner", "threats", "teaser_end", "agent_object", "active_aux", "approx_after",
            "day_tally", "struck_with", "other_region", "foreign_target",
            "one_casualty", "all_but",
            "told_before", "past_day", "as_of_time", "region_word", "copula")
THREATS_KEYS = ("types", "cue", "report_cue", "heading", "heading_end", "heading_join", "place_cue", "count", "not_threat", "oblast_list")  # live threats (extraction/threats.py)
BASE_KEYS = ("script", "abbreviations", "bullet", "digit_suffix")


class Hit(NamedTuple):
    """One lexicon match in the text: its concept (``kind``), a value or id (``key``), its span.

    A named tuple, not a dataclass: a report has a few hundred, and a tuple is built in C.
    """

    kind: str
    key: Any  # by concept: a number's value, a weapon's id, a region's code, a dict, or None
    start: int
    end: int


def _read(name: str) -> dict[str, Any]:
    path = resources.files("airtally.extraction").joinpath(f"lexicons/{name}.yaml")
    try:
        return load_yaml(path.read_text("utf-8")) or {}
    except yaml_error() as exc:
        raise MalformedData(f"lexicon {name}.yaml is not valid YAML: {exc}") from exc


def schema_errors(data: dict, name: str) -> list[str]:
    """What is wrong with one language file's keys (empty when it follows the schema)."""
    errors = []
    for key, nested in REQUIRED.items():
        if key not in data:
            errors.append(f"{name}.yaml: missing key {key!r}")
        elif nested:
            errors += [f"{name}.yaml: {key} is missing {sub!r}" for sub in nested if sub not in data[key]]
    allowed = set(REQUIRED) | set(OPTIONAL)
    errors += [f"{name}.yaml: unknown key {key!r} (allowed: {sorted(allowed)})" for key in data if key not in allowed]
    return errors + _threats_errors(data.get("threats"), name)


def _threats_errors(section: dict | None, name: str) -> list[str]:
    """What a language's ``threats`` section lacks (nothing when the language has none)."""
    if section is None:
        return []
    errors = [f"{name}.yaml: threats is missing {key!r}" for key in THREATS_KEYS if key not in section]
    types = section.get("types") or {}
    errors += [f"{name}.yaml: threats.types is missing {kind!r}" for kind in THREAT_TYPES if kind not in types]
    return errors + [f"{name}.yaml: threats.types has unknown type {kind!r}" for kind in types if kind not in THREAT_TYPES]


def base_errors(base: dict) -> list[str]:
    """What ``base.yaml`` lacks (empty when it has every shared key)."""
    return [f"base.yaml: missing key {key!r}" for key in BASE_KEYS if key not in base]


def _alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{normalize(p)})" for p in patterns)


def _optional(data: dict, key: str) -> list[str]:
    """An optional key's patterns, or one that never matches for a language without them."""
    return data.get(key) or ["(?!x)x"]


def bounded(patterns: Iterable[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of ``patterns`` at word boundaries."""
    return re.compile(rf"(?<!\w)(?:{_alternation(patterns)})(?!\w)", re.IGNORECASE)


def ending(patterns: Iterable[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of ``patterns`` as the last words before the end
    of the text searched (a cue right before a position: ``search(text, start, position)``)."""
    return re.compile(rf"(?<!\w)(?:{_alternation(patterns)})\s+$", re.IGNORECASE)


_FOREIGN_NAMES = ("foreign_name", "foreign_water")  # the scan's flags read by foreign_flags
_PLACE_WORD_REACH = 60  # how far before a place its place word is looked for (characters)


class Lexicon:
    """One language's lexicon with its patterns compiled."""

    def __init__(self, base: dict, data: dict):
        self.memo: dict[str, Any] = {}  # what rules build from the lexicon once (see Document.memo)
        self.language = data["language"]
        self.data = data
        self.base = base
        self._groups: dict[str, tuple[str, Any]] = {}
        self.master = self._master()
        self.regions, self.regions_anywhere = self.region_matchers()
        self.digits = self._digits()
        self.flag_patterns = {name: patterns for name, patterns in self._flag_patterns().items() if patterns}
        self._flags: dict[str, re.Pattern] = {}  # flag(name) compiled, once needed
        self._news: re.Pattern | None = None  # news_markers(), once needed
        self.flag_matcher = Matcher([(name, None, patterns) for name, patterns in self.flag_patterns.items()], overlapping=True)
        # the words a line's cue to skip it can start at (the cue is searched for in lines with one)
        self.skip_cues = FirstWords(self.flag_patterns.get("skip_line", []))
        # numbers in digits start only at words starting with one ("\d" is str.isdecimal)
        self.scanner = Scanner([self.master, self.regions, self.regions_anywhere, self.flag_matcher, StartsWith(str.isdecimal),
                                self.skip_cues])
        self.abbreviations = frozenset(base["abbreviations"])
        self.bullet = re.compile(rf"^\s*(?:{base['bullet']})")
        self.over_place = re.compile(rf"(?<!\w)(?:{_alternation(data['over_place'])})\s+(?:the\s+)?$", re.IGNORECASE)
        self.from_place = ending(data["from_place"])
        self.conjunction = bounded(data["conjunction"])
        # words that make a "no one was killed" speak of the whole attack ("in the attack")
        self.zero_whole = bounded(_optional(data, "zero_whole"))
        # "Трьох постраждалих госпіталізували": those taken to hospital are some of the injured
        self.hospitalised = bounded(_optional(data, "hospitalised"))
        # "dozens more injured": a toll told without a number
        self.vague_count = bounded(_optional(data, "vague_count"))
        # "no casualties, injuries or destruction": the words that go on with a list of things denied
        self.disjunction = bounded(_optional(data, "disjunction"))
        # "aged 32, 36 and 56": the numbers after it are ages, no count of people
        self.age_word = bounded(_optional(data, "age_word"))
        # "Нагадаємо, вночі ...": a skipped line that recalls what was reported (of this attack or another)
        self.recap_line = bounded(_optional(data, "recap_line"))
        # "... on New Year's Eve - Air Force Jan 1 2024, 07:39 AM • 29006 views": how a line ends
        # that links another story (its view count), searched for at the line's end
        self.teaser_end = re.compile(rf"(?<!\w)(?:{_alternation(_optional(data, 'teaser_end'))})\s*$", re.IGNORECASE)
        # "from the airspace over": the place after it is a launch site, not where figures fell
        self.launch_airspace = re.compile(rf"(?<!\w)(?:{_alternation(_optional(data, 'launch_airspace'))})\s+\S+\s*$",
                                          re.IGNORECASE)
        # "and the Kinzhal": the article that makes a model's name after another's an item of its own
        self.item_article = ending(_optional(data, "item_article"))
        # "сто сімдесят чотири", "one hundred and seventy-four": what may stand between the two numbers
        self.hundreds_joiner = re.compile(rf"\s+(?:(?:{_alternation(_optional(data, 'hundreds_joiner'))})\s+)?", re.IGNORECASE)
        self.more_word = bounded(data["more"])  # "еще две ракеты", "two more missiles"
        self.more = re.compile(rf"\s*(?:$|[.;,)]|(?:{_alternation(data['more'])})(?!\w))", re.IGNORECASE)
        self.contrast = re.compile(rf"(?<!\w)(?:{_alternation(data['contrast'])})(?!\w)", re.IGNORECASE)
        modifiers = _optional(data, "noun_modifiers")
        self.noun_modifier = re.compile(rf"\s*(?:{_alternation(modifiers)})(?!\w)", re.IGNORECASE)

    # The patterns below are compiled when first used (a short report needs few of them: see
    # tests/extraction/test_cold_start.py).

    @cached_property
    def over_other_region(self) -> re.Pattern:
        """"над Брянской, Липецкой и Нижегородской областями", "над Дагестаном", "over the Kursk
        region": a place after "over" that is none of Ukraine's: one of data/foreign_regions.yaml,
        or a capitalised region adjective (other_region, case-sensitive) the data does not list."""
        return re.compile(
            rf"(?<!\w)(?i:{_alternation(self.data['over_place'])})\s+(?:{_alternation(_optional(self.data, 'other_region'))}"
            rf"|(?i:(?:the\s+)?(?:{normalize(foreign_alternation(self.language))}))(?!\w))")

    @cached_property
    def over_word(self) -> re.Pattern:
        """"over", "над": a word that places what was counted (searched for before the places)."""
        return re.compile(rf"(?<!\w)(?:{_alternation(self.data['over_place'])})\s", re.IGNORECASE)

    @cached_property
    def from_word(self) -> re.Pattern:
        """"from", "з": a place after it is where the weapons were launched from."""
        return bounded(self.data["from_place"])

    @cached_property
    def day_tally(self) -> re.Pattern:
        """"over the past 24 hours": a sentence telling a day's toll of all attacks, no toll of this one."""
        return bounded(_optional(self.data, "day_tally"))

    @cached_property
    def one_casualty(self) -> re.Pattern:
        """"є загиблий", "есть пострадавший": a singular casualty word told to be there counts one."""
        return bounded(_optional(self.data, "one_casualty"))

    @cached_property
    def no_information(self) -> re.Pattern:
        """"Відомостей про постраждалих немає": no news of the hurt, said right before the words of
        a zero, is no zero (searched for at the end of the text before them)."""
        return ending(_optional(self.data, "no_information"))

    @cached_property
    def agent_object(self) -> re.Pattern:
        """"a missile destroyed part of a building": a destroyed word right after the weapons (at
        most an auxiliary between, active_aux) and before its object makes them the doer, not the
        target."""
        return re.compile(rf"\s+(?:{_alternation(_optional(self.data, 'agent_object'))})(?!\w)", re.IGNORECASE)

    @cached_property
    def active_aux(self) -> re.Pattern:
        """"had", "reportedly": the words that may stand between the weapons and agent_object's word."""
        return re.compile(rf"(?:\s+(?:{_alternation(_optional(self.data, 'active_aux'))}))*\s+$", re.IGNORECASE)

    @cached_property
    def approx_after(self) -> re.Pattern:
        """"13 or more drones", "10 і більше дронів": a bound told right after the number."""
        after = self.data.get("approx_after") or {}
        bounds = "|".join(f"(?P<{key}>{_alternation(after[key])})" for key in after if after[key])
        return re.compile(r"\s+(?:" + bounds + r"|(?!x)x)(?!\w)", re.IGNORECASE)

    @cached_property
    def struck_with(self) -> re.Pattern:
        """"Russian troops have hit Mykolaiv with a ballistic missile": the one weapon a strike on a
        place is told with struck it."""
        return re.compile(rf"(?:{_alternation(_optional(self.data, 'struck_with'))})", re.IGNORECASE)

    @cached_property
    def all_but(self) -> re.Pattern:
        """"all but one of the drones": the count after it is the weapons not destroyed."""
        return ending(_optional(self.data, "all_but"))

    @cached_property
    def region_word(self) -> re.Pattern:
        """"region", "oblast": weighed by the confidence only."""
        return bounded(_optional(self.data, "region_word"))

    @cached_property
    def copula(self) -> re.Pattern:
        """"The Kinzhal is one of six next-generation weapons": a copula before "N of M" names a kind."""
        return ending(_optional(self.data, "copula"))

    def flag(self, name: str) -> re.Pattern:
        """The flag's patterns as one regex (``bounded``), compiled when first asked for: the scan
        finds flags with ``flag_matcher``; a regex of its own is searched for only by a few."""
        found = self._flags.get(name)
        if found is None:
            found = self._flags[name] = bounded(self.flag_patterns.get(name) or _optional({}, name))
        return found

    @cached_property
    def zero_local(self) -> re.Pattern:
        """The words that make a "no one was hurt" speak of one place or incident ("у громаді",
        "from the drone"): compiled when first asked for, by a zero naming no region."""
        return bounded(_optional(self.data, "zero_local"))

    def news_markers(self) -> re.Pattern:
        """The phrases that mark a text as relaying what others said ("the air force said", "як
        повідомили"): searched for anywhere, case-insensitively; compiled when first asked for."""
        if self._news is None:
            self._news = re.compile(_alternation(self.data["news_markers"]), re.IGNORECASE)
        return self._news

    # -- the master pattern: every word-level concept, in priority order --------------------
    def _entries(self) -> Iterator[Entry]:
        d = self.data
        acts, w, cas = d["actions"], d["weapons"], d["casualties"]
        yield "modifier", None, acts["modifier"]
        for key in ("zero_both", "zero_killed", "zero_injured"):
            yield key, None, cas[key]
        for key in ("min", "max", "about"):
            yield "approx", key, d["approx"][key]
        yield "of_them", None, d["of_them"]
        yield "all", None, d["quantifiers"]["all"]
        yield "both", 2, d["quantifiers"]["both"]
        yield "one_definite", 1, d.get("definite_one", [])
        yield "one_implied", 1, d.get("singular_one", [])
        for kind, patterns in (d.get("definite_all") or {}).items():
            yield "every_one", kind, patterns
        yield from self._weapon_entries(w)
        yield from self._multiplied_numbers(d)
        yield from self._compound_numbers(d)
        for value, patterns in sorted(d["numbers"].items(), key=lambda item: -item[0]):
            yield "number", int(value), patterns
        for value, patterns in (d.get("approx_numbers") or {}).items():
            yield "number_about", int(value), patterns
        yield "article", 1, d.get("article_one", [])
        yield "partitive", None, d["partitive"]
        for key in ("launched", "destroyed", "lost", "hit", "other"):
            yield key, None, acts[key]
        yield "negation_after", None, d.get("negation_after", [])
        yield "negation", None, d["negation"]
        yield "toll", None, d.get("toll_rose", [])
        yield "person_one", 1, cas.get("person_one", [])
        for key in ("killed", "injured", "person"):
            yield key, None, cas[key]
        yield "location", None, d["locations"]["location"]
        yield "debris", None, d["locations"]["debris"]
        yield "unit", None, d["units"]
        yield "ua_weapon", None, d["direction"]["ua_weapon"]

    def _compound_numbers(self, d: dict) -> Iterator[Entry]:
        """"twenty-one", "двадцять п'ять": a tens word, the joiner, a units word."""
        joiner = d.get("compound_joiner")
        if not joiner:
            return
        words = d["numbers"]
        for tens in sorted((v for v in words if 20 <= v <= 90 and v % 10 == 0), reverse=True):
            for unit in range(9, 0, -1):
                pattern = f"(?:{'|'.join(words[tens])}){joiner}(?:{'|'.join(words.get(unit, []))})"
                if words.get(unit):
                    yield "number", tens + unit, [pattern]

    def _multiplied_numbers(self, d: dict) -> Iterator[Entry]:
        """"два десятка", "дві сотні": a units word before a word of tens or hundreds counts that
        many of them, a round figure (approximate, as "сотня" is); the units word alone would
        read "дві сотні дронів" as two."""
        joiner = d.get("compound_joiner")
        words = d["numbers"]
        for factor, patterns in (d.get("number_multipliers") or {}).items():
            for unit in range(9, 1, -1):
                if joiner and words.get(unit) and patterns:
                    pattern = f"(?:{'|'.join(words[unit])}){joiner}(?:{'|'.join(patterns)})"
                    yield "number_about", unit * int(factor), [pattern]

    def _weapon_entries(self, w: dict) -> Iterator[Entry]:
        aliases: dict[str, list[str]] = {}
        for weapon in catalogue():
            suffix = self.data.get("alias_suffix", "")
            names = [re.escape(n) + suffix for n in weapon.aliases.get(self.language, ()) + weapon.aliases.get("en", ())]
            aliases.setdefault(weapon.id, []).extend(names)
        for model, patterns in w["models"].items():
            aliases.setdefault(model, []).extend(patterns)
        for model, patterns in sorted(aliases.items(), key=lambda item: -max((len(p) for p in item[1]), default=0)):
            yield "model", model, sorted(set(patterns), key=lambda p: (-len(p), p))  # ties by text, not by hash order
        yield "not_counted", None, w.get("not_counted", [])
        for key in ("decoy", "recon", "glide_bomb", "combined"):
            yield key, None, w[key]
        for cls, patterns in w["class"].items():
            yield "class", cls, patterns
        yield "drone", None, w["drone"]
        yield "missile", None, w["missile"]

    def _master(self) -> Matcher:
        entries = [(kind, key, patterns) for kind, key, patterns in self._entries() if patterns]
        return Matcher(entries)

    def region_matchers(self) -> tuple[Matcher, Matcher]:
        """The region forms of this language, longer forms first ("Kyiv region" before "Kyiv"):
        proper names tried only at capitalised words (most words are not: this halves the scan),
        and the few forms that also stand in lower case ("the capital") everywhere."""
        forms = [(code, by_lang.get(self.language, ())) for code, by_lang in region_forms().items()]
        regions = sorted(((form, code) for code, fs in forms for form in fs), key=lambda e: -len(e[0]))
        lower = lowercase_forms()
        proper = Matcher([("region", code, [form]) for form, code in regions if form not in lower],
                         starts=lambda char: not char.islower())
        anywhere = Matcher([("region", code, [form]) for form, code in regions if form in lower])
        return proper, anywhere

    @cached_property
    def place_before(self) -> re.Pattern:
        """A place word right before a place ("в Белгороде", "over the Sea of Azov")."""
        return re.compile(rf"(?<!\w)(?:{'|'.join(self.data['over_place'])}) (?:the )?$", re.IGNORECASE)

    @cached_property
    def target_before(self) -> re.Pattern:
        """A word right before a place that makes it the target ("над Дагестаном", "атака на Курск",
        "over Bryansk"; lexicon key foreign_target)."""
        return re.compile(rf"(?<!\w)(?:{'|'.join(_optional(self.data, 'foreign_target'))}) (?:the )?$", re.IGNORECASE)

    def foreign_flags(self, text: str, flags: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """The flags with the places outside Ukraine found by the scan read by the words before
        them: "foreign_place" for one after a place word ("в Белгороде", "over the Sea of Azov"),
        "ua_attacker" for a region of Russia after a word that makes it the target ("над
        Дагестаном", "over Bryansk": Ukraine's weapons over Russia; the seas name no side). Each
        new flag starts where its place word does."""
        kept: list[tuple[str, int, int]] = []
        for name, start, end in flags:
            if name not in _FOREIGN_NAMES:
                kept.append((name, start, end))
                continue
            window = max(0, start - _PLACE_WORD_REACH)
            place = self.place_before.search(text, window, start)
            if place:
                kept.append(("foreign_place", place.start(), end))
            target = self.target_before.search(text, window, start) if name == "foreign_name" else None
            if target:
                kept.append(("ua_attacker", target.start(), end))
        kept.sort(key=itemgetter(1))  # a new flag starts before its place: back in order of start
        return kept

    def _digits(self) -> re.Pattern:
        # "79%", "79 %" is a share, never a count (the matcher finds no word "%" to end its phrase)
        suffix = self.base["digit_suffix"]
        return re.compile(
            rf"(?<![\w.,:/-])(?P<digits>\d{{1,3}}(?:[ ,]\d{{3}})+(?![\d])|\d+)(?:{suffix})?(?![\w/%]|\s%|[:.,]\d|-\w)",
            re.IGNORECASE,
        )

    def _flag_patterns(self) -> dict[str, list[str]]:
        d = self.data
        return {
            "skip_line": d["skip_line"],
            "cumulative": d["cumulative"],
            "distractor": d["distractor"],
            "separate": d.get("separate", []),
            "subset": d.get("subset", []),
            "regional_source": d["regional_source"],
            "national": d["national"],
            # Russia's forces named as the strikers are a Russian-attack cue too (and the stronger one)
            "ru_attacker": d["direction"]["ru_attacker"] + d.get("ru_strike", []),
            "ua_attacker": d["direction"]["ua_attacker"],
            # a place outside Ukraine (data/foreign_regions.yaml), told apart by the words before it
            # once found (foreign_flags): so the scan looks for the rare names, not at every "в"
            "foreign_name": [foreign_alternation(self.language, waters=False)],
            "foreign_water": [foreign_alternation(self.language, regions=False)],
            "all_destroyed": d["all_destroyed"],
            "all_except": d["all_except"],
            "largest": d["claims"]["largest"],
            "since_invasion": d["claims"]["since_invasion"],
            "alert": d["alert"],
            "regional_command": d.get("regional_command", []),
            "regional_official": d.get("regional_official", []),
            "countrywide": d.get("countrywide", []),
            "ru_strike": d.get("ru_strike", []),
            "air_force_said": d.get("air_force_said", []),
            "attribution": d.get("attribution", []),
            "update": d.get("update", []),
            # weighed by the confidence only (airtally.extraction.confidence), never a rule's test
            "told_before": d.get("told_before", []),
            "past_day": d.get("past_day", []),
            "as_of_time": d.get("as_of_time", []),
            "overnight": d["time"]["overnight"],
            "night_of": d["time"]["night_of"],
            "today": d["time"]["today"],
            # where dates and weekdays may stand (airtally.extraction.dates reads them there)
            "month": [p for patterns in d["time"]["months"].values() for p in patterns],
            "weekday": [p for patterns in d["time"]["weekdays"].values() for p in patterns],
            "holiday": [p for patterns in d["time"]["holidays"].values() for p in patterns],
        }

    def hits(self, text: str) -> list[Hit]:
        """Every concept the lexicon finds in (normalised) ``text``, in order."""
        return self.scan(text)[0]

    def scan(self, text: str) -> tuple[list[Hit], list[tuple[str, int, int]], list[tuple[str, int, int]], list[int] | None]:
        """The text's concept hits, regions (code, start, end), flags (name, start, end) and the
        starts of the words a cue to skip a line can start at (None: it may start anywhere),
        each in order, in one pass."""
        words, regions, anywhere, flags, digits, cues = self.scanner.scan(text)
        by_start = itemgetter(2)  # (name, key, start, end) and Hit alike
        found = [(code, start, end) for _, code, start, end in sorted(regions + anywhere, key=by_start)]
        numbers = self._numbers(text, digits, words)
        hits = list(map(_hit, sorted(words + numbers, key=by_start) if numbers else words))
        cue_starts = None if self.skip_cues.apart else list(map(by_start, cues))
        named = [(name, start, end) for name, _, start, end in flags]
        if any(name in _FOREIGN_NAMES for name, _, _ in named):
            named = self.foreign_flags(text, named)
        return hits, found, named, cue_starts

    def _numbers(self, text: str, candidates: list[Found], taken: list[Found]) -> list[Found]:
        """The numbers in digits, as ("number", value, start, end), at the ``candidates`` words
        outside the word matches ``taken`` (both as (name, key, start, end), in order)."""
        numbers: list[Found] = []
        starts = list(map(itemgetter(2), taken))
        past = 0  # where the last number read ends (kept or not)
        for _, _, start, _ in candidates:
            if start < past:
                continue  # the "234" of "1 234"
            index = bisect_right(starts, start) - 1
            if index >= 0 and start < taken[index][3]:
                continue  # inside a word match ("Х-101")
            found = self.digits.match(text, start)
            if found:
                digits = found.group("digits").replace(" ", "").replace(",", "")
                past = found.end()
                if len(digits) > MAX_DIGITS:
                    continue  # a serial number, a phone number, a run of digits: no count of weapons or people
                numbers.append(("number", int(digits), found.start(), found.end()))
        return numbers


_hit = partial(tuple.__new__, Hit)  # a Hit from a (kind, key, start, end) tuple, built in C (Hit._make is Python)


@lru_cache(maxsize=4)
def raw_lexicon(language: str) -> dict:
    """The language file's data (not merged, not compiled)."""
    if language not in LANGUAGES:
        raise ValueError(f"no lexicon for language {language!r} (known: {', '.join(LANGUAGES)})")
    return _read(language)


@lru_cache(maxsize=4)
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon for ``language`` (loaded and compiled once per process)."""
    data = raw_lexicon(language)
    base = _read("base")
    errors = schema_errors(data, language) + base_errors(base)
    if errors:
        raise MalformedData("; ".join(errors))
    return Lexicon(base, data)
