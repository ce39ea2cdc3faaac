"""The PSG chat: message round trips through the real ASGI server with 200 conversations open at once.

Setups, one after the other in the same run, each on its own uvicorn worker(s):
- **echo**: a bare Channels echo consumer (bench/echo.py), the baseline: what one ASGI worker does when a
  message only goes in and comes back;
- **in-memory**: the project's application (bench/chat_asgi.py: the real consumer, sign-in, origin check,
  database, with the clock checks replaced so the line is open) with the in-memory channel layer, person and
  volunteer on the same (only possible) process;
- **Redis**: the same with the Redis channel layer, the people connected to one server process and the
  volunteers to another, as when several ASGI workers share conversations.

For the chat, CONVERSATIONS people each open a conversation and one volunteer account (signed in by its
session cookie) accepts each in its own console; the volunteer's client sends every message straight back.
A round trip is person → server → channel layer → volunteer → server → channel layer → person; for the echo it
is client → server → client.

Two phases per setup:
1. **Latency** at a human pace: every conversation sends one message a second (within the line's rate limit
   of 20 per 10 s) for LATENCY_SECONDS; p50 and p99 of the round trips. Target: p99 under 50 ms.
2. **Rate**: every conversation sends its next message as soon as the last came back, for RATE_SECONDS (the
   servers run with the rate limit raised, BENCH_CHAT_RATE_LIMIT); round trips per second, and relayed
   messages per second. Target: at least half the echo consumer's message rate.

Which rate to compare. The echo consumer's message rate is its round trips per second: each is one message
in and the same message back out. A chat round trip is two relayed messages (person → volunteer, then
volunteer → person), each of which is one message in from one side and out to the other, plus a hop through
the channel layer: the server does at least twice the echo's work per round trip, and the client here too
(two sends and two receives). So the rows that carry the target compare relayed messages per second with
echoed messages per second; the round-trip rows stay beside them with their ratio, and no target.
The client runs in this process, on the same cores as the servers (and as Redis): the absolute numbers are
pessimistic; the ratios are what to read.

Measured 2 December 2026 (2 cores shared with other work, load average 10-14; before = 30a0dab, after = the
chat branch, run back to back; round trips/s, ratio to the echo's in brackets, relayed = twice that):
- before: echo 2,267; in-memory 540 (0.24; relayed 0.48) p99 43 ms; Redis list layer 194 (0.09; 0.17) p99
  510 ms. An earlier pair: echo 1,340/1,197, in-memory 353/160 (0.26/0.13), Redis 207/117 (0.15/0.10).
- after: echo 2,355; in-memory 1,448 (0.61; relayed 1.23) p99 12 ms; Redis pub/sub 944 (0.40; 0.80) p99
  16 ms. Earlier runs: in-memory 0.59 and 0.54, Redis 0.21 and 0.31 (relayed 0.42 and 0.61).
Where the server's time per relayed message went (cProfile, 200 conversations): a thread hand-off before every
dispatched message (Channels 4.2's aclose_old_connections, two per relayed message: about a third), the
in-memory layer's sweep of every channel on every receive (about a sixth), and with Redis the list layer's four
round trips per send and one-at-a-time receiving, then the pub/sub layer's one PUBLISH round trip at a time.
No database access, JSON or rate-limit bookkeeping per message was large; none of the first are left.
"""

import asyncio
import json
import os
import random
import statistics
import time

from bench.harness import Server, result, say, uvicorn

CONVERSATIONS = int(os.environ.get("BENCH_CONVERSATIONS", "200"))
LATENCY_SECONDS = float(os.environ.get("BENCH_CHAT_LATENCY_SECONDS", "10"))
RATE_SECONDS = float(os.environ.get("BENCH_CHAT_RATE_SECONDS", "5"))
P99_TARGET_MS = 50.0
RATE_TARGET = 0.5
ORIGIN = "http://127.0.0.1"
RAISED_LIMIT = "1000000000"


def prepare_volunteer() -> str:
    """A trained volunteer on the benchmark's shift, signed in; returns the session id."""
    from django.test import Client

    from ajet.people.models import Member
    from ajet.support.models import ShiftAssignment, Training, Volunteer
    from bench.chat_asgi import BENCH_NIGHT

    member = Member.objects.filter(status=Member.Status.CURRENT, year_on_jet__gte=2).order_by("pk").first()
    volunteer, _created = Volunteer.objects.get_or_create(member=member, defaults={"is_active": True})
    Volunteer.objects.filter(pk=volunteer.pk).update(is_active=True, refresher_due=None)
    Training.objects.get_or_create(volunteer=volunteer, kind=Training.Kind.INITIAL,
                                   completed_on=BENCH_NIGHT)
    ShiftAssignment.objects.get_or_create(volunteer=volunteer, night=BENCH_NIGHT, shift=0)
    client = Client()
    client.force_login(member.user)
    return client.cookies["sessionid"].value


