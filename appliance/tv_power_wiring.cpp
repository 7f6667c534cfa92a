#include "appliance/tv_power_wiring.h"

namespace branchcast {

struct TvPowerWiring::State {
  std::shared_ptr<CecPort> port;          // used on the worker only
  std::optional<TvPowerController> tv;    // set once the open attempt finished
  bool busy = false;                      // a step is running on the worker
  std::optional<bool> wanted;
  std::optional<bool> reported;           // the tv_obeyed value last logged
};

TvPowerWiring::TvPowerWiring(std::vector<Screen> screens, Opener open, Submit submit, Post post, Logger log,
                             TvPowerController::Options options)
    : screens_(std::move(screens)), states_(screens_.size()), submit_(std::move(submit)), post_(std::move(post)),
      log_(std::move(log)), options_(options) {
  for (size_t i = 0; i < screens_.size(); ++i) {
    states_[i].busy = true;
    submit_([this, i, alive = alive_, open, hdmi = screens_[i].hdmi, post = post_] {
      auto port = open(hdmi);
      std::shared_ptr<CecPort> shared = port ? std::shared_ptr<CecPort>(std::move(*port)) : nullptr;
      std::string error = port ? "" : port.error().message;
      post([this, i, alive, shared, error] {
        if (*alive) opened(i, shared, error);
      });
    });
  }
}

TvPowerWiring::~TvPowerWiring() { *alive_ = false; }

void TvPowerWiring::opened(size_t i, std::shared_ptr<CecPort> port, const std::string& error) {
  State& s = states_[i];
  s.busy = false;
  s.port = std::move(port);
  s.tv.emplace(s.port != nullptr, options_);
  if (s.port) log_.info("screen " + screens_[i].id + ": TV power by HDMI-CEC");
  else log_.warn("screen " + screens_[i].id + ": " + error + "; a black picture stands in when off by plan");
  if (s.wanted) s.tv->set_wanted(*s.wanted, last_now_);
}

void TvPowerWiring::set_wanted(size_t i, bool on, TimePoint now) {
  last_now_ = now;
  State& s = states_[i];
  if (s.wanted == on) return;
  s.wanted = on;
  if (s.tv) s.tv->set_wanted(on, now);
}

TimePoint TvPowerWiring::next_deadline(TimePoint) const {
  TimePoint next = wanted_ ? next_check_ : TimePoint::max();
  for (const State& s : states_)
    if (s.tv && !s.busy) next = std::min(next, s.tv->next_deadline());
  return next;
}

void TvPowerWiring::clock_stepped(Duration step, const Turn& turn) {
  last_now_ += step;
  next_check_ = turn.now;
  for (State& s : states_)
    if (s.tv) s.tv->clock_stepped(step);
}

void TvPowerWiring::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  if (wanted_ && now >= next_check_) {
    next_check_ = now + kCheckEvery;
    for (size_t i = 0; i < screens_.size(); ++i) set_wanted(i, wanted_(screens_[i].hdmi, now), now);
  }
  last_now_ = now;
  using Step = TvPowerController::Step;
  for (size_t i = 0; i < states_.size(); ++i) {
    State& s = states_[i];
    if (!s.tv || s.busy || now < s.tv->next_deadline()) continue;
    Step step = s.tv->tick(now);
    if (step == Step::kNone || !s.port) continue;
    s.busy = true;
    auto alive = alive_;
    if (step == Step::kQueryStatus) {
      submit_([this, i, alive, port = s.port, post = post_] {
        auto r = port->query_power_status();
        std::optional<CecPowerStatus> status = r ? *r : std::nullopt;
        post([this, i, alive, status] {
          if (!*alive) return;
          states_[i].tv->on_power_status(status, last_now_);
          finished(i);
        });
      });
    } else {
      submit_([this, i, alive, step, port = s.port, post = post_] {
        auto r = port->perform(step);
        bool acked = r && *r;
        post([this, i, alive, acked] {
          if (!*alive) return;
          states_[i].tv->on_transmit(acked, last_now_);
          finished(i);
        });
      });
    }
  }
}

// After each outcome: one log line when the TV's obedience changes.
void TvPowerWiring::finished(size_t i) {
  State& s = states_[i];
  s.busy = false;
  std::optional<bool> obeyed = s.tv->tv_obeyed();
  if (!obeyed || obeyed == s.reported) return;
  s.reported = obeyed;
  const std::string& id = screens_[i].id;
  if (*obeyed) log_.info("screen " + id + ": the TV follows the power schedule");
  else log_.warn("screen " + id + ": the TV did not obey (" + s.tv->problem() + "); " +
                 (s.tv->wanted_on() ? "it may be dark while the screen should show" : "showing a black picture"));
}

std::optional<bool> TvPowerWiring::tv_obeyed(size_t i) const {
  return states_[i].tv ? states_[i].tv->tv_obeyed() : std::nullopt;
}

std::string TvPowerWiring::fallback_mode(size_t i) const {
  const State& s = states_[i];
  if (!s.wanted || *s.wanted) return "";
  bool cec_obeys = s.port && s.tv && s.tv->tv_obeyed().value_or(true);
  return cec_obeys ? "" : "black";
}

}  // namespace branchcast
