"""Give freed memory back to the operating system between the stages of a command (`wsw score`).

Reading a large gold split or submission allocates and frees many medium-sized buffers;
glibc's malloc and pyarrow's pool keep them for reuse, so the resident size stays at its
high-water mark although the memory is free. Between stages (after the gold is read, after the
submission, after counting) this hands it back, so the next stage starts from what is really
held. Where `malloc_trim` does not exist (not glibc) only pyarrow's pool is released. A memory trick
of the process, so it lives in the command layer: no library function calls it.
"""

from __future__ import annotations

import ctypes
import functools


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    """Return free heap pages and pyarrow's unused pool memory to the system."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
