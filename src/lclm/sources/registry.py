"""The metadata services lclm asks: one table, by name, of each source module's ``SOURCE`` row.

``refresh`` reads which fields a source can speak for here; every module
asks its service through ``lclm.sources.service.ask``.  A new source is one
module (its ``SOURCE``, request and parse functions) and one entry below.
"""

from __future__ import annotations

from lclm.sources import arxiv, crossref, dblp, openalex, s2, s2_recommend
from lclm.sources.service import Source

SOURCES: dict[str, Source] = {m.SOURCE.name: m.SOURCE for m in (arxiv, s2, dblp, crossref, openalex, s2_recommend)}
