"""Lightning modules, data loaders and callbacks (imported lazily: Lightning is slow to import)."""
