"""Analyzers, one module per concern; `run.py` runs them.

This package's own module imports nothing: an engine's process is started first thing in a
review (reviewer.review.early_engines) from `pip_audit_engine` or `bandit_workers`, and importing
the package must not import every analyzer before it.
"""
