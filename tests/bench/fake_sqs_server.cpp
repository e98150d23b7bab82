#include "tests/bench/fake_sqs_server.h"

#include <llhttp.h>
#include <simdjson.h>
#include <uv.h>

#include <deque>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "bench/load/digest.h"
#include "bench/load/text_encoding.h"
#include "tests/bench/wire_test_util.h"

namespace sluice::bench::testing {
namespace {

struct Message {
  std::string id;
  std::string body;
};

struct Queue {
  std::deque<Message> visible;
  std::map<std::string, Message> in_flight;  // by receipt handle
};

struct Request {
  std::map<std::string, std::string> headers;
  std::string field;
  std::string body;
};

// One decoded parameter set, whichever protocol carried it.
struct Params {
  bool json = false;
  std::string action;
  simdjson::dom::element doc;  // JSON
  std::map<std::string, std::string> form;
  std::string str(const std::string& key) const {
    if (json) {
      std::string_view v;
      if (doc[key].get(v)) return {};
      return std::string(v);
    }
    auto it = form.find(key);
    return it == form.end() ? std::string() : it->second;
  }
  int64_t num(const std::string& key, int64_t fallback) const {
    if (json) {
      int64_t v;
      if (doc[key].get(v)) return fallback;
      return v;
    }
    auto it = form.find(key);
    return it == form.end() ? fallback : std::stoll(it->second);
  }
  // Batch entries as (Id, member) maps.
  std::vector<std::map<std::string, std::string>> entries(
      const std::string& query_list, std::initializer_list<const char*> members) const {
    std::vector<std::map<std::string, std::string>> out;
    if (json) {
      simdjson::dom::array list;
      if (doc["Entries"].get(list)) return out;
      for (simdjson::dom::element e : list) {
        std::map<std::string, std::string> m;
        for (const char* name : members) {
          std::string_view v;
          if (!e[name].get(v)) m[name] = std::string(v);
        }
        out.push_back(std::move(m));
      }
      return out;
    }
    for (int i = 1;; ++i) {
      const std::string prefix = query_list + "." + std::to_string(i) + ".";
      if (!form.count(prefix + "Id")) break;
      std::map<std::string, std::string> m;
      for (const char* name : members) {
        auto it = form.find(prefix + name);
        if (it != form.end()) m[name] = it->second;
      }
      out.push_back(std::move(m));
    }
    return out;
  }
};

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string json_str(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace

struct FakeSqsServer::Impl {
  FakeSqsServer* owner;
  FakeBehaviour behaviour;
  uv_loop_t loop;
  uv_tcp_t listener;
  uv_async_t stop;
  std::map<std::string, Queue> queues;
  uint64_t next_id = 0;
  uint64_t sends = 0;
  simdjson::dom::parser json;

  struct Conn {
    uv_tcp_t tcp;
    Impl* impl;
    llhttp_t parser;
    llhttp_settings_t settings;
    Request current;
    std::vector<Request> complete;
    uint64_t answered = 0;
    bool closing = false;
    char buffer[65536];
  };

  std::string http(int status, bool json_protocol, const std::string& body, bool close = false) {
    std::string out =
        "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Error") +
        "\r\nContent-Type: " + (json_protocol ? "application/x-amz-json-1.0" : "text/xml") +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    return out + "\r\n" + body;
  }

  std::string error(bool json_protocol, const std::string& code, const std::string& message) {
    if (json_protocol) {
      return http(
          400, true,
          "{\"__type\":\"com.amazonaws.sqs#" + code + "\",\"message\":" + json_str(message) + "}");
    }
    return http(400, false,
                "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" +
                    xml_escape(message) +
                    "</Message></Error><RequestId>r</RequestId></ErrorResponse>");
  }

  std::string md5_for_send(const std::string& body) {
    ++sends;
    owner->stored_.fetch_add(1);
    if (behaviour.wrong_send_md5_every && sends % behaviour.wrong_send_md5_every == 0) {
      return "00000000000000000000000000000000";
    }
    return to_hex(md5(body));
  }

  Queue* queue_of(const Params& p) {
    const std::string url = p.str("QueueUrl");
    const std::string name = url.substr(url.rfind('/') + 1);
    auto it = queues.find(name);
    return it == queues.end() ? nullptr : &it->second;
  }

  std::string handle(Request& r) {
    Params p;
    auto target = r.headers.find("x-amz-target");
    if (target != r.headers.end()) {
      p.json = true;
      p.action = target->second.substr(target->second.find('.') + 1);
      r.body.reserve(r.body.size() + simdjson::SIMDJSON_PADDING);
      if (json.parse(r.body).get(p.doc)) return error(true, "SerializationException", "bad JSON");
    } else {
      p.form = decode_form(r.body);
      p.action = p.form["Action"];
    }
    const bool j = p.json;
    if (behaviour.reject_unsigned && !r.headers.count("authorization")) {
      return error(j, "MissingAuthenticationToken", "no Authorization");
    }
    const std::string wrap_open = "<" + p.action + "Response><" + p.action + "Result>";
    const std::string wrap_close = "</" + p.action + "Result></" + p.action + "Response>";

    if (p.action == "CreateQueue" || p.action == "GetQueueUrl") {
      const std::string name = p.str("QueueName");
      if (p.action == "GetQueueUrl" && !queues.count(name)) {
        return error(j, "QueueDoesNotExist", "no queue " + name);
      }
      queues[name];
      const std::string url =
          "http://127.0.0.1:" + std::to_string(owner->port_) + "/000000000000/" + name;
      return j ? http(200, true, "{\"QueueUrl\":" + json_str(url) + "}")
               : http(200, false, wrap_open + "<QueueUrl>" + url + "</QueueUrl>" + wrap_close);
    }
    Queue* q = queue_of(p);
    if (!q) return error(j, "QueueDoesNotExist", "The specified queue does not exist.");
    if (p.action == "PurgeQueue") {
      q->visible.clear();
      return j ? http(200, true, "{}") : http(200, false, wrap_open + wrap_close);
    }
    if (p.action == "SendMessage") {
      Message m{std::to_string(next_id++), p.str("MessageBody")};
      const std::string md5_hex = md5_for_send(m.body);
      q->visible.push_back(m);
      return j ? http(200, true,
                      "{\"MessageId\":\"" + m.id + "\",\"MD5OfMessageBody\":\"" + md5_hex + "\"}")
               : http(200, false,
                      wrap_open + "<MessageId>" + m.id + "</MessageId><MD5OfMessageBody>" +
                          md5_hex + "</MD5OfMessageBody>" + wrap_close);
    }
    if (p.action == "SendMessageBatch") {
      std::string ok_json, ok_xml;
      for (auto& e : p.entries("SendMessageBatchRequestEntry", {"Id", "MessageBody"})) {
        Message m{std::to_string(next_id++), e["MessageBody"]};
        const std::string md5_hex = md5_for_send(m.body);
        q->visible.push_back(m);
        if (!ok_json.empty()) ok_json += ",";
        ok_json += "{\"Id\":" + json_str(e["Id"]) + ",\"MessageId\":\"" + m.id +
                   "\",\"MD5OfMessageBody\":\"" + md5_hex + "\"}";
        ok_xml += "<SendMessageBatchResultEntry><Id>" + e["Id"] + "</Id><MessageId>" + m.id +
                  "</MessageId><MD5OfMessageBody>" + md5_hex +
                  "</MD5OfMessageBody></SendMessageBatchResultEntry>";
      }
      return j ? http(200, true, "{\"Successful\":[" + ok_json + "],\"Failed\":[]}")
               : http(200, false, wrap_open + ok_xml + wrap_close);
    }
    if (p.action == "ReceiveMessage") {
      const int64_t max = p.num("MaxNumberOfMessages", 1);
      std::string list_json, list_xml;
      for (int64_t i = 0; i < max && !q->visible.empty(); ++i) {
        Message m = std::move(q->visible.front());
        q->visible.pop_front();
        const std::string receipt = "rh+/=" + m.id;
        const std::string digest = to_hex(md5(m.body));
        if (!list_json.empty()) list_json += ",";
        list_json += "{\"MessageId\":\"" + m.id + "\",\"ReceiptHandle\":" + json_str(receipt) +
                     ",\"MD5OfBody\":\"" + digest + "\",\"Body\":" + json_str(m.body) + "}";
        list_xml += "<Message><MessageId>" + m.id + "</MessageId><ReceiptHandle>" + receipt +
                    "</ReceiptHandle><MD5OfBody>" + digest + "</MD5OfBody><Body>" +
                    xml_escape(m.body) + "</Body></Message>";
        q->in_flight.emplace(receipt, std::move(m));
      }
      return j ? http(200, true, list_json.empty() ? "{}" : "{\"Messages\":[" + list_json + "]}")
               : http(200, false, wrap_open + list_xml + wrap_close);
    }
    if (p.action == "DeleteMessage") {
      if (!q->in_flight.erase(p.str("ReceiptHandle"))) {
        return error(j, "ReceiptHandleIsInvalid", "unknown receipt");
      }
      return j ? http(200, true, "{}") : http(200, false, wrap_open + wrap_close);
    }
    if (p.action == "DeleteMessageBatch") {
      std::string ok_json, ok_xml;
      for (auto& e : p.entries("DeleteMessageBatchRequestEntry", {"Id", "ReceiptHandle"})) {
        q->in_flight.erase(e["ReceiptHandle"]);
        if (!ok_json.empty()) ok_json += ",";
        ok_json += "{\"Id\":" + json_str(e["Id"]) + "}";
        ok_xml += "<DeleteMessageBatchResultEntry><Id>" + e["Id"] +
                  "</Id></DeleteMessageBatchResultEntry>";
      }
      return j ? http(200, true, "{\"Successful\":[" + ok_json + "],\"Failed\":[]}")
               : http(200, false, wrap_open + ok_xml + wrap_close);
    }
    return error(j, "InvalidAction", "unknown action " + p.action);
  }

  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* c = static_cast<Conn*>(stream->data);
    if (c->closing) return;
    if (nread < 0) {
      close_conn(c);
      return;
    }
    if (llhttp_execute(&c->parser, buf->base, static_cast<size_t>(nread)) != HPE_OK) {
      close_conn(c);
      return;
    }
    Impl* impl = c->impl;
    const uint64_t n = c->complete.size();
    uint64_t prev = impl->owner->max_per_read_.load();
    while (n > prev && !impl->owner->max_per_read_.compare_exchange_weak(prev, n)) {
    }
    if (impl->behaviour.black_hole) {
      c->complete.clear();
      return;
    }
    std::string out;
    bool close_after = false;
    for (Request& r : c->complete) {
      impl->owner->requests_.fetch_add(1);
      std::string answer = impl->handle(r);
      ++c->answered;
      if (impl->behaviour.close_after_requests &&
          c->answered >= impl->behaviour.close_after_requests) {
        answer.insert(answer.find("\r\n\r\n"), "\r\nConnection: close");
        out += answer;
        close_after = true;
        break;
      }
      out += answer;
    }
    c->complete.clear();
    auto* w = new std::pair<uv_write_t, std::string>();
    w->second = std::move(out);
    w->first.data = w;
    uv_buf_t b = uv_buf_init(w->second.data(), static_cast<unsigned>(w->second.size()));
    uv_write(&w->first, stream, &b, 1, [](uv_write_t* req, int) {
      delete static_cast<std::pair<uv_write_t, std::string>*>(req->data);
    });
    if (close_after) {
      // Shut down after the pending write, so the Connection: close answer reaches the client.
      c->closing = true;
      auto* shutdown = new uv_shutdown_t;
      shutdown->data = c;
      uv_shutdown(shutdown, stream, [](uv_shutdown_t* req, int) {
        auto* conn = static_cast<Conn*>(req->data);
        delete req;
        uv_close(reinterpret_cast<uv_handle_t*>(&conn->tcp),
                 [](uv_handle_t* h) { delete static_cast<Conn*>(h->data); });
      });
    }
  }

