"""Renderers: model to Markdown, DOCX and figures."""
