"""The Slack adapter (slack-bolt AsyncApp): translate.py and render.py are pure
conversions, messenger.py sends, app.py wires Bolt to the core."""
