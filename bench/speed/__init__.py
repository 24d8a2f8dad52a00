"""Speed benchmarks: time and memory of the user's commands, beside a named baseline."""
