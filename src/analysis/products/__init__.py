"""What people open: figures, maps and the explorers, the session deck (PDF, PPTX), the data package and spreadsheets, the codebook, the pages' chrome, and the README's generated tables."""
