// `preview`: the frame at T of simulate's timeline, rendered offscreen by the real compositor.
#include "appliance/preview.h"

#include "scheduler/inputs.h"
#include "test_media.h"

namespace branchcast {
namespace {

using namespace testing_media;

class PreviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir("preview");
    make_png(dir_ + "/red.png", 0xff0000, 160, 90);
    make_png(dir_ + "/green.png", 0x00ff00, 160, 90);
    settings_.path = dir_ + "/appliance.yaml";
    settings_.branch.timezone = "Europe/London";
    ScreenSettings s;
    s.id = "entrance";
    s.output = OutputKind::kAuto;  // preview is always offscreen
    s.width = 320;
    s.height = 180;
    settings_.screens.push_back(s);
    PlaylistSettings p;
    p.transition = {TransitionKind::kCrossfade, Duration(500)};
    for (const char* f : {"red.png", "green.png"}) {
      PlaylistItem i;
      i.kind = ItemKind::kImage;
      i.path = f;
      i.resolved = dir_ + "/" + f;
      i.duration = Duration(10'000);
      p.default_items.push_back(i);
    }
    settings_.playlists["entrance"] = p;
  }
  RgbaImage::Pixel centre_at(const char* iso) {
    auto inputs = schedule_inputs_for_screen(settings_, "entrance");
    EXPECT_TRUE(inputs.ok());
    TimePoint at = *inputs->zone.parse_iso(iso);
    auto img = render_preview(settings_, "entrance", std::move(*inputs), {}, at, log_);
    EXPECT_TRUE(img.ok()) << (img.ok() ? "" : img.error().message);
    if (!img.ok()) return {};
    EXPECT_EQ(img->width, 320);
    return img->at(160, 90);
  }
  std::string dir_;
  ApplianceSettings settings_;
  NullLogSink log_;
};

TEST_F(PreviewTest, PlanFollowsTheTimelineFromLocalMidnight) {
  auto inputs = schedule_inputs_for_screen(settings_, "entrance");
  ASSERT_TRUE(inputs.ok());
  TimeZone zone = inputs->zone;
  Scheduler scheduler(std::move(*inputs));
  // 10 s items from 00:00 local: at 09:00:10.250 green has been on for 250 ms of a 500 ms fade.
  PreviewPlan plan = plan_preview(scheduler, zone, {TransitionKind::kCrossfade, Duration(500)},
                                  *zone.parse_iso("2026-07-01T09:00:10.250"));
  ASSERT_TRUE(plan.current.item);
  EXPECT_EQ(plan.current.item->path, "green.png");
  EXPECT_EQ(plan.current_offset, Duration(250));
  ASSERT_TRUE(plan.outgoing && plan.outgoing->item);
  EXPECT_EQ(plan.outgoing->item->path, "red.png");
  EXPECT_DOUBLE_EQ(plan.alpha, 0.5);
}

TEST_F(PreviewTest, RendersTheItemOnScreen) {
  auto c = centre_at("2026-07-01T09:00:05");
  EXPECT_GT(c.r, 240);
  EXPECT_LT(c.g, 15);
  c = centre_at("2026-07-01T09:00:15");
  EXPECT_LT(c.r, 15);
  EXPECT_GT(c.g, 240);
}

TEST_F(PreviewTest, CrossfadeMidpointShowsBothItems) {
  auto c = centre_at("2026-07-01T09:00:10.250");
  EXPECT_NEAR(c.r, 128, 10);
  EXPECT_NEAR(c.g, 128, 10);
}

TEST_F(PreviewTest, VideoFrameComesFromSeeking) {
  make_webm(dir_ + "/ball.webm", "ball", 60, 160, 90);
  PlaylistItem v;
  v.kind = ItemKind::kVideo;
  v.path = "ball.webm";
  v.resolved = dir_ + "/ball.webm";
  settings_.playlists["entrance"].default_items = {v};
  settings_.playlists["entrance"].transition = {TransitionKind::kCut, Duration(0)};
  auto inputs = schedule_inputs_for_screen(settings_, "entrance");
  ASSERT_TRUE(inputs.ok());
  inputs->media_length = [](const PlaylistItem&) { return std::optional<Duration>(Duration(2000)); };
  TimeZone zone = inputs->zone;
  auto a = render_preview(settings_, "entrance", *inputs, {}, *zone.parse_iso("2026-07-01T09:00:00.100"), log_);
  auto b = render_preview(settings_, "entrance", *inputs, {}, *zone.parse_iso("2026-07-01T09:00:01.500"), log_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->pixels, b->pixels);  // the ball moved between the two instants
  EXPECT_GT(*std::max_element(b->pixels.begin(), b->pixels.end()), 100);
}

TEST_F(PreviewTest, UnknownScreenIsAnError) {
  auto inputs = schedule_inputs_for_screen(settings_, "entrance");
  ASSERT_TRUE(inputs.ok());
  auto img = render_preview(settings_, "lobby", std::move(*inputs), {}, TimePoint(), log_);
  ASSERT_FALSE(img.ok());
  EXPECT_NE(img.error().message.find("lobby"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
