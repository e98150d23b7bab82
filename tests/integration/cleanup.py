"""Fixtures that make things for a test and remove them afterwards share this shape: remember what
was made, and at the end delete each, ignoring the ones already gone (a test may delete them)."""

import contextlib

import botocore.exceptions


@contextlib.contextmanager
def deleted_afterwards(delete):
    """Yields `made`, a list to append to; at the end calls delete(x) for each x in it."""
    made = []
    try:
        yield made
    finally:
        for thing in made:
            try:
                delete(thing)
            except botocore.exceptions.ClientError:
                pass
