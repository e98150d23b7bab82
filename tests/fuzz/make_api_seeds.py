#!/usr/bin/python3
"""Generates the seed corpora of the fuzzers that are not JSONata's, deterministically.

usage: tests/fuzz/make_api_seeds.py [OUT_DIR]
  OUT_DIR  where the seeds go (default: build-fuzz/corpus/seed at the repository's root);
           tools/fuzz generates them there at run time, so no corpus is committed

Each fuzzer reads its input as fuzz_input.h says: a mode byte, a first line, then the rest. The
seeds come from the unit tests' literals (definitions, paths, intrinsic calls, templates, Choice
rules, event patterns, input templates), so the fuzzers start from inputs the engine accepts, plus
a few requests written here for the request decoders. Writes (replacing what was there):
  OUT_DIR/asl_definition/    one definition a file
  OUT_DIR/asl_expression/    mode 0-3: JSONPath, intrinsic call, payload template, Choice rule
  OUT_DIR/pipes/             mode 0-3: pattern (Pipes, EventBridge), input template, item failures
  OUT_DIR/api_request/       mode 0-2: SQS query, SQS JSON, Pipes REST
  OUT_DIR/encoders/          mode 0-2: JSON round trip, SQS XML and JSON round trips
  OUT_DIR/http_framing/      a limits-and-pieces byte, then bytes a client sent
  OUT_DIR/sfn_api/           no mode byte: a Step Functions action, then its JSON body
Stdlib only; the same sources give the same files, byte for byte.
"""

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

from make_corpus import cpp_string  # the C++ string literal reader the JSONata seeds use

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "build-fuzz" / "corpus" / "seed"
CAP = 300  # files per fuzzer
MAX_SEED = 4096  # bytes; the fuzzers run with -max_len=4096

RAW = re.compile(r'R"([^(\s]*)\((.*?)\)\1"', re.S)
STR = re.compile(r'"((?:[^"\\\n]|\\.)*)"')

DOC = json.dumps({
    "a": {"b": [1, 2, 3]}, "name": "x", "items": [{"v": 1, "tag": "red"}, {"v": 5.5}],
    "flag": True, "none": None, "text": "Hello, World", "when": "2026-01-01T00:00:00Z",
}, separators=(",", ":"))

SQS_EVENT = json.dumps({
    "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "receiptHandle": "AQEBwJnKyrHigUMZj6rY",
    "body": "{\"order\":{\"id\":7,\"total\":12.5,\"lines\":[\"a\",\"b\"]}}",
    "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183"},
    "messageAttributes": {"kind": {"stringValue": "order", "dataType": "String"}},
    "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
    "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:orders", "awsRegion": "us-east-1",
}, separators=(",", ":"))


def literals(*globs):
    """Every raw and ordinary string literal of the matching test files, in file order."""
    found = []
    for pattern in globs:
        for path in sorted(REPO.glob(pattern)):
            text = path.read_text(errors="replace")
            found += [m.group(2) for m in RAW.finditer(text)]
            found += [cpp_string(m.group(1)) for m in STR.finditer(RAW.sub("", text))]
    return found


def json_objects(texts, want=lambda o: True):
    out = []
    for t in texts:
        try:
            v = json.loads(t)
        except ValueError:
            continue
        if isinstance(v, dict) and want(v):
            out.append(json.dumps(v, separators=(",", ":")))
    return out


def seed(mode, head, tail=""):
    return bytes([mode]) + head.encode() + (b"\n" + tail.encode() if tail else b"")


def unique(seeds):
    seen, out = set(), []
    for s in seeds:
        if s not in seen and len(s) <= MAX_SEED:
            seen.add(s)
            out.append(s)
    return out[:CAP]


def asl_definitions():
    texts = literals("tests/engine/asl/*_test.cpp", "tests/engine/executor/*_test.cpp")
    defs = json_objects(texts, lambda o: "States" in o and "StartAt" in o)
    return unique([d.encode() for d in defs])


def asl_expressions():
    seeds = []
    paths = [t for t in literals("tests/engine/asl/json_path_test.cpp",
                                 "tests/engine/asl/io_processing_test.cpp") if t.startswith("$")]
    seeds += [seed(0, p, DOC) for p in paths[:80]]
    calls = [t for t in literals("tests/engine/asl/intrinsics_test.cpp") if t.startswith("States.")]
    seeds += [seed(1, c, DOC) for c in calls[:80]]
    texts = literals("tests/engine/asl/payload_template_test.cpp",
                     "tests/engine/asl/io_processing_test.cpp")
    templates = json_objects(texts, lambda o: any(k.endswith(".$") for k in o))
    seeds += [seed(2, t, DOC) for t in templates[:60]]
    rules = json_objects(literals("tests/engine/asl/choice_rule_test.cpp"),
                         lambda o: "Variable" in o or "And" in o or "Or" in o or "Not" in o)
    seeds += [seed(3, r, DOC) for r in rules[:80]]
    return unique(seeds)


