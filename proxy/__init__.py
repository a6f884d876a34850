"""Sekimori HTTP proxy: routes, request shapes, upstream client and streaming."""
