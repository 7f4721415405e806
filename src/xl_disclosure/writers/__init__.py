"""Writers of outputs: the template, the summary workbook, the publishable report, atomic file output."""
