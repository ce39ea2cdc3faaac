"""The chat's channel layers (ajet/core/channel_layers.py): in memory (`make run`, the tests), Channels' layer
sweeping expired messages at most once a second instead of on every receive; with Redis, channels_redis'
pub/sub layer publishing in batches."""

import asyncio

import pytest
import redis
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from redis.asyncio.client import Pipeline

from ajet.core import channel_layers
from ajet.core.channel_layers import InMemoryChannelLayer, RedisPubSubChannelLayer


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_receive_sweeps_at_most_once_a_second(monkeypatch):
    sweeps = []
    monkeypatch.setattr(ChannelsInMemoryChannelLayer, "_clean_expired", lambda layer: sweeps.append(1))
    clock = Clock()
    monkeypatch.setattr(channel_layers.time, "monotonic", clock)
    layer = InMemoryChannelLayer()

    async def relay(count):
        for number in range(count):
            await layer.send("specific.a!b", {"type": "chat.message", "text": str(number)})
            assert (await layer.receive("specific.a!b"))["text"] == str(number)

    asyncio.run(relay(100))
    assert len(sweeps) == 1
    clock.now += layer.SWEEP_INTERVAL
    asyncio.run(relay(100))
    assert len(sweeps) == 2


def test_expired_messages_and_their_channels_still_go(monkeypatch):
    """Channels' own sweep still runs: a message older than the expiry is dropped, and its channel leaves
    its groups."""
    layer = InMemoryChannelLayer(expiry=60)
    moment = [1000.0]
    monkeypatch.setattr("channels.layers.time.time", lambda: moment[0])
    clock = Clock()
    monkeypatch.setattr(channel_layers.time, "monotonic", clock)

    async def scenario():
        await layer.group_add("support.people", "specific.gone!x")
        await layer.send("specific.gone!x", {"type": "chat.message", "text": "stale"})
        await layer.send("specific.here!y", {"type": "chat.message", "text": "first"})
        assert (await layer.receive("specific.here!y"))["text"] == "first"  # the first sweep: nothing old yet
        moment[0] += 61
        clock.now += layer.SWEEP_INTERVAL
        await layer.send("specific.here!y", {"type": "chat.message", "text": "fresh"})
        assert (await layer.receive("specific.here!y"))["text"] == "fresh"  # the second sweep

    asyncio.run(scenario())
    assert "specific.gone!x" not in layer.channels
    assert "specific.gone!x" not in layer.groups.get("support.people", {})


def test_redis_pub_sub_layer_publishes_in_batches_in_order(monkeypatch):
    """Messages sent while a batch is out go together in the next one; one sender's messages keep their
    order; every message arrives, on another layer as in another process."""
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    batches = []
    execute = Pipeline.execute

    async def counted(pipe, *args, **kwargs):
        batches.append(len(pipe.command_stack))
        return await execute(pipe, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", counted)
    config = {"hosts": ["redis://127.0.0.1:6379/0"], "prefix": "test-layer"}
    sender, receiver = RedisPubSubChannelLayer(**config), RedisPubSubChannelLayer(**config)

    async def scenario():
        channel = await receiver.new_channel()
        others = [await receiver.new_channel() for _ in range(20)]

        async def in_order():
            for number in range(30):
                await sender.send(channel, {"type": "chat.message", "text": str(number)})

        await asyncio.gather(in_order(), *(sender.send(other, {"type": "chat.message", "text": "hi"})
                                           for other in others))
        texts = [(await receiver.receive(channel))["text"] for _ in range(30)]
        assert texts == [str(number) for number in range(30)]
        for other in others:
            assert (await receiver.receive(other))["text"] == "hi"
        await sender.flush()
        await receiver.flush()

    asyncio.run(scenario())
    assert sum(batches) == 50
    assert len(batches) < 50
