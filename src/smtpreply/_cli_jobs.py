"""Running the blocks of ``smtpreply classify`` on several processes, in input order."""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Callable, TypeVar

from smtpreply._cli_output import CommandError

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator
    from concurrent.futures import Future

__all__ = ["available_cores", "ordered_map"]

_Task = TypeVar("_Task")
_Result = TypeVar("_Result")

# How many tasks may wait for a process, per process: enough to keep every
# process busy while the parent writes, few enough to keep memory flat.
_AHEAD = 2
# How often a worker checks that its parent is still there.
_WATCH_SECONDS = 0.5


def available_cores() -> int:
    """The cores this process may run on (its affinity), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[_Task], _Result], tasks: Iterable[_Task], jobs: int
) -> Generator[_Result, None, None]:
    """``function(task)`` for each task, in the order of the tasks.

    With more than one job and more than one task, the tasks run on ``jobs``
    processes, at most ``2 * jobs`` of them read ahead; otherwise they run here,
    and no process is started.

    Args:
        function: A module-level function, so that other processes can run it.
        tasks: The tasks, read lazily.
        jobs: How many processes may run tasks.

    Closing the generator stops the processes.
    """
    iterator = iter(tasks)
    head = list(itertools.islice(iterator, 2))
    if jobs <= 1 or len(head) < 2:
        yield from map(function, itertools.chain(head, iterator))
        return
    yield from _in_processes(function, itertools.chain(head, iterator), jobs)


def _in_processes(
    function: Callable[[_Task], _Result], tasks: Iterator[_Task], jobs: int
) -> Iterator[_Result]:
    # Imported here: multiprocessing takes some 20 ms to import, which one process never needs.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker)
    pending: collections.deque[Future[_Result]] = collections.deque()
    try:
        for task in tasks:
            with _interrupts_held():
                pending.append(executor.submit(function, task))
            if len(pending) >= _AHEAD * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise CommandError("a worker process stopped before its work was done", 1) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    """In a worker: leave Ctrl-C to the parent, and end when the parent is gone.

    The parent stops its workers itself after Ctrl-C. Killed (``timeout``'s
    SIGTERM, SIGKILL), it cannot: each worker then notices within a second.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while workers may start, so that none starts before it ignores it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
