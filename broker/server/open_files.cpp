// open_files: the RLIMIT_NOFILE arithmetic behind --max-connections.
#include "broker/server/open_files.h"

#include <sys/resource.h>

#include <algorithm>

namespace sluice::server {

size_t connections_within_open_files(size_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return wanted;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY) return wanted;
  auto files = static_cast<size_t>(lim.rlim_cur);
  size_t reserve = std::min<size_t>(256, files / 4);
  return std::max<size_t>(1, std::min(wanted, files - reserve));
}

}  // namespace sluice::server
