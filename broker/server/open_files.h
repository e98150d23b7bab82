// How many connections the process can hold open: every connection is a file descriptor, and
// running out of them fails accept() for everyone, even a client that only wants a health check.
#pragma once

#include <cstddef>

namespace sluice::server {

// Raises the soft open-files limit to the hard one, then returns how many of `wanted`
// connections fit under it, keeping a reserve for LMDB, the listener, logs and the outgoing
// connections of HTTP and Lambda tasks. Never less than 1.
size_t connections_within_open_files(size_t wanted);

}  // namespace sluice::server
