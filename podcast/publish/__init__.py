"""Publishing: ID3 tags, chapters, transcripts, covers, manifests, show settings, feed, page, serve."""
