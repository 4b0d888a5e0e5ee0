"""Stage 4, the evidence layer: runs ingest, extraction and linking, checks and writes the tables."""
