// See input_template.h for the rules and where each comes from.
#include "engine/pipes/input_template.h"

#include <cstdio>
#include <optional>
#include <utility>

#include <simdjson.h>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::pipes {

using json::Value;

namespace {

enum class Var : uint8_t {
  kPath,
  kPipeArn,
  kPipeName,
  kSourceArn,
  kEnrichmentArn,
  kTargetArn,
  kIngestionTime,
  kEvent,
  kEventJson,
};

// Where a placeholder sits, which decides how its value is written.
enum class Slot : uint8_t {
  kValue,       // bare, in a JSON template: the value's JSON form
  kJsonString,  // inside a string literal of a JSON template: text, JSON-escaped
  kText,        // in a text template: text, as is
};

struct PathStep {
  enum class Kind : uint8_t { kName, kIndex, kWildcard };
  Kind kind = Kind::kName;
  std::string name;
  // kIndex: the index; kName: the index a digits-only name also selects in an array, else -1.
  int64_t index = -1;
};

struct CompiledPath {
  bool valid = false;  // false: AWS cannot evaluate it, so it matches nothing
  bool definite = true;
  std::vector<PathStep> steps;
};

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Digits only, small enough for an array index; -1 otherwise.
int64_t parse_index(std::string_view s) {
  if (s.empty() || s.size() > 18) return -1;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The syntax [PIT] lists (dot names, indexes, wildcards) plus quoted bracket names. Anything else
// compiles to an invalid path rather than an error: AWS evaluates paths at run time.
CompiledPath parse_path(std::string_view text) {
  CompiledPath p;
  if (text.empty() || text[0] != '$') return p;
  std::size_t i = 1;
  while (i < text.size()) {
    PathStep step;
    if (text[i] == '.') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        step.kind = PathStep::Kind::kWildcard;
        ++i;
      } else {
        std::size_t start = i;
        while (i < text.size() && text[i] != '.' && text[i] != '[') ++i;
        if (i == start) return p;  // "$.", "$..name"
        step.name = std::string(text.substr(start, i - start));
        step.index = parse_index(step.name);
      }
    } else if (text[i] == '[') {
      std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return p;
      std::string_view inner = text.substr(i + 1, close - i - 1);
      if (inner == "*") {
        step.kind = PathStep::Kind::kWildcard;
      } else if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
                 inner.back() == inner.front()) {
        step.name = std::string(inner.substr(1, inner.size() - 2));
      } else {
        bool negative = !inner.empty() && inner[0] == '-';
        int64_t n = parse_index(negative ? inner.substr(1) : inner);
        if (n < 0) return p;  // filters, slices, unions, garbage
        step.kind = PathStep::Kind::kIndex;
        step.index = negative ? -n : n;
      }
      i = close + 1;
    } else {
      return p;
    }
    if (step.kind == PathStep::Kind::kWildcard) p.definite = false;
    p.steps.push_back(std::move(step));
  }
  p.valid = true;
  return p;
}

// Drops the quotes from JSON text: the string-context form of an object or array, which [PIT]
// documents as {"key": "value"} -> {key: value}. An escaped quote inside a string goes too, so
// the result never carries a quote into its surroundings.
void append_unquoted(std::string_view json_text, std::string& out) {
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    char c = json_text[i];
    if (c == '\\' && i + 1 < json_text.size()) {
      if (json_text[i + 1] != '"') {
        out.push_back(c);
        out.push_back(json_text[i + 1]);
      }
      ++i;
    } else if (c != '"') {
      out.push_back(c);
    }
  }
}

// Epoch milliseconds as an EventBridge event writes "time": 2015-11-11T21:29:54Z (UTC, seconds).
std::string format_ingestion_time(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t sod = secs - days * 86400;
  // Civil date from days since 1970-01-01 (proleptic Gregorian, H. Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[72];  // room for any int64 year, which GCC checks the format against
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(sod / 3600), static_cast<long long>(sod % 3600 / 60),
                static_cast<long long>(sod % 60));
  return buf;
}

std::optional<Var> reserved_variable(std::string_view name) {
  if (name == "aws.pipes.pipe-arn") return Var::kPipeArn;
  if (name == "aws.pipes.pipe-name") return Var::kPipeName;
  if (name == "aws.pipes.source-arn") return Var::kSourceArn;
  if (name == "aws.pipes.enrichment-arn") return Var::kEnrichmentArn;
  if (name == "aws.pipes.target-arn") return Var::kTargetArn;
  if (name == "aws.pipes.event.ingestion-time") return Var::kIngestionTime;
  if (name == "aws.pipes.event") return Var::kEvent;
  if (name == "aws.pipes.event.json") return Var::kEventJson;
  return std::nullopt;
}

// UTF-8 characters, not bytes: the model's length constraint counts characters.
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

