// See http_invoke_task.h.
#include "broker/states/tasks/http_invoke_task.h"

#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "broker/states/tasks/task_parameters.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "text/utf8.h"

namespace sluice::states::tasks {

namespace {

constexpr std::array<std::string_view, 7> kMethods = {"GET",   "POST",    "PUT", "DELETE",
                                                      "PATCH", "OPTIONS", "HEAD"};

// Headers an HTTP Task may not set (AWS, "Call HTTPS APIs": headers reserved for the service).
constexpr std::array<std::string_view, 34> kReservedHeaders = {"a-im",
                                                               "accept-charset",
                                                               "accept-datetime",
                                                               "accept-encoding",
                                                               "authorization",
                                                               "cache-control",
                                                               "connection",
                                                               "content-encoding",
                                                               "content-length",
                                                               "content-md5",
                                                               "date",
                                                               "expect",
                                                               "forwarded",
                                                               "from",
                                                               "host",
                                                               "http2-settings",
                                                               "if-match",
                                                               "if-modified-since",
                                                               "if-none-match",
                                                               "if-range",
                                                               "if-unmodified-since",
                                                               "max-forwards",
                                                               "origin",
                                                               "pragma",
                                                               "proxy-authorization",
                                                               "referer",
                                                               "server",
                                                               "te",
                                                               "trailer",
                                                               "transfer-encoding",
                                                               "upgrade",
                                                               "via",
                                                               "warning",
                                                               "keep-alive"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool reserved_header(std::string_view name) {
  std::string l = lower(name);
  if (l.rfind("x-amz-", 0) == 0 || l.rfind("x-amzn-", 0) == 0 || l.rfind("x-forwarded-", 0) == 0) {
    return true;
  }
  for (std::string_view r : kReservedHeaders) {
    if (r == l) return true;
  }
  return false;
}

std::string scalar_text(const json::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_null()) return std::string();
  return json::serialize(v);
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (text::decode_utf8_multibyte(s, i) < 0) {
      return false;
    }
  }
  return true;
}

void encode_pairs(const std::string& key, const json::Value& v, std::string_view array_format,
                  std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    for (const auto& [k, member] : v.as_object()) {
      encode_pairs(key.empty() ? k : key + "[" + k + "]", member, array_format, out);
    }
    return;
  }
  if (v.is_array()) {
    const json::Array& items = v.as_array();
    bool scalars = true;
    for (const auto& item : items) scalars = scalars && !item.is_object() && !item.is_array();
    if (array_format == "COMMAS" && scalars) {
      std::string joined;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) joined += ',';
        joined += scalar_text(items[i]);
      }
      out.emplace_back(key, joined);
      return;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (array_format == "REPEAT" && scalars) {
        out.emplace_back(key, scalar_text(items[i]));
      } else if (array_format == "BRACKETS") {
        encode_pairs(key + "[]", items[i], array_format, out);
      } else {
        encode_pairs(key + "[" + std::to_string(i) + "]", items[i], array_format, out);
      }
    }
    return;
  }
  out.emplace_back(key, scalar_text(v));
}

std::string join_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += percent_encode(k);
    out += '=';
    out += percent_encode(v);
  }
  return out;
}

json::Value response_output(const OutboundResponse& r) {
  json::Object headers;
  for (const auto& h : r.headers) {
    json::Value* existing = headers.find(h.name);
    if (existing) {
      existing->as_array().push_back(json::Value(h.value));
    } else {
      headers.set(h.name, json::Value(json::Array{json::Value(h.value)}));
    }
  }
  json::Value body(r.body);
  if (const std::string* type = r.header("content-type")) {
    std::string media = lower(type->substr(0, type->find(';')));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    bool is_json = media == "application/json" ||
                   (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
    if (is_json && !r.body.empty()) {
      if (auto parsed = json::parse(r.body); parsed.ok()) body = std::move(parsed).value();
    }
  }
  json::Object out;
  out.set("Headers", json::Value(std::move(headers)));
  out.set("ResponseBody", std::move(body));
  out.set("StatusCode", json::Value(r.status));
  out.set("StatusText", json::Value(r.reason));
  return json::Value(std::move(out));
}

std::string header_lines(const std::vector<http::Header>& headers) {
  std::string out;
  for (const auto& h : headers) {
    if (!out.empty()) out += '\n';
    out += h.name;
    out += ": ";
    out += h.value;
  }
  return out;
}

constexpr std::string_view kProtocol = "HTTP/1.1";

json::Value inspected_request(const OutboundRequest& r) {
  std::vector<http::Header> headers{{"Host", r.url.host_header}};
  headers.insert(headers.end(), r.headers.begin(), r.headers.end());
  return json::Value(
      json::Object{{"protocol", json::Value(std::string(kProtocol))},
                   {"method", json::Value(r.method)},
                   {"url", json::Value(r.url.scheme() + "://" + r.url.host_header + r.url.target)},
                   {"headers", json::Value(header_lines(headers))},
                   {"body", json::Value(r.body)}});
}

json::Value inspected_response(const OutboundResponse& r) {
  return json::Value(json::Object{{"protocol", json::Value(std::string(kProtocol))},
                                  {"statusCode", json::Value(std::to_string(r.status))},
                                  {"statusMessage", json::Value(r.reason)},
                                  {"headers", json::Value(header_lines(r.headers))},
                                  {"body", json::Value(r.body)}});
}

}  // namespace

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string url_encode_body(const json::Value& body, std::string_view array_format) {
  std::vector<std::pair<std::string, std::string>> pairs;
  encode_pairs(std::string(), body, array_format, pairs);
  return join_pairs(pairs);
}

