"""Voices: speech engines (a registry fed by entry points), concurrent synthesis, the clip cache."""
