"""Write a ``Brief`` (``airtally.analytics.brief``) as Markdown, HTML or plain text, in English or
Ukrainian; the words come from ``brief_labels.yaml``, the numbers only from the brief.

>>> sorted(LANGUAGES), FORMATS
(['en', 'uk'], ('md', 'html', 'txt'))
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

import yaml

from airtally.analytics.brief import Brief
from airtally.analytics.ranking import ordinal
from airtally.errors import InvalidValue

FORMATS = ("md", "html", "txt")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict]:
    """The brief's labels per language (``brief_labels.yaml``)."""
    return yaml.safe_load(resources.files("airtally.analytics").joinpath("brief_labels.yaml").read_text("utf-8"))


LANGUAGES = tuple(labels())


def _number(value: int | float | None, words: dict) -> str:
    return words["unknown"] if value is None else f"{value:,}".replace(",", words["thousands"]) if isinstance(value, int) else str(value)


# a line is (text, link or None); a section is (heading, lines)
Line = tuple[str, str | None]  # the text, and the address it links to (None: plain text)
Section = tuple[str, list[Line]]


def _figures(brief: Brief, w: dict) -> list[Section]:
    n = lambda v: _number(v, w)  # noqa: E731
    def line(subject: str, c) -> Line:
        parts = [] if c.launched is None and c.destroyed is None else [
            w["launched_down"].format(subject=subject, launched=n(c.launched), destroyed=n(c.destroyed))]
        if c.lost:
            parts.append(w["lost"].format(lost=n(c.lost)))
        text = "; ".join(parts) + (f" {w['unconfirmed_mark']}" if c.unconfirmed else "")
        return (text if parts[0].startswith(subject) else f"{subject}: {text}"), None

    totals = [line(w["class"][c.subject], c) for c in brief.totals]
    return [(w["figures"], totals), (w["by_model"], [line(m.subject, m) for m in brief.models if m.launched or m.destroyed or m.lost])]


def _ranking(brief: Brief, w: dict) -> Section:
    lines: list[Line] = []
    for r in brief.ranks:
        fields = {"cls": w["rank_class"][r.weapon_class], "value": _number(r.value, w), "rank": r.rank, "of": r.of,
                  "ordinal": ordinal(r.rank), "record_value": _number(r.record_value, w),
                  "record_date": r.record_date, "since_date": r.since_date,
                  "since_value": _number(r.since_value, w)}
        key = "rank_since" if r.since_date else "rank_largest" if r.record_date else "rank_first"
        lines.append((w[key].format(**fields), None))
        lines += [("  " + text, None) for text in _rank_unconfirmed(r, w)]
    return w["ranking"].format(date=brief.date), lines


def _rank_unconfirmed(r, w: dict) -> list[str]:
    """What a rank rests on that is unconfirmed: its own figure, larger attacks, the record."""
    out = []
    if r.unconfirmed:
        out.append(w["rank_own_unconfirmed"])
    if r.larger_unconfirmed:
        out.append(w["rank_larger_unconfirmed"].format(count=r.larger_unconfirmed, confirmed_rank=r.confirmed_rank,
                                                       confirmed_ordinal=ordinal(r.confirmed_rank or 1)))
    if r.record_unconfirmed:
        key = "rank_record_unconfirmed" if r.confirmed_record_date else "rank_record_unconfirmed_alone"
        out.append(w[key].format(record_value=_number(r.record_value, w), record_date=r.record_date,
                                 confirmed_value=_number(r.confirmed_record_value, w),
                                 confirmed_date=r.confirmed_record_date))
    return out


def _running(brief: Brief, w: dict) -> Section:
    lines: list[Line] = []
    for r in brief.running:
        lines.append((w["running_line"].format(month=r.month, day=r.day, value=_number(r.value, w), cls=w["class"][r.weapon_class]), None))
        for month, same, whole in r.earlier:
            mark = f" {w['unconfirmed_mark']}" if month in r.earlier_unconfirmed else ""
            lines.append(("  " + w["running_earlier"].format(month=month, same_days=_number(same, w), whole=_number(whole, w))
                          + mark, None))
        if r.months_compared:
            lines.append(("  " + w["running_rank"].format(months=r.months_compared, rank=r.rank_same_days), None))
        if r.unconfirmed or r.earlier_unconfirmed:
            lines.append(("  " + w["running_unconfirmed"].format(count=r.unconfirmed), None))
    return w["running"], lines


