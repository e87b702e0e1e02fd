"""Exporters: papers to BibTeX, CSL-JSON, Markdown, HTML; and export selections."""
