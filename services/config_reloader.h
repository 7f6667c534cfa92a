// Config reload: validate first, hand over only a valid configuration, keep the last good one.
//
// reload() runs the injected loader (config/loader.h's load_appliance in the product) on
// appliance.yaml. With errors, every error is logged compiler style and nothing is handed over:
// the last good configuration keeps playing. Without errors, when the watched files' contents (or
// the real content_root, which a content sync swap changes)
// differ from the last good configuration's (or `force`, as SIGHUP does), on_valid receives the
// new settings. Loop thread only; the GIO adapter (services/config_watcher.h) calls reload() on
// SIGHUP and on file changes.
//
// Off the loop (issue 13: a 4 MiB playlist froze the loop for 4-7 s): given ReloadOnWorker, the
// loading and the fingerprint (which reads every watched file) run on `run_on_worker`, and the
// result comes back through `post_to_loop`, where it is compared and handed over; reload() then
// returns kPending at once. One load at a time: a reload asked for while one runs is merged into
// one more load after it (force if either was). A load that takes longer than `deadline` is
// refused as a whole (logged with the time it took): the last good configuration keeps playing.
// Without ReloadOnWorker, reload() loads on the caller's thread (tests, tools).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/time.h"
#include "config/loader.h"

namespace branchcast {

using ApplianceLoader = std::function<Loaded<ApplianceSettings>(const std::string& path)>;

struct ReloadOnWorker {
  using Executor = std::function<void(std::function<void()>)>;
  Executor run_on_worker;  // runs the load (thread-safe)
  Executor post_to_loop;   // brings the result back (callable from the worker, after the loop is gone too)
  Duration deadline{20'000};
};

class ConfigReloader {
 public:
  // `current` is the configuration playing now (loaded at start-up).
  ConfigReloader(ApplianceSettings current, ApplianceLoader loader,
                 std::function<void(const ApplianceSettings&)> on_valid, Logger log,
                 ReloadOnWorker worker = {});
  ~ConfigReloader();

  enum class Outcome { kApplied, kUnchanged, kRefused, kPending };
  // `why` goes in the log ("SIGHUP", "playlists/entrance.yaml changed"). kPending: loading on
  // the worker; the outcome goes to on_settled.
  Outcome reload(const std::string& why, bool force = false);
  // Called on the loop thread after every reload has settled (synchronous ones too).
  void set_on_settled(std::function<void(Outcome)> on_settled) { on_settled_ = std::move(on_settled); }

  // appliance.yaml, every playlist, and the patrons file of the configuration playing now.
  std::vector<std::string> watched_files() const;
  // While on_valid runs: the watched files whose contents differ from those of the configuration
  // handed over before (a file not watched before counts as changed); read on the worker with the
  // load, so the loop compares names, not files. Empty for a forced reload that changed nothing.
  const std::vector<std::string>& changed_files() const { return changed_files_; }
  const ApplianceSettings& current() const { return current_; }
  bool last_refused() const { return last_refused_; }
  bool loading() const { return loading_; }

 private:
  struct Result;  // what a load produced (config_reloader.cpp)
  // The contents of every file a configuration was loaded from, by path, and the real (canonical)
  // content_root media resolve under: a content swap changes it.
  struct Fingerprint {
    std::string content_root;
    std::vector<std::pair<std::string, std::string>> files;  // path, contents
    bool operator==(const Fingerprint&) const = default;
  };
  static Fingerprint fingerprint_of(const ApplianceSettings& s);
  void start(const std::string& why, bool force);
  Outcome settle(const std::string& why, bool force, Result result);

  ApplianceSettings current_;
  ApplianceLoader loader_;
  std::function<void(const ApplianceSettings&)> on_valid_;
  Logger log_;
  ReloadOnWorker worker_;
  std::function<void(Outcome)> on_settled_;
  Fingerprint fingerprint_;
  std::vector<std::string> changed_files_;
  bool last_refused_ = false;
  bool loading_ = false;           // a load runs on the worker
  bool again_ = false;             // one more load after it
  bool again_force_ = false;
  std::string again_why_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace branchcast
