// Random identifiers: message ids (UUID v4 text, as SQS uses) and receipt-handle nonces.
// Thread-safe: each thread has its own generator.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::storage {

std::string random_uuid();
uint32_t random_u32();

}  // namespace sluice::storage
