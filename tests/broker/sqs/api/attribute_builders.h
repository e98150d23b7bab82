// Message attributes as the decoders produce them, for the codec tests.
#pragma once

#include <string>

#include "broker/sqs/api/requests.h"

namespace sluice::sqs::testing {

inline MessageAttribute string_attribute(std::string name, std::string type, std::string value) {
  MessageAttribute a;
  a.name = std::move(name);
  a.data_type = std::move(type);
  a.string_value = std::move(value);
  a.has_string_value = true;
  return a;
}

inline MessageAttribute binary_attribute(std::string name, std::string type, std::string bytes) {
  MessageAttribute a;
  a.name = std::move(name);
  a.data_type = std::move(type);
  a.binary_value = std::move(bytes);
  a.is_binary = a.has_binary_value = true;
  return a;
}

}  // namespace sluice::sqs::testing
