// See template_model.h.
#include "broker/templates/template_model.h"

#include <algorithm>
#include <map>

namespace sluice::templates {

namespace {

Error template_error(const std::string& file, const std::string& what) {
  return make_error(ErrorCode::kInvalidParameterValue, file + ": " + what);
}

// The variables of a Fn::Sub string: "${Name}" and "${Res.Attr}" (the part before the dot);
// "${!Literal}" is text.
void sub_variables(const std::string& text, std::set<std::string>& out) {
  size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string::npos) {
    size_t close = text.find('}', pos + 2);
    if (close == std::string::npos) return;
    std::string name = text.substr(pos + 2, close - pos - 2);
    pos = close + 1;
    if (name.empty() || name[0] == '!') continue;
    size_t dot = name.find('.');
    out.insert(dot == std::string::npos ? name : name.substr(0, dot));
  }
}

}  // namespace

void collect_references(const json::Value& value, std::set<std::string>& out) {
  if (value.is_array()) {
    for (const auto& v : value.as_array()) collect_references(v, out);
    return;
  }
  if (!value.is_object()) return;
  const json::Object& o = value.as_object();
  if (o.size() == 1) {
    const auto& [key, arg] = o.member(0);
    if (key == "Ref" && arg.is_string()) {
      out.insert(arg.as_string());
      return;
    }
    if (key == "Fn::GetAtt") {
      if (arg.is_array() && !arg.as_array().empty() && arg.as_array()[0].is_string()) {
        out.insert(arg.as_array()[0].as_string());
      }
      return;
    }
    if (key == "Fn::Sub") {
      if (arg.is_string()) {
        sub_variables(arg.as_string(), out);
        return;
      }
      if (arg.is_array() && arg.as_array().size() == 2 && arg.as_array()[0].is_string()) {
        std::set<std::string> names;
        sub_variables(arg.as_array()[0].as_string(), names);
        const json::Value& vars = arg.as_array()[1];
        for (const auto& n : names) {
          if (!vars.is_object() || !vars.as_object().contains(n)) out.insert(n);
        }
        collect_references(vars, out);
        return;
      }
    }
  }
  for (const auto& [k, v] : o) collect_references(v, out);
}

Result<Template> parse_template(json::Value document, const std::string& file) {
  if (!document.is_object()) return template_error(file, "a template must be a mapping");
  Template t;
  t.file = file;
  size_t slash = file.rfind('/');
  t.directory = slash == std::string::npos ? "." : file.substr(0, slash == 0 ? 1 : slash);
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  size_t dot = base.find('.');
  t.stack_name = dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
  json::Object& doc = document.as_object();
  for (auto [name, into] :
       {std::pair{"Parameters", &t.parameters}, std::pair{"Mappings", &t.mappings},
        std::pair{"Conditions", &t.conditions}}) {
    json::Value* section = doc.find(name);
    if (!section || section->is_null()) continue;
    if (!section->is_object())
      return template_error(file, std::string(name) + " must be a mapping");
    *into = std::move(section->as_object());
  }
  json::Value* resources = doc.find("Resources");
  if (!resources || !resources->is_object() || resources->as_object().empty()) {
    return template_error(file, "Resources must be a mapping with at least one resource");
  }
  for (auto& [id, body] : resources->as_object()) {
    std::string where = "resource " + id;
    if (!body.is_object()) return template_error(file, where + ": must be a mapping");
    json::Object& r = body.as_object();
    TemplateResource res;
    res.logical_id = id;
    const json::Value* type = r.find("Type");
    if (!type || !type->is_string() || type->as_string().empty()) {
      return template_error(file, where + ", property Type: a resource needs a Type string");
    }
    res.type = type->as_string();
    if (json::Value* props = r.find("Properties"); props && !props->is_null()) {
      if (!props->is_object()) {
        return template_error(file, where + " (" + res.type +
                                        "), property Properties: must be "
                                        "a mapping");
      }
      res.properties = std::move(*props);
    }
    if (const json::Value* c = r.find("Condition")) {
      if (!c->is_string()) return template_error(file, where + ": Condition must be a name");
      if (!t.conditions.contains(c->as_string())) {
        return template_error(
            file, where + ": Condition " + c->as_string() + " is not in the template's Conditions");
      }
      res.condition = c->as_string();
    }
    if (const json::Value* d = r.find("DependsOn")) {
      if (d->is_string()) {
        res.depends_on.push_back(d->as_string());
      } else if (d->is_array()) {
        for (const auto& x : d->as_array()) {
          if (!x.is_string())
            return template_error(file, where + ": DependsOn must name resources");
          res.depends_on.push_back(x.as_string());
        }
      } else {
        return template_error(file, where + ": DependsOn must name resources");
      }
    }
    t.resources.push_back(std::move(res));
  }
  return t;
}

Result<std::vector<size_t>> creation_order(const Template& t) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < t.resources.size(); ++i) index[t.resources[i].logical_id] = i;
  std::vector<std::set<size_t>> needs(t.resources.size());
  for (size_t i = 0; i < t.resources.size(); ++i) {
    const TemplateResource& r = t.resources[i];
    std::set<std::string> names(r.depends_on.begin(), r.depends_on.end());
    collect_references(r.properties, names);
    for (const auto& n : names) {
      auto it = index.find(n);
      if (it == index.end()) {
        if (std::find(r.depends_on.begin(), r.depends_on.end(), n) != r.depends_on.end()) {
          return template_error(t.file, "resource " + r.logical_id + ": DependsOn names " + n +
                                            ", which is not a resource of the template");
        }
        continue;  // a parameter, a pseudo parameter, or an error the resolver reports
      }
      if (it->second == i) {
        return template_error(t.file, "resource " + r.logical_id + " refers to itself");
      }
      needs[i].insert(it->second);
    }
  }
  std::vector<size_t> order;
  std::vector<bool> done(t.resources.size(), false);
  while (order.size() < t.resources.size()) {
    bool progressed = false;
    for (size_t i = 0; i < t.resources.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (size_t n : needs[i]) ready = ready && done[n];
      if (!ready) continue;
      done[i] = true;
      order.push_back(i);
      progressed = true;
      break;  // restart from the top: file order among the ready ones
    }
    if (!progressed) {
      std::string cycle;
      for (size_t i = 0; i < t.resources.size(); ++i) {
        if (done[i]) continue;
        if (!cycle.empty()) cycle += ", ";
        cycle += t.resources[i].logical_id;
      }
      return template_error(t.file, "circular dependency between resources " + cycle);
    }
  }
  return order;
}

}  // namespace sluice::templates
