"""`/ippo help` and the answer to an unknown command.

The list is assembled from the features' declarations, not written out in
one place: an intro line (`help.intro`), then one section per
`Feature.help_section`, in the order the sections first appear among the
features, each with the `Command.help` lines of its features' commands in
their declared order. A new command brings its lines in its own catalog
file; a new section title key brings a new section.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.feature import Command, Feature
from bot.features.common import private
from bot.i18n import Translator
from bot.model import CommandInvoked, Reply
from bot.router import Ctx

Section = tuple[str, tuple[str, ...]]
"""A help section: its title key and the keys of its lines."""

SECTION = "help.section.settings"
"""Help's own section: `/ippo help` is the last line of "Settings and your data"."""


def help_sections(features: Sequence[Feature]) -> tuple[Section, ...]:
    """The sections of help for `features`. A command without a help line
    (or in a feature without a section) is a mistake found at start."""
    grouped: dict[str, list[str]] = {}
    for feature in features:
        for command in feature.commands:
            if not command.help or not feature.help_section:
                raise ValueError(
                    f"/ippo {command.name} ({feature.name}) declares no help line or section"
                )
            grouped.setdefault(feature.help_section, []).extend(command.help)
    return tuple((title, tuple(lines)) for title, lines in grouped.items())


def help_text(t: Translator, sections: Sequence[Section]) -> str:
    parts = [t("help.intro")]
    parts += ["\n".join([t(title), *map(t, lines)]) for title, lines in sections]
    return "\n\n".join(parts)


def feature(listed: Sequence[Feature]) -> Feature:
    """The help feature, listing the commands of `listed` and then its own."""

    async def show_help(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
        t = ctx.t
        body = help_text(t, sections)
        if cmd.name and cmd.name not in ("help", "start"):
            return [private(t("help.unknown", name=cmd.name) + "\n\n" + body, tone="warning")]
        return [private(body, title=t("help.title"))]

    made = Feature(
        "help",
        commands=(Command("help", show_help, ("start", "?"), help=("help.line.help",)),),
        help_section=SECTION,
        fallback=show_help,
    )
    sections = help_sections((*listed, made))  # read by show_help when it runs
    return made
