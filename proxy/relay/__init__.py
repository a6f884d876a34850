"""The request path: body, shapes, decision, masking and placeholders, upstream, and the
answer on its way back (streaming too)."""
