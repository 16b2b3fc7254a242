"""The benchmarks (bench/run); importable as a package so that tests can use the corpus generator (bench.corpus)."""
