// Family: one metric name with its HELP text, TYPE and label names, holding one child (a
// Counter, Gauge or Histogram) per label-value set.
//
// Threads: with() takes the family's mutex, so any thread may resolve a child; it returns a
// reference that stays valid for the family's lifetime, so hot paths resolve once and keep the
// pointer. render() runs on the thread that scrapes (the loop thread).
#pragma once

#include <cassert>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::metrics {

using LabelValues = std::vector<std::string>;

class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Family() = default;
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  virtual std::string_view type() const = 0;

  // Appends HELP, TYPE and every sample of the family.
  void render(std::string& out) const;

 protected:
  virtual void render_samples(std::string& out) const = 0;

  // Appends `name<suffix>{l1="v1",...[,extra_name="extra_value"]} ` (no value, trailing space).
  void append_series(std::string& out, std::string_view suffix, const LabelValues& values,
                     std::string_view extra_name = {}, std::string_view extra_value = {}) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

template <class Child>
class FamilyOf : public Family {
 public:
  using Family::Family;

  // The child for these label values (created at first use). Values are matched to label
  // names by position; a wrong count is a programming error (asserted; padded or cut in
  // release builds).
  Child& with(LabelValues values) {
    assert(values.size() == label_names().size());
    values.resize(label_names().size());
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(values);
    if (it != index_.end()) return *it->second;
    auto child = make_child();
    Child* raw = child.get();
    children_.emplace_back(values, std::move(child));
    index_.emplace(std::move(values), raw);
    return *raw;
  }
  Child& with(std::initializer_list<std::string_view> values) {
    LabelValues v;
    v.reserve(values.size());
    for (std::string_view s : values) v.emplace_back(s);
    return with(std::move(v));
  }
  // The child of a family without labels.
  Child& get() { return with(LabelValues{}); }

 protected:
  virtual std::unique_ptr<Child> make_child() = 0;

  template <class F>
  void for_each_child(F&& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [values, child] : children_) f(values, *child);
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<LabelValues, std::unique_ptr<Child>>> children_;  // creation order
  std::map<LabelValues, Child*> index_;
};

}  // namespace sluice::metrics