# --- the client ---------------------------------------------------------------------------------------

async def _until(socket, kind: str, test=lambda message: True) -> dict:
    while True:
        message = json.loads(await socket.recv())
        if message.get("type") == kind and test(message):
            return message
        if message.get("type") == "error":
            raise SystemExit(f"the chat refused the benchmark: {message}")


async def _open_conversations(person_port: int, volunteer_port: int, session: str):
    from websockets.asyncio.client import connect

    pairs = []
    for _ in range(CONVERSATIONS):
        person = await connect(f"ws://127.0.0.1:{person_port}/ws/support/chat/", origin=ORIGIN, max_queue=None)
        await _until(person, "waiting")
        volunteer = await connect(f"ws://127.0.0.1:{volunteer_port}/ws/support/chat/?volunteer=1", origin=ORIGIN,
                                  additional_headers={"Cookie": f"sessionid={session}"}, max_queue=None)
        queue = await _until(volunteer, "queue", lambda message: message["waiting"])
        await volunteer.send(json.dumps({"type": "accept", "conversation": queue["waiting"][0]["conversation"]}))
        await _until(volunteer, "connected")
        await _until(person, "connected")
        pairs.append((person, volunteer))
    return pairs


async def _answer(volunteer) -> None:
    """The volunteer's side: every message goes straight back."""
    async for raw in volunteer:
        message = json.loads(raw)
        if message.get("type") == "message":
            await volunteer.send(json.dumps({"type": "message", "text": message["text"]}))


async def _chat_round_trip(person, text: str) -> None:
    await person.send(json.dumps({"type": "message", "text": text}))
    await _until(person, "message")


async def _echo_round_trip(socket, text: str) -> None:
    await socket.send(text)
    await socket.recv()


async def _drive(round_trip, sockets, *, seconds: float, paced: bool) -> tuple[list[float], int]:
    """Round trips on every socket for `seconds`: one a second (paced) or back to back; (latencies ms, count)."""
    latencies: list[float] = []
    rng = random.Random(7)
    deadline = time.perf_counter() + seconds

    async def one(socket, number: int) -> None:
        if paced:
            await asyncio.sleep(rng.random())  # spread the conversations over the second
        sequence = 0
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            sequence += 1
            await round_trip(socket, f"{number}:{sequence} How are you holding up tonight?")
            took = time.perf_counter() - sent
            latencies.append(took * 1000)
            if paced:
                await asyncio.sleep(max(0.0, 1.0 - took))

    await asyncio.gather(*(one(socket, number) for number, socket in enumerate(sockets)))
    return latencies, len(latencies)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def _phases(round_trip, sockets) -> dict:
    """The latency phase (one message a second per socket), then the rate phase (back to back)."""
    latencies, _count = await _drive(round_trip, sockets, seconds=LATENCY_SECONDS, paced=True)
    started = time.perf_counter()
    _latencies, count = await _drive(round_trip, sockets, seconds=RATE_SECONDS, paced=False)
    rate = count / (time.perf_counter() - started)
    return {"p50": statistics.median(latencies), "p99": _percentile(latencies, 0.99), "rate": rate}


async def _measure_chat(person_port: int, volunteer_port: int, session: str) -> dict:
    pairs = await _open_conversations(person_port, volunteer_port, session)
    answering = [asyncio.ensure_future(_answer(volunteer)) for _person, volunteer in pairs]
    try:
        return await _phases(_chat_round_trip, [person for person, _volunteer in pairs])
    finally:
        for task in answering:
            task.cancel()
        for person, volunteer in pairs:
            await person.close()
            await volunteer.close()


async def _measure_echo(port: int) -> dict:
    from websockets.asyncio.client import connect

    sockets = [await connect(f"ws://127.0.0.1:{port}/ws/echo/", origin=ORIGIN) for _ in range(CONVERSATIONS)]
    try:
        return await _phases(_echo_round_trip, sockets)
    finally:
        for socket in sockets:
            await socket.close()


# --- the run ------------------------------------------------------------------------------------------

