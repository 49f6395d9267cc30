"""Benchmark tasks, registered by name: one YAML file per task under conf/task (its spec: block),
read by ``nlpbench.tasks.spec_files``; offline stand-ins name the real task they stand in for."""

from nlpbench.config.compose import conf_dir
from nlpbench.tasks.spec_files import task_registry

TASKS = task_registry(conf_dir())

# offline stand-ins of the fine-tunable tasks ("synthetic/<real name>"), in their files' order
STANDIN_TASKS = tuple(
    e.meta["standin_of"] for e in sorted(TASKS, key=lambda e: e.target)
    if e.meta.get("standin_of") and e.name == f"synthetic/{e.meta['standin_of']}"
)
