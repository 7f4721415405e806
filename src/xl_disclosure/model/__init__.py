"""The data model: a report, its findings, the compile summary, and the JSON Schemas derived from them."""
