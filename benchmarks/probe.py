"""Run a command as a subprocess and sample the memory of every process it (and this process) spawned."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import psutil


@dataclass
class ProcessRun:
    """Wall time, exit code, output and peak memory of one measured subprocess."""

    cmd: list[str]
    returncode: int
    wall_s: float
    peak_rss_mb: float  # sum of RSS over all descendant processes, at the worst sample
    peak_processes: int
    stdout: str
    stderr: str


class TreeMemorySampler:
    """Samples the summed RSS of all descendants of this process in a background thread.

    Descendants include the measured subprocess with its worker pools and temporary Prefect server, and a local
    Dask cluster started by the benchmark (its workers are children of this process).
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_rss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
        self._me = psutil.Process(os.getpid())

    def __enter__(self) -> "TreeMemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()

    def sample(self) -> None:
        total, count = 0, 0
        for proc in self._me.children(recursive=True):
            try:
                total += proc.memory_info().rss
                count += 1
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        if total > self.peak_rss:
            self.peak_rss, self.peak_processes = total, count

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def run_measured(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | None = None,
                 timeout: float = 3600.0) -> ProcessRun:
    """Run `cmd` to completion, timing it and sampling the memory of the process tree."""
    started = time.perf_counter()
    with TreeMemorySampler() as sampler:
        proc = subprocess.run(list(cmd), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    wall = time.perf_counter() - started
    return ProcessRun(cmd=list(cmd), returncode=proc.returncode, wall_s=wall,
                      peak_rss_mb=sampler.peak_rss / 2**20, peak_processes=sampler.peak_processes,
                      stdout=proc.stdout, stderr=proc.stderr)
