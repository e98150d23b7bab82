// The bytes of a stored history event and of a task's heartbeats: how the engine's records are
// written into the execution store (storage/executions), which keeps them opaque. Pure functions.
//
// A history event: u8 event type, i64 previousEventId, i64 timestamp ms, [resume record], [input
// reference], then the details as JSON text. The type byte's high bit (0x80) says a resume record
// (u32 length + bytes: what the engine needs that the AWS event does not show, e.g. a *Scheduled
// event's task token) follows; events stored before it existed have no such bit and decode as
// before. Bit 0x40 says the details' "input" or "output" member (u8: 1 input, 2 output) is the
// execution's input, text for text, and is left out of the stored details: most events of a
// short execution carry that same text (ExecutionStarted, a Pass state's entry and exit, the
// success), so storing it once, in the execution's record, keeps a history a fraction of its
// size. Reading such an event back needs the execution's input (splice_input). The event id is
// in the key, not here.
// Heartbeats: u32 count, then (i64 scheduled event id, i64 at ms) each.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/executor/history_event.h"
#include "engine/executor/history_sink.h"

namespace sluice::engine::executor {

// Details are stored as JSON text ("" for an event without details). `execution_input`: the
// execution's input text, when known; a details member equal to it is stored as a reference.
std::string encode_history_event(const HistoryEvent& e, std::string_view execution_input = {});

struct StoredEvent {
  HistoryEventType type{};
  int64_t previous_event_id = 0;
  int64_t timestamp_ms = 0;
  std::string_view details_json;   // points into the decoded bytes (without a referenced member)
  std::string_view resume_record;  // likewise; empty when none was stored
  std::string_view input_member;   // "input" / "output" when that member is the execution's input
};
std::optional<StoredEvent> decode_history_event(std::string_view bytes);
// The details JSON text of a stored event, whole: the referenced member put back (first).
std::string splice_input(const StoredEvent& e, std::string_view execution_input);
// The full event (details parsed), with the id taken from its key; nullopt when corrupt.
std::optional<HistoryEvent> decode_full_history_event(int64_t id, std::string_view bytes,
                                                      std::string_view execution_input = {});

std::string encode_heartbeats(const std::vector<TaskHeartbeatRecord>& beats);
std::optional<std::vector<TaskHeartbeatRecord>> decode_heartbeats(std::string_view bytes);

}  // namespace sluice::engine::executor
