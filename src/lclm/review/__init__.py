"""Reviewing a change to the list (read-only): ``diff`` compares the store at a git revision with the work tree.

At the level of ``checks`` and ``search``: it reads the store and asks
``duplicates`` and ``checks`` about what changed; it never writes.
"""
