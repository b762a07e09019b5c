"""Answers computed once per build.

A build (`python -m analysis figures`, the briefing's `generate`) asks the same questions of
the same tables many times: every figure's source line asks which sources support which rows,
each edition asks for the same findings.  Inside `build()`, a function marked `@per_build`
answers a repeated call (same tables object, equal other arguments) from its first answer;
outside a build nothing is kept, so a notebook that edits its tables between calls sees the
edit.  Answers are handed out as copies: a caller that changes one changes nothing for the next.
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

F = TypeVar("F", bound=Callable)

_CACHE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("analysis_build_memo", default=None)


@contextlib.contextmanager
def build() -> Iterator[None]:
    """While active, `@per_build` functions remember their answers (a forked worker inherits
    what its parent had computed).  Nested builds share the outer one's answers."""
    if _CACHE.get() is not None:
        yield
        return
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def _key(value):
    """A hashable stand-in for an argument: containers by content, tables and frames by identity
    (they are not hashable, and a build does not change them)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *map(_key, value))
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted(map(repr, value)))
    return ("id", id(value))


def per_build(fn: F) -> F:
    """Remember `fn`'s answers inside `build()` (see the module docstring)."""

    @functools.wraps(fn)
    def remembered(*args, **kwargs):
        cache = _CACHE.get()
        if cache is None:
            return fn(*args, **kwargs)
        key = (fn.__module__, fn.__qualname__, _key(args), _key(sorted(kwargs.items())))
        if key not in cache:
            # the arguments are kept too, so an id in the key cannot be reused by a new object
            cache[key] = (fn(*args, **kwargs), args, kwargs)
        return copy.deepcopy(cache[key][0])

    return remembered  # type: ignore[return-value]
