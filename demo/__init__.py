"""Demo data for `manage.py seed_demo`: a deterministic province of records (see `build`)."""
