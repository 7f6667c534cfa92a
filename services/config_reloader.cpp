#include "services/config_reloader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace branchcast {
namespace {

std::vector<std::string> files_of(const ApplianceSettings& s) {
  std::vector<std::string> out{s.path};
  for (const auto& screen : s.screens)
    if (!screen.playlist_path.empty()) out.push_back(screen.playlist_path);
  if (s.notifications.patrons && s.notifications.patrons->rfind("file:", 0) == 0)
    out.push_back(s.notifications.patrons->substr(5));
  return out;
}

std::string seconds(std::chrono::steady_clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

}  // namespace

// Any thread.
ConfigReloader::Fingerprint ConfigReloader::fingerprint_of(const ApplianceSettings& s) {
  Fingerprint out;
  out.content_root = s.content_root;
  for (const auto& f : files_of(s)) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    out.files.emplace_back(f, body.str());
  }
  return out;
}

struct ConfigReloader::Result {
  Loaded<ApplianceSettings> loaded;
  Fingerprint fingerprint;
  std::chrono::steady_clock::duration took{};
};

ConfigReloader::ConfigReloader(ApplianceSettings current, ApplianceLoader loader,
                               std::function<void(const ApplianceSettings&)> on_valid, Logger log,
                               ReloadOnWorker worker)
    : current_(std::move(current)), loader_(std::move(loader)), on_valid_(std::move(on_valid)),
      log_(std::move(log)), worker_(std::move(worker)) {
  fingerprint_ = fingerprint_of(current_);
}

ConfigReloader::~ConfigReloader() { *alive_ = false; }

std::vector<std::string> ConfigReloader::watched_files() const { return files_of(current_); }

ConfigReloader::Outcome ConfigReloader::reload(const std::string& why, bool force) {
  if (!worker_.run_on_worker || !worker_.post_to_loop) {
    Result r;
    r.loaded = loader_(current_.path);
    if (r.loaded.ok()) r.fingerprint = fingerprint_of(*r.loaded.settings);
    return settle(why, force, std::move(r));
  }
  if (loading_) {
    again_ = true;
    again_force_ = again_force_ || force;
    again_why_ = why;
    return Outcome::kPending;
  }
  start(why, force);
  return Outcome::kPending;
}

void ConfigReloader::start(const std::string& why, bool force) {
  loading_ = true;
  worker_.run_on_worker([loader = loader_, path = current_.path, post = worker_.post_to_loop,
                         alive = std::weak_ptr<bool>(alive_), self = this, why, force] {
    auto t0 = std::chrono::steady_clock::now();
    auto r = std::make_shared<Result>();
    r->loaded = loader(path);
    if (r->loaded.ok()) r->fingerprint = fingerprint_of(*r->loaded.settings);
    r->took = std::chrono::steady_clock::now() - t0;
    post([alive, self, why, force, r] {
      if (auto a = alive.lock(); !a || !*a) return;
      self->loading_ = false;
      self->settle(why, force, std::move(*r));
      if (self->again_) {
        self->again_ = false;
        bool again_force = self->again_force_;
        self->again_force_ = false;
        self->start(self->again_why_, again_force);
      }
    });
  });
}

ConfigReloader::Outcome ConfigReloader::settle(const std::string& why, bool force, Result r) {
  Outcome outcome = Outcome::kApplied;
  const bool late = worker_.run_on_worker && r.took > worker_.deadline;
  if (late) {
    log_.error("configuration change refused (" + why + "): loading took " + seconds(r.took) + ", over the " +
               seconds(worker_.deadline) + " deadline; the last good configuration keeps playing");
    last_refused_ = true;
    outcome = Outcome::kRefused;
  } else if (!r.loaded.ok()) {
    log_.error("configuration change refused (" + why + "): " + std::to_string(r.loaded.errors.size()) +
               " error(s); the last good configuration keeps playing");
    for (const auto& e : r.loaded.errors) log_.error(e.to_string());
    last_refused_ = true;
    outcome = Outcome::kRefused;
  } else {
    last_refused_ = false;
    if (!force && r.fingerprint == fingerprint_) {
      outcome = Outcome::kUnchanged;
    } else {
      changed_files_.clear();
      for (const auto& [path, contents] : r.fingerprint.files) {
        auto before = std::find_if(fingerprint_.files.begin(), fingerprint_.files.end(),
                                   [&path = path](const auto& f) { return f.first == path; });
        if (before == fingerprint_.files.end() || before->second != contents) changed_files_.push_back(path);
      }
      fingerprint_ = std::move(r.fingerprint);
      current_ = std::move(*r.loaded.settings);
      log_.info("configuration reloaded (" + why + ")");
      on_valid_(current_);
      changed_files_.clear();
    }
  }
  if (on_settled_) on_settled_(outcome);
  return outcome;
}

}  // namespace branchcast