def _alerts(brief: Brief, w: dict) -> Section:
    a = brief.alerts
    lines: list[Line] = [(w["window"].format(start=a.window_start, end=a.window_end)
              + (f" ({w['window_assumed']})" if a.window_assumed else ""), None)]
    if a.history_start is None:
        lines.append((w["alerts_none_stored"], None))
    elif a.regions is None:
        lines.append((w["alerts_not_covered"].format(start=a.history_start, end=a.history_end), None))
    else:
        if not a.covered:
            lines.append((w["alerts_partly"], None))
        lines += [(w["alerts_region"].format(region=name, hours=hours), None) for name, hours in a.regions]
        if not a.regions:
            lines.append((w["alerts_no_region"], None))
        lines += [(w["nationwide"].format(start=s, end=e, minutes=m), None) for s, e, m in a.nationwide]
    return w["alerts"], lines


def _rest(brief: Brief, w: dict) -> list[Section]:
    hurt: list[Line] = [(w["casualty"].format(measure=w["measure"].get(c.measure, c.measure), value=_number(c.value, w), source=c.source)
             + (f" {w['unconfirmed_mark']}" if c.unconfirmed else ""), None)
            for c in brief.casualties] or [(w["casualties_none"], None)]
    t = brief.threats
    threats: list[Line] = [(w["threats_none"], None)] if not t.total else (
        [(w["threats_line"].format(total=t.total, first=t.first, last=t.last), None)]
        + [(w["threat_type"].format(type=kind, count=count), None) for kind, count in t.by_type])
    sources = [(f"{s.name} ({s.kind}" + (f", {s.published_at}" if s.published_at else "") + ")"
                + ("" if s.link or not s.origin else f": {s.origin}"), s.link) for s in brief.sources]
    conflicts: list[Line] = [(w["conflict"].format(subject=w["class"].get(c.subject, c.subject), measure=w["measure"].get(c.measure, c.measure),
                                       record_value=_number(c.record_value, w), source=c.source,
                                       other_value=_number(c.other_value, w)), None)
                 for c in brief.conflicts] or [(w["conflicts_none"], None)]
    return [(w["casualties"], hurt), (w["threats"], threats), (w["sources"], sources), (w["conflicts"], conflicts)]


def sections(brief: Brief, lang: str = "en") -> tuple[str, list[Section], str]:
    """The brief's title, its sections and its footer, in ``lang``."""
    if lang not in labels():
        raise InvalidValue(f"--lang {lang!r} is not a language of the brief (one of: {', '.join(labels())})")
    w = labels()[lang]
    window = w["window"].format(start=brief.start, end=brief.end) if brief.start and brief.end else None
    body = _figures(brief, w) + [_ranking(brief, w), _running(brief, w), _alerts(brief, w)] + _rest(brief, w)
    title = w["title"].format(date=brief.date) + (f"\n{window}" if window else "")
    return title, body, w["footer"].format(id=brief.attack_id)


def render(brief: Brief, fmt: str = "md", lang: str = "en") -> str:
    """The brief as ``fmt`` (md, html or txt) in ``lang`` (en or uk)."""
    if fmt not in FORMATS:
        raise InvalidValue(f"--format {fmt!r} is not a format of the brief (one of: {', '.join(FORMATS)})")
    title, body, footer = sections(brief, lang)
    return {"md": _md, "html": _html, "txt": _txt}[fmt](title, [s for s in body if s[1]], footer)


def _md(title: str, body: list[Section], footer: str) -> str:
    head, *rest = title.split("\n")
    out = [f"# {head}", *(f"_{line}_" for line in rest), ""]
    for heading, lines in body:
        out += [f"## {heading}", ""]
        out += [("  " if text.startswith("  ") else "") + f"- {f'[{text.strip()}]({link})' if link else text.strip()}"
                for text, link in lines]
        out.append("")
    return "\n".join(out + [f"_{footer}_", ""])


def _txt(title: str, body: list[Section], footer: str) -> str:
    head, *rest = title.split("\n")
    out = [head, "=" * len(head), *rest, ""]
    for heading, lines in body:
        out += [heading, "-" * len(heading)]
        out += [f"  {text}" + (f" <{link}>" if link else "") for text, link in lines]
        out.append("")
    return "\n".join(out + [footer, ""])


def _html(title: str, body: list[Section], footer: str) -> str:
    e = html.escape
    head, *rest = title.split("\n")
    out = ["<!doctype html>", '<html><head><meta charset="utf-8">', f"<title>{e(head)}</title></head><body>",
           f"<h1>{e(head)}</h1>", *(f"<p>{e(line)}</p>" for line in rest)]
    for heading, lines in body:
        out.append(f"<h2>{e(heading)}</h2>\n<ul>")
        out += [f'<li><a href="{e(link)}">{e(text.strip())}</a></li>' if link else f"<li>{e(text.strip())}</li>"
                for text, link in lines]
        out.append("</ul>")
    out += [f"<p><em>{e(footer)}</em></p>", "</body></html>", ""]
    return "\n".join(out)