struct TemplatePiece {
  std::string literal;  // written before the placeholder (the last piece has only this)
  bool has_placeholder = false;
  Var var = Var::kPath;
  Slot slot = Slot::kText;
  CompiledPath path;
};

// The event a rendering reads: a JSON event (with its SQS body decoded when that applies) or the
// text of a payload that is not JSON.
struct TemplateEvent {
  const Value* event = nullptr;  // null: the payload is not JSON
  std::string_view raw;          // the payload text when event is null
  bool body_decoded = false;
  Value body;                  // the decoded body
  std::string_view body_text;  // the body as sent, trimmed: the decoded body's own JSON text
};

namespace {

// One placeholder's value during a rendering.
struct Resolved {
  enum class Kind : uint8_t { kMissing, kString, kNode, kList, kEventView };
  Kind kind = Kind::kMissing;
  std::string_view str;
  std::string owned;  // backs str when the string is computed
  const Value* node = nullptr;
  std::string_view node_text;  // the node's JSON as sent (the decoded SQS body), else empty
  std::vector<const Value*> list;
};

// The record's own "body" member is replaced by its decoded form; nothing deeper is decoded.
const Value* member(const Value& node, std::string_view name, bool at_root,
                    const TemplateEvent& ev) {
  if (!node.is_object()) return nullptr;
  if (at_root && ev.body_decoded && name == "body") return &ev.body;
  return node.as_object().find(name);
}

const Value* element(const Value& node, int64_t index) {
  if (!node.is_array()) return nullptr;
  const auto& items = node.as_array();
  int64_t n = static_cast<int64_t>(items.size());
  int64_t i = index < 0 ? n + index : index;
  return i >= 0 && i < n ? &items[static_cast<std::size_t>(i)] : nullptr;
}

const Value* step_into(const Value& node, const PathStep& step, bool at_root,
                       const TemplateEvent& ev) {
  if (step.kind == PathStep::Kind::kIndex) return element(node, step.index);
  // A digits-only dot name indexes an array too: "$.L.0.S" [OBS].
  if (node.is_array()) return step.index >= 0 ? element(node, step.index) : nullptr;
  return member(node, step.name, at_root, ev);
}

void collect(const Value& node, const std::vector<PathStep>& steps, std::size_t i, bool at_root,
             const TemplateEvent& ev, std::vector<const Value*>& out) {
  if (i == steps.size()) {
    out.push_back(&node);
    return;
  }
  const PathStep& step = steps[i];
  if (step.kind == PathStep::Kind::kWildcard) {
    if (node.is_object()) {
      for (const auto& [key, child] : node.as_object()) {
        const Value* v = at_root && ev.body_decoded && key == "body" ? &ev.body : &child;
        collect(*v, steps, i + 1, false, ev, out);
      }
    } else if (node.is_array()) {
      for (const Value& child : node.as_array()) collect(child, steps, i + 1, false, ev, out);
    }
    return;
  }
  if (const Value* next = step_into(node, step, at_root, ev)) {
    collect(*next, steps, i + 1, false, ev, out);
  }
}

void resolve(const TemplatePiece& p, const TemplateEvent& ev, const TemplateContext& ctx,
             Resolved& r) {
  auto string = [&r](std::string_view s) {
    r.kind = Resolved::Kind::kString;
    r.str = s;
  };
  switch (p.var) {
    case Var::kPipeArn:
      return string(ctx.pipe_arn);
    case Var::kPipeName:
      return string(ctx.pipe_name);
    case Var::kSourceArn:
      return string(ctx.source_arn);
    case Var::kEnrichmentArn:
      return string(ctx.enrichment_arn);
    case Var::kTargetArn:
      return string(ctx.target_arn);
    case Var::kIngestionTime:
      r.owned = format_ingestion_time(ctx.ingestion_time_ms);
      return string(r.owned);
    case Var::kEvent:
      if (ev.event == nullptr) return string(ev.raw);
      r.owned = json::serialize(*ev.event);
      return string(r.owned);
    case Var::kEventJson:
      if (ev.event != nullptr) r.kind = Resolved::Kind::kEventView;
      return;
    case Var::kPath:
      break;
  }
  if (ev.event == nullptr || !p.path.valid) return;
  if (p.path.steps.empty()) {
    r.kind = Resolved::Kind::kEventView;
    return;
  }
  if (!p.path.definite) {
    r.kind = Resolved::Kind::kList;
    collect(*ev.event, p.path.steps, 0, true, ev, r.list);
    return;
  }
  const Value* node = ev.event;
  bool at_root = true;
  for (const PathStep& step : p.path.steps) {
    node = step_into(*node, step, at_root, ev);
    if (node == nullptr) return;
    at_root = false;
  }
  r.kind = Resolved::Kind::kNode;
  r.node = node;
  if (node == &ev.body) r.node_text = ev.body_text;
}

// The event with its body decoded, as JSON; the body goes in as the sender wrote it.
void write_event_view(const TemplateEvent& ev, std::string& out) {
  if (!ev.body_decoded) {
    json::serialize_to(*ev.event, out);
    return;
  }
  out.push_back('{');
  bool first = true;
  for (const auto& [key, child] : ev.event->as_object()) {
    if (!first) out.push_back(',');
    first = false;
    json::append_quoted(key, out);
    out.push_back(':');
    if (key == "body") {
      out.append(ev.body_text);
    } else {
      json::serialize_to(child, out);
    }
  }
  out.push_back('}');
}

// Slot::kValue: the value's JSON form.
void write_json(const Resolved& r, const TemplateEvent& ev, std::string& out) {
  switch (r.kind) {
    case Resolved::Kind::kMissing:
      out += "\"\"";
      return;
    case Resolved::Kind::kString:
      json::append_quoted(r.str, out);
      return;
    case Resolved::Kind::kNode:
      if (!r.node_text.empty()) {
        out.append(r.node_text);
      } else {
        json::serialize_to(*r.node, out);
      }
      return;
    case Resolved::Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const Value* v : r.list) {
        if (!first) out.push_back(',');
        first = false;
        json::serialize_to(*v, out);
      }
      out.push_back(']');
      return;
    }
    case Resolved::Kind::kEventView:
      write_event_view(ev, out);
      return;
  }
}

