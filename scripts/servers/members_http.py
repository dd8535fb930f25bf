#!/usr/bin/env python3
"""A static HTTP server on loopback for the district portal's tests.

Serves the folder given as its argument on 127.0.0.1 at a free port, which
it prints on the first line. A site whose folder holds a file named
`.stopped-halfway` is served as by a server stopped in the middle of each
reply: the headers promise the whole file, half of it is sent, and the
connection is dropped. Python's standard library only: nothing to install.
"""
import functools
import http.server
import os
import socket
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        site = os.path.relpath(path, self.directory).split(os.sep)[0]
        stopped = os.path.exists(os.path.join(self.directory, site, ".stopped-halfway"))
        if not (stopped and os.path.isfile(path)):
            return super().do_GET()
        with open(path, "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)


def main():
    handler = functools.partial(Handler, directory=sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
