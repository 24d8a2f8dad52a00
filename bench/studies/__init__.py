"""Design studies: measurements that explain a choice in the code (not speed or quality gates)."""
