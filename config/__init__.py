"""Shipped configuration: the step catalog and its loader."""
