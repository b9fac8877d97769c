#!/usr/bin/env python3
"""The ops-charm workload: answers every TCP connection on 0.0.0.0:7077 with one line and closes.

The line is `<hostname> <owner>`: the pod's hostname (its UTS namespace) and the content of
/srv/data/owner, which the charm writes into the unit's storage in its storage-attached hook, so an
answer proves which pod's server it came from and that the workload sees the charm's storage.
Run by Pebble in the `server` container; the charm pushes this file there.
"""

import socket
import socketserver

PORT = 7077
OWNER = "/srv/data/owner"


class Answer(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        try:
            with open(OWNER, encoding="utf-8") as f:
                owner = f.read().strip()
        except OSError:
            owner = "-"
        self.wfile.write(f"{socket.gethostname()} {owner}\n".encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server(("0.0.0.0", PORT), Answer) as server:
        server.serve_forever()
