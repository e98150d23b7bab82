"""Keys, messages and client helpers of the authentication suite (see conftest.py)."""

import boto3
from botocore import UNSIGNED
from botocore.config import Config

OWNER_ACCOUNT = "000000000000"
BOB_ACCOUNT = "222222222222"
KEYS = {
    "owner": ("AKIDOWNER", "owner-secret-key"),
    "bob": ("AKIDBOB", "bob-secret-key"),
}
CREDENTIALS_FILE = f"""# the suite's keys
[owner]
aws_access_key_id = {KEYS["owner"][0]}
aws_secret_access_key = {KEYS["owner"][1]}

[bob]
aws_access_key_id = {KEYS["bob"][0]}
aws_secret_access_key = {KEYS["bob"][1]}
account_id = {BOB_ACCOUNT}
"""

SIGNATURE_MISMATCH = ("The request signature we calculated does not match the signature you "
                      "provided. Check your AWS Secret Access Key and signing method. Consult "
                      "the service documentation for details.")
UNKNOWN_KEY = "The security token included in the request is invalid."
MISSING_TOKEN = ("The request must contain either a valid (registered) AWS access key ID or "
                 "X.509 certificate.")


def make_client(service, endpoint, key_id=None, secret=None, unsigned=False):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=30, inject_host_prefix=False,
                    signature_version=UNSIGNED if unsigned else None)
    return boto3.session.Session().client(service, endpoint_url=endpoint, config=config, region_name="us-east-1",
                          aws_access_key_id=key_id or "unused", aws_secret_access_key=secret or "x")



def assert_client_error(excinfo, code, message=None, status=403):
    err = excinfo.value.response
    assert err["Error"]["Code"] == code, err
    assert err["ResponseMetadata"]["HTTPStatusCode"] == status, err
    if message is not None:
        assert err["Error"]["Message"] == message, err
    return err
