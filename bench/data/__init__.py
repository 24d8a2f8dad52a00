"""Loaders of the shared corpora (../shared/corpus), each skipping with a reason where it is absent."""
