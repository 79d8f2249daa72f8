"""A worker's 成长档案 (growth record): reads across the domain apps (workforce, training,
programs, welfare), so it stands above them with the dashboards (tests/test_layers.py)."""
