"""The show: podcast.toml (its settings), the feed, the page and the preview server."""
