"""The loopback upstream for ``make bench``, in a process of its own:
``python -m bench.upstream PORT``. It answers like the OpenAI chat API, echoing the
prompt (so the proxy also restores placeholders in every answer), and /healthz."""

from __future__ import annotations

import sys

from aiohttp import web

from proxy.tools.echo_upstream import create_echo_app


async def _healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def main() -> None:
    app = create_echo_app(keep_bodies=False)  # a benchmark sends thousands
    app.router.add_get("/healthz", _healthz)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)


if __name__ == "__main__":
    main()