def pipes():
    seeds = []
    patterns = json_objects(literals("tests/engine/pipes/event_pattern_test.cpp"))
    for i, p in enumerate(patterns[:140]):
        seeds.append(seed(i % 2, p, SQS_EVENT))
    templates = [t for t in literals("tests/engine/pipes/input_template_test.cpp")
                 if "<" in t or t.startswith("{") or t.startswith('"')]
    seeds += [seed(2, t.replace("\n", " "), SQS_EVENT) for t in templates[:100]]
    outputs = json_objects(literals("tests/engine/pipes/batch_item_failures_test.cpp"))
    seeds += [seed(3, "", o) for o in outputs[:30]]
    seeds.append(seed(3, "", '{"batchItemFailures":[{"itemIdentifier":"id-2"}]}'))
    return unique(seeds)


QUERY = [
    ("/000000000000/q", "Action=SendMessage&MessageBody=hello&DelaySeconds=5"
     "&MessageAttribute.1.Name=kind&MessageAttribute.1.Value.DataType=String"
     "&MessageAttribute.1.Value.StringValue=order"
     "&MessageAttribute.2.Name=raw&MessageAttribute.2.Value.DataType=Binary"
     "&MessageAttribute.2.Value.BinaryValue=AAEC"),
    ("/", "Action=CreateQueue&QueueName=q.fifo&Attribute.1.Name=FifoQueue&Attribute.1.Value=true"
     "&Attribute.2.Name=RedrivePolicy&Attribute.2.Value=%7B%22maxReceiveCount%22%3A3%7D"
     "&Tag.1.Key=team&Tag.1.Value=a"),
    ("/000000000000/q", "Action=ReceiveMessage&MaxNumberOfMessages=10&WaitTimeSeconds=1"
     "&AttributeName.1=All&MessageAttributeName.1=All&VisibilityTimeout=30"),
    ("/000000000000/q", "Action=SendMessageBatch"
     "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x"
     "&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=y"
     "&SendMessageBatchRequestEntry.2.MessageGroupId=g"),
    ("/000000000000/q", "Action=DeleteMessageBatch&DeleteMessageBatchRequestEntry.1.Id=a"
     "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h"),
    ("/000000000000/q", "Action=ChangeMessageVisibilityBatch"
     "&ChangeMessageVisibilityBatchRequestEntry.1.Id=a"
     "&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=h"
     "&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=10"),
    ("/", "Action=SetQueueAttributes&QueueUrl=http%3A%2F%2Flocalhost%2F000000000000%2Fq"
     "&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60"),
    ("/", "Action=ListQueues&QueueNamePrefix=q&MaxResults=10&NextToken=abc"),
    ("/", "Action=StartMessageMoveTask&SourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq"
     "&MaxNumberOfMessagesPerSecond=10"),
    ("/000000000000/q", "Action=AddPermission&Label=l&AWSAccountId.1=111111111111"
     "&ActionName.1=SendMessage"),
]

SQS_JSON = [
    ("SendMessage", {"QueueUrl": "http://localhost/000000000000/q", "MessageBody": "hello",
                     "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "o"},
                                           "raw": {"DataType": "Binary", "BinaryValue": "AAEC"}},
                     "MessageSystemAttributes": {"AWSTraceHeader": {
                         "DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe"}}}),
    ("CreateQueue", {"QueueName": "q.fifo", "Attributes": {"FifoQueue": "true"},
                     "tags": {"team": "a"}}),
    ("ReceiveMessage", {"QueueUrl": "q", "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1,
                        "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"],
                        "ReceiveRequestAttemptId": "x"}),
    ("SendMessageBatch", {"QueueUrl": "q", "Entries": [
        {"Id": "a", "MessageBody": "x", "DelaySeconds": 1},
        {"Id": "b", "MessageBody": "y", "MessageGroupId": "g", "MessageDeduplicationId": "d"}]}),
    ("DeleteMessageBatch", {"QueueUrl": "q", "Entries": [{"Id": "a", "ReceiptHandle": "h"}]}),
    ("ChangeMessageVisibility", {"QueueUrl": "q", "ReceiptHandle": "h", "VisibilityTimeout": 5}),
    ("TagQueue", {"QueueUrl": "q", "Tags": {"a": "b"}}),
    ("ListMessageMoveTasks", {"SourceArn": "arn:aws:sqs:us-east-1:000000000000:dlq",
                              "MaxResults": 10}),
    ("GetQueueAttributes", {"QueueUrl": "q", "AttributeNames": ["All"]}),
]

