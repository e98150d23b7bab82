"""The shared integration-test harness: runs the real `sluice` binary for a test.

SluiceServer starts the binary on a free 127.0.0.1 port with a temporary data directory (or a given
one), waits until GET /health answers 200, and stops it with SIGTERM, checking that it exits 0 (the
documented graceful shutdown). kill() is SIGKILL, for crash tests. The server's output goes to a log
file whose tail is shown when something goes wrong.

Used by the pytest suites (see conftest.py) and, as a command, by the JS suite:

    /usr/bin/python3 sluice_server.py run -- node --test test/

starts one server, runs the command with SLUICE_ENDPOINT=http://127.0.0.1:PORT in its environment,
stops the server, and exits non-zero if the command failed or the server did not exit 0.

The binary is $SLUICE_BIN, else <repo>/build/broker/sluice. $SLUICE_EXTRA_ARGS (split as a shell
would) is added to every server's command line, after the test's own arguments: e.g.
SLUICE_EXTRA_ARGS="--io-threads 2" runs a suite against the threaded HTTP server.
"""

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 15.0


def sluice_binary():
    path = Path(os.environ.get("SLUICE_BIN", REPO / "build" / "broker" / "sluice"))
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"no sluice binary at {path}: build it (tools/setup) or set SLUICE_BIN")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=2.0):
    """GET url; returns (status, body bytes). HTTP errors are answers too, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class SluiceServer:
    def __init__(self, data_dir=None, args=()):
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="sluice-it-"))
        self.args = list(args)
        self.port = None
        self.proc = None
        self._log = None
        self.log_path = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, port=None):
        """Starts on a free port, or on `port` if given and still free (a restart that keeps its
        clients' endpoint; another free port if it was taken meanwhile)."""
        # A free port can be taken between probing and binding; try a few.
        last_error = None
        for attempt in range(3):
            try:
                self._start_once(port if port is not None and attempt == 0 else free_port())
                return self
            except _PortInUse as e:
                last_error = e
        raise RuntimeError(f"sluice did not start: {last_error}")

    def _start_once(self, port):
        self.port = port
        fd, log_path = tempfile.mkstemp(prefix="sluice-it-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "wb")
        cmd = [str(sluice_binary()), "--listen", f"127.0.0.1:{port}",
               "--data-dir", str(self.data_dir)]
        extra = shlex.split(os.environ.get("SLUICE_EXTRA_ARGS", ""))
        self.proc = subprocess.Popen(cmd + self.args + extra, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log_tail()
                self._close_log()
                if "in use" in log.lower():
                    raise _PortInUse(log)
                raise RuntimeError(f"sluice exited {self.proc.returncode} while starting:\n{log}")
            try:
                status, body = http_get(self.endpoint + "/health", timeout=1.0)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        self._close_log()
        raise RuntimeError(
            f"sluice did not answer /health within {START_TIMEOUT_S}s:\n{self.log_tail()}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def healthy(self):
        try:
            return self.running() and http_get(self.endpoint + "/health")[0] == 200
        except OSError:
            return False

    def stop(self):
        """SIGTERM, wait, return the exit code (0 is the documented graceful shutdown)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close_log()
                raise RuntimeError(
                    f"sluice ignored SIGTERM for {STOP_TIMEOUT_S}s:\n{self.log_tail()}")
        self._close_log()
        return self.proc.returncode

    def kill(self):
        """SIGKILL: the crash a power cut looks like to the process."""
        self.proc.kill()
        self.proc.wait()
        self._close_log()

    def cleanup(self):
        if self.running():
            self.kill()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)

    def log_tail(self, n=40):
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except (OSError, AttributeError):
            return ""
        return "\n".join(lines[-n:])

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None


class _PortInUse(RuntimeError):
    pass


def _run_command(argv):
    """`run -- CMD...`: CMD with SLUICE_ENDPOINT set, against one server; exit code as described."""
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        print("usage: sluice_server.py run -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    server = SluiceServer()
    try:
        server.start()
        env = dict(os.environ, SLUICE_ENDPOINT=server.endpoint)
        rc = subprocess.call(argv, env=env)
        exit_code = server.stop()
        if exit_code != 0:
            print(f"sluice_server: sluice exited {exit_code} on SIGTERM (expected 0):\n"
                  f"{server.log_tail()}", file=sys.stderr)
            return rc or 1
        return rc
    finally:
        server.cleanup()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        sys.exit(_run_command(sys.argv[2:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)


@contextlib.contextmanager
def running_server(args=(), data_dir=None):
    """A started SluiceServer for a fixture: at the end it is stopped with SIGTERM and must exit
    0, and its files are removed."""
    server = SluiceServer(data_dir=data_dir, args=args).start()
    try:
        yield server
        assert server.stop() == 0, f"sluice did not exit 0 on SIGTERM:\n{server.log_tail()}"
    finally:
        server.cleanup()


def assert_still_running(request, fixture):
    """For an autouse fixture: names the test during which the server of `fixture` died, instead
    of failing every later one."""
    if fixture in request.fixturenames:
        server = request.getfixturevalue(fixture)
        assert server.running(), f"sluice died during this test:\n{server.log_tail()}"
