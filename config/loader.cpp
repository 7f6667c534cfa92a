// Placeholder until the config loader lands (issue 2).
#include "config/loader.h"

namespace branchcast {

Loaded<ApplianceSettings> load_appliance(const std::string& path) {
  return {std::nullopt, {make_error("config loader not available yet", {path})}};
}
Loaded<PlaylistSettings> load_playlist(const std::string& path, const std::string&,
                                       const std::vector<std::string>*) {
  return {std::nullopt, {make_error("config loader not available yet", {path})}};
}
Loaded<std::vector<PatronSettings>> load_patrons(const std::string& path) {
  return {std::nullopt, {make_error("config loader not available yet", {path})}};
}
std::vector<Error> validate_file(const std::string& path) { return load_appliance(path).errors; }
std::string json_schema() { return "{}"; }

}  // namespace branchcast
