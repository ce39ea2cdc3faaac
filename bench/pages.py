"""Pages: what the servers cost, how fast the pages are next to a bare view, and whether their SQL stays
constant as AJET grows.

1. A fresh database (harness.bench_environment: production configuration, Redis cache), migrated, static
   files collected.
2. SQL queries per page, counted in-process (CaptureQueriesContext, cache cleared first: the worst case) with
   the demo world at 580 members / 5 chapters and again at 5,800 members / 50 chapters (the real size).
3. Servers, one worker each, on loopback: the bare view (Django + the project's full middleware, no page
   behind it) under uvicorn (ASGI), gunicorn sync and gunicorn threaded ×8 (WSGI), and under
   `manage.py serve` (the production server); the one-view no-middleware app (bench/minimal.py) under
   gunicorn sync, which is the limit. Then the pages under `manage.py serve`.

Ratios: the production server's bare view against the best of gunicorn sync / threaded; each page against
the faster of the bare view under `manage.py serve` and under uvicorn; the public home and council pages also
against the limit.

Where the time goes (cProfile with a CPU-time clock, the WSGI handler called in a loop, production
configuration with Redis, 5,800 members; /tmp scripts, not kept: `time.process_time` per request, the
scenarios interleaved in batches and the least batch mean kept, since the machine is shared):
- Earlier work (kept): one redis-py client per pool (ajet/core/redis_cache.py), persistent database
  connections in WSGI workers, base.html's navigation and footer cached per process, the public fragments
  (block diagram, council cards, a chapter's public parts) and the dashboard's panels cached under the data
  versions of what they read, the pending list asking the database for the officer's area only.
- Whole pages (ajet/core/page_cache.py, `@cached_page`): the home, council and chapter pages, the
  dashboard and the pending list are kept whole in the shared cache, keyed by the path, the language, the
  visitor (nobody, or one account and whether its session passed the second factor) and the data versions
  of everything the page reads (for the dashboard and a chapter page: its panels' keys and versions, and
  one CLOCK_SECONDS period when a panel follows the clock). A hit renders nothing: it reads the page, puts
  the visitor's CSRF token in place of the placeholder it was rendered with, and returns. Not served or
  stored: other methods, htmx requests, requests with flash messages waiting, responses other than a plain
  200 (the middleware's headers are added to every response and never stored).
- Round trips: a signed-in request reads its session, account, powers and the page in ONE MGET (the
  session engine also reads what this session's last visit of this path was read from: a per-worker guess
  that the key computed now confirms); an anonymous one reads the versions and the page in one MGET.
- Signed-in fixed cost (the bare view signed in against anonymous, ~2.4× in CPU): the one MGET and
  unpickling the account (~40%; half of it was redis-py's command path — pool, checks, retries,
  observability hooks — now a connection each thread keeps for its reads, ajet/core/redis_cache.py), the
  locale and member-language middleware (~10%), messages, the MFA middleware (powers from memory), the rest
  of Django's middleware. Done here: the CSP header built once per process instead of twice per response
  (ajet/core/middleware.py); the forms' CSRF token masked with one `os.urandom` read (Django draws its
  32-character mask with 32 `secrets.choice` calls, ~0.1 ms, ajet/core/csrf.py).
- CSRF cookie: the load generator kept no cookies, so Django made a new CSRF secret and a Set-Cookie for
  every response with a form. A browser keeps the csrftoken cookie it is given with its first page, so the
  signed-in scenarios now send one (`browser_cookies`): realism, not a trick. Django still sends the cookie
  again with each response that uses the token (it renews its expiry): that is Django's behaviour, kept.
- The pending list: a sign-in's write of last_login alone no longer bumps every account's version
  (PEOPLE_DATA), so members signing in on an election night leave the officers' cached lists in place.
- What is left on a hit, beyond the signed-in bare view: the page's key (on the dashboard six panels'
  cache functions, ~0.1 ms; on a chapter page the chapter read from the prefetched values), the CSRF token
  (~0.03 ms) and the body's bytes (a 20–35 kB page).

CPU per request in-process (least batch mean, 5,800 members / 50 chapters; main at 6c289f4 and this work
measured one after the other on the shared machine, so read the ratios, not the milliseconds):

| | main | this work | against the signed-in bare view |
|---|---|---|---|
| bare view, anonymous | 0.33 ms | 0.23 ms | |
| bare view, signed in | 1.16 ms | 0.73 ms | 1 |
| home page (anonymous) | 2.84 ms | 0.71 ms | |
| council (anonymous) | 2.80 ms | 1.05 ms* | |
| chapter page (member) | 4.05 ms | 1.23 ms | 0.29 → 0.59 |
| dashboard (member) | 2.99 ms | 1.04 ms | 0.39 → 0.70 |
| pending list (block representative) | 3.43 ms | 1.08 ms | 0.34 → 0.67 |

Both sides sent the csrftoken cookie for the signed-in rows. *Anonymous visitors have no csrftoken cookie:
there Django's get_token drew a new secret and a mask, 64 `secrets.choice` calls, ~22% of a cached
anonymous page; ajet/core/csrf.py now draws both from one read (measured after this table).

`python -m bench.pages` at 08:23 UTC on the shared 2-core machine (load average ~9: other sessions' tests,
mutation runs and benchmarks; the limit app made 1,100 req/s there against 2,309 idle), so the absolute
ratios are low: bare view signed in 322 req/s (0.35 of the bare view under manage.py serve, 933); against
the signed-in bare view: dashboard 0.88, chapter page 0.74, pending list 0.67; home page 0.33 and council
0.24 of the limit (targets 0.15: met). Against the anonymous bare view the signed-in pages made 0.23–0.30
there: the 1/3 target depends on the idle machine's run (the integrator's).

On the idle machine (2026-12-03 09:48 UTC, load average under 1, every change above in): bare view under
manage.py serve 1,339 req/s (1.05 of the best gunicorn worker class, gunicorn sync 1,280), limit 2,174,
bare view signed in 671 (0.50). Against the bare view: council 0.57, chapter page 0.41, dashboard 0.38,
pending list 0.43 (targets 1/3: met); against the signed-in bare view: chapter page 0.81, dashboard 0.75,
pending list 0.86; home page 0.36 and council 0.35 of the limit (target 0.15: met). p99 latency 17-26 ms
against the bare view's 12 ms. The same morning, before this work: dashboard 0.21, chapter page 0.20,
pending list 0.20, council 0.31, home 0.14 of the limit.
"""

