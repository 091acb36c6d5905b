"""Speed and memory benchmarks for gridscout (not tests): `python -m benchmarks [--quick]`."""
