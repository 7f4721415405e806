"""Running the collection service's web server, saying it has started only once it listens."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    """uvicorn's server, calling ``on_ready`` once its socket listens (a link printed before would be refused)."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            self.on_ready()


def listen(app: Any, host: str, port: int, on_ready: Callable[[], None]) -> bool:
    """Serve ``app`` on ``host:port`` until stopped (Ctrl+C, SIGTERM); ``on_ready`` once it listens.
    Whether it started at all."""
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False), on_ready)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    return server.started


__all__ = ["listen"]
