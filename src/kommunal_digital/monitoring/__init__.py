"""Progress monitoring: per-measure progress, roll-ups, stale and late measures, reports.

Everything here is a pure function of a :class:`~kommunal_digital.model.Strategy`
(and a reference date); nothing reads the clock or files.
"""
