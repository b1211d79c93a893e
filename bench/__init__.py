"""Benchmark helpers: synthetic pages with exact ground truth, and their degradation."""
