// `branchcast schedule`: a self-contained HTML week view (formats.md section 3). Each screen's
// timeline is the one `simulate` prints (same inputs, same context: appliance/screen_inputs.h);
// its thumbnails are drawn by `preview`'s renderer; the messages are `validate`'s.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <ostream>
#include <tuple>

#include "appliance/commands.h"
#include "appliance/preview.h"
#include "appliance/schedule_page.h"
#include "appliance/screen_context.h"
#include "media/screen_runner.h"
#include "config/loader.h"
#include "media/gst_player.h"

namespace branchcast {
namespace {

constexpr const char* kName = "schedule";
constexpr size_t kMaxThumbsPerScreen = 48;
constexpr int kThumbWidth = 320;
constexpr int kMaxDays = 62;

// A box-filtered copy `width` pixels wide (aspect kept); the image itself when already narrower.
RgbaImage downscale(const RgbaImage& in, int width) {
  if (in.width <= width || in.width == 0) return in;
  RgbaImage out;
  out.width = width;
  out.height = std::max(1, in.height * width / in.width);
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 4);
  for (int y = 0; y < out.height; ++y) {
    const int y0 = y * in.height / out.height, y1 = std::max(y0 + 1, (y + 1) * in.height / out.height);
    for (int x = 0; x < out.width; ++x) {
      const int x0 = x * in.width / out.width, x1 = std::max(x0 + 1, (x + 1) * in.width / out.width);
      unsigned sum[4] = {0, 0, 0, 0};
      for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx)
          for (int c = 0; c < 4; ++c) sum[c] += in.pixels[(static_cast<size_t>(yy) * in.width + xx) * 4 + c];
      const unsigned n = static_cast<unsigned>((y1 - y0) * (x1 - x0));
      for (int c = 0; c < 4; ++c)
        out.pixels[(static_cast<size_t>(y) * out.width + x) * 4 + c] = static_cast<uint8_t>(sum[c] / n);
    }
  }
  return out;
}

// A screen's simulated week (pure: the screens are simulated in parallel, one thread each).
struct SimulatedWeek {
  std::unique_ptr<Scheduler> scheduler;  // owns the playlist the showings point into
  std::vector<TimelineEntry> timeline;
};

SimulatedWeek simulate_week(const ScreenContext& ctx, const Catalogue& catalogue, const SimulationFlags& flags,
                            TimePoint from, TimePoint to) {
  SimulatedWeek week;
  week.scheduler = std::make_unique<Scheduler>(ctx.inputs);
  SimulatedContext context = ctx.with_catalogue(catalogue, flags, from);
  week.timeline = simulate_timeline(*week.scheduler, from, to, &context);
  return week;
}

// The screen's week: blocks from the simulated timeline, and one thumbnail per distinct item.
ScreenSchedule schedule_screen(const ScreenContext& ctx, const SimulatedWeek& week, TimePoint to,
                               const std::filesystem::path& out_dir, CommandEnv& env) {
  ScreenSchedule screen;
  screen.id = ctx.screen_id;
  const std::vector<TimelineEntry>& timeline = week.timeline;
  screen.blocks = timeline_blocks(timeline, to);

  std::map<std::tuple<std::string, std::string, std::string>, bool> seen;
  std::vector<const TimelineEntry*> firsts;
  for (const auto& e : timeline) {
    if (e.showing.mode == ShowingMode::kStandby) continue;
    auto key = std::make_tuple(e.showing.rule, showing_kind(e.showing), e.showing.ref);
    if (seen.emplace(key, true).second && firsts.size() < kMaxThumbsPerScreen) firsts.push_back(&e);
  }
  auto renderer = PreviewRenderer::open(ctx.settings, ctx.screen_id, ctx.inputs, env.log);
  for (size_t i = 0; i < firsts.size(); ++i) {
    const TimelineEntry& e = *firsts[i];
    ScheduleThumb thumb{e.showing.mode == ShowingMode::kOverride ? "override" : e.showing.rule,
                        showing_kind(e.showing), e.showing.ref, ""};
    if (renderer) {
      PreviewPlan plan;
      plan.current = e.showing;
      plan.current_offset = std::min(e.shown / 2, Duration(1000));  // a frame into the clip
      auto image = (*renderer)->render(plan);
      const std::string file = "thumbs/" + ctx.screen_id + "-" + std::to_string(i + 1) + ".png";
      if (image && gst_write_png(downscale(*image, kThumbWidth), (out_dir / file).string())) thumb.image = file;
    }
    screen.thumbs.push_back(std::move(thumb));
  }
  if (!renderer) env.err << "branchcast schedule: no thumbnails for " << ctx.screen_id << ": "
                         << renderer.error().message << "\n";
  return screen;
}

