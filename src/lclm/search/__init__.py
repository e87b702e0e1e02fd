"""Search: the cached index, the query language and the ranking."""

# The store file that extends the built-in abbreviations (see ``lclm.search.synonyms``):
# it lives beside the category files but holds no papers.
SEARCH_FILE = "_search.yaml"
