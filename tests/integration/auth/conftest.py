"""Fixtures of the authentication suite: one sluice with `--auth sigv4 --credentials FILE` for
this suite alone (the other suites run with auth off).

The credentials file (auth_helpers.CREDENTIALS_FILE) has two accounts: the owner (the server's
own account, 000000000000) and BOB (222222222222, another account, held to queue policies).
`client(service, key)` makes a boto3 client signing with one of the keys of KEYS (or any other
pair, to test wrong ones; None: unsigned).
"""

import pytest

from auth_helpers import CREDENTIALS_FILE, KEYS, make_client
from sluice_server import assert_still_running, running_server


@pytest.fixture(scope="session")
def credentials_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("auth") / "credentials"
    path.write_text(CREDENTIALS_FILE)
    return path


@pytest.fixture(scope="session")
def auth_server(credentials_path):
    with running_server(args=["--auth", "sigv4", "--credentials", str(credentials_path)]) as s:
        yield s


@pytest.fixture(autouse=True)
def _auth_server_survives_each_test(request):
    yield
    assert_still_running(request, "auth_server")


@pytest.fixture
def client(auth_server):
    """client(service, who="owner" | "bob" | (key, secret) | None for unsigned)."""

    def make(service, who="owner"):
        if who is None:
            return make_client(service, auth_server.endpoint, unsigned=True)
        key, secret = KEYS[who] if isinstance(who, str) else who
        return make_client(service, auth_server.endpoint, key, secret)

    return make
