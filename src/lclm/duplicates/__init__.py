""""The same paper": the identity rules, dedupe and merge."""
