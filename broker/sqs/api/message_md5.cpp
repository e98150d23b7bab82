// See message_md5.h. OpenSSL's EVP MD5 with the algorithm fetched once (implicit fetches cost a
// lookup per call in OpenSSL 3) and one context per thread.
#include "broker/sqs/api/message_md5.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace sluice::sqs {

namespace {

struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

const EVP_MD* md5_algorithm() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, "MD5", nullptr));
  return md.get();
}

std::string md5_hex_of(std::string_view data) {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx.get(), md5_algorithm(), nullptr);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(len * 2, '\0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

void append_length_prefixed(std::string& buf, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                 static_cast<char>(n)};
  buf.append(len, 4);
  buf.append(s);
}

std::string md5_of_attributes(const std::vector<MessageAttribute>& attributes) {
  if (attributes.empty()) return {};
  // Sort pointers, not the attributes: the caller's order is kept for storage and responses.
  std::vector<const MessageAttribute*> sorted;
  sorted.reserve(attributes.size());
  std::size_t size = 0;
  for (const auto& a : attributes) {
    sorted.push_back(&a);
    size += 13 + a.name.size() + a.data_type.size() +
            (a.is_binary ? a.binary_value.size() : a.string_value.size());
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const MessageAttribute* x, const MessageAttribute* y) { return x->name < y->name; });
  thread_local std::string buf;
  buf.clear();
  buf.reserve(size);
  for (const MessageAttribute* a : sorted) {
    append_length_prefixed(buf, a->name);
    append_length_prefixed(buf, a->data_type);
    // Transport type: 1 = String (String and Number types), 2 = Binary.
    buf.push_back(a->is_binary ? '\x02' : '\x01');
    append_length_prefixed(buf, a->is_binary ? a->binary_value : a->string_value);
  }
  return md5_hex_of(buf);
}

}  // namespace

std::string md5_hex(std::string_view data) {
  return md5_hex_of(data);
}

std::string md5_of_message_attributes(const std::vector<MessageAttribute>& attributes) {
  return md5_of_attributes(attributes);
}

std::string md5_of_message_system_attributes(const std::vector<MessageAttribute>& attributes) {
  return md5_of_attributes(attributes);
}

}  // namespace sluice::sqs
