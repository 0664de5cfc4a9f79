"""The store beside the pipeline: SQLite by default."""

from .sqlite import SCHEMA_VERSION, Store, StoreError

__all__ = ["Store", "StoreError", "SCHEMA_VERSION"]
