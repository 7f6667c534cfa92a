#include "media/screen_runner.h"

#include "media/card.h"
#include "media/layout.h"

namespace branchcast {
namespace {

double ms_between(MonoTime a, MonoTime b) { return static_cast<double>((b - a).count()); }

bool same_content(const Showing& a, const Showing& b) {
  if (a.mode != b.mode || a.kind != b.kind || a.item != b.item || a.ref != b.ref || a.text != b.text)
    return false;
  if (a.event.has_value() != b.event.has_value() || (a.event && a.event->id != b.event->id)) return false;
  if (a.recommendation.has_value() != b.recommendation.has_value() ||
      (a.recommendation && a.recommendation->id != b.recommendation->id))
    return false;
  return true;
}

}  // namespace

std::string showing_kind(const Showing& s) {
  if (s.mode == ShowingMode::kStandby) return "standby";
  if (s.mode == ShowingMode::kOverride) return "override";
  return to_string(s.kind);
}

ScreenRunner::ScreenRunner(ScreenRunnerOptions options, Scheduler& scheduler, Player& player,
                           CardRenderer& cards, Display& display, TimeZone zone, Logger log)
    : options_(std::move(options)),
      scheduler_(scheduler),
      player_(player),
      cards_(cards),
      display_(display),
      zone_(std::move(zone)),
      log_(std::move(log)) {}

ScreenRunner::~ScreenRunner() {
  for (Slot& s : retired_) release(s);
  release(outgoing_);
  release(current_);
  release(pending_);
  release(preroll_);
}

void ScreenRunner::start(TimePoint now, MonoTime mono) {
  scheduler_.start(now);
  scheduler_.hold_until_shown();  // until the first picture is on screen (frame())
  hold_until_ = mono + kFirstPictureWait;
  adopt_showing(now, mono);
}

ScreenRunner::Slot ScreenRunner::make_slot(const Showing& s, TimePoint card_now) {
  Slot slot;
  slot.valid = true;
  slot.showing = s;
  slot.key = next_key_++;
  if (s.mode == ShowingMode::kStandby) {  // no source: the panel is dark in standby
    if (options_.standby_card) slot.still = cards_.render(standby_card(s, zone_), display_.canvas());
    return slot;
  }
  if (s.mode == ShowingMode::kItem && s.item &&
      (s.kind == ItemKind::kImage || s.kind == ItemKind::kVideo)) {
    slot.is_clip = true;
    slot.clip = player_.prepare({s.item->resolved, s.kind == ItemKind::kVideo, s.item->mute, Duration(0), s.item->root});
    return slot;
  }
  slot.still = cards_.render(card_for(s, card_now, zone_, options_.nearby_topic, options_.image_cache_dir), display_.canvas());
  return slot;
}

void ScreenRunner::release(Slot& slot) {
  if (!slot.valid) return;
  if (slot.is_clip) player_.release(slot.clip);
  display_.forget(slot.key);
  slot = Slot{};
}

FramePtr ScreenRunner::frame_of(const Slot& slot) const {
  if (!slot.valid) return nullptr;
  return slot.is_clip ? player_.frame(slot.clip) : slot.still;
}

bool ScreenRunner::ready(const Slot& slot) const {
  if (!slot.is_clip) return slot.still || slot.showing.mode == ShowingMode::kStandby;
  ClipState st = player_.state(slot.clip);
  return (st == ClipState::kReady || st == ClipState::kPlaying || st == ClipState::kEnded) &&
         player_.frame(slot.clip) != nullptr;
}

bool ScreenRunner::failed(const Slot& slot) const {
  if (!slot.is_clip) return !slot.still && slot.showing.mode != ShowingMode::kStandby;
  ClipState st = player_.state(slot.clip);
  return st == ClipState::kFailed || (st == ClipState::kEnded && !player_.frame(slot.clip));
}

void ScreenRunner::adopt_showing(TimePoint now, MonoTime mono) {
  const Showing& s = scheduler_.showing();
  adopted_serial_ = s.serial;
  release(pending_);  // superseded before its first frame was ready
  if (preroll_.valid && same_content(preroll_.showing, s)) {
    pending_ = std::move(preroll_);
    preroll_ = Slot{};
    pending_.showing = s;
  } else {
    pending_ = make_slot(s, now);
  }
  pending_.scheduled = mono;
}

void ScreenRunner::refresh_preroll() {
  std::optional<Showing> up = scheduler_.upcoming();
  if (!up) {
    release(preroll_);
    return;
  }
  if (preroll_.valid && same_content(preroll_.showing, *up)) return;
  release(preroll_);
  if (is_full_length_repeat(current_, *up)) {
    // The same clip again, for its whole length: the playing pipeline wraps to its start.
    preroll_.valid = true;
    preroll_.showing = *up;
    preroll_.key = next_key_++;
    preroll_.is_clip = true;
    preroll_.is_loop = true;
    preroll_.clip = player_.prepare_loop(current_.clip);
    return;
  }
  preroll_ = make_slot(*up, up->start);
}

bool ScreenRunner::is_full_length_repeat(const Slot& playing, const Showing& next) const {
  return playing.valid && playing.is_clip && next.mode == ShowingMode::kItem && next.kind == ItemKind::kVideo &&
         next.item && !next.item->duration && same_content(playing.showing, next) &&
         player_.state(playing.clip) == ClipState::kPlaying;
}

void ScreenRunner::close_record(Slot& slot, MonoTime end) {
  if (!slot.valid || !slot.presented || !on_record) return;
  PlayRecord r;
  r.screen = options_.screen_id;
  r.rule = slot.showing.rule;
  r.kind = showing_kind(slot.showing);
  r.item = slot.showing.ref;
  r.start = slot.wall_start;
  r.seconds_shown = ms_between(slot.first_presented, end) / 1000.0;
  r.gap_ms = slot.gap_ms;
  r.late_ms = slot.late_ms;
  on_record(r);
}

void ScreenRunner::switch_to_pending(TimePoint, MonoTime mono) {
  const bool fade = options_.transition.kind == TransitionKind::kCrossfade &&
                    options_.transition.duration.count() > 0 && frame_of(current_) != nullptr;
  close_record(current_, mono);
  // Teardown and the next preroll wait until the new picture is on screen (after_present()).
  retired_.push_back(std::move(outgoing_));  // a crossfade still running is cut short
  outgoing_ = Slot{};
  if (fade) {
    outgoing_ = std::move(current_);
  } else {
    retired_.push_back(std::move(current_));
  }
  current_ = std::move(pending_);
  pending_ = Slot{};
  if (current_.is_clip) player_.start(current_.clip);
  current_.late_ms = ms_between(current_.scheduled, mono);
  transition_start_ = mono;
  preroll_due_ = true;
}

void ScreenRunner::after_present() {
  for (Slot& s : retired_) release(s);
  retired_.clear();
  if (preroll_due_) {
    preroll_due_ = false;
    refresh_preroll();
  }
}

FrameOutcome ScreenRunner::frame(TimePoint now, MonoTime mono, RgbaImage* capture, RgbaImage* snapshot) {
  player_.poll();
  if (stats_.items == 0 && mono >= hold_until_) {
    scheduler_.first_shown(now);  // a first picture that never comes: the schedule moves on
    hold_until_ = MonoTime::max();
  }
  scheduler_.tick(now);  // cheap when nothing is due; sees a clock set back, too
  if (scheduler_.showing().serial != adopted_serial_) adopt_showing(now, mono);
  if (scheduler_.inputs_serial() != inputs_serial_) {  // a reload: what follows may have changed
    inputs_serial_ = scheduler_.inputs_serial();
    if (!preroll_due_ && current_.valid) refresh_preroll();
  }
  if (pending_.valid && pending_.is_loop && !ready(pending_) && current_.is_clip &&
      player_.state(current_.clip) == ClipState::kEnded) {
    // The clip ended without wrapping to its next round: preroll that round afresh instead.
    MonoTime scheduled = pending_.scheduled;
    Showing showing = pending_.showing;
    release(pending_);
    pending_ = make_slot(showing, now);
    pending_.scheduled = scheduled;
  }
  if (pending_.valid) {
    if (failed(pending_)) {
      ++stats_.skipped;
      std::string why = "skipped " + showing_kind(pending_.showing) + " '" + pending_.showing.ref + "' (" +
                        (pending_.is_clip ? player_.error(pending_.clip) : "card could not be drawn") + ")";
      log_.warn(why + "; keeping the previous picture");
      if (on_skipped) on_skipped(why);
      release(pending_);
      if (stats_.items == 0) scheduler_.first_shown(now);  // no first picture: the schedule moves on
      if (!preroll_.valid) refresh_preroll();
    } else if (ready(pending_)) {
      // Replaced before its crossfade ended: its snapshot is the last frame it was on screen.
      if (snapshot_due_ && snapshot) push_snapshot(*snapshot);
      switch_to_pending(now, mono);
    }
  }

  std::vector<Layer> layers;
  double alpha = 1.0;
  if (outgoing_.valid) {
    alpha = transition_alpha(mono - transition_start_, options_.transition);
    if (alpha >= 1.0) {
      retired_.push_back(std::move(outgoing_));
      outgoing_ = Slot{};
    } else if (FramePtr f = frame_of(outgoing_)) {
      layers.push_back({outgoing_.key, std::move(f), 1.0});
    }
  }
  FramePtr cur = frame_of(current_);
  if (cur) layers.push_back({current_.key, cur, alpha});
  const bool starting = current_.valid && !current_.presented &&
                        (cur || current_.showing.mode == ShowingMode::kStandby);
  // A still picture is composed once: while nothing changes the panel keeps showing it (and a
  // capture buffer keeps the last read-back), which saves the CPU of re-drawing every frame.
  std::vector<LayerSignature> signature;
  for (const Layer& l : layers) signature.push_back({l.key, l.frame.get(), l.frame->sequence, l.alpha});
  Status status;
  const bool read_snapshot = snapshot && (starting || snapshot_due_);
  bool composed = false;
  if (starting || signature != last_signature_ || (capture && !captured_last_)) {
    status = display_.present(layers, capture ? capture : read_snapshot ? snapshot : nullptr);
    last_signature_ = std::move(signature);
    captured_last_ = capture != nullptr;
    ++stats_.presents;
    composed = true;
    if (read_snapshot && capture) *snapshot = *capture;
  }

  if (starting) {
    if (stats_.items == 0) scheduler_.first_shown(now);  // the run starts with its first picture
    current_.presented = true;
    current_.first_presented = mono;
    current_.wall_start = now;
    ++stats_.items;
    if (last_present_of_previous_) {
      double gap = ms_between(*last_present_of_previous_, mono);
      current_.gap_ms = gap;
      ++stats_.transitions;
      stats_.max_gap_ms = std::max(stats_.max_gap_ms, gap);
    }
    stats_.max_late_ms = std::max(stats_.max_late_ms, current_.late_ms);
    snapshot_due_ = snapshot != nullptr;
  }
  // The first frame that shows the item whole (no outgoing picture, fully opaque).
  if (snapshot_due_ && snapshot && composed && !outgoing_.valid && alpha >= 1.0) push_snapshot(*snapshot);
  if (current_.valid && current_.presented) last_present_of_previous_ = mono;
  after_present();
  return FrameOutcome{starting, composed, std::move(status)};
}

TimePoint ScreenRunner::next_deadline(TimePoint now) const {
  const bool preparing = [&](const Slot& s) { return s.valid && s.is_clip && !ready(s) && !failed(s); }(preroll_);
  const bool video = current_.valid && current_.is_clip && current_.showing.kind == ItemKind::kVideo &&
                     player_.state(current_.clip) != ClipState::kEnded;
  if (pending_.valid || outgoing_.valid || !retired_.empty() || preroll_due_ || preparing || video ||
      scheduler_.showing().serial != adopted_serial_ || scheduler_.inputs_serial() != inputs_serial_)
    return now;
  return scheduler_.next_deadline();
}

void ScreenRunner::push_snapshot(const RgbaImage& image) {
  snapshot_due_ = false;
  snapshots_.push_back({image, current_.wall_start, current_.showing.rule, showing_kind(current_.showing),
                        current_.showing.ref});
}

void ScreenRunner::finish(MonoTime mono, RgbaImage* snapshot) {
  close_record(current_, mono);
  if (!snapshot_due_ || !snapshot) return;
  std::vector<Layer> layers;
  if (FramePtr cur = frame_of(current_)) layers.push_back({current_.key, cur, 1.0});
  if (display_.present(layers, snapshot)) push_snapshot(*snapshot);
}

}  // namespace branchcast
