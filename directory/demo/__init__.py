"""Deterministic, realistic demo data for local use, demos and benchmarks."""
