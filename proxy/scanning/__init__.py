"""Scanning off the event loop: the scan service (cache, limits, deadline) and its worker
processes."""
