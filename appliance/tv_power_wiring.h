// HDMI-CEC power for the screens with `power:` (issue 7 item 6), on the loop thread: one
// TvPowerController per screen (services/cec_power.h) fed with what the screen wants (awake by
// plan, or an emergency override on screen), its CEC adapter opened and driven on a worker (the
// ioctls block) with every outcome posted back to the loop.
//
// Fallback: a screen that is off by plan shows its scheduler's standby, which the runner draws
// as a black picture. Without a CEC adapter, or when the TV does not obey, that black picture is
// all there is: mode() says "black" then, and tv_obeyed() false is reported (a log line once per
// change, the health snapshot's tv_obeyed). Without an adapter tv_obeyed() stays unset.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "common/ticker.h"
#include "services/cec_power.h"

namespace branchcast {

class TvPowerWiring final : public Ticker {
 public:
  using Job = std::function<void()>;
  using Submit = std::function<void(Job)>;  // runs a job on a worker thread (CEC calls block)
  using Post = std::function<void(Job)>;    // runs a job on the loop thread (EventLoop::post)
  // Opens the adapter of the screen on HDMI port `hdmi` (its index in settings.screens).
  using Opener = std::function<Result<std::unique_ptr<CecPort>>(size_t hdmi)>;

  struct Screen {
    std::string id;
    size_t hdmi = 0;
  };

  // Starts opening every screen's adapter on the worker. `submit` and `post` must stay usable
  // while this object lives; results posted after its destruction are dropped.
  TvPowerWiring(std::vector<Screen> screens, Opener open, Submit submit, Post post, Logger log,
                TvPowerController::Options options = {});
  ~TvPowerWiring();
  TvPowerWiring(const TvPowerWiring&) = delete;
  TvPowerWiring& operator=(const TvPowerWiring&) = delete;

  size_t size() const { return screens_.size(); }
  const Screen& screen(size_t i) const { return screens_[i]; }
  // Screen i should be on (awake by plan or showing an override) or off. Cheap when unchanged.
  void set_wanted(size_t i, bool on, TimePoint now);
  // Whether the screen on HDMI port `hdmi` should be on at `now` (its scheduler: awake by plan or
  // showing an override). Set: every kCheckEvery, tick() asks it for every screen (set_wanted).
  using Wanted = std::function<bool(size_t hdmi, TimePoint now)>;
  static constexpr Duration kCheckEvery{1'000};
  void check_wanted(Wanted wanted) { wanted_ = std::move(wanted); }

  // Ticker (common/ticker.h): the wanted check (when set) and every TV's due step, sent to the
  // worker. A clock step: every TV's pending verify or retry keeps the wait it had left; the
  // wanted check runs at once.
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  void clock_stepped(Duration step, const Turn& turn) override;

  // Unset while the adapter is unknown or absent, or nothing was verified yet.
  std::optional<bool> tv_obeyed(size_t i) const;
  // "black" while the screen is off by plan and a black picture stands in for the TV's standby
  // (no adapter, or the TV did not obey); "" otherwise.
  std::string fallback_mode(size_t i) const;

 private:
  struct State;
  void opened(size_t i, std::shared_ptr<CecPort> port, const std::string& error);
  void finished(size_t i);

  std::vector<Screen> screens_;
  std::vector<State> states_;
  Submit submit_;
  Post post_;
  Logger log_;
  TvPowerController::Options options_;
  TimePoint last_now_{};
  Wanted wanted_;
  TimePoint next_check_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace branchcast
