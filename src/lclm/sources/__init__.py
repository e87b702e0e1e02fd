"""Readers of what papers come from: arXiv, Crossref, DBLP, BibTeX, Markdown lists, HTTP."""
