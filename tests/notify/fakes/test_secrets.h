// A SecretSource over a fixed map (the environment of a test) and real files.
#pragma once

#include <map>
#include <string>

#include "notify/provider_url.h"

namespace branchcast::test {

inline SecretSource secrets_of(std::map<std::string, std::string> env) {
  SecretSource s = system_secret_source();
  s.env = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  return s;
}

}  // namespace branchcast::test