// The text form (Slot::kText, and Slot::kJsonString before escaping): strings without quotes,
// scalars as JSON writes them, objects and arrays with their quotes dropped [PIT].
void write_text(const Resolved& r, const TemplateEvent& ev, std::string& out) {
  switch (r.kind) {
    case Resolved::Kind::kMissing:
      return;
    case Resolved::Kind::kString:
      out.append(r.str);
      return;
    case Resolved::Kind::kNode:
      if (r.node->is_string()) {
        out.append(r.node->as_string());
        return;
      }
      if (!r.node->is_object() && !r.node->is_array()) {
        write_json(r, ev, out);
        return;
      }
      break;
    case Resolved::Kind::kList:
    case Resolved::Kind::kEventView:
      break;
  }
  std::string json_text;
  write_json(r, ev, json_text);
  append_unquoted(json_text, out);
}

void write_escaped(const Resolved& r, const TemplateEvent& ev, std::string& out) {
  // Strings, the common case, are escaped straight into the output.
  if (r.kind == Resolved::Kind::kString) return json::append_escaped(r.str, out);
  if (r.kind == Resolved::Kind::kNode && r.node->is_string()) {
    return json::append_escaped(r.node->as_string(), out);
  }
  std::string text;
  write_text(r, ev, text);
  json::append_escaped(text, out);
}

bool may_reach_body(const TemplatePiece& p) {
  if (p.var == Var::kEventJson) return true;
  if (p.var != Var::kPath || !p.path.valid) return false;
  if (p.path.steps.empty()) return true;
  const PathStep& first = p.path.steps.front();
  return first.kind == PathStep::Kind::kWildcard ||
         (first.kind == PathStep::Kind::kName && first.name == "body");
}

bool is_value_left_neighbour(char c) {
  return is_json_space(c) || c == '[' || c == '{' || c == ',' || c == ':';
}
bool is_value_right_neighbour(char c) {
  return is_json_space(c) || c == ']' || c == '}' || c == ',';
}

std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

InputTemplate::InputTemplate() = default;
InputTemplate::~InputTemplate() = default;
InputTemplate::InputTemplate(const InputTemplate&) = default;
InputTemplate::InputTemplate(InputTemplate&&) noexcept = default;
InputTemplate& InputTemplate::operator=(const InputTemplate&) = default;
InputTemplate& InputTemplate::operator=(InputTemplate&&) noexcept = default;

