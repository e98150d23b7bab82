"""SigV4 on the JSON services through boto3: Step Functions (AWS JSON 1.0) and EventBridge Pipes
(REST-JSON). Their errors are the JSON services' names: UnrecognizedClientException,
InvalidSignatureException, MissingAuthenticationTokenException, IncompleteSignatureException."""

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from auth_helpers import KEYS, MISSING_TOKEN, SIGNATURE_MISMATCH, UNKNOWN_KEY, assert_client_error


def test_step_functions_right_key(client):
    sfn = client("stepfunctions")
    assert "stateMachines" in sfn.list_state_machines()


def test_step_functions_wrong_keys(client):
    with pytest.raises(ClientError) as e:
        client("stepfunctions", (KEYS["owner"][0], "wrong")).list_state_machines()
    assert_client_error(e, "InvalidSignatureException", SIGNATURE_MISMATCH)
    with pytest.raises(ClientError) as e:
        client("stepfunctions", ("AKIDNOBODY", "wrong")).list_activities()
    assert_client_error(e, "UnrecognizedClientException", UNKNOWN_KEY)
    with pytest.raises(ClientError) as e:
        client("stepfunctions", None).list_state_machines()
    assert_client_error(e, "MissingAuthenticationTokenException", MISSING_TOKEN)


def test_step_functions_scope_must_name_states(auth_server):
    # Signed for "sqs" but sent to Step Functions: the credential scope names another service.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method="POST", url=auth_server.endpoint + "/", data=b"{}",
                     headers={"X-Amz-Target": "AWSStepFunctions.ListStateMachines",
                              "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(Credentials(*KEYS["owner"]), "sqs", "us-east-1").add_auth(req)
    http = urllib.request.Request(req.url, data=req.body, method="POST", headers=dict(req.headers))
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(http, timeout=10)
    assert e.value.code == 403
    body = json.loads(e.value.read())
    assert body["__type"].endswith("#InvalidSignatureException")
    assert body["message"] == "Credential should be scoped to correct service: 'states'. "


def test_pipes_right_and_wrong_keys(client):
    assert "Pipes" in client("pipes").list_pipes()
    with pytest.raises(ClientError) as e:
        client("pipes", ("AKIDNOBODY", "wrong")).list_pipes()
    assert_client_error(e, "UnrecognizedClientException", UNKNOWN_KEY)
    with pytest.raises(ClientError) as e:
        client("pipes", (KEYS["bob"][0], "wrong")).list_pipes()
    assert_client_error(e, "InvalidSignatureException", SIGNATURE_MISMATCH)
