// Queue names on the wire: building queue URLs (http://HOST:PORT/ACCOUNT/NAME) and ARNs
// (arn:aws:sqs:REGION:ACCOUNT:NAME), and finding the queue name in whatever form a client sends a
// QueueUrl: a full URL (any host, http or https), a path ("/ACCOUNT/NAME"), the path of a
// request posted to the queue URL, or a bare queue name (AWS takes it as a queue of the caller's
// account and region). The account in the path must be ours. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::sqs {

struct ServiceIdentity {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string public_url;  // empty: "http://" + the request's Host header
};

std::string queue_url(const ServiceIdentity& id, std::string_view host_header,
                      std::string_view queue_name);
std::string queue_arn(const ServiceIdentity& id, std::string_view queue_name);
// The queue name a QueueUrl names: "[scheme://host]/ACCOUNT/NAME" with our account id, or a bare
// "NAME". nullopt if it names none of ours (then: QueueDoesNotExist), e.g. another account's
// queue of the same name.
std::optional<std::string> queue_name_from_url(std::string_view url, std::string_view account_id);

}  // namespace sluice::sqs