PIPES = [
    ("POST /v1/pipes/p", {"Source": "arn:aws:sqs:us-east-1:000000000000:q",
                          "Target": "arn:aws:states:us-east-1:000000000000:stateMachine:m",
                          "RoleArn": "arn:aws:iam::000000000000:role/r",
                          "SourceParameters": {
                              "SqsQueueParameters": {"BatchSize": 10,
                                                     "MaximumBatchingWindowInSeconds": 1},
                              "FilterCriteria": {"Filters": [
                                  {"Pattern": "{\"body\":{\"kind\":[\"order\"]}}"}]}},
                          "TargetParameters": {
                              "InputTemplate": "{\"id\": <$.body.id>}",
                              "StepFunctionStateMachineParameters": {
                                  "InvocationType": "FIRE_AND_FORGET"}},
                          "DesiredState": "RUNNING", "Tags": {"a": "b"}}),
    ("PUT /v1/pipes/p", {"Target": "arn:aws:sqs:us-east-1:000000000000:out",
                         "RoleArn": "arn:aws:iam::000000000000:role/r",
                         "TargetParameters": {"SqsQueueParameters": {"MessageGroupId": "g"}}}),
    ("GET /v1/pipes?NamePrefix=p&Limit=10&DesiredState=RUNNING", None),
    ("GET /v1/pipes/p", None),
    ("DELETE /v1/pipes/p", None),
    ("POST /v1/pipes/p/start", None),
    ("POST /tags/arn%3Aaws%3Apipes%3Aus-east-1%3A000000000000%3Apipe%2Fp", {"tags": {"a": "b"}}),
    ("DELETE /tags/arn%3Aaws%3Apipes%3Aus-east-1%3A000000000000%3Apipe%2Fp?tagKeys=a&tagKeys=b",
     None),
]


def api_requests():
    seeds = [seed(0, path, body) for path, body in QUERY]
    seeds += [seed(1, action, json.dumps(body, separators=(",", ":"))) for action, body in SQS_JSON]
    seeds += [seed(2, line, json.dumps(body, separators=(",", ":")) if body else "")
              for line, body in PIPES]
    return unique(seeds)


def encoders():
    seeds = []
    for path in sorted((REPO / "tests" / "jsonata" / "documents").glob("*.json")):
        seeds.append(seed(0, "", path.read_text()))
    seeds += [seed(0, "", t) for t in ['{"a":1.5e300,"b":-0.0,"c":"\\u00e9\\ud83d\\ude00"}',
                                       "[1,2.0,9007199254740993,-1e-7,true,null]", '"\\u0000"']]
    bodies = ["plain", "<tag attr=\"v\">&amp; 'q'</tag>", "line\r\nbreak\ttab", "\u00e9\u4e2d\U0001f600",
              "]]> end of CDATA", ""]
    for i, b in enumerate(bodies):
        seeds.append(seed(1, bodies[-1 - i].replace("\n", " ").replace("\r", ""), b))
        seeds.append(seed(2, bodies[i].replace("\n", " ").replace("\r", ""), b))
    return unique(seeds)


HTTP = [
    "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 38\r\n\r\nAction=ListQueues&Version=2012-11-05",
    "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n"
    "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}",
    "POST /q HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n"
    "0\r\nTrailer: t\r\n\r\n",
    "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
    "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
    "HEAD /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nrest",
    "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "GET / HTTP/1.1\r\n" + "".join(f"X-{i}: v\r\n" for i in range(8)) + "\r\n",
]


def http_framing():
    # First byte: bit 0 small limits, the rest the piece size (fuzzer's comment).
    seeds = []
    for i, text in enumerate(HTTP):
        for mode in (i * 2 % 32, i * 2 % 32 + 1):
            seeds.append(bytes([mode]) + text.encode())
    return unique(seeds)


SFN_PREFIX = "arn:aws:states:us-east-1:000000000000:"
SFN_ROLE = "arn:aws:iam::000000000000:role/r"
SFN_MACHINE = SFN_PREFIX + "stateMachine:m"
SFN_EXECUTION = SFN_PREFIX + "execution:m:e"
SFN_PASS = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}}'
SFN_WAIT = ('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"P"},'
            '"P":{"Type":"Pass","End":true}}}')
