"""Build drivers: the notebook runner and the corpus manifest make depends on."""
