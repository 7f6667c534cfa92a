// Config reload with real files: GFileMonitor and SIGHUP on this thread's default main context.
// The loader is a small test loader (one "playlist: FILE" line per screen; a line containing
// "error" is invalid) so these tests do not depend on the YAML loader's details.
#include <glib.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <fstream>
#include <mutex>
#include <thread>

#include "services/config_watcher.h"
#include "services/content_sync.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

Loaded<ApplianceSettings> test_loader(const std::string& path) {
  Loaded<ApplianceSettings> out;
  ApplianceSettings s;
  s.path = path;
  s.base_dir = fs::path(path).parent_path().string();
  std::ifstream in(path);
  if (!in) {
    out.errors.push_back(make_error("cannot read", {path}));
    return out;
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find("error") != std::string::npos) out.errors.push_back(make_error("unknown key 'error'", {path, n, 1}));
    if (line.rfind("playlist: ", 0) == 0) {
      ScreenSettings sc;
      sc.id = "screen" + std::to_string(s.screens.size());
      sc.playlist_path = (fs::path(s.base_dir) / line.substr(10)).string();
      if (!fs::exists(sc.playlist_path)) out.errors.push_back(make_error("playlist not found", {path, n, 11}));
      s.screens.push_back(sc);
    }
  }
  if (out.errors.empty()) out.settings = s;
  return out;
}

struct RecordingSink final : LogSink {
  void write(LogLevel level, std::string_view, std::string_view m) override {
    std::lock_guard<std::mutex> l(mu);
    if (level == LogLevel::kError) errors.emplace_back(m);
  }
  std::mutex mu;
  std::vector<std::string> errors;
};

class ConfigReload : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-config-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "playlists");
    write("playlists/entrance.yaml", "default: [a]\n");
    write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\n");
    auto first = test_loader(path("appliance.yaml"));
    ASSERT_TRUE(first.ok());
    reloader_ = std::make_unique<ConfigReloader>(*first.settings, test_loader,
                                                 [this](const ApplianceSettings& s) { applied_.push_back(s); },
                                                 Logger(sink_, "config"));
  }
  void TearDown() override {
    while (g_main_context_iteration(nullptr, FALSE)) {
    }
    fs::remove_all(dir_);
  }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }
  // Saves like an editor: write a temporary file, then rename it over the original.
  void write(const std::string& rel, const std::string& text) {
    std::string tmp = path(rel) + ".swp";
    std::ofstream(tmp) << text;
    fs::rename(tmp, path(rel));
  }
  // Runs the main context until `done` holds (bounded, so a broken watcher fails instead of hanging).
  template <typename F>
  bool spin_until(F done) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    guint tick = g_timeout_add(100, [](gpointer) { return gboolean(G_SOURCE_CONTINUE); }, nullptr);
    while (!done() && std::chrono::steady_clock::now() < give_up) g_main_context_iteration(nullptr, TRUE);
    g_source_remove(tick);
    return done();
  }

  fs::path dir_;
  RecordingSink sink_;
  std::vector<ApplianceSettings> applied_;
  std::unique_ptr<ConfigReloader> reloader_;
};

TEST_F(ConfigReload, ValidChangeIsAppliedInvalidIsRefusedLastGoodKept) {
  EXPECT_EQ(reloader_->reload("test"), ConfigReloader::Outcome::kUnchanged);
  write("playlists/lobby.yaml", "default: [b]\n");
  write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\nplaylist: playlists/lobby.yaml\n");
  EXPECT_EQ(reloader_->reload("test"), ConfigReloader::Outcome::kApplied);
  ASSERT_EQ(applied_.size(), 1u);
  EXPECT_EQ(applied_[0].screens.size(), 2u);

  write("appliance.yaml", "branch: x\nerror: typo\nplaylist: playlists/missing.yaml\n");
  EXPECT_EQ(reloader_->reload("test"), ConfigReloader::Outcome::kRefused);
  EXPECT_TRUE(reloader_->last_refused());
  EXPECT_EQ(applied_.size(), 1u);
  EXPECT_EQ(reloader_->current().screens.size(), 2u);
  ASSERT_EQ(sink_.errors.size(), 3u);
  EXPECT_NE(sink_.errors[0].find("refused"), std::string::npos);
  EXPECT_EQ(sink_.errors[1], path("appliance.yaml") + ":2:1: error: unknown key 'error'");
  EXPECT_EQ(sink_.errors[2], path("appliance.yaml") + ":3:11: error: playlist not found");

  EXPECT_EQ(reloader_->reload("SIGHUP", /*force=*/true), ConfigReloader::Outcome::kRefused);
}

