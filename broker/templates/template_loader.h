// TemplateLoader: `sluice --template FILE` (repeatable). At start, after every subsystem has
// recovered and before the server listens, it reads each template, resolves its parameters
// (--template-parameter KEY=VALUE overrides a Default), and creates its resources one at a time
// in dependency order through the resource creators (resource_creator.h), which use the same
// entry points as the AWS APIs. Resource types Sluice does not serve are named in one warning and
// stand in for Ref/Fn::GetAtt (their logical id, a made-up ARN).
//
// Invariants: every template is read and checked (syntax, sections, parameters, dependency
// cycles) before anything is created; the first error stops the load and names the file, the
// resource (logical id and type) and the property; loading the same templates again (a restart)
// updates what the first load made, never duplicates it.
// Thread: the reactor thread; run()'s callbacks come from the loop (commits).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/templates/resource_creator.h"

namespace sluice::templates {

class TemplateLoader {
 public:
  explicit TemplateLoader(TemplateServices services);
  ~TemplateLoader();
  TemplateLoader(const TemplateLoader&) = delete;
  TemplateLoader& operator=(const TemplateLoader&) = delete;

  // Reads and checks the templates; creates nothing. A `parameters` key that no template
  // declares is an error.
  Status prepare(const std::vector<std::string>& files,
                 const std::map<std::string, std::string>& parameters);
  // Creates every resource of the prepared templates; `done` is called once, with the first error.
  void run(std::function<void(Status)> done);

 private:
  struct Loaded;
  void step();
  void finish(Status st);
  Error resource_error(const Loaded& l, const TemplateResource& r, const Error& e) const;

  TemplateServices services_;
  std::vector<std::unique_ptr<Loaded>> loaded_;
  size_t template_ = 0, position_ = 0;  // the next resource: loaded_[template_]->order[position_]
  size_t created_ = 0;
  std::function<void(Status)> done_;
};

}  // namespace sluice::templates
