// See wire_format.h.
#include "broker/states/wire_format.h"

#include <algorithm>
#include <charconv>

#include "broker/protocol/base64.h"

namespace sluice::states {

std::string epoch_seconds_literal(int64_t ms) {
  int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t frac = ms - sec * 1000;  // 0..999
  char buf[32];
  char* end = std::to_chars(buf, buf + sizeof buf - 4, sec).ptr;
  *end++ = '.';
  *end++ = static_cast<char>('0' + frac / 100);
  *end++ = static_cast<char>('0' + frac / 10 % 10);
  *end++ = static_cast<char>('0' + frac % 10);
  return std::string(buf, end);
}

void timestamp_member(protocol::JsonWriter& w, std::string_view name, int64_t ms) {
  w.key(name);
  w.number_literal(epoch_seconds_literal(ms));
}

std::optional<TagList> read_tags(RequestFields& fields, std::string_view member, bool required) {
  const json::Array* arr = fields.array(member, required);
  if (arr == nullptr) return std::nullopt;
  TagList tags;
  std::size_t i = 0;
  for (const json::Value& item : *arr) {
    ++i;
    std::string at = std::string(member) + "." + std::to_string(i) + ".member.";
    if (!item.is_object()) {
      fields.type_error(member, "a list of tags");
      return std::nullopt;
    }
    const json::Value* k = item.as_object().find("key");
    const json::Value* v = item.as_object().find("value");
    if ((k && !k->is_null() && !k->is_string()) || (v && !v->is_null() && !v->is_string())) {
      fields.type_error(member, "a list of tags");
      return std::nullopt;
    }
    std::string key = (k && k->is_string()) ? k->as_string() : std::string();
    std::string value = (v && v->is_string()) ? v->as_string() : std::string();
    if (k == nullptr || k->is_null()) {
      fields.violation("Value null at '" + at +
                       "key' failed to satisfy constraint: Member must not be null");
    } else if (key.empty()) {
      fields.violation(constraint_text(key, at + "key", "have length greater than or equal to 1"));
    } else if (key.size() > 128) {
      fields.violation(constraint_text(key, at + "key", "have length less than or equal to 128"));
    }
    if (value.size() > 256) {
      fields.violation(
          constraint_text(value, at + "value", "have length less than or equal to 256"));
    }
    merge_tags(tags, {{key, value}});
  }
  return tags;
}

void merge_tags(TagList& into, const TagList& tags) {
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& tag : tags) {
    auto it =
        std::find_if(into.begin(), into.end(), [&](const auto& t) { return t.first == tag.first; });
    if (it != into.end()) {
      it->second = tag.second;
    } else {
      into.push_back(tag);
    }
  }
}

void remove_tags(TagList& from, const std::vector<std::string>& keys) {
  std::erase_if(from, [&](const auto& t) {
    return std::find(keys.begin(), keys.end(), t.first) != keys.end();
  });
}

SfnError too_many_tags(std::string_view resource_arn) {
  SfnError e = sfn_error("TooManyTags", "Too many tags: a resource can have at most " +
                                            std::to_string(kMaxTags) + " tags: '" +
                                            std::string(resource_arn) + "'");
  e.extra.set("resourceName", json::Value(resource_arn));
  return e;
}

void tags_member(protocol::JsonWriter& w, std::string_view name, const TagList& tags) {
  w.key(name);
  w.begin_array();
  for (const auto& [k, v] : tags) {
    w.begin_object();
    w.string_member("key", k);
    w.string_member("value", v);
    w.end_object();
  }
  w.end_array();
}

std::string encode_page_token(std::string_view kind, std::string_view position) {
  std::string raw = "sluice:";
  raw += kind;
  raw += '\n';
  raw += position;
  return protocol::base64_encode(raw);
}

std::optional<std::string> decode_page_token(std::string_view kind, std::string_view token) {
  std::string raw;
  if (!protocol::base64_decode(token, raw)) return std::nullopt;
  std::string head = "sluice:" + std::string(kind) + "\n";
  if (raw.compare(0, head.size(), head) != 0) return std::nullopt;
  return raw.substr(head.size());
}

SfnError invalid_token() {
  return sfn_error("InvalidToken", "Invalid Token: 'Invalid token'");
}

}  // namespace sluice::states
