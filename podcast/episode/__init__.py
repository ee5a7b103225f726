"""The episode's own files: ID3 tags, chapters, captions, cover art and its manifest."""
