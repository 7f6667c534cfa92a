// Command-line arguments of one subcommand: "--name value", "--name=value", "--flag", positionals.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"

namespace branchcast {

class Args {
 public:
  // `valued` lists options that take a value, `flags` those that do not. "--help" is always a
  // flag. Unknown options and missing values are errors (the caller exits 2).
  static Result<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                            const std::set<std::string>& flags);

  bool has(const std::string& name) const { return options_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> options_;
  std::vector<std::string> positional_;
};

}  // namespace branchcast
