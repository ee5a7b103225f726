"""Reading and French text: article files -> `Article` -> spoken `Script` (chunks with pauses)."""
