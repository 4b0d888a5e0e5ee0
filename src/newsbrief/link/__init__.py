"""Stage 3, cross-article linking: rewrites, figure subjects, claims, disagreements, events."""
