"""Readers of inputs: filled workbooks (OOXML) and published reports (text, HTML, Word, PDF)."""
