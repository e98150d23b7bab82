"""What the fault loop's clients know: every request they made and what its answer said, so the
audit can tell a lost or duplicated message from one whose send the kill cut off.

A request the kill cut off (no answer) is "in doubt": it may or may not have taken effect. A
request that was answered is "acknowledged": the server promised its effect survives. Ticks
order client events across threads: a tick is taken under one lock, so an event recorded after
another one finished has a bigger tick."""

import collections
import threading


def body_id(body):
    """The unique id a message body starts with (the rest is padding)."""
    return body.split("|", 1)[0]


def group_of(message_id_text):
    """fifo/GROUP/INDEX -> GROUP."""
    return message_id_text.split("/")[1]


def index_of(message_id_text):
    return int(message_id_text.rsplit("/", 1)[1])


class QueueLedger:
    """One queue's messages as its producers and consumers saw them (ids are body ids)."""

    def __init__(self, name, fifo=False):
        self.name = name
        self.fifo = fifo
        self.attempted = set()  # every id a send was tried for
        self.acked = {}  # id -> MessageId the send's answer gave
        # id -> [(tick the receive was sent, tick it was answered, MessageId,
        #        time.monotonic() it was answered)]
        self.receives = collections.defaultdict(list)
        self.receives_cut = []  # ticks at which receives that got no answer were sent
        self.delete_tried = set()
        self.delete_ticks = collections.defaultdict(list)  # id -> ticks its deletes were tried
        self.deleted = {}  # id -> tick its DeleteMessage(Batch) was acknowledged (the first)
        self.group_order = collections.defaultdict(list)  # FIFO: group -> ids in send order
        # Delayed sends: id -> (time.monotonic() the send was sent, the delay it asked for)
        self.delayed = {}
        self.first_answer = {}  # id -> time.monotonic() the first receive holding it answered
        # ChangeMessageVisibility(Batch): id -> [VisibilityChange] of the acknowledged ones, and
        # id -> ticks of every attempt (acknowledged or not)
        self.visibility_changes = collections.defaultdict(list)
        self.visibility_tried = collections.defaultdict(list)
        self.peeks = []  # [Peek] taken right after restarts


class Peek:
    """The queue's messages listed (peek_all) right after a restart: ticks and wall times
    (time.time()) taken before the listing was sent and after it was answered."""

    def __init__(self, label, before_tick, before_wall, present, after_tick, after_wall):
        self.label, self.present = label, present
        self.before_tick, self.before_wall = before_tick, before_wall
        self.after_tick, self.after_wall = after_tick, after_wall


