// Small pieces of the Step Functions wire format shared by every handler: timestamps (AWS JSON
// 1.0 sends them as epoch seconds with a fraction: 1700000000.123), tag lists ([{key, value}],
// at most 50 per resource), and paging tokens (opaque to clients, checked on the way back in:
// a token that is not ours is InvalidToken). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/protocol/json_writer.h"
#include "broker/states/request_fields.h"
#include "broker/states/sfn_result.h"

namespace sluice::states {

// "1700000000.123".
std::string epoch_seconds_literal(int64_t ms);
void timestamp_member(protocol::JsonWriter& w, std::string_view name, int64_t ms);

// Tags in the order they were first set (ListTagsForResource shows that order).
using TagList = std::vector<std::pair<std::string, std::string>>;
constexpr std::size_t kMaxTags = 50;

// Reads a TagList member ("tags") of a request: keys 1-128 characters, values 0-256.
std::optional<TagList> read_tags(RequestFields& fields, std::string_view member,
                                 bool required = false);
// Sets each tag (an existing key keeps its place and takes the new value).
void merge_tags(TagList& into, const TagList& tags);
void remove_tags(TagList& from, const std::vector<std::string>& keys);
// TooManyTags, naming the resource.
SfnError too_many_tags(std::string_view resource_arn);
void tags_member(protocol::JsonWriter& w, std::string_view name, const TagList& tags);

// Paging. A token carries the kind of listing and the position after which the next page
// starts; decode_page_token() returns nullopt for anything else.
std::string encode_page_token(std::string_view kind, std::string_view position);
std::optional<std::string> decode_page_token(std::string_view kind, std::string_view token);
SfnError invalid_token();

// maxResults: 0 or absent means the default page of 100.
inline std::size_t page_size(std::optional<int64_t> max_results) {
  return (!max_results || *max_results <= 0) ? 100 : static_cast<std::size_t>(*max_results);
}

}  // namespace sluice::states
