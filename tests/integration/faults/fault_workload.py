"""The fault loop's clients: threads that keep SQS (standard, FIFO, delayed, dead-letter and
redrive, a FIFO dead-letter queue, visibility changes), Step Functions (callbacks, activities
with and without heartbeats, an inline and a Distributed Map, nested .sync:2 executions) and
three pipes busy while the server is killed and restarted under them, and write every request
and answer to the Ledger.

Every thread gets its own boto3 clients (one attempt per request: a retry inside botocore would
hide which attempt took effect) and makes them again when the server's endpoint changed. A
request without an answer (connection refused, reset, timed out) is cut off by a kill: senders
then send new bodies (the old ones stay in doubt); FIFO senders and execution starters retry the
same request, which the server deduplicates (MessageDeduplicationId, StartExecution's name).

Deletes are sent only while the receive's visibility timeout surely still runs (DELETE_WITHIN
seconds after the receive was sent): a DeleteMessage with the handle of an earlier receive is
acknowledged without deleting anything (AWS and Sluice alike), so only a delete sent in time
makes "acknowledged delete" mean "gone for good"."""

import itertools
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import botocore.exceptions

from conftest import sqs_client
from crash_helpers import queue_arn, queue_url
from fault_ledger import body_id
from sfn_helpers import aws_client, sfn_client

CUT = botocore.exceptions.BotoCoreError  # no answer: connection refused/reset, timed out
ANSWERED_ERROR = botocore.exceptions.ClientError

VISIBILITY = 10  # seconds: consumers' VisibilityTimeout
DELETE_WITHIN = 6  # seconds after the receive was sent: later, the delete is not sent
LEAVE_UNDELETED = 0.03  # share of received messages consumers leave to come back (redelivery)
GROUPS_PER_FIFO_PRODUCER = 3
FINISH_SECONDS = 15  # after stop: how long a FIFO send or a start is still retried
QUEUE_DELAY = 2  # seconds: the delayed queue's DelaySeconds
MESSAGE_DELAYS = [None, None, 0, 1, 3]  # a delayed send's DelaySeconds (None: the queue's)
PIPE_PAUSE = 0.2  # seconds at most between sends to a pipe's source
REJECT_SHARE = 0.5  # redrive: share of receives that take messages for 0 s and delete nothing
FIFO_REJECT_SHARE = 0.3  # the same for the FIFO queue with a FIFO dead-letter queue
POLL_SECONDS = 4  # an activity worker's GetActivityTask gives up after this (the server: 60 s)
# seconds at most between starts
START_PAUSE = {"flow": 0.2, "activity": 0.3, "map": 0.4, "heartbeat": 2.5, "nested": 1.0,
               "dmap": 1.5}
# ChangeMessageVisibility: what the visibility consumer does with each message it received, by
# weight, and the new timeout (seconds) of each change
VISIBILITY_CHOICES = {"extend then delete": 30, "release": 20, "hold": 10, "park": 5, "delete": 35}
VISIBILITY_SECONDS = {"extend then delete": 20, "release": 0, "hold": 30, "park": 3600}
HEARTBEAT_EVERY = (0.4, 1.0)  # seconds between a heartbeat worker's SendTaskHeartbeat
HEARTBEAT_WORK = (0.5, 2.0)  # seconds a heartbeat worker works on a task
ABANDON_SHARE = 0.15  # share of tasks a heartbeat worker stops working on after one heartbeat
SETTLING_WORKERS = ("callback_worker", "activity_worker")  # run on until finish_callbacks()


def padded(message_id, rng):
    """A body: the unique id, then padding; now and then big enough for LMDB overflow pages."""
    size = rng.randint(3000, 9000) if rng.random() < 0.05 else rng.randint(0, 200)
    return f"{message_id}|" + "x" * size


class Clients:
    """One thread's client for the current endpoint, made again when it changed."""

    def __init__(self, server, make):
        self.server, self.make = server, make
        self.endpoint, self.client = None, None

    def get(self):
        endpoint = self.server.endpoint()
        if endpoint != self.endpoint:
            self.client, self.endpoint = self.make(endpoint), endpoint
        return self.client, endpoint


def sqs_for(endpoint):
    return sqs_client(endpoint, read_timeout=10)


