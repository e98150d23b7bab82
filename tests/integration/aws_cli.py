"""The AWS CLI as a user types it (`aws --endpoint-url URL SERVICE ...`, dummy credentials, no
config files, no retries), shared by the sqs_cli and sfn_cli suites. $SLUICE_AWS_CLI overrides
which `aws` is run; AWS is None when there is none."""

import json
import os
import shutil
import subprocess

AWS = os.environ.get("SLUICE_AWS_CLI") or ("/usr/bin/aws" if os.path.exists("/usr/bin/aws")
                                           else shutil.which("aws"))


def cli_runner(endpoint, service, tmp_path):
    """run(*args, env=None) -> (exit code, parsed JSON stdout or None, stderr)."""
    base_env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="x",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_PAGER="",
        AWS_MAX_ATTEMPTS="1",
        AWS_RETRY_MODE="standard",
    )

    def run(*args, env=None):
        cmd = [AWS, "--endpoint-url", endpoint, "--output", "json", service, *args]
        p = subprocess.run(cmd, env=dict(base_env, **(env or {})), capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        out = json.loads(p.stdout) if p.stdout.strip() else None
        return p.returncode, out, p.stderr

    return run


def ok(result):
    """The parsed output of a CLI call that must have succeeded."""
    rc, out, err = result
    assert rc == 0, err
    return out
