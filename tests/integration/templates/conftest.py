"""Fixtures of the templates suite: `sluice --template` against the real server, driven by boto3.

Each test starts its own server (templates are read at start): `start(*template_args, data_dir=)`
runs sluice with the given flags and returns the running SluiceServer (stopped with SIGTERM, and
checked to exit 0, after the test); `refuse(*args)` runs sluice expecting it to refuse to start and
returns (exit code, output). `app_dir` is a fresh copy of app/ (the SAM application the tests load)
that a test may edit.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from sluice_server import SluiceServer, free_port, sluice_binary

HERE = Path(__file__).resolve().parent


@pytest.fixture
def app_dir(tmp_path):
    target = tmp_path / "app"
    shutil.copytree(HERE / "app", target)
    return target


@pytest.fixture
def start():
    servers = []

    def run(*args, data_dir=None):
        server = SluiceServer(data_dir=data_dir, args=[str(a) for a in args])
        servers.append(server)
        return server.start()

    yield run
    for server in servers:
        try:
            if server.running():
                assert server.stop() == 0, f"sluice did not exit 0:\n{server.log_tail()}"
        finally:
            server.cleanup()


@pytest.fixture
def refuse(tmp_path):
    def run(*args):
        cmd = [str(sluice_binary()), "--listen", f"127.0.0.1:{free_port()}",
               "--data-dir", str(tmp_path / "refused-data"), *[str(a) for a in args]]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
        return proc.returncode, proc.stdout + proc.stderr

    return run
