"""A DuckDB file that a process holds open between calls and hands over to another on request."""

from __future__ import annotations

import atexit
import logging
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from workbench.errors import LedgerBusyError, WorkbenchError
from workbench.files import file_id

log = logging.getLogger(__name__)

# A process keeps the file open between calls (opening the ledger costs 30-70 ms at a million
# claims) until another process asks for it, or it has been unused for IDLE_SECONDS. A process
# that finds the file taken asks by touching the file beside it named WANT; the holder looks at
# it after each unit of work and every POLL_SECONDS while idle.
IDLE_SECONDS = 30.0
POLL_SECONDS = 0.1
WANT = ".want"

# DuckDB's buffer pool would grow to most of the machine; the desk shares it with the model and
# the indexes (the whole workbench stays under 4 GB at a million claims), and larger work spills.
MEMORY_LIMIT = "1GB"


class HeldConnection:
    """One process's hold on a DuckDB file that many processes share."""

    def __init__(self, path: Path, lock_timeout: float = 30.0):
        self.path = path
        self.lock_timeout = lock_timeout
        self._want = self.path.with_name(self.path.name + WANT)
        self._held: duckdb.DuckDBPyConnection | None = None
        self._held_since = self._last_used = 0.0  # wall clock, as file times are
        self._held_file: tuple[int, int] | None = None
        self._users = 0
        self._hold = threading.Lock()
        self._warmer: Callable[[], object] | None = None
        self.warming = threading.Lock()
        """Held while the file's caches are warmed; closing waits for it."""
        self._closing = threading.Event()
        _held_connections.add(self)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one unit of work.

        DuckDB lets one process at a time open a file for writing. A process keeps the file
        open between units of work (the app answers without paying the opening again) and lets
        go at the end of one when another process has asked for it (see WANT), or once unused
        for IDLE_SECONDS.
        """
        with self._hold:
            if self._held is not None and self._held_file != file_id(self.path):
                self._let_go()  # the file was replaced (a restore): open the new one
            if self._held is None:
                self._held, self._held_since = self._open(), time.time()
                self._held_file = file_id(self.path)
                _start_watching()
                if self._warmer is not None:
                    self._warm_in_background()
            self._users += 1
            cursor = self._held.cursor()  # one cursor per unit of work: safe across threads
        try:
            yield cursor
        finally:
            cursor.close()
            with self._hold:
                self._users -= 1
                self._last_used = time.time()
                if not self._users and self.wanted():
                    self._let_go()

    def keep_warm(self, warmer: Callable[[], object]) -> None:
        """Run `warmer` in the background now and whenever this process opens the file again
        (for a process that serves matches: see `Ledger.warm`); once is enough."""
        if self._warmer is None:
            self._warmer = warmer
            self._warm_in_background()

    def _warm_in_background(self) -> None:
        threading.Thread(target=self._warm_quietly, name="ledger-warm", daemon=True).start()

    def _warm_quietly(self) -> None:
        with self._hold:
            # Never open the file only to warm it: another process may have just asked for it.
            if self._held is None or self.wanted():
                return
        try:
            if self._warmer is not None:
                self._warmer()
        except (duckdb.Error, WorkbenchError) as error:  # closed under it, say: only slower
            log.debug("warming %s stopped: %s", self.path, error)

    @property
    def held_file(self) -> tuple[int, int] | None:
        """Which file the open connection reads (see `file_id`), or None when none is open."""
        return self._held_file if self._held is not None else None

    def should_stop_warming(self) -> bool:
        """Whether another process wants the file or this one is closing it."""
        return self._closing.is_set() or self.wanted()

    def wanted(self) -> bool:
        """Whether another process has asked for the file since this one opened it."""
        try:
            return self._want.stat().st_mtime >= self._held_since
        except FileNotFoundError:
            return False

    def _let_go_if_idle(self) -> None:
        with self._hold:
            idle = time.time() - self._last_used
            if not self._users and (self.wanted() or idle > IDLE_SECONDS):
                self._let_go()

    def _let_go(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def close(self) -> None:
        """Let go of the file now (before a restore replaces it, say)."""
        self._closing.set()
        with self.warming, self._hold:  # a warming stops at its next lookup
            self._let_go()
        self._closing.clear()

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting with backoff while another process holds it."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                return duckdb.connect(str(self.path), config={"memory_limit": MEMORY_LIMIT})
            except duckdb.IOException as error:
                if "lock" not in str(error).lower():
                    raise
                self._want.touch()  # the holder lets go at the end of its unit of work
                if time.monotonic() > deadline:
                    raise LedgerBusyError(
                        f"The ledger {self.path} stayed busy for {self.lock_timeout:.0f} s; "
                        "try again in a moment."
                    ) from error
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)


_held_connections: weakref.WeakSet[HeldConnection] = weakref.WeakSet()
_watcher: threading.Thread | None = None
_watcher_start = threading.Lock()


def _start_watching() -> None:
    """One thread per process lets go of idle files that other processes ask for."""
    global _watcher
    with _watcher_start:
        if _watcher is None or not _watcher.is_alive():  # none yet, or a forked child
            _watcher = threading.Thread(target=_watch, name="ledger-watch", daemon=True)
            _watcher.start()


def _watch() -> None:
    while True:
        time.sleep(POLL_SECONDS)
        for connection in list(_held_connections):
            connection._let_go_if_idle()


@atexit.register
def _close_all() -> None:
    """Close held files in an orderly way at exit (the watcher is a daemon thread)."""
    for connection in list(_held_connections):
        connection.close()
