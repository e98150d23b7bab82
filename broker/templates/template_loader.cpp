// See template_loader.h.
#include "broker/templates/template_loader.h"

#include <set>

#include "broker/templates/template_reader.h"

namespace sluice::templates {

struct TemplateLoader::Loaded {
  Template tmpl;
  std::vector<size_t> order;
  std::unique_ptr<IntrinsicResolver> resolver;
};

TemplateLoader::TemplateLoader(TemplateServices services) : services_(std::move(services)) {}

TemplateLoader::~TemplateLoader() = default;

Status TemplateLoader::prepare(const std::vector<std::string>& files,
                               const std::map<std::string, std::string>& parameters) {
  std::set<std::string> declared;
  std::map<std::string, std::vector<std::string>> unserved;  // type -> logical ids
  for (const auto& file : files) {
    auto doc = read_template_file(file);
    if (!doc) return std::move(doc).error();
    auto t = parse_template(std::move(*doc), file);
    if (!t) return std::move(t).error();
    auto l = std::make_unique<Loaded>();
    l->tmpl = std::move(*t);
    auto order = creation_order(l->tmpl);
    if (!order) return std::move(order).error();
    l->order = std::move(*order);
    auto values = resolve_parameters(l->tmpl, parameters);
    if (!values) return std::move(values).error();
    for (const auto& [name, decl] : l->tmpl.parameters) declared.insert(name);
    for (const auto& r : l->tmpl.resources) {
      if (!creator_for(r.type)) unserved[r.type].push_back(r.logical_id);
    }
    l->resolver =
        std::make_unique<IntrinsicResolver>(l->tmpl, services_.identity, std::move(*values));
    loaded_.push_back(std::move(l));
  }
  for (const auto& [name, value] : parameters) {
    if (!declared.count(name)) {
      return make_error(
          ErrorCode::kInvalidParameterValue,
          "--template-parameter " + name + ": no template declares parameter " + name);
    }
  }
  if (!unserved.empty() && services_.warn) {
    std::string line = "templates: not served, left out (Ref gives the logical id): ";
    bool first = true;
    for (const auto& [type, ids] : unserved) {
      if (!first) line += "; ";
      line += type + " (";
      for (size_t i = 0; i < ids.size(); ++i) line += (i ? ", " : "") + ids[i];
      line += ")";
      first = false;
    }
    services_.warn(line);
  }
  return {};
}

Error TemplateLoader::resource_error(const Loaded& l, const TemplateResource& r,
                                     const Error& e) const {
  std::string text = l.tmpl.file + ": resource " + r.logical_id + " (" + r.type + ")";
  if (!e.location.empty()) text += ", property " + e.location;
  return make_error(ErrorCode::kInvalidParameterValue, text + ": " + e.message);
}

void TemplateLoader::run(std::function<void(Status)> done) {
  done_ = std::move(done);
  template_ = 0;
  position_ = 0;
  step();
}

void TemplateLoader::finish(Status st) {
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(st));
}

void TemplateLoader::step() {
  while (template_ < loaded_.size()) {
    Loaded& l = *loaded_[template_];
    if (position_ == l.order.size()) {
      if (services_.info) {
        services_.info("template " + l.tmpl.file + ": " + std::to_string(created_) +
                       " resources created or updated");
      }
      ++template_;
      position_ = 0;
      created_ = 0;
      continue;
    }
    const TemplateResource& r = l.tmpl.resources[l.order[position_++]];
    if (r.condition) {
      auto on = l.resolver->condition(*r.condition);
      if (!on) return finish(resource_error(l, r, on.error()));
      if (!*on) continue;  // left out; a Ref to it is an error naming the condition
    }
    const Creator* creator = creator_for(r.type);
    if (!creator) {
      l.resolver->add_resource(r.logical_id, stand_in_facts(services_, r));
      continue;
    }
    auto props = l.resolver->resolve(r.properties);
    if (!props) return finish(resource_error(l, r, props.error()));
    ResourceRequest req;
    req.tmpl = &l.tmpl;
    req.resource = &r;
    req.properties = props->is_object() ? std::move(props->as_object()) : json::Object{};
    (*creator)(services_, std::move(req), [this, &l, &r](Result<ResourceFacts> facts) {
      if (!facts) return finish(resource_error(l, r, facts.error()));
      l.resolver->add_resource(r.logical_id, std::move(*facts));
      ++created_;
      step();
    });
    return;  // step() goes on from the creator's callback
  }
  finish({});
}

}  // namespace sluice::templates
