"""lclm validate: the rule table, per-paper and per-file checks, their cache."""