class VisibilityChange:
    """One acknowledged ChangeMessageVisibility: the new timeout counts from a moment between
    `sent_*` and `acked_*` (the server's clock is the host's)."""

    def __init__(self, seconds, sent_tick, sent_at, sent_wall, acked_tick, acked_wall):
        self.seconds = seconds
        self.sent_tick, self.sent_at, self.sent_wall = sent_tick, sent_at, sent_wall
        self.acked_tick, self.acked_wall = acked_tick, acked_wall


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self._tick = 0
        self.queues = {}
        # machine kind ("flow", "activity", "map") -> execution name -> {"input", "arn"}
        self.executions = collections.defaultdict(dict)
        self.callback_messages = collections.defaultdict(set)  # execution name -> MessageIds
        self.answers = collections.Counter()  # execution name -> SendTaskSuccess acknowledged
        self.callback_log = collections.defaultdict(list)  # execution name -> [(tick, what)]
        self.kill_ticks = []
        # Activities: workerName of every GetActivityTask that got no answer (a kill, a client
        # timeout): a task the server handed to one of them is lost with it, and times out.
        self.polls_cut = set()
        # execution name -> [(attempt, workerName)] of the tasks workers got, and the attempts
        # whose SendTaskSuccess was acknowledged
        self.activity_tasks = collections.defaultdict(list)
        self.activity_answers = collections.defaultdict(set)
        # Heartbeats: (execution name, attempt) -> time.time() the newest acknowledged
        # SendTaskHeartbeat was sent; the attempts a worker abandoned after a heartbeat
        self.last_heartbeat = {}
        self.abandoned_attempts = set()
        self.counts = collections.Counter()  # what happened, by name, for the figures
        self.unexpected = []  # error answers no request of the workload should get

    def queue(self, name, fifo=False):
        self.queues[name] = QueueLedger(name, fifo)
        return self.queues[name]

    def tick(self):
        with self.lock:
            self._tick += 1
            return self._tick

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] += n

    def unexpected_error(self, what, error):
        with self.lock:
            self.unexpected.append(f"{what}: {error!r}")

    def send_tried(self, queue, ids, group=None):
        q = self.queues[queue]
        with self.lock:
            q.attempted.update(ids)
            if group is not None:
                q.group_order[group].extend(ids)

    def send_acked(self, queue, ids, message_ids):
        q = self.queues[queue]
        with self.lock:
            for i, m in zip(ids, message_ids):
                q.acked[i] = m
            self.counts["messages acknowledged"] += len(ids)

    def delayed_send(self, queue, ids, sent_at, delays):
        q = self.queues[queue]
        with self.lock:
            q.delayed.update({i: (sent_at, d) for i, d in zip(ids, delays)})

    def received(self, queue, sent_tick, messages, answered_at=None):
        q = self.queues[queue]
        with self.lock:
            self._tick += 1
            for m in messages:
                q.receives[body_id(m["Body"])].append((sent_tick, self._tick, m["MessageId"],
                                                       answered_at))
                if answered_at is not None:
                    q.first_answer.setdefault(body_id(m["Body"]), answered_at)
            self.counts["messages received"] += len(messages)

    def receive_cut(self, queue, sent_tick):
        with self.lock:
            self.queues[queue].receives_cut.append(sent_tick)

    def visibility_change_tried(self, queue, ids):
        """Returns the attempt's tick (taken before it is sent)."""
        q = self.queues[queue]
        with self.lock:
            self._tick += 1
            for i in ids:
                q.visibility_tried[i].append(self._tick)
            return self._tick

    def visibility_changed(self, queue, ids, seconds, sent_tick, sent_at, sent_wall, acked_wall):
        q = self.queues[queue]
        with self.lock:
            self._tick += 1
            for i in ids:
                q.visibility_changes[i].append(VisibilityChange(seconds, sent_tick, sent_at,
                                                                sent_wall, self._tick,
                                                                acked_wall))
            self.counts["visibility changes acknowledged"] += len(ids)

    def delete_tried(self, queue, ids):
        q = self.queues[queue]
        with self.lock:
            self._tick += 1
            q.delete_tried.update(ids)
            for i in ids:
                q.delete_ticks[i].append(self._tick)

    def delete_acked(self, queue, ids):
        q = self.queues[queue]
        with self.lock:
            self._tick += 1
            for i in ids:
                q.deleted.setdefault(i, self._tick)
            self.counts["deletes acknowledged"] += len(ids)

    def execution_tried(self, kind, name, payload):
        with self.lock:
            self.executions[kind][name] = {"input": payload, "arn": None}

    def execution_started(self, kind, name, arn):
        with self.lock:
            self.executions[kind][name]["arn"] = arn
            self.counts[f"executions started ({kind})"] += 1

    def poll_cut(self, worker):
        with self.lock:
            self.polls_cut.add(worker)
            self.counts["activity polls cut off"] += 1

    def activity_task(self, name, attempt, worker):
        with self.lock:
            self.activity_tasks[name].append((attempt, worker))
            self.counts["activity tasks received"] += 1

    def activity_answered(self, name, attempt):
        with self.lock:
            self.activity_answers[name].add(attempt)
            self.counts["activity answers acknowledged"] += 1

    def heartbeat_acked(self, name, attempt, sent_wall):
        with self.lock:
            key = (name, attempt)
            self.last_heartbeat[key] = max(self.last_heartbeat.get(key, 0), sent_wall)
            self.counts["heartbeats acknowledged"] += 1

    def abandoned(self, name, attempt):
        with self.lock:
            self.abandoned_attempts.add((name, attempt))
            self.counts["heartbeat tasks abandoned"] += 1

    def callback_event(self, name, what):
        """The callback story of one execution, for a problem report: (tick, what)."""
        with self.lock:
            self._tick += 1
            self.callback_log[name].append((self._tick, what))

    def callback_received(self, name, message_id):
        self.callback_event(name, f"callback message {message_id} received")
        with self.lock:
            self.callback_messages[name].add(message_id)

    def answered(self, name):
        self.callback_event(name, "SendTaskSuccess acknowledged")
        with self.lock:
            self.answers[name] += 1

    def killed(self):
        with self.lock:
            self._tick += 1
            self.kill_ticks.append(self._tick)