  static void close_conn(Conn* c) {
    if (c->closing) return;
    c->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp),
             [](uv_handle_t* h) { delete static_cast<Conn*>(h->data); });
  }

  static void on_connection(uv_stream_t* server, int status) {
    if (status < 0) return;
    auto* impl = static_cast<Impl*>(server->data);
    auto* c = new Conn;
    c->impl = impl;
    uv_tcp_init(&impl->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&c->tcp)) != 0) {
      close_conn(c);
      return;
    }
    impl->owner->accepted_.fetch_add(1);
    llhttp_settings_init(&c->settings);
    c->settings.on_header_field = [](llhttp_t* p, const char* at, size_t len) {
      auto* conn = static_cast<Conn*>(p->data);
      conn->current.field.assign(at, len);
      for (char& ch : conn->current.field)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return 0;
    };
    c->settings.on_header_value = [](llhttp_t* p, const char* at, size_t len) {
      auto* conn = static_cast<Conn*>(p->data);
      conn->current.headers[conn->current.field].append(at, len);
      return 0;
    };
    c->settings.on_body = [](llhttp_t* p, const char* at, size_t len) {
      static_cast<Conn*>(p->data)->current.body.append(at, len);
      return 0;
    };
    c->settings.on_message_complete = [](llhttp_t* p) {
      auto* conn = static_cast<Conn*>(p->data);
      conn->complete.push_back(std::move(conn->current));
      conn->current = Request{};
      return 0;
    };
    llhttp_init(&c->parser, HTTP_REQUEST, &c->settings);
    c->parser.data = c;
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&c->tcp),
        [](uv_handle_t* h, size_t, uv_buf_t* b) {
          auto* conn = static_cast<Conn*>(h->data);
          *b = uv_buf_init(conn->buffer, sizeof(conn->buffer));
        },
        &on_read);
  }
};

