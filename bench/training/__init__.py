"""Scripts that fit what narratrace ships as data (src/narratrace/data/)."""
