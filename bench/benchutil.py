"""Shared pieces of the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent


def traced_peak_mib(make: str, call: str, n: int) -> float:
    """Peak traced memory (MiB) while ``n`` pages stream through warta, in a fresh process:
    ``make`` is an import line giving a page factory ``page(i)``, ``call`` the extraction
    expression on ``page(i)`` (warm-up on page 0 happens before tracing starts)."""
    code = "\n".join(
        [
            "import sys, tracemalloc",
            f"sys.path.insert(0, {str(BENCH)!r})",
            make,
            "from warta.api import extract_text",
            "i = 0",
            call,
            "tracemalloc.start()",
            f"for i in range({n}): {call}",
            "print(tracemalloc.get_traced_memory()[1] / 2**20)",
        ]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())
