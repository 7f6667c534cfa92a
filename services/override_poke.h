// A poke from `branchcast override` (another process) to the running daemon, so that an emergency
// message is on screen at once while the daemon's fallback poll of the override table stays rare
// (issue 12: a still picture wakes the loop less than once a second).
//
// poke_override() (the writer) replaces <state_dir>/pokes/override by rename after the override
// row was committed; OverridePokeWatch (the daemon) monitors that folder (a GIO file monitor:
// inotify, no polling) and calls `poked` on the loop thread (the default GMainContext) for every
// poke. The folder holds nothing else, so no other write wakes the watcher. A poke carries no
// data: the daemon reads the table (OverrideWatcher). A lost poke (no daemon, the monitor could
// not start) costs only latency: the fallback poll still finds the row.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/log.h"
#include "common/result.h"

namespace branchcast {

// <state_dir>/pokes: the folder the pokes go to.
std::string override_poke_dir(const std::string& state_dir);

// Creates the folder if needed and renames a fresh file over <dir>/override. Errors are returned
// (the caller may ignore them: the daemon's poll is the fallback).
Status poke_override(const std::string& state_dir);

class OverridePokeWatch {
 public:
  // Starts monitoring (creating the folder). Fails when the folder cannot be created or watched.
  static Result<std::unique_ptr<OverridePokeWatch>> start(const std::string& state_dir, std::function<void()> poked,
                                                          Logger log);
  virtual ~OverridePokeWatch() = default;
};

}  // namespace branchcast
