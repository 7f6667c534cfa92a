#include "appliance/args.h"

namespace branchcast {

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                         const std::set<std::string>& flags) {
  Args out;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a == "--") {
        only_positional = true;
        continue;
      }
      out.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (name == "help" || flags.count(name)) {
      if (inline_value) return make_error("option --" + name + " takes no value");
      out.options_[name] = "";
    } else if (valued.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return make_error("option --" + name + " needs a value");
        value = argv[++i];
      }
      out.options_[name] = value;
    } else {
      return make_error("unknown option --" + name);
    }
  }
  return out;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

}  // namespace branchcast
