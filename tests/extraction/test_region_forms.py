"""Region forms: every region has forms in every language, and they name the right region."""

from __future__ import annotations

import pytest

from airtally.catalog.region_forms import find_regions, region_forms
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
