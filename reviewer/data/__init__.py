"""Data that changes with the world, each table with its sources and as-of date."""
