"""Channels' in-memory channel layer, sweeping expired messages at most once a second instead of on every
receive.

Channels' `InMemoryChannelLayer._clean_expired` walks every channel and every group member of the process,
and `receive` (each consumer's next message) and `group_send` call it every time: with the PSG chat's 200
conversations open (400 consumers in two groups) that walk was a large share of the cost of relaying one
message (bench/chat.py). Messages expire after 60 s and group memberships after a day, so sweeping once a
second changes nothing anyone can see; the sweep itself is Channels' own.
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    SWEEP_INTERVAL = 1.0  # seconds between two sweeps of expired messages and group memberships

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._swept_at = None

    def _clean_expired(self):
        now = time.monotonic()
        if self._swept_at is not None and now - self._swept_at < self.SWEEP_INTERVAL:
            return
        self._swept_at = now
        super()._clean_expired()
