"""Region forms: every region has forms in every language, and they name the right region."""

from __future__ import annotations

import pytest

from airtally.catalog.region_forms import find_foreign, find_regions, foreign_forms, region_forms
from airtally.catalog.regions import regions


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_every_region_has_forms(language):
    missing = [r.code for r in regions() if not region_forms().get(r.code, {}).get(language)]
    assert not missing


@pytest.mark.parametrize(
    "language,text,codes",
    [("uk", "збито над Харківщиною", ["UA-63"]), ("uk", "на Київщині та в Києві", ["UA-32", "UA-30"]),
     ("ru", "в Харьковской области", ["UA-63"]), ("ru", "над Одесщиной", ["UA-51"]),
     ("en", "in the Kyiv region", ["UA-32"]), ("en", "over Kherson and Mykolaiv oblasts", ["UA-65", "UA-48"]),
     ("uk", "у Дніпропетровській області", ["UA-12"]),
     ("uk", "у Харкові та Чернігові", ["UA-63", "UA-74"]), ("uk", "у Миколаєві", ["UA-48"]),
     ("uk", "у Криму", ["UA-43"]), ("uk", "за статтею 438 Кримінального кодексу", []),
     # the capital's form must not take the oblast's adjective: "Киевской области" is Kyiv Oblast
     ("ru", "в Киевской области и в Киеве", ["UA-32", "UA-30"]), ("ru", "Киевская и Житомирская области", ["UA-32", "UA-18"])],
)
def test_forms_name_their_region(language, text, codes):
    assert find_regions(text, language) == codes


# Russia's federal subjects and the seas (data/foreign_regions.yaml): never one of Ukraine's regions
def test_foreign_places_have_forms_in_every_language_and_iso_codes():
    forms = foreign_forms()
    assert {"RU-BEL", "RU-BRY", "RU-KRS", "RU-MOW", "RU-MOS", "RU-DA", "RU-TA", "RU-KDA", "SEA-BLACK"} <= set(forms)
    assert all(code.startswith(("RU-", "SEA-")) for code in forms)
    missing = [(code, lang) for code, by_lang in forms.items() for lang in ("en", "uk", "ru") if not by_lang.get(lang)]
    assert not missing
    assert not set(forms) & set(region_forms())  # Crimea and Sevastopol stay Ukraine's


@pytest.mark.parametrize(
    "language,text,codes",
    [("ru", "Над Дагестаном сбили восемь, над Брянской областью - пять", ["RU-DA", "RU-BRY"]),
     ("ru", "над территорией Курской области", ["RU-KRS"]), ("ru", "над Кубанью и Подмосковьем", ["RU-KDA", "RU-MOS"]),
     ("ru", "над Белгородчиной", ["RU-BEL"]), ("uk", "над Бєлгородщиною та Москвою", ["RU-BEL", "RU-MOW"]),
     ("uk", "над Татарстаном", ["RU-TA"]), ("en", "over the Belgorod region and Bryansk", ["RU-BEL", "RU-BRY"]),
     ("en", "over Moscow and the Moscow region", ["RU-MOW", "RU-MOS"]), ("ru", "над акваторией Черного моря", ["SEA-BLACK"]),
     # Ukraine's places of the same stem, and Ukraine's own Crimea, are none of them
     ("ru", "в Белгород-Днестровском районе", []), ("uk", "у Новгород-Сіверському", []), ("ru", "в Крыму", []),
     ("en", "in Crimea and Sevastopol", []), ("uk", "у Кропивницькому та Кіровоградській області", []),
     ("ru", "в Славянске-на-Кубани", ["RU-KDA"]), ("uk", "у Слов'янську-на-Кубані", ["RU-KDA"]), ("ru", "в Славянске", [])],
)
def test_foreign_forms_name_their_place(language, text, codes):
    assert find_foreign(text, language) == codes


@pytest.mark.parametrize("language,text", [("ru", "над Бєлгородщиною"), ("ru", "над Брянской областью"), ("en", "over Kursk"),
                                           ("ru", "в Славянске-на-Кубани"), ("uk", "у Слов'янську-на-Кубані")])
def test_foreign_places_are_not_ukraines_regions(language, text):
    assert find_regions(text, language) == []
