"""The benchmarks of `make bench` (`python -m bench.run_all`), each also a module of its own:
`python -m bench.course`, ... Their figures and goals: `bench._common`."""
