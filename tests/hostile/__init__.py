"""The hostile-input corpus: case index, input recipes, worker processes.

``cases.json`` is written by ``scripts/make_hostile_corpus.py``; the inputs
are built from its recipes at test time (:mod:`tests.hostile.recipes`,
:mod:`tests.hostile.ziptools`), run in child processes with resource
limits (:mod:`tests.hostile.pool`, :mod:`tests.hostile.worker`) and judged
against the documented behaviour (:mod:`tests.hostile.runner`,
:mod:`tests.hostile.checks`). See docs/testing.md.
"""
