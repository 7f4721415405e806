"""Many files at once: compile returned workbooks, merge summaries, agency lists and last year's data."""
