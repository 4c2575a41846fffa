#!/usr/bin/env python3
"""Cold start of a guard's NativeAOT bootstrap, measured locally.

Each run starts the published `bootstrap` as a fresh process (under /usr/bin/time -v for peak RSS) against a fake
Lambda Runtime API on 127.0.0.1 (this script) with a moto server as AWS (AWS_ENDPOINT_URL). The fake hands it one
detect-only event: an IAM CreateUser record, which the IAM guard's rules do not match, so the guard parses,
matches, answers and makes no AWS call. Measured: process start (just before exec) -> the response POST arriving
at the fake Runtime API. Reports median and max over the runs, and the largest peak RSS.

    deploy/package.sh --arch x86_64
    python3 deploy/coldstart.py [--bootstrap deploy/artifacts/x86_64/Remediator.Functions.Iam/bootstrap] [--runs 20]
"""
import argparse
import json
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
EVENT_RECORD = ROOT / "tests/fixtures/cloudtrail/iam/CreateUser__1.json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RuntimeApi:
    """The Runtime API 2018-06-01, just enough for one invocation per process: /next, /response, /error, /init/error."""

    def __init__(self, event: bytes):
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
                    self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:remediator-iam-guard")
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


def envelope():
    record = json.loads(EVENT_RECORD.read_text())
    return json.dumps({
        "version": "0", "id": str(uuid.uuid4()), "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
        "account": "123456789012", "time": record["eventTime"], "region": "us-east-1", "resources": [], "detail": record,
    }).encode()


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


def run_once(bootstrap: Path, moto_url: str, event: bytes):
    api = RuntimeApi(event)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "AWS_LAMBDA_FUNCTION_NAME": "remediator-iam-guard",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "REMEDIATOR_CONCERN": "iam-broad-permissions",
        "REMEDIATOR_AUDIT_TABLE": "remediator-audit",
        "REMEDIATOR_OWN_PRINCIPALS": "arn:aws:iam::123456789012:role/remediator-*",
        "REMEDIATOR_NOTIFY_ONLY": "false",
    }
    started = time.perf_counter_ns()
    process = subprocess.Popen(["/usr/bin/time", "-v", str(bootstrap)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True, text=True)
    try:
        if not api.done.wait(20):
            raise SystemExit("the bootstrap posted nothing within 20 s")
        kind, arrived, body = api.result
        if kind != "response":
            raise SystemExit(f"the bootstrap posted an error: {body.decode()}")
        # SIGTERM to the bootstrap only (time(1) would die of it too): the runtime stops its loop and exits, then
        # time(1) reports.
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        for child in children:
            os.kill(int(child), signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        api.close()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return (arrived - started) / 1e6, int(rss.group(1)) if rss else None, body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=str(ROOT / "deploy/artifacts/x86_64/Remediator.Functions.Iam/bootstrap"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--moto-url", default=os.environ.get("REMEDIATOR_MOTO_URL"))
    args = parser.parse_args()
    bootstrap = Path(args.bootstrap)
    if not bootstrap.is_file():
        raise SystemExit(f"{bootstrap}: not found; run deploy/package.sh --arch x86_64 first")

    moto = None
    moto_url = args.moto_url
    if not moto_url:
        moto, moto_url = start_moto()
    try:
        event = envelope()
        times, peaks = [], []
        for i in range(args.runs):
            ms, rss_kb, body = run_once(bootstrap, moto_url, event)
            times.append(ms)
            peaks.append(rss_kb or 0)
            if i == 0:
                print(f"response: {body.decode()}")
        print(f"binary: {bootstrap} ({bootstrap.stat().st_size / 1e6:.1f} MB)")
        print(f"runs: {args.runs}; start -> response post: median {statistics.median(times):.1f} ms, "
              f"min {min(times):.1f} ms, max {max(times):.1f} ms")
        print(f"peak RSS: max {max(peaks) / 1024:.1f} MiB, median {statistics.median(peaks) / 1024:.1f} MiB")
    finally:
        if moto:
            moto.terminate()
            moto.wait(5)


if __name__ == "__main__":
    main()
