// Names of state machines, activities and executions, as AWS allows them: 1 to 80 characters, and
// none of: white space, brackets < > { } [ ], wildcards ? *, the characters " # % \ ^ | ~ ` $ & , ;
// : /, or control characters (U+0000-001F, U+007F-009F). A name failing these is the API's
// InvalidName ("Invalid Name: 'NAME'"). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "broker/states/sfn_error.h"

namespace sluice::states {

bool is_valid_resource_name(std::string_view name);

SfnError invalid_name(std::string_view name);

// Length as the API's constraints count it: UTF-16 code units (Java String.length()).
std::size_t utf16_length(std::string_view utf8);

}  // namespace sluice::states