uint64_t http_invoke(HttpClient& client, const std::string& region, const json::Value& parameters,
                     uint64_t timeout_ms, bool inspect, std::function<void(TaskResult)> done) {
  auto refuse = [&done](TaskResult r) -> uint64_t {
    done(std::move(r));
    return 0;
  };
  if (auto f = check_fields(parameters,
                            {"ApiEndpoint", "Method", "Headers", "QueryParameters", "RequestBody",
                             "Transform", "Authentication", "InvocationConfig"})) {
    return refuse(std::move(*f));
  }
  std::optional<TaskResult> failure;
  auto endpoint = string_field(parameters, "ApiEndpoint", failure);
  auto method = string_field(parameters, "Method", failure);
  if (failure) return refuse(std::move(*failure));
  if (!endpoint) return refuse(runtime_failure("The field 'ApiEndpoint' is required"));
  if (!method) return refuse(runtime_failure("The field 'Method' is required"));
  bool known_method = false;
  for (std::string_view m : kMethods) known_method = known_method || m == *method;
  if (!known_method) {
    return refuse(runtime_failure("The Method '" + *method +
                                  "' is not one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD"));
  }
  std::string why;
  auto url = parse_outbound_url(*endpoint, &why);
  if (!url)
    return refuse(runtime_failure("The ApiEndpoint '" + *endpoint + "' is not valid: " + why));

  // Transform.
  std::string encoding = "NONE";
  std::string array_format = "INDICES";
  if (const json::Value* t = field(parameters, "Transform")) {
    if (!t->is_object()) return refuse(runtime_failure("The field 'Transform' must be an object"));
    if (auto e = string_field(*t, "RequestBodyEncoding", failure)) encoding = *e;
    if (const json::Value* opts = field(*t, "RequestEncodingOptions")) {
      if (auto f = string_field(*opts, "ArrayFormat", failure)) array_format = *f;
    }
    if (failure) return refuse(std::move(*failure));
    if (encoding != "NONE" && encoding != "URL_ENCODED") {
      return refuse(runtime_failure("RequestBodyEncoding must be NONE or URL_ENCODED, got '" +
                                    encoding + "'"));
    }
    if (array_format != "INDICES" && array_format != "REPEAT" && array_format != "COMMAS" &&
        array_format != "BRACKETS") {
      return refuse(runtime_failure(
          "ArrayFormat must be INDICES, REPEAT, COMMAS or BRACKETS, got '" + array_format + "'"));
    }
  }

  OutboundRequest req;
  req.method = *method;
  req.timeout_ms = timeout_ms;
  bool has_content_type = false;
  bool has_user_agent = false;
  if (const json::Value* headers = field(parameters, "Headers")) {
    if (!headers->is_object())
      return refuse(runtime_failure("The field 'Headers' must be an object"));
    for (const auto& [name, value] : headers->as_object()) {
      if (reserved_header(name)) {
        return refuse(runtime_failure("The header '" + name + "' is not allowed in an HTTP Task"));
      }
      std::string text;
      if (value.is_array()) {
        for (std::size_t i = 0; i < value.as_array().size(); ++i) {
          if (i) text += ',';
          text += scalar_text(value.as_array()[i]);
        }
      } else if (value.is_object()) {
        return refuse(
            runtime_failure("The value of the header '" + name + "' must not be an object"));
      } else {
        text = scalar_text(value);
      }
      if (name.find_first_of(":\r\n ") != std::string::npos ||
          text.find_first_of("\r\n") != std::string::npos) {
        return refuse(runtime_failure("The header '" + name + "' is not a valid HTTP header"));
      }
      std::string l = lower(name);
      has_content_type = has_content_type || l == "content-type";
      has_user_agent = has_user_agent || l == "user-agent";
      req.headers.push_back({name, std::move(text)});
    }
  }
  if (const json::Value* query = field(parameters, "QueryParameters")) {
    if (!query->is_object()) {
      return refuse(runtime_failure("The field 'QueryParameters' must be an object"));
    }
    std::string encoded = url_encode_body(*query, array_format);
    if (!encoded.empty()) {
      url->target += url->target.find('?') == std::string::npos ? '?' : '&';
      url->target += encoded;
    }
  }
  if (const json::Value* body = field(parameters, "RequestBody")) {
    if (body->is_string()) {
      req.body = body->as_string();
    } else if (encoding == "URL_ENCODED") {
      req.body = url_encode_body(*body, array_format);
      if (!has_content_type) {
        req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        has_content_type = true;
      }
    } else {
      req.body = json::serialize(*body);
    }
    if (!has_content_type)
      req.headers.push_back({"Content-Type", "application/json; charset=UTF-8"});
  }
  if (!has_user_agent) {
    req.headers.push_back({"User-Agent", "Amazon|StepFunctions|HttpInvoke|" + region});
  }
  req.url = std::move(*url);

  json::Value request = inspect ? inspected_request(req) : json::Value();
  return client.send(std::move(req), [done = std::move(done),
                                      request = std::move(request)](OutboundResult r) mutable {
    auto answer = [&](TaskResult result) {
      if (!request.is_null()) {
        json::Object exchange{{"request", std::move(request)}};
        if (r.ok()) exchange.set("response", inspected_response(r.response));
        result.exchange = json::Value(std::move(exchange));
      }
      done(std::move(result));
    };
    if (!r.ok()) return answer(TaskResult::failure("States.Http.Socket", r.message));
    if (!valid_utf8(r.response.body)) {
      return answer(runtime_failure("The HTTP response body is not UTF-8 text"));
    }
    int status = r.response.status;
    json::Value out = response_output(r.response);
    if (status < 200 || status > 299) {
      return answer(TaskResult::failure("States.Http.StatusCode." + std::to_string(status),
                                        json::serialize(out)));
    }
    answer(TaskResult::success(std::move(out)));
  });
}

}  // namespace sluice::states::tasks
