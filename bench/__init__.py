"""Benchmarks and the intake scorer (a package so that tests can import bench.intake)."""