import time

from bench.harness import (
    Scenario,
    Server,
    gunicorn,
    measure,
    result,
    say,
    serve,
    uvicorn,
)

SMALL = (580, 5)  # members, chapters
LARGE = (5800, 50)
PAGE_TARGET = 1 / 3  # each signed-in page serves at least a third of the bare view's rate
PUBLIC_PAGE_TARGET = 0.15  # the public home and council pages, against the no-middleware limit
SERVER_TARGET = 0.9  # the production server's bare view, against the best gunicorn worker class


# --- in-process: demo world, query counts ----------------------------------------------------------------

def seed(members: int, chapters: int) -> None:
    from ajet.organisation.demo import build_demo_world

    started = time.perf_counter()
    summary = build_demo_world(members=members, chapters=chapters)
    say(f"  seeded {summary.members} members, {summary.chapters} chapters in {time.perf_counter() - started:.1f} s")


def wipe() -> None:
    from django.contrib.sessions.models import Session

    from ajet.organisation.models import Chapter, Term
    from ajet.people.models import User

    Term.objects.all().delete()
    Chapter.objects.all().delete()  # with their officer posts and memberships
    User.objects.all().delete()  # with members, e-mail addresses and authenticators
    Session.objects.all().delete()


def demo_user(role: str):
    from ajet.organisation.demo import DEMO_ACCOUNTS
    from ajet.people.models import User

    return User.objects.get(email=next(account.email for account in DEMO_ACCOUNTS if account.role == role))


def signed_in_client(role: str | None):
    from django.test import Client

    from ajet.people.mfa import mark_session_passed_mfa

    client = Client()
    if role is not None:
        user = demo_user(role)
        client.force_login(user)
        session = client.session  # officers' pages need the second factor, as a real sign-in passes it
        mark_session_passed_mfa(session, user)
        session.save()
    return client


