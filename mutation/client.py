"""cosmic-ray's test command under `make mutate`: one pytest run, forked by the copy's mutation/forkserver.py.

    python -S -m mutation.client <pytest arguments>

Passes this process's standard output and error, working directory and environment to the server named by
AJET_MUTATION_SOCKET, and exits with the run's exit status (70 if the server could not be asked).
"""

import json
import os
import socket
import sys


def main(args: list[str]) -> int:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(os.environ["AJET_MUTATION_SOCKET"])
            request = json.dumps({"cwd": os.getcwd(), "environment": dict(os.environ), "args": args}).encode()
            socket.send_fds(connection, [request], [sys.stdout.fileno(), sys.stderr.fileno()])
            status = b""
            while chunk := connection.recv(64):
                status += chunk
        return int(status)
    except (OSError, KeyError, ValueError) as error:
        print(f"mutation.client: no test run ({error!r})", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
