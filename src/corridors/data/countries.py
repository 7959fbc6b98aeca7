"""ISO 3166-1 alpha-3 codes and English names of the countries the atlas knows."""

from __future__ import annotations

__all__ = ["COUNTRY_NAMES", "PARTNERS", "country_name"]

#: Countries of the region, with Natural Earth's code for the Siachen Glacier
#: (``KAS``), a disputed area drawn with a flag rather than as a hole.
COUNTRY_NAMES: dict[str, str] = {
    "AFG": "Afghanistan",
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "BGD": "Bangladesh",
    "BTN": "Bhutan",
    "CHN": "China",
    "GEO": "Georgia",
    "IND": "India",
    "IRN": "Iran",
    "IRQ": "Iraq",
    "KAS": "Siachen Glacier (disputed)",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "MNG": "Mongolia",
    "NPL": "Nepal",
    "OMN": "Oman",
    "PAK": "Pakistan",
    "RUS": "Russia",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "TUR": "Turkey",
    "UZB": "Uzbekistan",
}

#: Pakistan's six partners in the source documents.
PARTNERS: tuple[str, ...] = ("AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB")


def country_name(iso3: str) -> str:
    """
    Return the English name of `iso3`, or the code itself if unknown.

    Examples
    --------
    >>> country_name("KGZ")
    'Kyrgyzstan'
    >>> country_name("sea")
    'sea'
    """
    return COUNTRY_NAMES.get(iso3, iso3)
