"""Child-process body for the store concurrency test (spawned processes import it by name)."""

from __future__ import annotations

from typing import Any

METRICS_PER_RUN = 3


def append_many(url: str, worker: int, n: int, barrier: Any) -> None:
    """Wait for every worker, then open the store at ``url`` and append ``n`` records."""
    from nlpbench.records import Metric, RunRecord, open_store

    barrier.wait(timeout=60)
    store = open_store(url)
    try:
        for i in range(n):
            store.append(
                RunRecord(
                    id=f"w{worker}-{i:03d}",
                    job="finetune",
                    status="ok",
                    seed=i,
                    config={"worker": worker, "i": i},
                    metrics=[
                        Metric(f"m{k}", "validation", worker + i / 100)
                        for k in range(METRICS_PER_RUN)
                    ],
                )
            )
    finally:
        store.close()
