"""Checks on report data: coercion of what clerks type, the data rules, cross-year checks."""
