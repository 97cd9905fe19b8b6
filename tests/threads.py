"""Work started in several threads at the same moment, for tests of what must happen once."""

import contextlib
import threading
from unittest import mock

from django.db import connection


@contextlib.contextmanager
def tasks_after_the_threads():
    """Tasks the threads enqueue run when the block ends, one after another, in this thread.

    The tests' task backend runs a task at once, inside the thread that
    enqueued it at its commit. SQLite's shared in-memory test database refuses
    a writer outright ("database table is locked") while another connection
    is inside a transaction, where a file database or PostgreSQL would wait:
    a task run by the thread that won would fail whenever the one that lost
    was still finishing. In production the task worker runs it later, in its
    own process, which this imitates. Yields the tasks' results as they run.
    """
    from django_tasks.backends.immediate import ImmediateBackend

    execute = ImmediateBackend._execute_task
    deferred = []
    with mock.patch.object(
        ImmediateBackend,
        "_execute_task",
        lambda backend, result: deferred.append((backend, result)),
    ):
        yield deferred
    for backend, result in deferred:
        execute(backend, result)


def at_once(work, *, workers=2):
    """Call `work()` in `workers` threads released together; returns what each call returned,
    or the exception it raised, in the order they finished. Each thread's database
    connection is closed at the end, so the test database can be flushed."""
    barrier = threading.Barrier(workers)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(work())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts
            outcomes.append(error)
        finally:
            connection.close()

    with tasks_after_the_threads():
        threads = [threading.Thread(target=run) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes
