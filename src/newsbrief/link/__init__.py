"""Cross-article linking: rewrites, figure subjects, claims, disagreements, events."""
