"""The server container's Pebble layer and the client side of the peer check (plain sockets, bounded)."""

import pathlib
import socket
import time

PORT = 7077
SERVER_SCRIPT = (pathlib.Path(__file__).parent / "echo_server.py").read_text(encoding="utf-8")
SERVER_LAYER = {
    "summary": "ops-charm server layer",
    "services": {
        "echo": {
            "override": "replace",
            "summary": "answers on 0.0.0.0:7077 with the pod's hostname and storage owner",
            "command": "/usr/bin/python3 /srv/ops-charm/echo_server.py",
            "startup": "enabled",
        }
    },
}


def ask(host: str, timeout: float = 5.0) -> str:
    """One connection to `host`:7077: the line it answered, or the error as text."""
    try:
        with socket.create_connection((host, PORT), timeout=timeout) as conn:
            conn.settimeout(timeout)
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.decode("utf-8", "replace").strip()
    except OSError as e:
        return f"error: {e}"


def ask_until(host: str, expected: str, bound: float = 20.0) -> str:
    """Asks `host` until it answers `expected` (a just-started server may not listen yet), at most `bound` s."""
    deadline = time.monotonic() + bound
    while True:
        answer = ask(host)
        if answer == expected or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)
