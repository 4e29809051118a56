"""Prints the text PyMuPDF extracts from a PDF, page by page, each page ended
by a form feed (as pdftotext does), for the verification tier."""
import sys

import pymupdf

if len(sys.argv) != 2:
    sys.exit("usage: pymupdf-text.py FILE.pdf")
with pymupdf.open(sys.argv[1]) as doc:
    for page in doc:
        sys.stdout.write(page.get_text())
        sys.stdout.write("\n\f")