TEST_F(ConfigReload, PlaylistEditIsAChange) {
  write("playlists/entrance.yaml", "default: [a, b]\n");
  EXPECT_EQ(reloader_->reload("test"), ConfigReloader::Outcome::kApplied);
  EXPECT_EQ(reloader_->reload("test", true), ConfigReloader::Outcome::kApplied);
  EXPECT_EQ(applied_.size(), 2u);
}

// Issue 13: nothing parses on the loop thread. With ReloadOnWorker the load runs on the worker
// and nothing changes until its result is posted back and run on the loop; reloads asked for
// meanwhile are merged into one more load; a load over the deadline is refused whole.
TEST_F(ConfigReload, LoadsOnTheWorkerAndAppliesOnlyWhenPostedBack) {
  std::vector<std::function<void()>> worker_jobs, loop_posts;
  std::mutex mu;  // the loader runs on the test thread here, but count under a lock anyway
  int loads = 0;
  auto counting_loader = [&](const std::string& p) {
    std::lock_guard l(mu);
    ++loads;
    return test_loader(p);
  };
  ReloadOnWorker on_worker;
  on_worker.run_on_worker = [&](std::function<void()> job) { worker_jobs.push_back(std::move(job)); };
  on_worker.post_to_loop = [&](std::function<void()> fn) { loop_posts.push_back(std::move(fn)); };
  auto first = test_loader(path("appliance.yaml"));
  ConfigReloader reloader(*first.settings, counting_loader, [this](const ApplianceSettings& s) { applied_.push_back(s); },
                          Logger(sink_, "config"), on_worker);
  std::vector<ConfigReloader::Outcome> settled;
  reloader.set_on_settled([&](ConfigReloader::Outcome o) { settled.push_back(o); });
  auto run_all = [](std::vector<std::function<void()>>& q) {
    auto jobs = std::move(q);
    q.clear();
    for (auto& j : jobs) j();
  };

  write("playlists/entrance.yaml", "default: [a, b]\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kPending);
  EXPECT_TRUE(reloader.loading());
  EXPECT_EQ(loads, 0);  // nothing was loaded on the calling (loop) thread
  ASSERT_EQ(worker_jobs.size(), 1u);
  // Two more changes while it loads: merged into one more load, after the first settles.
  EXPECT_EQ(reloader.reload("again"), ConfigReloader::Outcome::kPending);
  EXPECT_EQ(reloader.reload("SIGHUP", true), ConfigReloader::Outcome::kPending);
  EXPECT_EQ(worker_jobs.size(), 1u);
  run_all(worker_jobs);
  EXPECT_EQ(loads, 1);
  EXPECT_TRUE(applied_.empty());  // not yet: the result is on its way to the loop
  ASSERT_EQ(loop_posts.size(), 1u);
  run_all(loop_posts);
  ASSERT_EQ(applied_.size(), 1u);
  ASSERT_EQ(settled.size(), 1u);
  EXPECT_EQ(settled[0], ConfigReloader::Outcome::kApplied);
  ASSERT_EQ(worker_jobs.size(), 1u);  // the merged one (forced: SIGHUP)
  run_all(worker_jobs);
  run_all(loop_posts);
  EXPECT_EQ(loads, 2);
  ASSERT_EQ(settled.size(), 2u);
  EXPECT_EQ(settled[1], ConfigReloader::Outcome::kApplied);
  EXPECT_FALSE(reloader.loading());
  EXPECT_TRUE(worker_jobs.empty());

  // Invalid: refused on the loop, the last good kept.
  write("appliance.yaml", "branch: x\nerror: typo\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kPending);
  run_all(worker_jobs);
  run_all(loop_posts);
  EXPECT_EQ(settled.back(), ConfigReloader::Outcome::kRefused);
  EXPECT_TRUE(reloader.last_refused());
  EXPECT_EQ(applied_.size(), 2u);

  // Gone before the result comes back: the posted result is dropped, nothing runs.
  write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\n");
  {
    ConfigReloader short_lived(*first.settings, counting_loader,
                               [this](const ApplianceSettings& s) { applied_.push_back(s); }, Logger(sink_, "config"),
                               on_worker);
    short_lived.reload("test", true);
    run_all(worker_jobs);
  }
  run_all(loop_posts);
  EXPECT_EQ(applied_.size(), 2u);
}

TEST_F(ConfigReload, ALoadOverTheDeadlineIsRefusedWhole) {
  std::vector<std::function<void()>> loop_posts;
  ReloadOnWorker on_worker;
  on_worker.run_on_worker = [](std::function<void()> job) { job(); };
  on_worker.post_to_loop = [&](std::function<void()> fn) { loop_posts.push_back(std::move(fn)); };
  on_worker.deadline = Duration(1);
  auto slow_loader = [](const std::string& p) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // at least 20x the deadline
    return test_loader(p);
  };
  auto first = test_loader(path("appliance.yaml"));
  ConfigReloader reloader(*first.settings, slow_loader, [this](const ApplianceSettings& s) { applied_.push_back(s); },
                          Logger(sink_, "config"), on_worker);
  write("playlists/entrance.yaml", "default: [a, b, c]\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kPending);
  for (auto& p : loop_posts) p();
  EXPECT_TRUE(applied_.empty());
  EXPECT_TRUE(reloader.last_refused());
  ASSERT_FALSE(sink_.errors.empty());
  EXPECT_NE(sink_.errors.back().find("over the 0.0 s deadline"), std::string::npos) << sink_.errors.back();
}

TEST_F(ConfigReload, WatcherReloadsOnFileSaveAndFollowsNewPlaylists) {
  auto w = ConfigWatcher::start(*reloader_, {std::chrono::milliseconds(50), false}, Logger(sink_, "config"));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->watched_folders().size(), 2u);  // the config's folder and playlists/
  fs::create_directories(dir_ / "more");
  write("more/extra.yaml", "default: [c]\n");
  write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\nplaylist: more/extra.yaml\n");
  ASSERT_TRUE(spin_until([&] { return applied_.size() == 1; }));
  EXPECT_EQ((*w)->watched_folders().size(), 3u);

  write("more/extra.yaml", "default: [d]\n");  // the new playlist is watched
  ASSERT_TRUE(spin_until([&] { return applied_.size() == 2; }));

  write("appliance.yaml", "error\n");  // refused: nothing applied
  ASSERT_TRUE(spin_until([&] { return reloader_->last_refused(); }));
  EXPECT_EQ(applied_.size(), 2u);
  write("notes.txt", "unrelated file in the same folder");
  write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\nplaylist: more/extra.yaml\n");
  ASSERT_TRUE(spin_until([&] { return !reloader_->last_refused(); }));
  EXPECT_EQ(applied_.size(), 2u);  // back to the last good contents: unchanged, nothing to apply
}

// What changed is found on the reload's thread with the load (issue 13: the loop compares names,
// it reads no file): the files whose contents differ from those of the last configuration handed
// over; a file not watched before counts as changed; a forced reload that changed nothing: none.
TEST_F(ConfigReload, ChangedFilesNameTheFilesWhoseContentsChanged) {
  auto first = test_loader(path("appliance.yaml"));
  ASSERT_TRUE(first.ok());
  std::vector<std::vector<std::string>> changed;
  ConfigReloader* self = nullptr;
  ConfigReloader reloader(*first.settings, test_loader,
                          [&](const ApplianceSettings&) { changed.push_back(self->changed_files()); },
                          Logger(sink_, "config"));
  self = &reloader;
  write("playlists/entrance.yaml", "default: [b]\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kApplied);
  write("playlists/hall.yaml", "default: [c]\n");
  write("appliance.yaml", "branch: x\nplaylist: playlists/entrance.yaml\nplaylist: playlists/hall.yaml\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kApplied);
  EXPECT_EQ(reloader.reload("SIGHUP", /*force=*/true), ConfigReloader::Outcome::kApplied);
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_EQ(changed[0], std::vector<std::string>{path("playlists/entrance.yaml")});
  EXPECT_EQ(changed[1], (std::vector<std::string>{path("appliance.yaml"), path("playlists/hall.yaml")}));
  EXPECT_TRUE(changed[2].empty());
  EXPECT_TRUE(reloader.changed_files().empty()) << "only while on_valid runs";
}

// The product's loader (config/loader.h): a typo in a playlist is refused, the fix is applied.
TEST_F(ConfigReload, RealLoaderRefusesATypoAndAppliesTheFix) {
  fs::create_directories(dir_ / "real/playlists");
  fs::create_directories(dir_ / "real/content");
  std::ofstream(dir_ / "real/content/a.png") << "x";
  write("real/appliance.yaml",
        "branch:\n  id: central\n  name: Central Library\n  timezone: Europe/London\n"
        "screens:\n  - id: entrance\n    output: offscreen\n    playlist: playlists/entrance.yaml\n");
  write("real/playlists/entrance.yaml", "default:\n  - image: ../content/a.png\n    duration: 10s\n");
  auto first = load_appliance(path("real/appliance.yaml"));
  ASSERT_TRUE(first.ok()) << (first.errors.empty() ? "" : first.errors[0].to_string());
  std::vector<ApplianceSettings> applied;
  ConfigReloader reloader(*first.settings, load_appliance,
                          [&](const ApplianceSettings& s) { applied.push_back(s); }, Logger(sink_, "config"));
  write("real/playlists/entrance.yaml", "default:\n  - image: ../content/a.png\n    duraton: 10s\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kRefused);
  ASSERT_GE(sink_.errors.size(), 2u);
  EXPECT_NE(sink_.errors[1].find("entrance.yaml:3:5: error: unknown key 'duraton'"), std::string::npos) << sink_.errors[1];
  write("real/playlists/entrance.yaml", "default:\n  - image: ../content/a.png\n    duration: 20s\n");
  EXPECT_EQ(reloader.reload("test"), ConfigReloader::Outcome::kApplied);
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].playlists.at("entrance").default_items.at(0).duration, Duration(20'000));
}

// Content sync swaps the `current` symlink; the daemon runs --config <dest>/current/appliance.yaml.
// The swap must reach the daemon even when no YAML file changed (media resolve to the real
// versions/<n> folder, which the swap replaces).
TEST_F(ConfigReload, ContentSyncSwapOfCurrentIsNoticed) {
  const fs::path src = dir_ / "bundle", dest = dir_ / "content";
  fs::create_directories(src / "playlists");
  fs::create_directories(src / "media");
  auto put = [&](const std::string& rel, const std::string& body) { std::ofstream(src / rel) << body; };
  put("appliance.yaml", "branch:\n  id: central\n  name: Central Library\n  timezone: Europe/London\n"
                        "screens:\n  - id: entrance\n    output: offscreen\n    playlist: playlists/entrance.yaml\n");
  put("playlists/entrance.yaml", "default:\n  - image: ../media/a.png\n    duration: 10s\n");
  put("media/a.png", "first");
  auto publish = [&] {
    std::string m;
    for (const char* f : {"appliance.yaml", "playlists/entrance.yaml", "media/a.png"})
      m += *sha256_file((src / f).string()) + "  " + f + "\n";
    std::ofstream(src / "MANIFEST.sha256") << m;
    SyncOptions o;
    o.reserve_bytes = 0;
    auto r = sync_content_from_folder(src.string(), dest.string(), o);
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  publish();
  const std::string config = (dest / "current/appliance.yaml").string();
  auto first = load_appliance(config);
  ASSERT_TRUE(first.ok());
  std::vector<ApplianceSettings> applied;
  ConfigReloader reloader(*first.settings, load_appliance,
                          [&](const ApplianceSettings& s) { applied.push_back(s); }, Logger(sink_, "config"));
  auto w = ConfigWatcher::start(reloader, {std::chrono::milliseconds(50), false}, Logger(sink_, "config"));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(first.settings->content_root, fs::canonical(dest / "versions/1").string());

  put("media/a.png", "second");  // only media change: the YAML files are identical
  publish();
  ASSERT_TRUE(spin_until([&] { return applied.size() == 1; }));
  EXPECT_EQ(applied[0].content_root, fs::canonical(dest / "versions/2").string());

  put("playlists/entrance.yaml", "default:\n  - image: ../media/a.png\n    duration: 20s\n");
  publish();  // the monitors followed the swap: the next one is seen too
  ASSERT_TRUE(spin_until([&] { return applied.size() == 2; }));
  EXPECT_EQ(applied[1].playlists.at("entrance").default_items.at(0).duration, Duration(20'000));
}

TEST_F(ConfigReload, SighupForcesAReload) {
  auto w = ConfigWatcher::start(*reloader_, {std::chrono::milliseconds(50), true}, Logger(sink_, "config"));
  ASSERT_TRUE(w.ok());
  ::raise(SIGHUP);
  ASSERT_TRUE(spin_until([&] { return applied_.size() == 1; }));
}

}  // namespace
}  // namespace branchcast
