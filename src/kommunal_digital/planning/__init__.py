"""Planning: critical path, capacity-constrained schedules, roadmaps, breakdowns."""
