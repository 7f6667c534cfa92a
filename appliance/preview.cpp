#include "appliance/preview.h"

#include <chrono>
#include <thread>

#include "appliance/screen_session.h"
#include "media/image_cache.h"
#include "store/database.h"
#include "scheduler/timeline.h"

namespace branchcast {
namespace {

constexpr Duration kPrerollTimeout{15'000};

// Blocks (this is a CLI command, not the loop) until the clip has a frame or failed.
bool wait_ready(Player& player, ClipId id) {
  auto deadline = std::chrono::steady_clock::now() + kPrerollTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    player.poll();
    ClipState st = player.state(id);
    if (st == ClipState::kFailed) return false;
    if (st != ClipState::kPreparing) return player.frame(id) != nullptr;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

}  // namespace

PreviewPlan plan_preview(Scheduler& scheduler, const TimeZone& zone, TransitionSettings transition,
                         TimePoint at, TimelineContext* context) {
  TimePoint midnight = zone.from_local(zone.to_local(at).date, Duration(0));
  std::vector<TimelineEntry> timeline = simulate_timeline(scheduler, midnight, at + Duration(1), context);
  PreviewPlan plan;
  if (timeline.empty()) return plan;
  const Showing& current = timeline.back().showing;
  plan.current = current;
  plan.current_offset = at - current.start;
  plan.alpha = transition_alpha(plan.current_offset, transition);
  if (plan.alpha < 1.0 && timeline.size() >= 2 &&
      timeline[timeline.size() - 2].showing.mode != ShowingMode::kStandby &&
      current.mode != ShowingMode::kStandby) {
    plan.outgoing = timeline[timeline.size() - 2].showing;
    plan.outgoing_offset = at - plan.outgoing->start;
  } else {
    plan.alpha = 1.0;
  }
  return plan;
}

struct PreviewRenderer::Parts {
  const ApplianceSettings* settings = nullptr;
  TimeZone zone = TimeZone::utc();
  std::unique_ptr<ScreenSession> session;
  Logger log;
};

Result<std::unique_ptr<PreviewRenderer>> PreviewRenderer::open(const ApplianceSettings& settings,
                                                                const std::string& screen_id, ScheduleInputs inputs,
                                                                LogSink& log) {
  const ScreenSettings* screen = nullptr;
  for (const auto& s : settings.screens)
    if (s.id == screen_id) screen = &s;
  if (!screen) return make_error("no screen '" + screen_id + "' in " + settings.path);
  const TimeZone zone = inputs.zone;
  auto session = open_screen_session(settings, *screen, std::move(inputs), /*force_offscreen=*/true, log);
  if (!session) return session.error();
  std::unique_ptr<PreviewRenderer> r(new PreviewRenderer());
  r->parts_ = std::make_unique<Parts>(Parts{&settings, zone, std::move(*session), Logger(log, "preview")});
  return r;
}

PreviewRenderer::~PreviewRenderer() = default;

Scheduler& PreviewRenderer::scheduler() { return *parts_->session->scheduler; }

Result<RgbaImage> PreviewRenderer::render(const PreviewPlan& plan) {
  ScreenSession& s = *parts_->session;
  const TimeZone& zone = parts_->zone;
  const ApplianceSettings& settings = *parts_->settings;
  std::vector<Layer> layers;
  std::vector<ClipId> clips;
  auto layer_for = [&](const Showing& sh, Duration offset, double alpha, uint64_t key) -> Status {
    if (sh.mode == ShowingMode::kStandby) return {};
    if (sh.mode == ShowingMode::kItem && sh.item &&
        (sh.kind == ItemKind::kImage || sh.kind == ItemKind::kVideo)) {
      bool video = sh.kind == ItemKind::kVideo;
      if (video) {
        // Past the clip's end the last frame is held, as on the screen.
        if (auto len = gst_media_length(sh.item->resolved); len && offset > *len - Duration(40))
          offset = std::max(Duration(0), *len - Duration(40));
      }
      ClipId id = s.player->prepare({sh.item->resolved, video, true, video ? offset : Duration(0), sh.item->root});
      clips.push_back(id);
      if (!wait_ready(*s.player, id))
        return make_error(sh.item->resolved + ": cannot decode: " + s.player->error(id));
      layers.push_back({key, s.player->frame(id), alpha});
      return {};
    }
    FramePtr card = s.cards->render(card_for(sh, sh.start, zone, settings.notifications.nearby_topic.value_or(""),
                                             image_cache_dir(default_state_dir())),
                                    s.display->canvas());
    if (card) layers.push_back({key, card, alpha});
    return {};
  };
  Status problem;
  if (plan.outgoing) {
    if (auto st = layer_for(*plan.outgoing, plan.outgoing_offset, 1.0, 1); !st) problem = st;
  }
  if (auto st = layer_for(plan.current, plan.current_offset, plan.alpha, 2); !st && problem) problem = st;
  if (!problem) parts_->log.warn(problem.error().message);
  RgbaImage out;
  Status shown = s.display->present(layers, &out);
  for (ClipId id : clips) s.player->release(id);
  for (uint64_t key : {uint64_t{1}, uint64_t{2}}) s.display->forget(key);
  if (!shown) return shown.error();
  return out;
}

Result<RgbaImage> render_preview(const ApplianceSettings& settings, const std::string& screen_id,
                                 ScheduleInputs inputs, TimelineContext* context,
                                 TimePoint at, LogSink& log) {
  const TimeZone zone = inputs.zone;
  const TransitionSettings transition = inputs.playlist.transition;
  auto renderer = PreviewRenderer::open(settings, screen_id, std::move(inputs), log);
  if (!renderer) return renderer.error();
  PreviewPlan plan = plan_preview((*renderer)->scheduler(), zone, transition, at, context);
  return (*renderer)->render(plan);
}

}  // namespace branchcast
