"""What the cold-start scripts share: a fake Lambda Runtime API, a moto server, and one measured bootstrap start.

deploy/coldstart.py (a guard) and deploy/coldstart_slack.py (the Slack interactivity function) differ only in the
event they hand over and the environment they set; the measurement itself lives here once.
"""
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RuntimeApi:
    """The Runtime API 2018-06-01, just enough for one invocation per process: /next, /response, /error, /init/error."""

    def __init__(self, event: bytes, function_name: str = "remediator-function"):
        self.event = event
        self.done = threading.Event()
        self.result = None
        self.served = False
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.endswith("/runtime/invocation/next"):
                    if api.served:
                        # The one invocation of this process is over: hold /next until the process is stopped.
                        api.done.wait(30)
                        time.sleep(30)
                        return
                    api.served = True
                    deadline = int(time.time() * 1000) + 30_000
                    self.send_response(200)
                    self.send_header("Lambda-Runtime-Aws-Request-Id", str(uuid.uuid4()))
                    self.send_header("Lambda-Runtime-Deadline-Ms", str(deadline))
                    self.send_header("Lambda-Runtime-Invoked-Function-Arn", f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(api.event)))
                    self.end_headers()
                    self.wfile.write(api.event)
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def do_POST(self):
                arrived = time.perf_counter_ns()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = "response" if self.path.endswith("/response") else "error"
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                api.result = (kind, arrived, body)
                api.done.set()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def start_moto():
    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return moto, url
        except OSError:
            time.sleep(0.1)
    moto.kill()
    raise SystemExit("moto did not start")


def run_bootstrap(bootstrap: Path, env: dict, event: bytes, function_name: str):
    """Starts the bootstrap once under /usr/bin/time -v, hands it `event`, and stops it after its first post.

    Returns (milliseconds from just before exec to the post arriving, peak RSS in KiB or None, "response" or "error",
    the posted body).
    """
    api = RuntimeApi(event, function_name)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_LAMBDA_RUNTIME_API": api.address,
           "AWS_LAMBDA_FUNCTION_NAME": function_name, **env}
    started = time.perf_counter_ns()
    process = subprocess.Popen(["/usr/bin/time", "-v", str(bootstrap)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True, text=True)
    try:
        if not api.done.wait(20):
            raise SystemExit("the bootstrap posted nothing within 20 s")
        kind, arrived, body = api.result
        # SIGTERM to the bootstrap only (time(1) would die of it too): the runtime stops its loop and exits, then
        # time(1) reports.
        for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        api.close()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return (arrived - started) / 1e6, int(rss.group(1)) if rss else None, kind, body


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summary(times, peaks):
    return (f"start -> response post: median {statistics.median(times):.1f} ms, P95 {percentile(times, 95):.1f} ms, "
            f"min {min(times):.1f} ms, max {max(times):.1f} ms\n"
            f"peak RSS: max {max(peaks) / 1024:.1f} MiB, median {statistics.median(peaks) / 1024:.1f} MiB")
