"""Stage 5, the briefing: section blocks (HTML + Typst), prose templates and charts from the evidence tables."""
