"""Step-by-step derivations and their text and LaTeX renderings."""
