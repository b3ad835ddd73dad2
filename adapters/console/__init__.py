"""The terminal adapter: `ippo chat`, the embedded default."""
