"""Everything that touches Ray Tune lives here; `ray` is imported lazily, only when a sweep runs."""
