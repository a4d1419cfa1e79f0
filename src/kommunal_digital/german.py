"""German formatting of dates, amounts, numbers and percentages (Babel).

These functions are the Jinja filters available in every template
(``euro``, ``datum``, ``monat``, ``zahl``, ``prozent`` and ``monate``) and
format the figures in the German messages the library writes itself
(``kurzdatum`` for the short form ``31.03.2027``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

__all__ = [
    "FILTERS",
    "datum",
    "euro",
    "kurzdatum",
    "monat",
    "monate",
    "prozent",
    "slug",
    "zahl",
]

# Parsed once: a council document formats thousands of amounts, and parsing
# the locale and the number pattern each time was most of the filters' cost.
_LOCALE = Locale.parse("de_DE")
_WHOLE_EUROS = parse_pattern("#,##0 ¤")
_CENTS = parse_pattern("#,##0.00 ¤")
_PERCENT = parse_pattern("#,##0.# %")


@lru_cache(maxsize=16)
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * digits if digits > 0 else ""))


def euro(value: Decimal | float | int | None, missing: str = "noch offen") -> str:
    """Format an amount in euros: ``12.500 €``, or ``12.500,50 €`` with cents.

    Args:
        value: The amount; ``None`` (not estimated) prints ``missing``.
        missing: What to print for an unknown amount; templates pass the
            pack's wording (``{{ m.cost_one_off|euro(wording.unknown) }}``).
    """
    if value is None:
        return missing
    amount = Decimal(str(value))
    pattern = _WHOLE_EUROS if amount == amount.to_integral_value() else _CENTS
    return str(pattern.apply(amount, _LOCALE, currency="EUR", currency_digits=False))


def datum(value: dt.date | str | None, missing: str = "offen") -> str:
    """Format a date the German way: ``31. März 2027`` (``missing`` for none).

    Args:
        value: A date, or one in ISO form (``"2027-03-31"``).
        missing: What to print for ``None`` or an empty text.
    """
    if value is None or value == "":
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return str(format_date(value, format="d. MMMM y", locale=_LOCALE))


def kurzdatum(value: dt.date) -> str:
    """Format a date in the short German form ``31.03.2027``.

    Args:
        value: The date.
    """
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def monat(value: dt.date | str | None, missing: str = "offen") -> str:
    """Format the month of a date: ``Juli 2027`` (``missing`` for none).

    Args:
        value: A date, or one in ISO form (``"2027-07-01"``).
        missing: What to print for ``None`` or an empty text.
    """
    if value is None or value == "":
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return str(format_date(value, format="LLLL y", locale=_LOCALE))


def zahl(value: Decimal | float | int | None, digits: int = 2) -> str:
    """Format a number with German separators: ``1.234,5``.

    Args:
        value: The number; ``None`` prints ``–``.
        digits: Decimal places at most (trailing zeros are left out).
    """
    if value is None:
        return "–"
    return str(_decimal_pattern(digits).apply(value, _LOCALE))


def prozent(value: float | int | None) -> str:
    """Format a percentage given as 0 to 100: ``40 %``, ``14,2 %`` (one decimal at most).

    Args:
        value: The percentage, 0 to 100; ``None`` prints ``–``.
    """
    if value is None:
        return "–"
    return str(_PERCENT.apply(float(value) / 100, _LOCALE))


def monate(value: int | None, missing: str = "noch offen") -> str:
    """Format a duration in months: ``1 Monat``, ``6 Monate``.

    Args:
        value: The number of months; ``None`` (not estimated) prints ``missing``.
        missing: What to print for an unknown duration.
    """
    if value is None:
        return missing
    return "1 Monat" if value == 1 else f"{value} Monate"


def summe(value: Decimal | None, missing: int = 0, unknown: str = "noch offen") -> str:
    """Format a sum of amounts some of which may not be estimated yet.

    ``12.500 €`` when every amount is known, ``mind. 12.500 € (2 ohne
    Schätzung)`` when some are not (costs are never negative, so the known
    part is a lower bound), and ``unknown`` when none is (or the known
    part is zero or less, which says nothing).

    Args:
        value: The sum of the known amounts; ``None`` when none is known.
        missing: How many amounts are not estimated.
        unknown: What to print when nothing is known.
    """
    if value is None or (missing and value <= 0):
        return unknown
    if not missing:
        return euro(value)
    return f"mind. {euro(value)} ({missing} ohne Schätzung)"


#: The template filters, by the name templates use (``{{ amount|euro }}``):
#: every Jinja environment of the library has them.
FILTERS = {
    "euro": euro,
    "datum": datum,
    "monat": monat,
    "zahl": zahl,
    "prozent": prozent,
    "monate": monate,
    "summe": summe,
}


_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)


_SLUG_LENGTH = 80
_SLUG_HASH = 8
# Device names Windows reserves, whatever the case (a folder "con" cannot be made).
_RESERVED_SLUGS = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789"}
)


def slug(text: str) -> str:
    """A lower-case ASCII folder name: ``"Mühlbach am Wald"`` becomes ``"muehlbach-am-wald"``.

    The name is safe on Windows, macOS and Linux: letters ``a``-``z``,
    digits and ``-``, never a name Windows reserves for a device (``con``
    becomes ``con_``), at most 80 characters. A longer name is cut and ends
    with ``-`` and eight hex digits of a hash of the whole text, so that
    two long names that differ only at the end get different folders.
    Empty when the text has no letter or digit (callers choose a fallback).

    Args:
        text: Any text, e.g. a municipality's name.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_UMLAUTS))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(result) > _SLUG_LENGTH:
        whole = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(whole).hexdigest()[:_SLUG_HASH]
        result = f"{result[: _SLUG_LENGTH - _SLUG_HASH - 1].strip('-')}-{digest}"
    if result in _RESERVED_SLUGS:
        result += "_"
    return result
