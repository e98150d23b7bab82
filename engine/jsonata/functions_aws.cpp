// The functions Step Functions adds to JSONata: $partition, $range, $hash, $random (JSONata's,
// plus an optional seed), $uuid and $parse. JSONata's reference implementation has none of them;
// their behaviour follows the Step Functions developer guide ("Transforming data with JSONata")
// and the intrinsics they replace (States.ArrayPartition, States.ArrayRange, States.Hash,
// States.MathRandom, States.UUID, States.StringToJson). Errors they raise that JSONata has no
// code for use D3137 (JSONata's code for an error with its own message) with a message naming the
// function.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cmath>
#include <cstdio>

#include "engine/json/json_parse.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"

namespace sluice::engine::jsonata {

namespace {

// message by const reference: see throw_value_error in error.h.
[[noreturn]] void fail_message(const std::string& message) {
  EvalError e;
  e.code = "D3137";
  e.message = message;
  throw e;
}

bool is_integer(double d) {
  return std::isfinite(d) && d == std::floor(d);
}

Val fn_partition(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& arr = arg(args, 0);
  if (arr.is_undefined()) return Val();
  double size = arg(args, 1).as_number();
  if (!is_integer(size) || size < 1) {
    fail_message("The chunk size argument of function partition must be a positive integer");
  }
  ArrNode* out = new_array();
  Val result = Val::adopt_array(out);
  std::size_t n = arr.size();
  auto chunk = static_cast<std::size_t>(std::min(size, 1e9));
  for (std::size_t i = 0; i < n; i += chunk) {
    ArrNode* part = new_array();
    for (std::size_t k = i; k < n && k < i + chunk; ++k) part->items.push_back(arr.at(k));
    out->items.push_back(Val::adopt_array(part));
    ev.tick();
  }
  return result;
}

Val fn_range(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  double start = arg(args, 0).as_number();
  double end = arg(args, 1).as_number();
  const Val& step_arg = arg(args, 2);
  double step = step_arg.is_number() ? step_arg.as_number() : 1;
  if (!std::isfinite(start) || !std::isfinite(end) || !std::isfinite(step)) {
    fail_message("The arguments of function range must be finite numbers");
  }
  if (step == 0) fail_message("The step argument of function range must not be zero");
  double count = std::floor((end - start) / step) + 1;
  if (count > 1e7) throw_value_error("D2014", Val::number(count));
  ArrNode* out = new_array();
  Val result = Val::adopt_array(out);
  if (count < 1) return result;
  auto n = static_cast<std::size_t>(count);
  out->items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out->items.push_back(Val::number(start + step * static_cast<double>(i)));
    ev.tick();  // reads the clock once in 1024
  }
  return result;
}

Val fn_hash(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& data = arg(args, 0);
  if (data.is_undefined()) return Val();
  const Val& algorithm = arg(args, 1);
  std::string name = algorithm.is_string() ? algorithm.str() : std::string("SHA-512");
  const EVP_MD* md = nullptr;
  if (name == "MD5") md = EVP_md5();
  if (name == "SHA-1") md = EVP_sha1();
  if (name == "SHA-256") md = EVP_sha256();
  if (name == "SHA-384") md = EVP_sha384();
  if (name == "SHA-512") md = EVP_sha512();
  if (md == nullptr) {
    fail_message("The hash algorithm \"" + name +
                 "\" is not supported: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string& s = data.str();
  EVP_Digest(s.data(), s.size(), digest, &len, md, nullptr);
  std::string out;
  out.reserve(len * 2);
  static const char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return str_val(std::move(out));
}

// java.util.Random's nextDouble for a seed: the seeded $random gives the same number as Step
// Functions does for the same seed.
double java_random_double(int64_t seed) {
  uint64_t state = (static_cast<uint64_t>(seed) ^ 0x5DEECE66DULL) & ((1ULL << 48) - 1);
  auto next = [&](int bits) {
    state = (state * 0x5DEECE66DULL + 0xBULL) & ((1ULL << 48) - 1);
    return static_cast<int64_t>(state >> (48 - bits));
  };
  int64_t hi = next(26);
  int64_t lo = next(27);
  return static_cast<double>((hi << 27) + lo) * 0x1.0p-53;
}

Val fn_random(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& seed = arg(args, 0);
  if (seed.is_number()) {
    double s = seed.as_number();
    auto as_long = std::isfinite(s) ? static_cast<int64_t>(std::max(-9.2e18, std::min(9.2e18, s)))
                                    : int64_t{0};
    return num_val(java_random_double(as_long));
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return num_val(unit(ev.rng()));
}

Val fn_uuid(Evaluator& ev, std::vector<Val>&, const CallInfo&) {
  unsigned char b[16];
  // A seeded evaluation (a Step Functions state, which must give the same ids on replay) draws
  // from its generator: its ids are unique, not secret.
  if (ev.seeded() || RAND_bytes(b, sizeof b) != 1) {
    for (auto& c : b) c = static_cast<unsigned char>(ev.rng()());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return str_val(out);
}

Val fn_parse(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& text = arg(args, 0);
  if (text.is_undefined()) return Val();
  auto parsed = json::parse(text.str());
  if (!parsed.ok()) fail_message("Unable to parse JSON: " + parsed.error().message);
  return ev.adopt_document(std::move(parsed).value());
}

}  // namespace

void register_aws_functions(std::vector<Builtin>& t) {
  add_builtin(t, "partition", "<an:a<a>>", 2, fn_partition);
  add_builtin(t, "range", "<nnn?:a<n>>", 3, fn_range);
  add_builtin(t, "hash", "<s-s?:s>", 2, fn_hash);
  // Replaces JSONata's zero-argument $random.
  add_builtin(t, "random", "<n?:n>", 1, fn_random);
  add_builtin(t, "uuid", "<:s>", 0, fn_uuid);
  add_builtin(t, "parse", "<s-:x>", 1, fn_parse);
}

}  // namespace sluice::engine::jsonata