FakeSqsServer::FakeSqsServer(FakeBehaviour behaviour) : impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  impl_->behaviour = behaviour;
  std::promise<uint16_t> bound;
  auto port = bound.get_future();
  thread_ = std::thread([this, &bound] {
    Impl& s = *impl_;
    uv_loop_init(&s.loop);
    uv_tcp_init(&s.loop, &s.listener);
    s.listener.data = &s;
    sockaddr_in addr{};
    uv_ip4_addr("127.0.0.1", 0, &addr);
    uv_tcp_bind(&s.listener, reinterpret_cast<const sockaddr*>(&addr), 0);
    uv_listen(reinterpret_cast<uv_stream_t*>(&s.listener), 512, &Impl::on_connection);
    sockaddr_storage name{};
    int len = sizeof(name);
    uv_tcp_getsockname(&s.listener, reinterpret_cast<sockaddr*>(&name), &len);
    uv_async_init(&s.loop, &s.stop, [](uv_async_t* a) {
      auto* impl = static_cast<Impl*>(a->data);
      uv_walk(
          &impl->loop,
          [](uv_handle_t* h, void* arg) {
            auto* self = static_cast<Impl*>(arg);
            if (uv_is_closing(h)) return;
            const bool server_handle = h == reinterpret_cast<uv_handle_t*>(&self->listener) ||
                                       h == reinterpret_cast<uv_handle_t*>(&self->stop);
            if (server_handle) {
              uv_close(h, nullptr);
            } else {
              Impl::close_conn(static_cast<Impl::Conn*>(h->data));
            }
          },
          impl);
    });
    s.stop.data = &s;
    bound.set_value(ntohs(reinterpret_cast<sockaddr_in*>(&name)->sin_port));
    uv_run(&s.loop, UV_RUN_DEFAULT);
    uv_loop_close(&s.loop);
  });
  port_ = port.get();
}

FakeSqsServer::~FakeSqsServer() {
  uv_async_send(&impl_->stop);
  thread_.join();
}

std::string FakeSqsServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

}  // namespace sluice::bench::testing