SFN = [
    ("CreateStateMachine", {"name": "m", "definition": SFN_PASS, "roleArn": SFN_ROLE,
                            "tags": [{"key": "k", "value": "v"}], "publish": True}),
    ("CreateStateMachine", {"name": "w", "definition": SFN_WAIT, "roleArn": SFN_ROLE,
                            "type": "EXPRESS", "loggingConfiguration": {"level": "OFF"}}),
    ("UpdateStateMachine", {"stateMachineArn": SFN_MACHINE, "definition": SFN_WAIT,
                            "publish": True, "versionDescription": "d"}),
    ("DescribeStateMachine", {"stateMachineArn": SFN_MACHINE + ":1"}),
    ("ListStateMachines", {"maxResults": 2, "nextToken": "x"}),
    ("DeleteStateMachine", {"stateMachineArn": SFN_MACHINE}),
    ("ValidateStateMachineDefinition", {"definition": SFN_WAIT, "type": "STANDARD"}),
    ("PublishStateMachineVersion", {"stateMachineArn": SFN_MACHINE, "description": "v"}),
    ("ListStateMachineVersions", {"stateMachineArn": SFN_MACHINE}),
    ("CreateStateMachineAlias", {"name": "a", "routingConfiguration": [
        {"stateMachineVersionArn": SFN_MACHINE + ":1", "weight": 100}]}),
    ("DescribeStateMachineAlias", {"stateMachineAliasArn": SFN_MACHINE + ":a"}),
    ("StartExecution", {"stateMachineArn": SFN_MACHINE, "name": "e", "input": '{"x":[1,2]}'}),
    ("StartExecution", {"stateMachineArn": SFN_MACHINE + "#case", "input": "{}"}),
    ("StartSyncExecution", {"stateMachineArn": SFN_PREFIX + "stateMachine:w", "input": "{}"}),
    ("DescribeExecution", {"executionArn": SFN_EXECUTION}),
    ("DescribeStateMachineForExecution", {"executionArn": SFN_EXECUTION}),
    ("GetExecutionHistory", {"executionArn": SFN_EXECUTION, "reverseOrder": True,
                             "includeExecutionData": False, "maxResults": 1}),
    ("ListExecutions", {"stateMachineArn": SFN_MACHINE, "statusFilter": "RUNNING",
                        "redriveFilter": "REDRIVEN"}),
    ("StopExecution", {"executionArn": SFN_EXECUTION, "error": "E", "cause": "c"}),
    ("RedriveExecution", {"executionArn": SFN_EXECUTION, "clientToken": "t"}),
    ("CreateActivity", {"name": "act", "tags": [{"key": "k", "value": "v"}]}),
    ("GetActivityTask", {"activityArn": SFN_PREFIX + "activity:act", "workerName": "w"}),
    ("SendTaskSuccess", {"taskToken": "AAAA", "output": "{}"}),
    ("SendTaskFailure", {"taskToken": "AAAA", "error": "E", "cause": "c"}),
    ("SendTaskHeartbeat", {"taskToken": "AAAA"}),
    ("TagResource", {"resourceArn": SFN_MACHINE, "tags": [{"key": "k2", "value": "v"}]}),
    ("UntagResource", {"resourceArn": SFN_MACHINE, "tagKeys": ["k"]}),
    ("ListTagsForResource", {"resourceArn": SFN_MACHINE}),
    ("DescribeMapRun", {"mapRunArn": SFN_PREFIX + "mapRun:m/x:y"}),
    ("ListMapRuns", {"executionArn": SFN_EXECUTION}),
    ("TestState", {"definition": '{"Type":"Pass","Parameters":{"a.$":"$.b"},"End":true}',
                   "input": '{"b":1}', "inspectionLevel": "DEBUG"}),
]


def sfn_api():
    seeds = [(a + "\n" + json.dumps(b, separators=(",", ":"))).encode() for a, b in SFN]
    # Every definition the unit tests hold, created as a machine.
    for i, definition in enumerate(asl_definitions()):
        body = {"name": f"d{i}", "definition": definition.decode(errors="replace"),
                "roleArn": SFN_ROLE}
        seeds.append(("CreateStateMachine\n" + json.dumps(body, separators=(",", ":"))).encode())
    return unique(seeds)


def write(directory, seeds):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for s in seeds:
        (directory / hashlib.sha1(s).hexdigest()).write_bytes(s)


def main(argv):
    out = Path(argv[0]) if argv else OUT
    made = {
        "asl_definition": asl_definitions(),
        "asl_expression": asl_expressions(),
        "pipes": pipes(),
        "api_request": api_requests(),
        "encoders": encoders(),
        "http_framing": http_framing(),
        "sfn_api": sfn_api(),
    }
    for name, seeds in made.items():
        write(out / name, seeds)
    print("make_api_seeds: " + ", ".join(f"{name} {len(s)}" for name, s in made.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
