"""An SMTP server on loopback that counts what it receives, by recipient."""

from __future__ import annotations

import threading
from collections import Counter

from aiosmtpd.controller import Controller


class CountingMailbox:
    def __init__(self, port: int):
        self.port = port
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient.lower()] += 1
        return "250 Message accepted for delivery"

    def count(self, addresses: set[str]) -> Counter[str]:
        with self._lock:
            return Counter({a: self.received[a] for a in addresses if self.received[a]})

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
