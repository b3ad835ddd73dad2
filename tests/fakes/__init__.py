"""Local fake platform servers for adapter tests and benchmarks."""
