"""Stage 6, export: the executed section notebooks -> briefing.html, briefing.pdf and the published evidence."""
