"""Fixtures shared by the Python integration suites.

`sluice`: one real server per test session (suites share it; every test makes its own queues, so
tests do not see each other's data). At the end of the session it is stopped with SIGTERM and must
exit 0. `sqs`: a boto3 SQS client for it (Debian's botocore speaks the query protocol).
`make_queue`: creates uniquely named queues and deletes them after the test.
"""

import os
import re
import uuid

import boto3
import botocore.session
import pytest
from botocore.config import Config

from sluice_server import SluiceServer, assert_still_running, running_server

# Credentials and region are dummies: Sluice does not check signatures.
DUMMY_CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
# Debian's botocore (1.29) predates the message move task actions; this adds them to its SQS model
# (query protocol), as botocore's own "sdk-extras" mechanism allows.
BOTOCORE_EXTRAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore_data")


def sqs_client(endpoint, read_timeout=30):
    # One attempt: a retry would hide a server error behind a second, successful request.
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=read_timeout)
    core = botocore.session.get_session()
    core.get_component("data_loader").search_paths.insert(0, BOTOCORE_EXTRAS)
    session = boto3.session.Session(botocore_session=core)
    return session.client("sqs", endpoint_url=endpoint, config=config, **DUMMY_CREDS)


@pytest.fixture(scope="session")
def sluice():
    with running_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _server_survives_each_test(request):
    """Names the test during which the shared server died, instead of failing every later one."""
    yield
    assert_still_running(request, "sluice")


@pytest.fixture
def sqs(sluice):
    return sqs_client(sluice.endpoint)


@pytest.fixture
def unique_name(request):
    """unique_name() -> a queue name derived from the test name, unique in the session."""

    def make(prefix=None):
        base = prefix or re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:40]
        return f"{base}-{uuid.uuid4().hex[:8]}"

    return make


@pytest.fixture
def make_queue(sqs, unique_name):
    """make_queue(name=None, **CreateQueue kwargs) -> queue URL; the queue is deleted afterwards."""
    urls = []

    def make(name=None, **kwargs):
        url = sqs.create_queue(QueueName=name or unique_name(), **kwargs)["QueueUrl"]
        urls.append(url)
        return url

    yield make
    for url in urls:
        try:
            sqs.delete_queue(QueueUrl=url)
        except sqs.exceptions.ClientError:
            pass


@pytest.fixture
def queue(make_queue):
    return make_queue()


@pytest.fixture
def servers():
    """Servers of a test's own (the crash tests kill and restart them on one data dir):
    start(data_dir, *args) starts one; whatever still runs at the end is killed."""
    started = []

    def start(data_dir, *args):
        server = SluiceServer(data_dir=data_dir, args=list(args)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.cleanup()


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SLUICE_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow; set SLUICE_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
