"""Work started in several threads at the same moment, for tests of what must happen once."""

import threading

from django.db import connection


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

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
