"""Help for code that builds hundreds of thousands of small records at once."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block.

    A scan allocates millions of small acyclic objects (tuples, strings, datetimes); every
    700 allocations trigger a collection that walks all the live ones, which costs more than
    the parsing itself. Reference counting still frees everything; nesting is safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
