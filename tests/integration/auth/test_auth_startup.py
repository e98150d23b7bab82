"""Start-up with auth flags: --auth sigv4 needs a readable, well-formed --credentials file, and
serving beyond loopback with auth off logs a warning."""

import subprocess
import time

from sluice_server import free_port, sluice_binary


def run_briefly(tmp_path, *args, until=None):
    """Runs sluice with args; returns (exit code or None if still running when `until` appeared,
    output). A still-running server is stopped with SIGTERM."""
    log = tmp_path / "out.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(sluice_binary()), "--data-dir", str(tmp_path / "data"), *args],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        rc = None
        while time.monotonic() < deadline:
            rc = proc.poll()
            if rc is not None or (until and until in log.read_text(errors="replace")):
                break
            time.sleep(0.05)
        if proc.poll() is None:
            proc.terminate()
            assert proc.wait(timeout=15) == 0
    return rc, log.read_text(errors="replace")


def test_sigv4_needs_credentials(tmp_path):
    rc, out = run_briefly(tmp_path, "--listen", f"127.0.0.1:{free_port()}", "--auth", "sigv4")
    assert rc != 0
    assert "--auth: sigv4 needs --credentials FILE" in out


def test_bad_credentials_file_stops_the_server(tmp_path):
    creds = tmp_path / "creds"
    creds.write_text("[a]\naws_access_key_id = K\n")
    rc, out = run_briefly(tmp_path, "--listen", f"127.0.0.1:{free_port()}", "--auth", "sigv4",
                          "--credentials", str(creds))
    assert rc != 0
    assert "needs aws_access_key_id and aws_secret_access_key" in out


def test_unknown_auth_mode(tmp_path):
    rc, out = run_briefly(tmp_path, "--auth", "basic")
    assert rc != 0
    assert "--auth: expected off or sigv4, got 'basic'" in out


def test_non_loopback_with_auth_off_warns(tmp_path):
    port = free_port()
    rc, out = run_briefly(tmp_path, "--listen", f"0.0.0.0:{port}", until="listening on")
    assert rc is None, out
    assert "with --auth off: anyone who can reach this address can use every API" in out


def test_loopback_with_auth_off_does_not_warn(tmp_path):
    port = free_port()
    rc, out = run_briefly(tmp_path, "--listen", f"127.0.0.1:{port}", until="listening on")
    assert rc is None, out
    assert "--auth off" not in out
