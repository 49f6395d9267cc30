"""Joining Ray: a fresh local instance by default, or the cluster a config names."""

from __future__ import annotations

import os

from nlpbench.processes import reap_my_descendants_when_i_die


def start_ray(address: str | None, num_cpus: int | None, num_gpus: int | None = None) -> None:
    """Start Ray for this driver unless it runs already.

    With no address, a new local instance is started even when the environment points elsewhere:
    Ray's own default would join whatever `RAY_ADDRESS` or a stale `/tmp/ray/ray_current_cluster`
    (left by `ray start` or a killed test cluster) names, and then refuse our CPU count."""
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # Ray starts workers at niceness 15: on a shared machine every other process then starves the
    # trials, which are the work here, not background tasks.
    os.environ.setdefault("RAY_worker_niceness", "0")
    if ray.is_initialized():
        return
    if address is None:
        reap_my_descendants_when_i_die()  # a driver killed alone leaves no Ray process behind
        ray.init(address="local", num_cpus=num_cpus, num_gpus=num_gpus, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    else:
        ray.init(address=address, log_to_driver=False, configure_logging=False)
