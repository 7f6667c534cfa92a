// What makes a synced content version fit to play, and what to play at start when `current` is
// not (issue 13: nothing invalid becomes current; the wall never goes dark).
//
// validate_content_version() is `branchcast validate` applied to a version folder: its
// appliance.yaml with every playlist, content file, file: feed and patrons file it references,
// plus one rule validate cannot know: everything referenced must lie inside the version (a
// content_root or a playlist outside it would make the version depend on files no sync checked).
//
// choose_startup_config() picks what `run` plays: the config asked for when it loads; when it
// lies in a synced version (<dest>/current/appliance.yaml) and does not, the newest other version
// that validates; else (synced, or running unattended) a built-in card that names the problem on
// screen for staff. Blocking file
// I/O; called once before the loop starts.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace branchcast {

// Empty when the version is valid. A version without appliance.yaml (content only) is valid.
// Paths in the errors are as the loader gives them (absolute, inside `version_dir`).
std::vector<Error> validate_content_version(const std::string& version_dir);

struct StartupConfig {
  std::string config_path;            // what to load and play
  std::vector<std::string> problems;  // why it is not the config asked for (empty: it is)
  bool fallback_card = false;         // config_path is the built-in card
};

// `state_dir`: where the built-in card's appliance.yaml and playlist are written (a temporary
// folder when it cannot be written). The fallbacks apply only to a config inside a synced version
// or when `unattended` (a systemd service): at a terminal an invalid config is reported and `run`
// exits 1 (config_path unchanged, problems set).
StartupConfig choose_startup_config(const std::string& config_path, const std::string& state_dir, bool unattended);

// The built-in card's two files, written under `dir` (created); returns the appliance.yaml path.
Result<std::string> write_fallback_card(const std::string& dir, const std::string& problem);

}  // namespace branchcast
