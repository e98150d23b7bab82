// The bytes of a stored history event and of a task's heartbeats: how the engine's records are
// written into the execution store (storage/executions), which keeps them opaque. Pure functions.
//
// A history event: u8 event type, i64 previousEventId, i64 timestamp ms, [resume record], then the
// details as JSON text. The type byte's high bit says a resume record (u32 length + bytes: what the
// engine needs that the AWS event does not show, e.g. a *Scheduled event's task token) follows;
// events stored before it existed have no such bit and decode as before. The event id is in the
// key, not here.
// Heartbeats: u32 count, then (i64 scheduled event id, i64 at ms) each.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/executor/history_event.h"
#include "engine/executor/history_sink.h"

namespace sluice::engine::executor {

// Details are stored as JSON text ("" for an event without details).
std::string encode_history_event(const HistoryEvent& e);

struct StoredEvent {
  HistoryEventType type{};
  int64_t previous_event_id = 0;
  int64_t timestamp_ms = 0;
  std::string_view details_json;   // points into the decoded bytes
  std::string_view resume_record;  // likewise; empty when none was stored
};
std::optional<StoredEvent> decode_history_event(std::string_view bytes);
// The full event (details parsed), with the id taken from its key; nullopt when corrupt.
std::optional<HistoryEvent> decode_full_history_event(int64_t id, std::string_view bytes);

std::string encode_heartbeats(const std::vector<TaskHeartbeatRecord>& beats);
std::optional<std::vector<TaskHeartbeatRecord>> decode_heartbeats(std::string_view bytes);

}  // namespace sluice::engine::executor
