"""Benchmarks: ``python -m bench [validate|lint|docs|runner|all]``; see bench/README.md."""
