// libFuzzer target: what Sluice writes must read back as what it meant. Input (fuzz_input.h):
// mode byte, the first line, then the rest. Modes:
//   0  JSON: the rest, when it parses, is serialized and parsed again; both values must be
//      identical, and serializing the second must give the same text
//   1  SQS query protocol (XML): a ReceiveMessage result holding one message whose body is the
//      rest and whose attributes carry the first line as a String and as a Binary value is
//      encoded, then read back with an XML scanner (sluice-bench's, not the encoder's code): the
//      body and both values must come back byte for byte, and no raw carriage return may be
//      written (XML readers turn it into a line feed)
//   2  SQS JSON 1.0: the same result through the JSON encoder, read back with the JSON parser
// Only text SQS accepts is encoded (is_valid_message_text: what a send would have refused never
// reaches an encoder). See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/load/xml_scanner.h"
#include "broker/protocol/base64.h"
#include "broker/sqs/api/json_encoder.h"
#include "broker/sqs/api/validation.h"
#include "broker/sqs/api/xml_encoder.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "tests/fuzz/fuzz_input.h"

namespace json = sluice::engine::json;
namespace sqs = sluice::sqs;

namespace {

sqs::ReceiveMessageResult one_message(std::string_view body, std::string_view value) {
  sqs::Message m;
  m.message_id = "5fea7756-0ea4-451a-a703-a558b933e274";
  m.receipt_handle = "handle";
  m.md5_of_body = "d41d8cd98f00b204e9800998ecf8427e";
  m.body = std::string(body);
  sqs::MessageAttribute text;
  text.name = "text";
  text.data_type = "String";
  text.string_value = std::string(value);
  text.has_string_value = true;
  sqs::MessageAttribute bytes;
  bytes.name = "bytes";
  bytes.data_type = "Binary";
  bytes.binary_value = std::string(value);
  bytes.is_binary = true;
  bytes.has_binary_value = true;
  m.message_attributes = {text, bytes};
  m.md5_of_message_attributes = "d41d8cd98f00b204e9800998ecf8427e";
  sqs::ReceiveMessageResult r;
  r.messages.push_back(std::move(m));
  return r;
}

void check_json_round_trip(std::string_view text) {
  auto first = json::parse(text);
  if (!first.ok()) return;
  const std::string written = json::serialize(*first);
  auto second = json::parse(written);
  if (!second.ok() || !json::identical(*first, *second)) __builtin_trap();
  if (json::serialize(*second) != written) __builtin_trap();
}

void check_xml_round_trip(std::string_view body, std::string_view value) {
  std::string doc;
  sqs::encode_xml(one_message(body, value), "req-1", doc);
  // A raw carriage return would reach a conforming XML reader as a line feed.
  if (doc.find('\r') != std::string::npos) __builtin_trap();
  std::string got_body, got_string, got_binary;
  bool in_binary_attr = false;
  std::string error;
  bool ok = sluice::bench::walk_xml(
      doc, [](std::string_view, std::string_view) {},
      [&](std::string_view name, std::string_view parent, std::string_view text) {
        if (name == "Body" && parent == "Message") got_body = text;
        if (name == "StringValue" && parent == "Value") got_string = text;
        if (name == "BinaryValue" && parent == "Value") {
          in_binary_attr = true;
          if (!sluice::protocol::base64_decode(text, got_binary)) __builtin_trap();
        }
      },
      &error);
  if (!ok || !in_binary_attr) __builtin_trap();
  if (got_body != body || got_string != value || got_binary != value) __builtin_trap();
}

void check_sqs_json_round_trip(std::string_view body, std::string_view value) {
  std::string text;
  sqs::encode_json(one_message(body, value), text);
  auto doc = json::parse(text);
  if (!doc.ok()) __builtin_trap();
  const json::Value& m = doc->as_object().find("Messages")->as_array().at(0);
  if (m.as_object().find("Body")->as_string() != body) __builtin_trap();
  const json::Object& attrs = m.as_object().find("MessageAttributes")->as_object();
  if (attrs.find("text")->as_object().find("StringValue")->as_string() != value) __builtin_trap();
  std::string binary;
  if (!sluice::protocol::base64_decode(
          attrs.find("bytes")->as_object().find("BinaryValue")->as_string(), binary) ||
      binary != value) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  sluice::fuzz::FuzzInput in = sluice::fuzz::split_input(data, size, 3);
  switch (in.mode) {
    case 0:
      check_json_round_trip(in.tail);
      break;
    case 1:
    case 2:
      if (!sqs::is_valid_message_text(in.tail) || !sqs::is_valid_message_text(in.head)) break;
      if (in.mode == 1) {
        check_xml_round_trip(in.tail, in.head);
      } else {
        check_sqs_json_round_trip(in.tail, in.head);
      }
      break;
  }
  return 0;
}
