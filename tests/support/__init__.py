"""What the tests share, and no test of its own.

audio       probes of real audio with the bundled ffmpeg: decode, loudness, silences
fakegoogle  a local fake of Google's TTS endpoint (the `fake_google` fixture in tests/conftest.py)
sites       a web site on 127.0.0.1 (http or https) for ingest and publish's verify
shows       small shows rendered for real (espeak) for the episode, feed and page tests
hosts       publish hosts on 127.0.0.1: moto's S3 server, OpenSSH's sshd, a static server
queueing    a redis-server and `podcast worker` processes for the queue tests
hostile     the robustness suite's tools: the CLI in a subprocess, hostile inputs, what the user sees
signalling  `python -m tests.support.signalling`: the CLI with a signal sent at its N-th step
racing      `python -m tests.support.racing`: the CLI held or killed inside its publish step
"""
