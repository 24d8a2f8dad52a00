"""Quality benchmarks: what the user's path gets right on labelled data."""
