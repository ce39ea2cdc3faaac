"""The chat's channel layers: Channels' own, with the per-message costs that bench/chat.py found taken out.

- `InMemoryChannelLayer` (`make run`, tests): sweeps expired messages at most once a second instead of on
  every receive.
- `RedisPubSubChannelLayer` (with REDIS_URL): channels_redis' pub/sub layer, publishing in batches.

In memory: Channels' `InMemoryChannelLayer._clean_expired` walks every channel and every group member of the process,
and `receive` (each consumer's next message) and `group_send` call it every time: with the PSG chat's 200
conversations open (400 consumers in two groups) that walk was a large share of the cost of relaying one
message (bench/chat.py). Messages expire after 60 s and group memberships after a day, so sweeping once a
second changes nothing anyone can see; the sweep itself is Channels' own.
"""

import asyncio
import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from channels_redis import pubsub
from channels_redis.utils import _wrap_close, decode_hosts


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


class _BatchingShardConnection(pubsub.RedisSingleShardConnection):
    """One Redis shard of the pub/sub layer, publishing in batches.

    channels_redis holds the shard's lock across each PUBLISH and its reply, so a process's publishes wait
    for one another, one round trip each. Here the messages waiting while a batch is out go together in the
    next one (one pipeline on one connection: order kept, no connection per waiting message).
    """

    def __init__(self, host, channel_layer):
        super().__init__(host, channel_layer)
        self._outbox: list[tuple[str, bytes, asyncio.Future]] = []
        self._publisher: asyncio.Task | None = None

    async def publish(self, channel, message):
        self._ensure_redis()
        sent = asyncio.get_running_loop().create_future()
        self._outbox.append((channel, message, sent))
        if self._publisher is None or self._publisher.done():
            self._publisher = asyncio.ensure_future(self._publish_waiting())
        await sent

    async def _publish_waiting(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for channel, message, _sent in batch:
                        pipe.publish(channel, message)
                    await pipe.execute()
            except Exception as error:  # every sender of the batch hears of it, as with one PUBLISH each
                for _channel, _message, sent in batch:
                    if not sent.done():
                        sent.set_exception(error)
            else:
                for _channel, _message, sent in batch:
                    if not sent.done():
                        sent.set_result(None)


class _LoopLayer(pubsub.RedisPubSubLoopLayer):
    def __init__(self, hosts=None, *args, **kwargs):
        super().__init__(hosts, *args, **kwargs)
        self._shards = [_BatchingShardConnection(host, self) for host in decode_hosts(hosts)]


class RedisPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    """channels_redis' pub/sub layer (one per event loop, as there) with batched publishing."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
