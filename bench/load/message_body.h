// Message bodies that check themselves. A body is
//   sb_<run>_<seq>_<sent-ns>_<length>_<filler...>
// (numbers in hex) padded to --body-size with filler derived from the sequence number and position.
// A consumer can therefore tell that a body arrived intact (not just that the server's MD5 agrees
// with the bytes it returned), whether it belongs to this run, which message it is (redelivery and
// loss accounting) and when it was sent (end-to-end latency). Bodies too short for the header are
// plain filler and are not tracked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::bench {

struct BodyStamp {
  uint32_t run_id = 0;
  uint64_t seq = 0;
  uint64_t sent_ns = 0;  // uv_hrtime() of the producing process
};

enum class BodyKind {
  kOurs,      // a bench body of this run, intact
  kOtherRun,  // an intact bench body from another run (or another bench process)
  kForeign,   // not a bench body (or too short to carry the header)
  kCorrupt,   // claims to be a bench body but its length or filler is wrong
};

std::string make_body(const BodyStamp& stamp, size_t size);

// Classifies `body`; fills *stamp for kOurs and kOtherRun.
BodyKind read_body(std::string_view body, uint32_t run_id, BodyStamp* stamp);

}  // namespace sluice::bench
