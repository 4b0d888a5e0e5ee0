"""Stage 1, ingest: check the run's parameters, find and decode the article files, read their metadata."""
