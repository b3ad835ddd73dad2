"""Sessions: study groups and meetups that ippo announces, takes RSVPs for,
reminds people of and exports to calendars. Pure logic only (no platform,
database or HTTP library); the feature module is `bot.features.sessions`."""
