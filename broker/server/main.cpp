// sluice: the server process. Parses the command line and runs the Reactor.
#include <cstdio>
#include <string>
#include <string_view>

#include "broker/server/config.h"
#include "broker/server/jsonata_cli.h"
#include "broker/server/reactor.h"

int main(int argc, char** argv) {
  // `sluice jsonata ...` is the command-line JSONata evaluator, not the server.
  if (argc >= 2 && std::string_view(argv[1]) == "jsonata") {
    return sluice::server::run_jsonata_cli(argc - 1, argv + 1);
  }
  auto config = sluice::server::parse_config(argc, argv);
  if (!config) {
    std::fprintf(stderr, "sluice: %s\n\n%s", config.error().message.c_str(),
                 sluice::server::usage().c_str());
    return 2;
  }
  if (config->show_help) {
    std::fputs(sluice::server::usage().c_str(), stdout);
    return 0;
  }
  if (config->show_version) {
    std::puts(std::string(sluice::server::version_string()).c_str());
    return 0;
  }
  sluice::server::Reactor reactor(std::move(*config));
  return reactor.run();
}
