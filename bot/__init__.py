"""ippo's platform-neutral core: it decides, adapters translate and render."""
