"""Pathological text shapes for the extraction engine: each a fragment repeated to a size.

A report is capped at 5 MB (``airtally.inputs.REPORT_BYTES``); whatever its shape,
extracting it must take time linear in its length. Each shape stresses one way a rule can look
back or ahead: one sentence with thousands of figures and verbs, thousands of short sentences or
bullet lines, runs of numbers, stops, spaces or adjectives, one word of a megabyte, a place name
that looks ahead over a list of places.

>>> build("ab ", 7)
'ab ab a'
>>> sorted(SHAPES)[:3]
['bullet_header', 'bullets', 'casualties']
"""

from __future__ import annotations

# name -> fragment; the first is the shape of issue 12 ("launched N ... N shot down", one sentence)
SHAPES = {
    "giant_sentence": "Russia launched 100 drones overnight and 50 were shot down ",
    "short_sentences": "Russia launched 100 drones overnight. 50 were shot down. ",
    "giant_sentence_uk": "Ворог атакував 100 ударними БпЛА, з них 50 збито та 3 ракети Х-101 ",
    "giant_sentence_ru": "Противник атаковал 100 беспилотниками из них 50 сбиты и еще 2 ракеты ",
    "bullets": "🔹 ударні БпЛА типу Shahed — 49/32\n",
    "bullet_header": "Запущено/збито:\n🔹 ударні БпЛА — 49/32\n",
    "dash_list": "Х-101 – 12 (10), ",
    "numbers": "12 345 67 8 9 1,234 ",
    "digit_run": "123 ",
    "long_word": "a" * 997 + " ",
    "weapons": "Shahed Kh-101 Kalibr Iskander-M drones missiles ",
    "verbs": "launched shot down intercepted lost hit destroyed ",
    "of_them": "5 of them 4 of the 16 drones ",
    "n_of_m": "14 of 16 drones, ",
    "regions": "over Kyiv region, Odesa and Kharkiv oblasts, ",
    "region_list": "Kyiv, ",
    "dates": "on the night of July 4 from 18:00 on July 3 until 09:00, ",
    "casualties": "two people were killed and 5 injured in Kyiv, ",
    "commas": "100 drones, ",
    "colons": "Drones: 5; ",
    "parens": "(12 drones) ",
    "dashes": "20 drones - 5 missiles - ",
    "all_of": "all 31 missiles were shot down, both drones ",
    "stops": ".",
    "stops_after_figures": "5 drones.......... ",
    "spaces": " ",
    "hyphen_chain": "a-",
    "adjectives_uk": "крилатої ",
    "adjectives_ru": "крылатой ",
    "list_lines": "- 5\n",
    "read_also": "Read also: 5 drones\n",
    "header_lines": "Shot down:\n",
    "records": "surpassing the previous record of 355 drones in August ",
    "update_lines": "UPD: 240 drones shot down\n",
}


def build(fragment: str, size: int) -> str:
    """``fragment`` repeated to ``size`` characters (the last repetition cut)."""
    return (fragment * (size // len(fragment) + 1))[:size]
