"""Splitting amounts of money into shares without losing a cent."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

__all__ = ["split_amount"]

_CENT = Decimal("0.01")


def split_amount(total: Decimal, weights: Sequence[Decimal | int | float]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``, in cents, summing exactly to ``total``.

    Each share is first rounded down to the cent; the cents left over go to
    the shares with the largest remainders (ties: the earlier share). This is
    the largest remainder (Hare-Niemeyer) method, which Germans know from
    seat allocation.

    Raises:
        ValueError: No weights, a negative weight, or all weights zero.
    """
    if not weights:
        raise ValueError("cannot split an amount into no shares")
    exact = [Decimal(str(w)) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact, Decimal(0))
    if weight_sum == 0:
        raise ValueError("at least one weight must be above zero")
    cents = int((total / _CENT).to_integral_value())
    raw = [Decimal(cents) * w / weight_sum for w in exact]
    floors = [int(r.to_integral_value(rounding=ROUND_FLOOR)) for r in raw]
    left = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return [Decimal(c) * _CENT for c in floors]