def browser_cookies(client) -> dict[str, str]:
    """The cookies a signed-in browser sends: the session, and the csrftoken cookie it was given with its first
    page (a browser keeps it; without it Django makes a new CSRF secret and a Set-Cookie for every response
    that has a form, which no real member pays)."""
    response = client.get("/")
    if response.status_code != 200 or "csrftoken" not in client.cookies:
        raise SystemExit("the home page set no csrftoken cookie; the benchmark's signed-in scenarios need one")
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": client.cookies["csrftoken"].value}


def home_chapter_url() -> str:
    """The demo member's own chapter (prefecture chapter of their prefecture)."""
    from ajet.organisation.models import Chapter

    member = demo_user("member").member
    return Chapter.objects.filter(prefectures=member.prefecture_id, is_active=True).order_by("pk").first(
    ).get_absolute_url()


def query_pages() -> list[tuple[str, str, str | None]]:
    # name, URL, signed in as
    return [
        ("dashboard", "/dashboard/", "member"),
        ("home page", "/", None),
        ("council", "/council/", None),
        ("chapter page", home_chapter_url(), "member"),
        ("chapter list", "/chapters/", None),
        ("pending list", "/members/pending/", "block representative"),
    ]


def count_queries() -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url, role in query_pages():
        client = signed_in_client(role)
        client.get(url)  # warm-up: per-process caches (content types, templates) are not the page's cost
        cache.clear()  # but count the page's queries without cached powers or fragments: the worst case
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in-process; the benchmark needs 200")
        counts[name] = len(queries)
    return counts


def query_results(small: dict[str, int], large: dict[str, int]) -> list[dict]:
    return [
        result(f"{name} SQL queries per page ({LARGE[0]:,} members, {LARGE[1]} chapters)", large[name], "queries",
               f"{name} SQL queries per page ({SMALL[0]:,} members, {SMALL[1]} chapters)", small[name],
               small[name] / large[name], 1.0)
        for name in small
    ]


def prepare_world() -> tuple[list[dict], dict[str, dict[str, str]], str]:
    """Query counts at both sizes; leaves the large world in the database. Returns rows, each signed-in
    role's cookies, chapter URL."""
    from django.core.management import call_command
    from django.db import connections

    say(f"Database {connections['default'].settings_dict['NAME']}; migrating, collecting static files…")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    wipe()  # an empty database, also when BENCH_DATABASE_URL is reused
    say(f"Query counts at {SMALL[0]:,} members / {SMALL[1]} chapters:")
    seed(*SMALL)
    small = count_queries()
    wipe()
    say(f"Query counts at {LARGE[0]:,} members / {LARGE[1]} chapters:")
    seed(*LARGE)
    large = count_queries()
    sessions = {role: browser_cookies(signed_in_client(role)) for role in ("member", "block representative")}
    chapter_url = home_chapter_url()
    connections.close_all()
    return query_results(small, large), sessions, chapter_url


# --- servers and load ------------------------------------------------------------------------------------

BARE = "/bench/bare/"
SERVERS = {
    "uvicorn": Server("uvicorn (ASGI)", lambda port: uvicorn("ajet.asgi:application", port)),
    "sync": Server("gunicorn sync (WSGI)", lambda port: gunicorn("ajet.wsgi:application", port)),
    "gthread": Server("gunicorn threaded ×8 (WSGI)", lambda port: gunicorn("ajet.wsgi:application", port, 8)),
    "serve": Server("manage.py serve", serve),
    "limit": Server("one-view app, no middleware, gunicorn sync", lambda port: gunicorn("bench.minimal:application",
                                                                                       port)),
}


def scenarios(sessions: dict[str, dict[str, str]], chapter_url: str) -> list[Scenario]:
    member = sessions["member"]  # the session and csrftoken cookies, as a browser sends them
    officer = sessions["block representative"]
    production = SERVERS["serve"]
    return [
        Scenario("bare view, uvicorn (ASGI)", SERVERS["uvicorn"], BARE),
        Scenario("bare view, gunicorn sync", SERVERS["sync"], BARE),
        Scenario("bare view, gunicorn threaded ×8", SERVERS["gthread"], BARE),
        Scenario("bare view, manage.py serve", production, BARE),
        Scenario("limit: one-view app, no middleware", SERVERS["limit"], BARE),
        Scenario("bare view signed in", production, BARE, member),
        Scenario("home page", production, "/"),
        Scenario("council", production, "/council/"),
        Scenario("chapter page", production, chapter_url, member),
        Scenario("dashboard", production, "/dashboard/", member),
        Scenario("pending list (block representative)", production, "/members/pending/", officer),
    ]


