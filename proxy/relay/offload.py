"""Heavy body work off the event loop: parsing, walking, rewriting and re-serialising a
large request, and restoring a large answer, run in the loop's default executor (a thread)
so /healthz, other requests and running streams keep being served meanwhile.

Small bodies stay on the loop: a thread hop costs more than parsing a few kilobytes. The
work is pure (bytes and dicts in, bytes and dicts out) and its size is already bounded by
the body limits (proxy.relay.body), so a thread that outlives a gone client ends soon.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TypeVar

# Above this many bytes of body the work goes to a thread (about 10 ms of parsing).
OFFLOAD_BYTES = 256 * 1024

T = TypeVar("T")


async def off_loop(size: int, fn: Callable[..., T], /, *args: object) -> T:
    """``fn(*args)``: inline for small inputs, in the default executor past OFFLOAD_BYTES."""
    if size <= OFFLOAD_BYTES:
        return fn(*args)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args))
