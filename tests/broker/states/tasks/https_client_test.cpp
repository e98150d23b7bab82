// HttpClient over TLS against a local TLS server (OpenSSL, a thread with blocking sockets) whose
// self-signed certificate names localhost and 127.0.0.1: trusted through SSL_CERT_FILE, the
// request succeeds; an address the certificate does not name, or an untrusted certificate, fails.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

// A key and a self-signed certificate for localhost / 127.0.0.1, written to a PEM file.
struct TestCertificate {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string pem_path;

  TestCertificate() {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(cert, key, EVP_sha256());
    char tmpl[] = "/tmp/sluice-cert-XXXXXX";
    int fd = ::mkstemp(tmpl);
    pem_path = tmpl;
    FILE* f = ::fdopen(fd, "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
  }
  ~TestCertificate() {
    X509_free(cert);
    EVP_PKEY_free(key);
    std::remove(pem_path.c_str());
  }
};

// Serves `count` TLS connections on 127.0.0.1 (any loopback address), one response each.
class TlsServer {
 public:
  TlsServer(const TestCertificate& c, int count) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, c.cert);
    SSL_CTX_use_PrivateKey(ctx_, c.key);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 8);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, count] {
      for (int i = 0; i < count; ++i) serve_one();
    });
  }
  ~TlsServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
    SSL_CTX_free(ctx_);
  }
  uint16_t port() const { return port_; }
  std::atomic<int> handshakes{0};

 private:
  void serve_one() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, c);
    if (SSL_accept(ssl) == 1) {
      ++handshakes;
      std::string req;
      char buf[1024];
      while (req.find("\r\n\r\n") == std::string::npos) {
        int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
      }
      std::string resp =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
          "{\"secure\":true}";
      SSL_write(ssl, resp.data(), static_cast<int>(resp.size()));
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ::close(c);
  }

  SSL_CTX* ctx_;
  int fd_;
  uint16_t port_ = 0;
  std::thread thread_;
};

class HttpsClientTest : public TaskFixture {
 protected:
  OutboundResult fetch(HttpClient& client, const std::string& url) {
    std::optional<OutboundResult> out;
    OutboundRequest req;
    req.url = *parse_outbound_url(url);
    req.timeout_ms = 3000;
    client.send(std::move(req), [&](OutboundResult r) { out = std::move(r); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return out ? std::move(*out) : OutboundResult{};
  }
  void TearDown() override {
    ::unsetenv("SSL_CERT_FILE");
    TaskFixture::TearDown();
  }
};

TEST_F(HttpsClientTest, ATrustedCertificateForTheHostWorks) {
  TestCertificate cert;
  ::setenv("SSL_CERT_FILE", cert.pem_path.c_str(), 1);
  TlsServer server(cert, 2);
  HttpClient client(&loop_);
  OutboundResult r = fetch(client, "https://localhost:" + std::to_string(server.port()) + "/x");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body, R"({"secure":true})");
  OutboundResult by_ip = fetch(client, "https://127.0.0.1:" + std::to_string(server.port()) + "/");
  ASSERT_TRUE(by_ip.ok()) << by_ip.message;
}

TEST_F(HttpsClientTest, AnAddressTheCertificateDoesNotNameIsRefused) {
  TestCertificate cert;
  ::setenv("SSL_CERT_FILE", cert.pem_path.c_str(), 1);
  TlsServer server(cert, 1);
  HttpClient client(&loop_);
  OutboundResult r = fetch(client, "https://127.0.0.2:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(r.failure, OutboundFailure::kTls);
  EXPECT_NE(r.message.find("mismatch"), std::string::npos) << r.message;
}

TEST_F(HttpsClientTest, AnUntrustedCertificateIsRefused) {
  TestCertificate cert;
  ::setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
  TlsServer server(cert, 1);
  HttpClient client(&loop_);
  OutboundResult r = fetch(client, "https://localhost:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(r.failure, OutboundFailure::kTls);
  EXPECT_NE(r.message.find("certificate"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace sluice::states::tasks::testing
