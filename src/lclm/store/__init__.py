"""The paper store on disk: loading, the canonical dump, atomic writes, the cache."""
