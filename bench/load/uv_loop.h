// UvLoop: an owned libuv loop. The destructor lets pending close callbacks run, then closes it.
#pragma once

#include <uv.h>

#include <cstdlib>

namespace sluice::bench {

class UvLoop {
 public:
  UvLoop() {
    if (uv_loop_init(&loop_) != 0) std::abort();  // only fails when out of file descriptors
  }
  ~UvLoop() {
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
  UvLoop(const UvLoop&) = delete;
  UvLoop& operator=(const UvLoop&) = delete;

  uv_loop_t* get() { return &loop_; }

 private:
  uv_loop_t loop_;
};

}  // namespace sluice::bench
