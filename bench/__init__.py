"""Benchmarks: not part of `make test`; each prints JSON."""
