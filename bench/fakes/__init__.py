"""Fake Slack and Discord APIs for benchmarks: they enforce the platforms'
published rate limits (429 beyond them) and count what they were sent."""

from bench.fakes.discord_api import FakeDiscord
from bench.fakes.slack_api import FakeSlack

__all__ = ["FakeDiscord", "FakeSlack"]