Result<InputTemplate> InputTemplate::compile(std::string_view text, std::string_view field) {
  if (char_count(text) > kMaxLength) {
    // The model's length constraint, worded as AWS's request validation words it; the value is
    // left out because InputTemplate is a sensitive member.
    return make_error(ErrorCode::kInvalidParameterValue,
                      "1 validation error detected: Value at '" + std::string(field) +
                          "' failed to satisfy constraint: Member must have length less than or "
                          "equal to " +
                          std::to_string(kMaxLength));
  }
  InputTemplate t;
  t.text_ = std::string(text);
  std::string_view head = trim_json_space(text);
  t.json_template_ = !head.empty() && (head[0] == '{' || head[0] == '[' || head[0] == '"');

  TemplatePiece piece;
  bool in_string = false;
  bool has_placeholders = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '<') {
      std::size_t close = text.find('>', i + 1);
      std::string_view inner =
          close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
      // A placeholder is one line without quotes, so a "<" in one string literal and a ">" in
      // another never pair up across the JSON between them.
      bool one_token = inner.find_first_of("\"\n\r") == std::string_view::npos;
      std::optional<Var> var;
      if (one_token && !inner.empty()) {
        var = inner[0] == '$' ? std::optional<Var>(Var::kPath) : reserved_variable(inner);
      }
      if (var) {
        piece.has_placeholder = true;
        piece.var = *var;
        if (*var == Var::kPath) piece.path = parse_path(inner);
        piece.slot = !t.json_template_ ? Slot::kText : in_string ? Slot::kJsonString : Slot::kValue;
        if (piece.slot == Slot::kValue) {
          // Next to a literal ("-<$.n>", "<$.a><$.b>") or as a key ("{<$.k>: 1}") the output is
          // JSON or not depending on the value; elsewhere a value keeps the skeleton's validity.
          std::size_t after = close + 1;
          while (after < text.size() && is_json_space(text[after])) ++after;
          bool key = after < text.size() && text[after] == ':';
          if ((i > 0 && !is_value_left_neighbour(text[i - 1])) ||
              (close + 1 < text.size() && !is_value_right_neighbour(text[close + 1])) || key) {
            t.dynamic_validity_ = true;
          }
        }
        t.decodes_body_ = t.decodes_body_ || may_reach_body(piece);
        t.literal_bytes_ += piece.literal.size();
        t.pieces_.push_back(std::move(piece));
        piece = TemplatePiece();
        has_placeholders = true;
        i = close;
        continue;
      }
    }
    if (t.json_template_) {
      if (in_string) {
        if (c == '\\' && i + 1 < text.size()) {
          piece.literal.push_back(c);
          c = text[++i];
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      }
    }
    piece.literal.push_back(c);
  }
  t.literal_bytes_ += piece.literal.size();
  t.pieces_.push_back(std::move(piece));

  if (!t.json_template_ && has_placeholders) {
    t.dynamic_validity_ = true;  // text goes in unescaped: only the output can tell
  } else if (!t.dynamic_validity_) {
    // Bare values render as JSON values and strings are escaped, so the skeleton (a null per bare
    // value) is JSON exactly when every rendering is.
    std::string skeleton;
    skeleton.reserve(t.literal_bytes_ + 8 * t.pieces_.size());
    for (const TemplatePiece& p : t.pieces_) {
      skeleton += p.literal;
      if (p.has_placeholder && p.slot == Slot::kValue) skeleton += "null";
    }
    t.static_json_ = json::parse(skeleton).ok();
  }
  return t;
}

RenderedInput InputTemplate::render(const json::Value& event, const TemplateContext& ctx) const {
  TemplateEvent ev;
  ev.event = &event;
  if (decodes_body_ && event.is_object()) {
    const Value* source = event.as_object().find("eventSource");
    const Value* body = event.as_object().find("body");
    if (source != nullptr && source->is_string() && source->as_string() == "aws:sqs" &&
        body != nullptr && body->is_string()) {
      auto decoded = json::parse(body->as_string());
      if (decoded.ok()) {
        ev.body_decoded = true;
        ev.body = std::move(decoded).value();
        ev.body_text = trim_json_space(body->as_string());
      }
    }
  }
  return render_with(ev, ctx);
}

RenderedInput InputTemplate::render_raw(std::string_view payload,
                                        const TemplateContext& ctx) const {
  TemplateEvent ev;
  ev.raw = payload;
  RenderedInput out = render_with(ev, ctx);
  // A payload that is not UTF-8 (an enrichment may answer any bytes) is escaped into a JSON
  // string byte for byte, which no JSON reader accepts: only the output can tell then.
  if (out.is_json && !dynamic_validity_ &&
      !simdjson::validate_utf8(payload.data(), payload.size())) {
    out.is_json = json::parse(out.text).ok();
  }
  return out;
}

RenderedInput InputTemplate::render_with(const TemplateEvent& ev,
                                         const TemplateContext& ctx) const {
  RenderedInput out;
  out.text.reserve(literal_bytes_ + 32 * pieces_.size());
  for (const TemplatePiece& p : pieces_) {
    out.text += p.literal;
    if (!p.has_placeholder) continue;
    Resolved r;
    resolve(p, ev, ctx, r);
    switch (p.slot) {
      case Slot::kValue:
        write_json(r, ev, out.text);
        break;
      case Slot::kJsonString:
        write_escaped(r, ev, out.text);
        break;
      case Slot::kText:
        write_text(r, ev, out.text);
        break;
    }
  }
  out.is_json = dynamic_validity_ ? json::parse(out.text).ok() : static_json_;
  return out;
}

}  // namespace sluice::engine::pipes
