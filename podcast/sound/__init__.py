"""Sound: clips -> the episode's MP3, through one ffmpeg boundary.

`ffmpeg` starts every process; `clip` decodes and trims one clip; `music` checks and probes the
intro and outro; `graph` (plan, filter graphs, command lines) and `loudness` (gain decisions)
are pure; `assemble` runs the two passes; `settings` says how the episode is mastered.
"""