def load_results(loads) -> list[dict]:
    best_wsgi_name = max(("bare view, gunicorn sync", "bare view, gunicorn threaded ×8"),
                         key=lambda name: loads[name].throughput)
    best_wsgi = loads[best_wsgi_name].throughput
    limit = loads["limit: one-view app, no middleware"]
    rows = [
        result("bare view throughput, uvicorn (ASGI)", loads["bare view, uvicorn (ASGI)"].throughput, "req/s",
               best_wsgi_name, best_wsgi, loads["bare view, uvicorn (ASGI)"].throughput / best_wsgi),
        result("bare view throughput, gunicorn sync", loads["bare view, gunicorn sync"].throughput, "req/s"),
        result("bare view throughput, gunicorn threaded ×8", loads["bare view, gunicorn threaded ×8"].throughput,
               "req/s"),
        result("bare view throughput, production server (manage.py serve)",
               loads["bare view, manage.py serve"].throughput, "req/s", best_wsgi_name, best_wsgi,
               loads["bare view, manage.py serve"].throughput / best_wsgi, SERVER_TARGET),
        result("limit throughput: one-view app, no middleware, gunicorn sync", limit.throughput, "req/s"),
    ]
    # Pages against the faster of the bare view under the production server and under uvicorn.
    bare_name = max(("bare view, manage.py serve", "bare view, uvicorn (ASGI)"), key=lambda n: loads[n].throughput)
    bare = loads[bare_name]
    rows += [
        result("bare view latency p50, manage.py serve", loads["bare view, manage.py serve"].p50, "ms"),
        result("bare view latency p99, manage.py serve", loads["bare view, manage.py serve"].p99, "ms"),
    ]
    targets = {"dashboard": PAGE_TARGET, "council": PAGE_TARGET, "chapter page": PAGE_TARGET,
               "pending list (block representative)": PAGE_TARGET}
    for name in ("bare view signed in", "home page", "council", "chapter page", "dashboard",
                 "pending list (block representative)"):
        page = loads[name]
        rows += [
            result(f"{name} throughput", page.throughput, "req/s", f"{bare_name} throughput", bare.throughput,
                   page.throughput / bare.throughput, targets.get(name)),
            result(f"{name} latency p99", page.p99, "ms", f"{bare_name} latency p99", bare.p99, bare.p99 / page.p99),
        ]
    # The same pages against the bare view requested by the same signed-in member: what the page itself costs
    # beyond the session, the account and the powers that every signed-in request pays (no target of its own).
    signed_in = loads["bare view signed in"]
    for name in ("chapter page", "dashboard", "pending list (block representative)"):
        page = loads[name]
        rows.append(result(f"{name} throughput against the bare view signed in", page.throughput, "req/s",
                           "bare view signed in throughput", signed_in.throughput,
                           page.throughput / signed_in.throughput))
    for name in ("home page", "council"):
        page = loads[name]
        rows.append(result(f"{name} throughput against the limit", page.throughput, "req/s",
                           "limit: one-view app, no middleware", limit.throughput, page.throughput / limit.throughput,
                           PUBLIC_PAGE_TARGET))
    return rows


def run(env: dict[str, str]) -> list[dict]:
    query_rows, sessions, chapter_url = prepare_world()
    try:
        say("Starting " + ", ".join(server.name for server in SERVERS.values()) + " …")
        for server in SERVERS.values():
            server.start(env)
        for server in SERVERS.values():
            server.wait_until_up()
        loads = measure(scenarios(sessions, chapter_url))
    finally:
        for server in SERVERS.values():
            server.stop()
    for name, load in loads.items():
        if load.errors:
            say(f"  warning: {name}: {load.errors} of {load.requests} responses were not 2xx/3xx or timed out")
    return load_results(loads) + query_rows


if __name__ == "__main__":  # `python -m bench.pages`: this area alone, on a fresh database
    from bench import harness

    harness.run_alone("pages", run)
