"""Batch runs: the documents of many municipalities, built in parallel."""

from kommunal_digital.batch.result import BatchItem, BatchResult, BatchStatus
from kommunal_digital.batch.run import run_batch

__all__ = [
    "BatchItem",
    "BatchResult",
    "BatchStatus",
    "run_batch",
]
