"""The browser tests' live server answers one request at a time on an in-memory database."""

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection

from tests.browser.conftest import OneRequestAtATimeServer


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Server(OneRequestAtATimeServer):
    def _close_connections(self):
        pass  # the application here touches no database


def _serve(connections_override):
    state = {"now": 0, "most": 0}
    guard = threading.Lock()

    def app(environ, start_response):
        with guard:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with guard:
            state["now"] -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"one ", b"body"]

    server = Server(("127.0.0.1", 0), QuietHandler, connections_override=connections_override)
    server.set_app(app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


def _fetch_together(server, times):
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    def fetch(_):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local
            return response.read()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(fetch, range(times)))


def test_requests_sharing_the_in_memory_connection_never_overlap():
    connection.inc_thread_sharing()
    server, state = _serve({"default": connection})
    try:
        bodies = _fetch_together(server, 6)
    finally:
        server.shutdown()
        server.server_close()
        connection.dec_thread_sharing()
    assert bodies == [b"one body"] * 6
    assert state["most"] == 1


def test_requests_with_their_own_connections_still_run_together():
    server, state = _serve({})
    try:
        bodies = _fetch_together(server, 6)
    finally:
        server.shutdown()
        server.server_close()
    assert bodies == [b"one body"] * 6
    assert state["most"] > 1
