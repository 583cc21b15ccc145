"""`make bench`: every benchmark prints its own figures; none of them is a test."""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    "bench.knowledge_bench",
    "bench.storage_bench",
    "bench.durability_bench",
    "bench.reminder_bench",
    "bench.bot_throughput",
    "bench.resilience_bench",
    "bench.advisor_bench",
)


def main() -> int:
    only = set(sys.argv[1:])
    for name in BENCHMARKS:
        if only and name.rsplit(".", 1)[-1] not in only:
            continue
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        importlib.import_module(name).run()
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
