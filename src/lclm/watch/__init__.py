"""`lclm watch`: new papers ranked against the list, with a suggested category.

Pure code, in layers: ``features`` turns a paper into weighted terms and
tf-idf vectors, ``learn`` holds the two models (a logistic regression for
"does this belong on the list" and nearest neighbours for "where"),
``ranking`` puts them together over a store, ``candidates`` reads the papers
of a ``--from FILE``, ``memory`` the store's ``_watch.yaml`` (watched arXiv
categories, the last run, rejected papers) and ``digest`` renders a run as
data or Markdown.  No network, no printing: ``lclm.actions.watch`` does the
fetching and writing.
"""
