"""A :class:`Recorder` on its own event-loop thread, for the synchronous console."""

from __future__ import annotations

import asyncio
import threading

from bot.records.recorder import Recorder, open_recorder
from bot.records.store import QuestionRecord
from bot.settings import Settings


class BackgroundRecorder:
    """``record()`` from any thread; ``close()`` writes what is queued. Raises :class:`RecordsError` on open."""

    def __init__(self, settings: Settings) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pierpoint-records", daemon=True)
        self._thread.start()
        try:
            self.recorder: Recorder = asyncio.run_coroutine_threadsafe(open_recorder(settings), self._loop).result()
        except BaseException:
            self._stop()
            raise

    def record(self, record: QuestionRecord) -> None:
        self._loop.call_soon_threadsafe(self.recorder.record, record)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.recorder.close(), self._loop).result()
        self._stop()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
