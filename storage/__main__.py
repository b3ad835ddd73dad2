"""``python -m storage {upgrade,current,heads,revision}``: see storage.migrate.main."""

from storage.migrate import main

main()
