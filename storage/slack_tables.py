"""Slack's OAuth tables for a multi-workspace install, on ippo's metadata.

slack_sdk's SQLAlchemy installation and state stores read and write these
tables; they are built here by slack_sdk's own table builders, so the stores
and ippo's schema cannot drift apart, and migration 0003 creates them (the
migration test compares it with this metadata). slack_sdk's `create_tables`
is never called: Alembic owns the schema.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from storage.tables import Base

INSTALLATIONS = AsyncSQLAlchemyInstallationStore.default_installations_table_name
BOTS = AsyncSQLAlchemyInstallationStore.default_bots_table_name
OAUTH_STATES = AsyncSQLAlchemyOAuthStateStore.default_table_name

slack_installations = AsyncSQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, INSTALLATIONS
)
slack_bots = AsyncSQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS)
slack_oauth_states = AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, OAUTH_STATES
)
