"""Streamlit sessions over the app's own websocket protocol, for the classroom benchmark.

A ``Student`` is a browser tab without the browser: it opens a page, can press a button
by its label, and answers the server's ``auto_rerun`` requests the way the frontend does
(a fragment with ``run_every`` is re-run because the *client* asks for it each interval).
The server does exactly the work of a real tab (script runs, fragment reruns, deltas over
the socket); nothing is rendered. In a classroom each student's browser runs on the
student's own machine, so rendering must not share the server's cores in the benchmark
either: on the course's 2 cores six chromium tabs following live charts took more CPU
than the two training workers.
"""

from __future__ import annotations

import asyncio
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class Student:
    """One session on ``page``; ``cookie`` (name, value) is sent as a browser would."""

    def __init__(self, url: str, page: str = "training", cookie: tuple[str, str] | None = None):
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.page = page
        self.headers = {"Cookie": f"{cookie[0]}={cookie[1]}"} if cookie else None
        self.buttons: dict[str, str] = {}  # label -> widget id, from the page's last run
        self.fragment_reruns = 0
        self._ws = None
        self._timers: dict[str, asyncio.Task] = {}

    async def open(self, timeout: float = 180) -> float:
        """Connect and run the page once; seconds until its script finished."""
        t0 = time.perf_counter()
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=timeout, additional_headers=self.headers)
        await self._rerun()
        await self._until_finished(timeout)
        return time.perf_counter() - t0

    async def press(self, label: str, timeout: float = 180) -> None:
        """Press the button labelled ``label`` and wait for the page's run to finish."""
        if label not in self.buttons:
            raise RuntimeError(f"no button {label!r} on {self.page!r}: {sorted(self.buttons)}")
        await self._rerun(trigger=self.buttons[label])
        await self._until_finished(timeout)

    async def follow(self, until) -> None:
        """Answer the server's auto-reruns (live fragments) until ``until()`` is true."""
        while not until():
            try:
                await self._handle(await asyncio.wait_for(self._ws.recv(), 0.5))
            except asyncio.TimeoutError:
                pass

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        if self._ws is not None:
            await self._ws.close()

    # --- protocol --------------------------------------------------------------------
    async def _rerun(self, trigger: str | None = None, fragment: str | None = None) -> None:
        msg = BackMsg()
        msg.rerun_script.page_name = self.page
        msg.rerun_script.query_string = ""
        if trigger:
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id, widget.trigger_value = trigger, True
        if fragment:
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
        await self._ws.send(msg.SerializeToString())

    async def _until_finished(self, timeout: float) -> None:
        self.buttons = {}
        deltas = 0
        while True:
            forward = await self._handle(await asyncio.wait_for(self._ws.recv(), timeout))
            kind = forward.WhichOneof("type")
            deltas += kind == "delta"
            if kind == "page_not_found":
                raise RuntimeError(f"the app has no page {self.page!r} (not signed in?)")
            if kind == "script_finished" and forward.script_finished in _DONE:
                if deltas == 0:
                    raise RuntimeError(f"page {self.page!r} finished without drawing anything")
                return

    async def _handle(self, raw: bytes) -> ForwardMsg:
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "button":
                self.buttons[element.button.label] = element.button.id
        elif kind == "auto_rerun":
            fragment, interval = forward.auto_rerun.fragment_id, forward.auto_rerun.interval
            if fragment not in self._timers:
                self._timers[fragment] = asyncio.create_task(self._every(fragment, interval))
        elif kind == "stop_auto_rerun":
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
        return forward

    async def _every(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.fragment_reruns += 1
            await self._rerun(fragment=fragment)
