"""The examples under examples/, run the way their READMEs say: the real server started with the
example's flags, then the example's own tests (pytest + boto3) against it, as a user would run
them. A failing example fails here with the example's pytest output."""

import os
import subprocess
import sys
from pathlib import Path

from sluice_server import SluiceServer

REPO = Path(__file__).resolve().parents[3]


def test_order_workflow_example(tmp_path):
    folder = REPO / "examples" / "order-workflow"
    server = SluiceServer(data_dir=tmp_path / "data", args=[
        "--template", str(folder / "template.yaml"),
        "--mock-config", str(folder / "mocks.json"),
        "--wait-time-scale", "0"])
    server.start()
    try:
        env = dict(os.environ, SLUICE_ENDPOINT=server.endpoint)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder),
             "test_order_workflow.py"],
            cwd=folder, env=env, capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "4 passed" in proc.stdout, proc.stdout
    finally:
        assert server.stop() == 0, server.log_tail()
        server.cleanup()
