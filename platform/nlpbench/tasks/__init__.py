"""Benchmark tasks, registered by name: spec, official-format reader and synthetic stand-in."""

from nlpbench.registry import Registry

TASKS = Registry("task")
TASKS.register(
    "synthetic/sst2", "nlpbench.tasks.glue:SST2",
    "generated binary sentiment (negation, intensifiers, contrast) in GLUE SST-2 TSV format",
    benchmark="synthetic", headline="accuracy",
)
TASKS.register(
    "glue/sst2", "nlpbench.tasks.glue:SST2",
    "GLUE SST-2 binary sentiment from a local GLUE data folder (<data_dir>/SST-2/*.tsv)",
    benchmark="glue", headline="accuracy",
)
