"""App Home publishing is coalesced per member: a burst of events publishes the
member's tab once (once more if the burst outlasts the first publish), from
the latest state; and the adapter's background work is bounded in lanes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from adapters.slack.background import Coalescer, Lane
from bot.model import UserRef
from tests.fakes.slack_requests import FORM, event_callback, signed_headers, slash_command
from tests.test_slack_app import SECRET, Slack, slack  # noqa: F401  (the fixture)

JSON = "application/json"


@pytest.fixture
def app(slack: Slack) -> Slack:  # noqa: F811  (test_slack_app's app, fake and store)
    return slack


def home_opened(i: int, user: str = "UAKI") -> str:
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    return event_callback(event, event_id=f"EvBurst{user}{i}")


async def burst(app: Slack, bodies: list[tuple[str, str]]) -> None:
    """Post every (body, content type) at once, then wait for all the work."""

    async def post(body: str, content_type: str) -> int:
        headers = signed_headers(SECRET, body, content_type)
        response = await app.http.post("/slack/events", data=body, headers=headers)
        return response.status

    statuses = await asyncio.gather(*(post(body, kind) for body, kind in bodies))
    assert set(statuses) == {200}
    await app.adapter.drain()


def publishes_to(app: Slack, user: str) -> list[Any]:
    return [c for c in app.fake.calls_to("views.publish") if c["user_id"] == user]


async def test_a_burst_of_home_opens_publishes_the_tab_once_or_twice(
    app: Slack,
) -> None:
    await burst(app, [(home_opened(i), JSON) for i in range(12)])
    assert 1 <= len(publishes_to(app, "UAKI")) <= 2


async def test_each_member_gets_their_own_tab_in_a_mixed_burst(app: Slack) -> None:
    bodies = [(home_opened(i, user), JSON) for i in range(6) for user in ("UAKI", "UBOSS")]
    await burst(app, bodies)
    for user in ("UAKI", "UBOSS"):
        assert 1 <= len(publishes_to(app, user)) <= 2


async def test_the_last_publish_shows_the_latest_state(app: Slack) -> None:
    # commands that change the member's journey, with App Home opens between
    bodies: list[tuple[str, str]] = []
    for i in range(4):
        url = app.fake.response_url(f"r{i}")
        bodies += [(slash_command("step", user="UAKI", response_url=url), FORM)]
        bodies += [(home_opened(i), JSON)]
    await burst(app, bodies)
    published = publishes_to(app, "UAKI")
    assert 1 <= len(published) < 8  # eight requests for the tab, coalesced
    await app.adapter.publish_home(UserRef("slack", "T0001", "UAKI"))
    *_, last, fresh = publishes_to(app, "UAKI")
    assert last["view"] == fresh["view"]


async def test_requests_before_the_job_starts_run_it_once_with_the_newest_argument() -> None:
    seen: list[tuple[str, int]] = []
    tasks: list[asyncio.Task[None]] = []

    async def job(key: str, arg: int) -> None:
        seen.append((key, arg))

    coalescer: Coalescer[str, int] = Coalescer(
        job, lane=Lane(1), spawn=lambda work: tasks.append(asyncio.create_task(work))
    )
    for arg in range(5):
        coalescer.request("a", arg)
    coalescer.request("b", 9)
    await asyncio.gather(*tasks)
    assert seen == [("a", 4), ("b", 9)]


async def test_a_request_while_the_job_runs_runs_it_once_more_afterwards() -> None:
    seen: list[int] = []
    tasks: list[asyncio.Task[None]] = []
    running, release = asyncio.Event(), asyncio.Event()

    async def job(_key: str, arg: int) -> None:
        seen.append(arg)
        running.set()
        await release.wait()

    coalescer: Coalescer[str, int] = Coalescer(
        job, lane=Lane(2), spawn=lambda work: tasks.append(asyncio.create_task(work))
    )
    coalescer.request("a", 1)
    await running.wait()
    for arg in (2, 3, 4):
        coalescer.request("a", arg)
    release.set()
    await asyncio.gather(*tasks)
    assert seen == [1, 4]
    assert len(tasks) == 1  # never two runs for one key at once


async def test_a_lane_lets_in_no_more_than_its_limit() -> None:
    lane, inside, most = Lane(3), 0, 0

    async def work() -> None:
        nonlocal inside, most
        async with lane:
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0)
            inside -= 1

    await asyncio.gather(*(work() for _ in range(20)))
    assert most == 3
