"""Read-only mappings whose values are made when first read.

A build hands every document the strategy's pictures by name; a picture a
forked child is still drawing (see :func:`~kommunal_digital.documents.charts.draw_aside`)
is waited for only by a document that shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import TypeVar

__all__ = ["LazyMapping", "MappedView"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
W = TypeVar("W")


class LazyMapping(Mapping[K, V]):
    """Values by key, each made by its maker once, when first read."""

    def __init__(self, makers: Mapping[K, Callable[[], V]]) -> None:
        self._makers = dict(makers)
        self._made: dict[K, V] = {}

    def __getitem__(self, key: K) -> V:
        if key not in self._made:
            self._made[key] = self._makers[key]()
        return self._made[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


class MappedView(Mapping[K, W]):
    """``function(key, source[key])`` by key, made when read (``source`` is read then too)."""

    def __init__(self, source: Mapping[K, V], function: Callable[[K, V], W]) -> None:
        self._source = source
        self._function = function

    def __getitem__(self, key: K) -> W:
        return self._function(key, self._source[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)
