"""Developer tools outside the build: evaluation, benchmark, test-corpus generator, notebook cleaning."""
