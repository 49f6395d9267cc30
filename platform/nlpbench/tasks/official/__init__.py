"""The official file formats of the benchmarks: reading them, writing submissions, hub copies."""
