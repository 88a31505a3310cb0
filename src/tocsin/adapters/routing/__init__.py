"""Drive times on the road graph (SciPy sparse matrices, k-d trees)."""