def _servers(env: dict[str, str], *pairs: tuple[str, str, dict]) -> list[Server]:
    servers = [Server(name, lambda port, app=app: uvicorn(app, port), extra) for name, app, extra in pairs]
    try:
        for server in servers:
            server.start(env)
        for server in servers:
            server.wait_until_up()
    except BaseException:
        _stop(servers)
        raise
    return servers


def _stop(servers: list[Server]) -> None:
    for server in servers:
        server.stop()


def run(env: dict[str, str]) -> list[dict]:
    from django.db import connections

    session = prepare_volunteer()
    connections.close_all()
    raised = {"BENCH_CHAT_RATE_LIMIT": RAISED_LIMIT}
    say(f"Chat: {CONVERSATIONS} conversations; {LATENCY_SECONDS:g} s at one message a second each, then "
        f"{RATE_SECONDS:g} s back to back.")
    measured = {}
    servers = _servers(env, ("echo", "bench.echo:application", {}))
    try:
        measured["echo"] = asyncio.run(_measure_echo(servers[0].port))
    finally:
        _stop(servers)
    say(f"  bare echo consumer: {_summary(measured['echo'], relayed=False)}")
    servers = _servers(env, ("chat, in-memory layer", "bench.chat_asgi:application",
                             {"BENCH_CHANNEL_LAYER": "memory", **raised}))
    try:
        measured["memory"] = asyncio.run(_measure_chat(servers[0].port, servers[0].port, session))
    finally:
        _stop(servers)
    say(f"  chat, in-memory layer: {_summary(measured['memory'])}")
    servers = _servers(env, ("chat, Redis layer (people)", "bench.chat_asgi:application", raised),
                       ("chat, Redis layer (volunteers)", "bench.chat_asgi:application", raised))
    try:
        measured["redis"] = asyncio.run(_measure_chat(servers[0].port, servers[1].port, session))
    finally:
        _stop(servers)
    say(f"  chat, Redis layer, two processes: {_summary(measured['redis'])}")
    return _results(measured)


RELAYED_PER_ROUND_TRIP = 2  # person → volunteer, volunteer → person


def _summary(numbers: dict, relayed: bool = True) -> str:
    text = f"p50 {numbers['p50']:.1f} ms, p99 {numbers['p99']:.1f} ms, {numbers['rate']:.0f} round trips/s"
    return text + (f" ({numbers['rate'] * RELAYED_PER_ROUND_TRIP:.0f} relayed messages/s)" if relayed else "")


def _results(measured: dict) -> list[dict]:
    echo = measured["echo"]
    rows = [
        result(f"chat: bare echo consumer, round trip p50 ({CONVERSATIONS} open)", echo["p50"], "ms"),
        result(f"chat: bare echo consumer, round trip p99 ({CONVERSATIONS} open)", echo["p99"], "ms"),
        result("chat: bare echo consumer, round trips per second", echo["rate"], "msg/s"),
    ]
    for key, label in (("memory", "in-memory layer"), ("redis", "Redis layer, 2 processes")):
        numbers = measured[key]
        relayed = numbers["rate"] * RELAYED_PER_ROUND_TRIP
        rows += [
            result(f"chat: {label}, round trip p50 ({CONVERSATIONS} open)", numbers["p50"], "ms",
                   "bare echo p50", echo["p50"], echo["p50"] / numbers["p50"]),
            result(f"chat: {label}, round trip p99 ({CONVERSATIONS} open)", numbers["p99"], "ms",
                   "target 50 ms", P99_TARGET_MS, P99_TARGET_MS / numbers["p99"], 1.0),
            result(f"chat: {label}, round trips per second", numbers["rate"], "rt/s",
                   "bare echo round trips", echo["rate"], numbers["rate"] / echo["rate"]),
            result(f"chat: {label}, relayed messages per second", relayed, "msg/s",
                   "bare echo messages", echo["rate"], relayed / echo["rate"], RATE_TARGET),
        ]
    return rows


def _small_world() -> None:
    from django.core.management import call_command

    from ajet.organisation.demo import build_demo_world

    call_command("migrate", verbosity=0)
    build_demo_world(members=200, chapters=3)


if __name__ == "__main__":  # `python -m bench.chat`: this area alone, on a fresh database
    from bench import harness

    rows = harness.run_alone("chat", run, prepare=_small_world)
    # This area alone: its rows replace the chat rows of bench/results.json, the other areas' rows stay.
    earlier = json.loads(harness.RESULTS_FILE.read_text()) if harness.RESULTS_FILE.exists() else []
    harness.write_results([row for row in earlier if not row["name"].startswith("chat:")] + rows)
