"""Hard wall-clock limits: run a function in a child process that is killed when it overruns.

`ProcessPoolExecutor` cannot cancel a running task, so each `DeadlineWorker` owns one child interpreter
(`python -c ...`, started with `subprocess`, so the threaded parent is never forked and no `__main__` is
re-imported) talking over two pipes; a call that exceeds its deadline gets the child killed (SIGKILL) and a
fresh one is started lazily for the next call. A child costs ~0.3-1 s to start (interpreter plus the
imports of the function's module).
POSIX only (pipes are passed by file descriptor).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
STARTUP_TIMEOUT = 60.0
MEMORY_LIMIT_MB = 2048  # a parser child with trafilatura loaded uses ~70 MB; a 10 MB page a few hundred
_CHILD = (
    "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
    "from sources.deadline import _child_main; "
    "_child_main(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])"
)


class DeadlineExceeded(Exception):
    """The call ran past its deadline and its worker was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"exceeded the {seconds:g}s deadline; worker killed")
        self.seconds = seconds


class WorkerCrashed(Exception):
    """The worker process died (out of memory, signal) before answering."""


def _child_main(read_fd: int, write_fd: int, memory_limit_mb: int, preload: list[str]) -> None:
    """Entry point of the child interpreter: cap its memory, import `preload`, then serve calls until EOF."""
    sys.stdout = sys.stderr  # the protocol has its own pipes; stray prints must not break it
    if memory_limit_mb > 0:
        try:
            import resource

            limit = memory_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):  # not POSIX, or a lower hard limit already set
            pass
    for name in preload:
        __import__(name)
    outbox = Connection(write_fd, readable=False)
    outbox.send(("ready", None))  # deadlines start after start-up, not during it
    _serve(Connection(read_fd, writable=False), outbox)


def _serve(inbox: Connection, outbox: Connection) -> None:
    """Child loop: receive (fn, args, kwargs), answer ("ok", result) or ("err", exception)."""
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args, kwargs = message
        try:
            reply: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            reply = ("err", _portable(exc))
        try:
            outbox.send(reply)
        except OSError:  # the parent is gone
            return
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            outbox.send(("err", RuntimeError(f"result could not be sent back: {exc}")))


def _portable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


class DeadlineWorker:
    """One killable child process that runs calls one at a time (thread-safe)."""

    def __init__(self, preload: tuple[str, ...] = (), *, memory_limit_mb: int = MEMORY_LIMIT_MB) -> None:
        self.preload = preload  # modules the child imports before its first call
        self.memory_limit_mb = memory_limit_mb  # address-space cap of the child (0 = none): MemoryError beyond
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None
        self.kills = 0
        self.starts = 0

    def _ensure(self) -> tuple[Connection, Connection]:
        if self._proc is None or self._proc.poll() is not None or self._send is None or self._recv is None:
            self._discard()
            to_child_r, to_child_w = os.pipe()
            from_child_r, from_child_w = os.pipe()
            try:
                self._proc = subprocess.Popen(
                    [sys.executable, "-c", _CHILD, json.dumps(sys.path), str(to_child_r), str(from_child_w),
                     str(self.memory_limit_mb), *self.preload],
                    pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, close_fds=True,
                )
            finally:
                os.close(to_child_r)
                os.close(from_child_w)
            self._send = Connection(to_child_w, readable=False)
            self._recv = Connection(from_child_r, writable=False)
            self.starts += 1
            try:
                ready = self._recv.poll(STARTUP_TIMEOUT) and self._recv.recv() == ("ready", None)
            except (EOFError, OSError):
                ready = False
            if not ready:
                code = self._discard()
                raise WorkerCrashed(f"worker did not start within {STARTUP_TIMEOUT:g}s (exit code {code})")
        return self._send, self._recv

    def call(self, seconds: float, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` in the child; DeadlineExceeded after `seconds`, WorkerCrashed if it dies.

        `fn` must be importable by name (a module-level function); exceptions it raises are re-raised here.
        """
        with self._lock:
            send, recv = self._ensure()
            try:
                send.send((fn, args, kwargs))
                ready = recv.poll(seconds)
            except (OSError, EOFError) as exc:
                code = self._discard()
                raise WorkerCrashed(f"worker pipe broke (exit code {code}): {exc}") from exc
            if not ready:
                self.kills += 1
                self._discard()
                raise DeadlineExceeded(seconds)
            try:
                status, payload = recv.recv()
            except (EOFError, OSError) as exc:
                code = self._discard()
                raise WorkerCrashed(f"worker died (exit code {code})") from exc
        if status == "ok":
            return payload
        raise payload

    def _discard(self) -> int | None:
        proc, send, recv = self._proc, self._send, self._recv
        self._proc = self._send = self._recv = None
        for conn in (send, recv):
            if conn is not None:
                conn.close()
        if proc is None:
            return None
        if proc.poll() is None:
            proc.kill()
        try:
            return proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("deadline worker %s did not exit after SIGKILL", proc.pid)
            return None

    def close(self) -> None:
        """Stop the child (it holds no state worth a graceful exit)."""
        with self._lock:
            self._discard()

    def __enter__(self) -> "DeadlineWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WorkerPool:
    """Idle `DeadlineWorker`s kept between batches so their children stay warm; closed at interpreter exit.

    Fork-aware: a forked process never reuses the workers (pipes) it inherited from its parent.
    """

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.preload = preload
        self._lock = threading.Lock()
        self._idle: list[DeadlineWorker] = []
        self._pid = os.getpid()
        atexit.register(self.close)

    @contextmanager
    def borrow(self, count: int) -> Iterator[list[DeadlineWorker]]:
        """`count` workers for the duration of a `with` block (warm ones first)."""
        with self._lock:
            if self._pid != os.getpid():  # inherited through fork: those children belong to the parent
                self._idle, self._pid = [], os.getpid()
            taken, self._idle = self._idle[:count], self._idle[count:]
        taken += [DeadlineWorker(self.preload) for _ in range(count - len(taken))]
        try:
            yield taken
        finally:
            with self._lock:
                self._idle.extend(taken)

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
            mine = self._pid == os.getpid()
        if mine:
            for worker in workers:
                worker.close()
