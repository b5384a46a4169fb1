"""Reading and writing expressions: parser, text, LaTeX, JSON, tree view, CSE."""