class Workload:
    """Names of the resources (made by the test) and the threads that drive them."""

    def __init__(self, server, ledger, seed, names):
        self.server = server
        self.ledger = ledger
        self.seed = seed
        self.names = names  # queue names, machine ARNs by kind, the activity's ARN
        self.stop = threading.Event()  # producers, consumers, starters
        self.stop_callbacks = threading.Event()  # the callback worker runs on through the audit
        self.threads = []
        self.errors = []
        self._burst_clients = None
        self._burst_pool = None
        self._burst_ids = itertools.count()  # next() is atomic under the GIL

    # --- running ---------------------------------------------------------------------------

    def start(self):
        """One thread per line of the plan; each workload gets a few, so that together they
        keep the two cores of a CI runner busy without starving one another."""
        n = 0
        names = self.names
        plan = [
            (self.producer, names["std"], 0), (self.producer, names["std"], 1),
            (self.consumer, names["std"]), (self.consumer, names["std"]),
            (self.fifo_producer, 0, "fifo", "fifo"), (self.fifo_producer, 1, "fifo", "fifo"),
            (self.consumer, names["fifo"]), (self.consumer, names["fifo"]),
            # The pipes start an execution a message: slower, so the audit reads fewer histories.
            (self.producer, names["pipe_source"], 0, PIPE_PAUSE),
            (self.fifo_producer, 0, "pipe_fifo", "pfifo", PIPE_PAUSE),
            (self.delayed_producer, 0), (self.consumer, names["delayed"]),
            (self.producer, names["redrive"], 0), (self.consumer, names["redrive"], REJECT_SHARE),
            (self.redriver,),
            (self.starter, 0, "flow"), (self.starter, 0, "activity"), (self.starter, 0, "map"),
            (self.callback_worker,), (self.callback_worker,),
            (self.activity_worker, 0), (self.activity_worker, 1),
            (self.producer, names["visibility"], 0, 0.1), (self.visibility_consumer,),
            (self.starter, 0, "heartbeat"), (self.activity_worker, 0, "heartbeat"),
            (self.activity_worker, 1, "heartbeat"),
            (self.starter, 0, "nested"), (self.starter, 0, "dmap"),
            (self.producer, names["pipe_batch"], 0, PIPE_PAUSE),
            (self.fifo_producer, 0, "fifo_redrive", "fdlq", 0.5),
            (self.consumer, names["fifo_redrive"], FIFO_REJECT_SHARE),
        ]
        for fn, *args in plan:
            rng = random.Random(self.seed * 1000 + n)
            n += 1
            t = threading.Thread(target=self._guarded, args=(fn, rng, *args), daemon=True,
                                 name=f"{fn.__name__}-{n}")
            t.start()
            self.threads.append(t)
        self._burst_clients = [Clients(self.server, sqs_for) for _ in range(8)]
        self._burst_pool = ThreadPoolExecutor(max_workers=8)

    def _guarded(self, fn, rng, *args):
        try:
            fn(rng, *args)
        except BaseException as e:  # noqa: B902 - reported by the test
            self.errors.append(f"{threading.current_thread().name}: {e!r}")
            raise

    def finish(self, timeout=60):
        """Stops producers, consumers and starters (each finishes the request it is retrying);
        the callback and activity workers keep running until finish_callbacks()."""
        self.stop.set()
        deadline = time.monotonic() + timeout
        for t in self.threads:
            if not t.name.startswith(SETTLING_WORKERS):
                t.join(timeout=max(0.1, deadline - time.monotonic()))
        stuck = [t.name for t in self.threads
                 if t.is_alive() and not t.name.startswith(SETTLING_WORKERS)]
        assert not stuck, f"client threads stuck: {stuck}"
        if self._burst_pool:
            self._burst_pool.shutdown(wait=True)

    def finish_callbacks(self, timeout=30):
        self.stop_callbacks.set()
        for t in self.threads:
            t.join(timeout=timeout)
        assert not any(t.is_alive() for t in self.threads), "a callback or activity worker is stuck"

    def _call(self, what, cut_count, request):
        """One request: ("ok", its answer); ("cut", None) when the kill cut it off (counted as
        `cut_count`, after a short pause); ("error", None) when the server answered an error
        (recorded: no request of the workload should get one)."""
        try:
            return "ok", request()
        except CUT:
            self.ledger.count(cut_count)
            time.sleep(0.05)
            return "cut", None
        except ANSWERED_ERROR as e:
            self.ledger.unexpected_error(what, e)
            return "error", None

    # --- SQS producers ---------------------------------------------------------------------

    def _send(self, client, url, bodies, group=None, dedup_ids=None, delays=None):
        """SendMessage (one body) or SendMessageBatch; returns the MessageIds in order."""
        extra = [{} for _ in bodies]
        if group is not None:
            extra = [{"MessageGroupId": group, "MessageDeduplicationId": d} for d in dedup_ids]
        if delays is not None:
            extra = [{} if d is None else {"DelaySeconds": d} for d in delays]
        if len(bodies) == 1:
            return [client.send_message(QueueUrl=url, MessageBody=bodies[0],
                                        **extra[0])["MessageId"]]
        r = client.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(k), "MessageBody": b, **extra[k]} for k, b in enumerate(bodies)])
        if r.get("Failed"):
            raise AssertionError(f"SendMessageBatch entries failed: {r['Failed']}")
        ok = {e["Id"]: e["MessageId"] for e in r["Successful"]}
        return [ok[str(k)] for k in range(len(bodies))]

    def send_new(self, rng, clients, queue, ids, delays=None):
        """Sends new bodies for `ids` once (with DelaySeconds `delays`, None for the queue's);
        a cut-off send leaves them in doubt."""
        bodies = [padded(i, rng) for i in ids]
        self.ledger.send_tried(queue, ids)
        client, endpoint = clients.get()
        if delays is not None:
            self.ledger.delayed_send(queue, ids, time.monotonic(),
                                     [QUEUE_DELAY if d is None else d for d in delays])
        status, got = self._call(
            f"send to {queue}", "sends cut off",
            lambda: self._send(client, queue_url(endpoint, queue), bodies, delays=delays))
        if status == "ok":
            self.ledger.send_acked(queue, ids, got)
        return status == "ok"

    def producer(self, rng, queue, n, pause=0.03):
        clients = Clients(self.server, sqs_for)
        i = 0
        while not self.stop.is_set():
            count = rng.choice([1, 1, 1, 2, 5, 10])
            ids = [f"{queue}/p{n}/{i + k}" for k in range(count)]
            i += count
            self.send_new(rng, clients, queue, ids)
            time.sleep(rng.uniform(0, pause))

    def delayed_producer(self, rng, n):
        """Sends to the delayed queue, each message with its own DelaySeconds or the queue's."""
        queue = self.names["delayed"]
        clients = Clients(self.server, sqs_for)
        i = 0
        while not self.stop.is_set():
            count = rng.choice([1, 1, 2, 5])
            ids = [f"{queue}/p{n}/{i + k}" for k in range(count)]
            i += count
            self.send_new(rng, clients, queue, ids,
                          delays=[rng.choice(MESSAGE_DELAYS) for _ in ids])
            time.sleep(rng.uniform(0, 0.1))

    def fifo_producer(self, rng, n, key, prefix, pause=0.1):
        """Owns its groups and sends each in order, one request at a time; a cut-off send is
        retried with the same deduplication ids until acknowledged, so every group's messages
        are stored once each, in index order. Ids are PREFIX/GROUP/INDEX."""
        queue = self.names[key]
        clients = Clients(self.server, sqs_for)
        groups = [f"g{n}-{k}" for k in range(GROUPS_PER_FIFO_PRODUCER)]
        next_index = {g: 0 for g in groups}
        pending = None
        give_up = None
        while True:
            if pending is None:
                if self.stop.is_set():
                    return
                group = rng.choice(groups)
                count = rng.choice([1, 1, 3, 10])
                ids = [f"{prefix}/{group}/{next_index[group] + k}" for k in range(count)]
                next_index[group] += count
                pending = (group, ids, [padded(i, rng) for i in ids])
                self.ledger.send_tried(queue, ids, group=group)
            group, ids, bodies = pending
            client, endpoint = clients.get()
            status, got = self._call(
                f"send to {queue}", "FIFO sends retried",
                lambda: self._send(client, queue_url(endpoint, queue), bodies, group, ids))
            if status == "error":
                return
            if status == "cut":
                if self.stop.is_set():
                    give_up = give_up or time.monotonic() + FINISH_SECONDS
                    if time.monotonic() > give_up:
                        return  # these ids stay in doubt
                continue
            self.ledger.send_acked(queue, ids, got)
            pending = None
            time.sleep(rng.uniform(0, pause))  # FIFO consumers are slower: one group at a time

    def burst(self, rng, batches=8):
        """`batches` requests at once, from a pool: the kill that follows lands while their
        group commit is being written. Half the bursts are SendMessageBatch to the standard
        queue, some to the delayed or the redrive queue, and a fifth are receives that take the
        redrive queue's messages for 0 s (past maxReceiveCount, a receive moves them to the
        dead-letter queue in its commit). Returns the futures."""
        kind = rng.choices(["std", "delayed", "redrive", "reject"], [50, 15, 15, 20])[0]

        def one(k):
            clients = self._burst_clients[k]
            if kind == "reject":
                self.receive(clients, self.names["redrive"], 0)
                return
            queue = self.names[kind]
            first = next(self._burst_ids) * 10
            ids = [f"{queue}/burst/{first + j}" for j in range(10)]
            delays = [rng_k[k].choice(MESSAGE_DELAYS) for _ in ids] if kind == "delayed" else None
            self.send_new(rng_k[k], clients, queue, ids, delays=delays)

        rng_k = [random.Random(rng.random()) for _ in range(batches)]
        return [self._burst_pool.submit(one, k) for k in range(batches)]

    # --- SQS consumers ---------------------------------------------------------------------

    def consumer(self, rng, queue, reject_share=0.0):
        """Receives and deletes. A share of its receives (`reject_share`, for a queue with a
        redrive policy) instead take the messages for 0 s and delete none: each such receive
        counts towards maxReceiveCount, so those messages move to the dead-letter queue."""
        clients = Clients(self.server, sqs_for)
        while not self.stop.is_set():
            reject = rng.random() < reject_share
            sent_at = time.monotonic()
            msgs = self.receive(clients, queue, 0 if reject else VISIBILITY)
            if msgs is None:
                continue
            if reject:
                self.ledger.count("messages rejected (redrive)", len(msgs))
                continue
            keep = [m for m in msgs if rng.random() >= LEAVE_UNDELETED]
            self.ledger.count("messages left to come back", len(msgs) - len(keep))
            self.delete(rng, clients, queue, keep, sent_at)

    def receive(self, clients, queue, visibility):
        """One ReceiveMessage (up to 10, waiting up to 1 s), recorded; None if cut off."""
        client, endpoint = clients.get()
        url = queue_url(endpoint, queue)
        sent_tick = self.ledger.tick()
        status, answer = self._call(
            f"receive from {queue}", "receives cut off",
            lambda: client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=1, VisibilityTimeout=visibility))
        if status == "cut":
            self.ledger.receive_cut(queue, sent_tick)
        if status != "ok":
            return None
        msgs = answer.get("Messages", [])
        self.ledger.received(queue, sent_tick, msgs, answered_at=time.monotonic())
        return msgs

    def delete(self, rng, clients, queue, msgs, received_at):
        """Deletes msgs (one by one or in a batch), retrying cut-off deletes while the receive's
        visibility timeout surely runs; later ones are given up (their outcome stays unknown)."""
        pending = list(msgs)
        while pending:
            client, endpoint = clients.get()
            if time.monotonic() - received_at > DELETE_WITHIN:
                self.ledger.count("deletes given up (too late)", len(pending))
                return
            url = queue_url(endpoint, queue)
            now = pending if len(pending) > 1 and rng.random() < 0.5 else pending[:1]
            ids = [body_id(m["Body"]) for m in now]
            self.ledger.delete_tried(queue, ids)
            try:
                if len(now) == 1:
                    client.delete_message(QueueUrl=url, ReceiptHandle=now[0]["ReceiptHandle"])
                else:
                    r = client.delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]}
                        for k, m in enumerate(now)])
                    if r.get("Failed"):
                        self.ledger.unexpected_error(f"delete in {queue}", r["Failed"])
                        failed = {int(f["Id"]) for f in r["Failed"]}
                        ids = [i for k, i in enumerate(ids) if k not in failed]
            except CUT:
                self.ledger.count("deletes cut off")
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                self.ledger.unexpected_error(f"delete in {queue}", e)
                ids = []
            self.ledger.delete_acked(queue, ids)
            pending = pending[len(now):]

    # --- ChangeMessageVisibility ----------------------------------------------------------

    def visibility_consumer(self, rng):
        """The only consumer of the visibility queue: each message it receives is extended
        (20 s) and then deleted, released (0 s: it comes back at once), held (30 s: it must not
        come back sooner), parked (3600 s: it must not come back during the test) or deleted."""
        queue = self.names["visibility"]
        clients = Clients(self.server, sqs_for)
        while not self.stop.is_set():
            sent_at = time.monotonic()
            msgs = self.receive(clients, queue, VISIBILITY)
            if not msgs:
                continue
            plan = {what: [] for what in VISIBILITY_CHOICES}
            for m in msgs:
                what = rng.choices(list(VISIBILITY_CHOICES), list(VISIBILITY_CHOICES.values()))[0]
                plan[what].append(m)
            for what, seconds in VISIBILITY_SECONDS.items():
                self.change_visibility(rng, clients, queue, plan[what], seconds, sent_at)
            self.delete(rng, clients, queue, plan["extend then delete"] + plan["delete"],
                        sent_at)

    def change_visibility(self, rng, clients, queue, msgs, seconds, received_at):
        """ChangeMessageVisibility (one by one or in batches) while the receive's visibility
        timeout surely runs (a late change is refused: its handle is no longer valid), retrying
        cut-off ones; every attempt and every acknowledgement is recorded. A release (0 s) sent
        again after a cut-off attempt may find the message no longer in flight (the first
        attempt released it): MessageNotInflight, accepted, the change stays unacknowledged."""
        pending = list(msgs)
        cut = set()  # ids whose change was cut off

        def released_before(code, i):
            return seconds == 0 and i in cut and code.endswith("MessageNotInflight")

        while pending:
            if time.monotonic() - received_at > DELETE_WITHIN:
                self.ledger.count("visibility changes given up (too late)", len(pending))
                return
            client, endpoint = clients.get()
            url = queue_url(endpoint, queue)
            now = pending if len(pending) > 1 and rng.random() < 0.5 else pending[:1]
            ids = [body_id(m["Body"]) for m in now]
            sent_tick = self.ledger.visibility_change_tried(queue, ids)
            sent_at, sent_wall = time.monotonic(), time.time()
            try:
                if len(now) == 1:
                    client.change_message_visibility(QueueUrl=url,
                                                     ReceiptHandle=now[0]["ReceiptHandle"],
                                                     VisibilityTimeout=seconds)
                else:
                    r = client.change_message_visibility_batch(QueueUrl=url, Entries=[
                        {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"],
                         "VisibilityTimeout": seconds} for k, m in enumerate(now)])
                    failed = {int(f["Id"]): f["Code"] for f in r.get("Failed", [])}
                    if any(not released_before(code, ids[k]) for k, code in failed.items()):
                        self.ledger.unexpected_error(f"change visibility in {queue}", r["Failed"])
                    self.ledger.count("releases found done after a cut-off attempt", len(failed))
                    ids = [i for k, i in enumerate(ids) if k not in failed]
            except CUT:
                self.ledger.count("visibility changes cut off")
                cut.update(ids)
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                if released_before(e.response["Error"]["Code"], ids[0]):
                    self.ledger.count("releases found done after a cut-off attempt")
                else:
                    self.ledger.unexpected_error(f"change visibility in {queue}", e)
                ids = []
            self.ledger.visibility_changed(queue, ids, seconds, sent_tick, sent_at, sent_wall,
                                           time.time())
            pending = pending[len(now):]

    # --- Step Functions ---------------------------------------------------------------------

    def payload(self, kind, name, rng):
        """An execution's input: the flow waits 0-2 s; a Map runs 2-6 iterations of a 0-1 s
        Wait each; an activity execution carries only its name."""
        if kind == "flow":
            return {"id": name, "wait": rng.choice([0, 1, 2])}
        if kind == "map":
            return {"id": name, "items": [rng.choice([0, 0, 1]) for _ in range(rng.randint(2, 6))]}
        if kind == "nested":
            return {"id": name, "wait": rng.choice([0, 0, 1])}
        if kind == "dmap":
            return {"id": name, "items": [0] * rng.randint(2, 5)}
        return {"id": name}

    def starter(self, rng, n, kind):
        """StartExecution of the `kind` machine under unique names; a cut-off start is retried
        with the same name and input (STANDARD StartExecution is idempotent while it runs; once
        it ended, ExecutionAlreadyExists proves the first attempt started it)."""
        clients = Clients(self.server, sfn_client)
        machine = self.names[kind]
        i = 0
        while not self.stop.is_set():
            name = f"{kind}{n}-{i}"
            i += 1
            payload = self.payload(kind, name, rng)
            self.ledger.execution_tried(kind, name, payload)
            give_up = None
            while True:
                client, _ = clients.get()
                try:
                    arn = client.start_execution(stateMachineArn=machine, name=name,
                                                 input=json.dumps(payload))["executionArn"]
                except CUT:
                    self.ledger.count("starts retried")
                    if self.stop.is_set():
                        give_up = give_up or time.monotonic() + FINISH_SECONDS
                        if time.monotonic() > give_up:
                            break  # in doubt
                    time.sleep(0.05)
                    continue
                except ANSWERED_ERROR as e:
                    if e.response["Error"]["Code"] == "ExecutionAlreadyExists":
                        arn = machine.replace(":stateMachine:", ":execution:") + ":" + name
                        self.ledger.count("starts confirmed by ExecutionAlreadyExists")
                    else:
                        self.ledger.unexpected_error(f"start {name}", e)
                        break
                self.ledger.execution_started(kind, name, arn)
                break
            time.sleep(rng.uniform(0, START_PAUSE[kind]))

    def callback_worker(self, rng):
        """Receives the flow's task tokens from the callbacks queue and answers SendTaskSuccess
        with the execution's id, retrying cut-off answers; TaskTimedOut means an earlier answer
        (or a second message of the same task, at-least-once) already took effect."""
        queue = self.names["callbacks"]
        sqs = Clients(self.server, sqs_for)
        sfn = Clients(self.server, sfn_client)
        while not self.stop_callbacks.is_set():
            client, endpoint = sqs.get()
            sent_at = time.monotonic()
            try:
                msgs = client.receive_message(
                    QueueUrl=queue_url(endpoint, queue), MaxNumberOfMessages=10,
                    WaitTimeSeconds=1, VisibilityTimeout=VISIBILITY).get("Messages", [])
            except CUT:
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                self.ledger.unexpected_error("receive a callback", e)
                continue
            for m in msgs:
                task = json.loads(m["Body"])
                self.ledger.callback_received(task["id"], m["MessageId"])
                self.answer(sfn, task)
            self.delete_callbacks(sqs, msgs, sent_at)

    def answer(self, clients, task):
        while not self.stop_callbacks.is_set():
            client, _ = clients.get()
            try:
                client.send_task_success(taskToken=task["token"],
                                         output=json.dumps({"id": task["id"]}))
            except CUT:
                self.ledger.count("callback answers retried")
                self.ledger.callback_event(task["id"], "SendTaskSuccess cut off")
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                if e.response["Error"]["Code"] == "TaskTimedOut":
                    self.ledger.count("callback answers already taken")
                    self.ledger.callback_event(task["id"], "SendTaskSuccess: TaskTimedOut")
                else:
                    self.ledger.unexpected_error(f"SendTaskSuccess for {task['id']}", e)
                return
            self.ledger.answered(task["id"])
            return

    def delete_callbacks(self, clients, msgs, received_at):
        queue = self.names["callbacks"]
        for m in msgs:
            while time.monotonic() - received_at <= DELETE_WITHIN:
                client, endpoint = clients.get()
                try:
                    client.delete_message(QueueUrl=queue_url(endpoint, queue),
                                          ReceiptHandle=m["ReceiptHandle"])
                    break
                except CUT:
                    time.sleep(0.05)
                except ANSWERED_ERROR as e:
                    self.ledger.unexpected_error("delete a callback", e)
                    break

    # --- Dead-letter queue and redrive ------------------------------------------------------

    def redriver(self, rng):
        """Every few seconds, unless one still runs, StartMessageMoveTask from the dead-letter
        queue back to its source (no DestinationArn), now and then at a limited rate so that
        kills land in the middle of it."""
        clients = Clients(self.server, sqs_for)
        dead = queue_arn(self.names["dead"])
        while not self.stop.wait(rng.uniform(2, 5)):
            client, _ = clients.get()
            status, answer = self._call("ListMessageMoveTasks", "move task lists cut off",
                                        lambda: client.list_message_move_tasks(
                                            SourceArn=dead, MaxResults=1))
            if status != "ok" or (answer.get("Results") and
                                  answer["Results"][0]["Status"] == "RUNNING"):
                continue
            rate = rng.choice([None, 50])
            status, answer = self._call("StartMessageMoveTask", "move task starts cut off",
                                        lambda: client.start_message_move_task(
                                            SourceArn=dead, **({"MaxNumberOfMessagesPerSecond":
                                                                rate} if rate else {})))
            if status == "ok":
                self.ledger.count("move tasks started")

    # --- Activities -------------------------------------------------------------------------

    def activity_worker(self, rng, n, kind="activity"):
        """GetActivityTask under a new workerName each time (so a history's ActivityStarted
        names the poll that took the task), then SendTaskSuccess with the execution's name,
        retried while cut off. A poll without an answer is recorded: the task the server
        handed it (if any) is lost with it and times out (the machine retries it). For the
        heartbeat machine's activity it works a while first, sending SendTaskHeartbeat."""
        polls = Clients(self.server, lambda ep: aws_client("stepfunctions", ep,
                                                           read_timeout=POLL_SECONDS))
        sfn = Clients(self.server, sfn_client)
        activity = self.names[f"{kind}_arn"]
        k = 0
        while not self.stop_callbacks.is_set():
            worker = f"{'w' if kind == 'activity' else 'h'}{n}-{k}"
            k += 1
            client, _ = polls.get()
            try:
                task = client.get_activity_task(activityArn=activity, workerName=worker)
            except CUT:
                self.ledger.poll_cut(worker)
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                self.ledger.unexpected_error("GetActivityTask", e)
                time.sleep(0.5)
                continue
            if not task.get("taskToken"):
                continue
            got = json.loads(task["input"])
            self.ledger.activity_task(got["id"], got["attempt"], worker)
            if kind == "heartbeat" and not self.work_with_heartbeats(rng, sfn, task["taskToken"],
                                                                     got):
                continue
            self.answer_activity(sfn, task["taskToken"], got)

    def work_with_heartbeats(self, rng, clients, token, got):
        """Works 0.5-2 s on a task, sending SendTaskHeartbeat every 0.4-1 s (retried while cut
        off), and records when each acknowledged one was sent. False when the server says the
        task timed out (its heartbeat lapsed while the server was down long enough), or when
        the worker abandons the task after one heartbeat (ABANDON_SHARE): either way the
        machine's Retry schedules it again once the heartbeat lapsed."""
        abandon = rng.random() < ABANDON_SHARE and not self.stop.is_set()  # not while settling
        until = time.monotonic() + rng.uniform(*HEARTBEAT_WORK)
        while time.monotonic() < until and not self.stop_callbacks.is_set():
            time.sleep(rng.uniform(*HEARTBEAT_EVERY))
            while not self.stop_callbacks.is_set():
                client, _ = clients.get()
                sent_wall = time.time()
                try:
                    client.send_task_heartbeat(taskToken=token)
                    self.ledger.heartbeat_acked(got["id"], got["attempt"], sent_wall)
                    if abandon:
                        self.ledger.abandoned(got["id"], got["attempt"])
                        return False
                    break
                except CUT:
                    self.ledger.count("heartbeats cut off")
                    time.sleep(0.05)
                except ANSWERED_ERROR as e:
                    if e.response["Error"]["Code"] != "TaskTimedOut":
                        self.ledger.unexpected_error("SendTaskHeartbeat", e)
                    self.ledger.count("heartbeats answered TaskTimedOut")
                    return False
        return True

    def answer_activity(self, clients, token, got):
        while not self.stop_callbacks.is_set():
            client, _ = clients.get()
            try:
                client.send_task_success(taskToken=token, output=json.dumps({"id": got["id"]}))
            except CUT:
                self.ledger.count("activity answers retried")
                time.sleep(0.05)
                continue
            except ANSWERED_ERROR as e:
                if e.response["Error"]["Code"] == "TaskTimedOut":
                    self.ledger.count("activity answers already taken")
                else:
                    self.ledger.unexpected_error(f"SendTaskSuccess for {got['id']}", e)
                return
            self.ledger.activity_answered(got["id"], got["attempt"])
            return
