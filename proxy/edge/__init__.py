"""The HTTP edge: the app factory, the handlers, who is asking, and refusals turned into
each API's own error shape."""
