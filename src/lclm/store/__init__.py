"""The paper store on disk (no imports here: every command pays for them at start-up).

- ``layout``: what a store is (``Store``, ``Section``) and where it lives;
- ``yamlio``: the one safe YAML loader and canonical dump;
- ``codec``: category files and ``_sections.yaml`` as text, read and written;
- ``files``: reading text, and ``write_text``, the one safe way to write any file;
- ``cache``: the one cache scheme (naming, stamps, checks) every cache uses;
- ``load``: loading a store, each file from its cache entry when unchanged;
- ``lock``, ``journal``, ``transaction``: the one write path;
- ``notices``: what the store tells the user without printing.
"""