int schedule_main(const Args& args, CommandEnv& env) {
  auto config = args.get("config"), from = args.get("from"), to = args.get("to"), out = args.get("out");
  if (!config || !from || !to || !out)
    return usage_error(env, kName, "--config, --from, --to and --out are required");
  auto settings = load_appliance_or_report(*config, env);
  if (!settings) return kExitInvalid;
  const TimeZone zone = TimeZone::load_or_utc(settings->branch.timezone);
  auto flags = simulation_flags(args, zone);
  if (!flags) return usage_error(env, kName, flags.error().message);
  auto t0 = zone.parse_iso(*from), t1 = zone.parse_iso(*to);
  if (!t0 || !t1) {
    env.err << "branchcast schedule: " << (!t0 ? t0.error() : t1.error()).message << "\n";
    return kExitInvalid;
  }
  const local_days first = zone.to_local(*t0).date, last = zone.to_local(*t1).date;
  const int days = static_cast<int>((last - first).count()) + 1;  // --to's day included
  if (days < 1 || days > kMaxDays) {
    env.err << "branchcast schedule: --to must be a day from --from to " << kMaxDays << " days after it\n";
    return kExitInvalid;
  }
  std::vector<std::string> screens;
  for (const auto& s : settings->screens)
    if (!args.get("screen") || s.id == *args.get("screen")) screens.push_back(s.id);
  if (screens.empty()) {
    env.err << "branchcast schedule: no screen '" << *args.get("screen") << "' in " << *config << "\n";
    return kExitInvalid;
  }

  const std::filesystem::path out_dir(*out);
  std::error_code ec;
  std::filesystem::create_directories(out_dir / "thumbs", ec);
  if (ec) {
    env.err << "branchcast schedule: cannot create " << (out_dir / "thumbs").string() << ": " << ec.message() << "\n";
    return kExitInvalid;
  }
  SchedulePage page;
  page.branch = settings->branch.name.empty() ? settings->branch.id : settings->branch.name;
  page.zone = zone;
  page.first = first;
  page.days = days;
  for (const auto& e : validate_file(*config)) page.messages.push_back(e.to_string());

  const TimePoint start = zone.from_local(first, Duration(0));
  const TimePoint end = zone.from_local(last + std::chrono::days(1), Duration(0));
  const Catalogue catalogue = load_feeds_as_run(*settings, zone, start, &env.err);  // once for every screen
  std::vector<ScreenContext> contexts;
  for (const auto& id : screens) {
    auto ctx = load_screen_context(*config, id, env);
    if (!ctx) return kExitInvalid;
    contexts.push_back(std::move(*ctx));
  }
  // The weeks are simulated in parallel (pure work, one screen a thread); the thumbnails after,
  // on this thread (SDL and the GStreamer player sessions).
  std::vector<std::future<SimulatedWeek>> weeks;
  for (const auto& ctx : contexts)
    weeks.push_back(std::async(std::launch::async, simulate_week, std::cref(ctx), std::cref(catalogue),
                               std::cref(*flags), start, end));
  for (size_t i = 0; i < contexts.size(); ++i) {
    SimulatedWeek week = weeks[i].get();
    page.screens.push_back(schedule_screen(contexts[i], week, end, out_dir, env));
  }
  const std::string index = (out_dir / "index.html").string();
  std::ofstream html(index, std::ios::binary);
  html << render_schedule_html(page);
  if (!html.flush()) {
    env.err << "branchcast schedule: cannot write " << index << "\n";
    return kExitInvalid;
  }
  env.out << index << "\n";
  return kExitOk;
}

}  // namespace

Command schedule_command() {
  Command c;
  c.name = kName;
  c.summary = "a self-contained HTML week view of every screen";
  c.usage =
      "Usage: branchcast schedule --config C [--screen S] --from DATE --to DATE --out DIR\n"
      "                           [--presence LEVEL] [--override TEXT[@T..T]]\n\n"
      "Writes DIR/index.html (and thumbnails in DIR/thumbs/): per screen, the days from --from to\n"
      "--to (both included) as a calendar of blocks, each the time a rule plays (standby and\n"
      "closures shown), the timeline `simulate` gives from 00:00 of --from; a thumbnail of every\n"
      "distinct item, drawn as `preview` draws it; and `validate`'s messages. The page loads\n"
      "nothing from the network. DATE is YYYY-MM-DD (or a time, whose day counts).\n";
  c.usage += kSimulationFlagsHelp;
  c.valued = {"config", "screen", "from", "to", "out", "presence", "override"};
  c.run = schedule_main;
  return c;
}

}  // namespace branchcast
