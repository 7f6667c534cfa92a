// Drives one screen: the scheduler says what shows when; the runner prerolls the next item while
// the current one plays, holds the last frame until the next item's first frame is ready, draws
// cuts and crossfades at the display's frame rate, and measures every transition.
//
// Talks only to ports (Player, CardRenderer, Display), so it is tested with fakes. Loop thread
// only: frame() is called once per display frame with the wall time and monotonic time of that
// turn (read once by the caller). A file that fails is logged by the player and skipped: the
// screen keeps the previous picture until the schedule moves on; it never goes black.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/clock.h"
#include "media/ports.h"
#include "scheduler/scheduler.h"
#include "common/play_record.h"

namespace branchcast {

struct ScreenRunnerOptions {
  std::string screen_id;
  TransitionSettings transition;
  std::string nearby_topic;  // what nearby cards' QR codes encode
  // Standby draws media/card.h standby_card (a dim "standby until 08:45 (power)") instead of
  // black: for a window on a desktop. A real panel stays black so the TV can sleep.
  bool standby_card = false;
  std::string image_cache_dir = "";  // feed pictures for cards (media/image_cache.h); "" = none
};

struct ScreenStats {
  int items = 0;         // items whose first frame was presented
  int transitions = 0;   // item changes (items - 1 when anything was shown)
  int skipped = 0;       // items that failed to decode
  double max_gap_ms = 0; // largest time between the last frame of one item and the first of the next
  double max_late_ms = 0;
  long presents = 0;     // frames actually composed (unchanged stills are not re-composed)
};

// What one ScreenRunner::frame() did.
struct FrameOutcome {
  bool item_started = false;  // the frame presented is the first of a new item
  bool composed = false;      // the layers were composed and presented (false: nothing changed)
  Status display;             // the display's error, if any (the runner carries on regardless)
  bool ok() const { return display.ok(); }
};

class ScreenRunner {
 public:
  ScreenRunner(ScreenRunnerOptions options, Scheduler& scheduler, Player& player,
               CardRenderer& cards, Display& display, TimeZone zone, Logger log);
  ~ScreenRunner();
  ScreenRunner(const ScreenRunner&) = delete;
  ScreenRunner& operator=(const ScreenRunner&) = delete;

  // Starts the scheduler at `now` and begins preparing the first item.
  void start(TimePoint now, MonoTime mono);
  // One display frame. With `capture`, the presented output is read back into it. With
  // `snapshot` (a scratch buffer: pass the same one every frame), snapshots are on: each item that
  // starts gets one picture (take_snapshots()), read back at the first frame that shows it whole
  // (a cut: its first frame; a crossfade: the frame it ends), or, for an item replaced before its
  // crossfade ended, the last frame it was on screen. When nothing on screen changed since the
  // last frame, nothing is composed and `capture` is left as it was (pass the same buffer every
  // frame). Returns what the frame did.
  FrameOutcome frame(TimePoint now, MonoTime mono, RgbaImage* capture = nullptr, RgbaImage* snapshot = nullptr);
  // When the next frame() is needed (the run loop sleeps until then, common/ticker.h): `now` while
  // something moves or is on its way (a video, a crossfade, an item prerolling towards its first
  // frame, a showing not yet adopted, new scheduler inputs to preroll from); otherwise the
  // scheduler's next deadline, so a still picture costs no turns at all until the item ends.
  TimePoint next_deadline(TimePoint now) const;
  // Closes the play record of the item on screen (at exit). With `snapshot` (snapshots on), an
  // item on screen that has no snapshot yet (its crossfade still running) gets one, drawn whole.
  void finish(MonoTime mono, RgbaImage* snapshot = nullptr);

  struct Snapshot {
    RgbaImage image;
    TimePoint item_start{};  // wall time of the item's first frame
    std::string rule, kind, item;
  };
  // The snapshots taken since the last call, in the order the items started.
  std::vector<Snapshot> take_snapshots() { return std::exchange(snapshots_, {}); }

  const ScreenStats& stats() const { return stats_; }
  // Called with each completed play record (proof of play).
  std::function<void(const PlayRecord&)> on_record;
  // Called with the warning text each time an item fails and is skipped.
  std::function<void(const std::string&)> on_skipped;

 private:
  struct Slot {
    bool valid = false;
    Showing showing;
    uint64_t key = 0;         // display texture key
    bool is_clip = false;
    bool is_loop = false;     // the clip is the next round of the current one (prepare_loop)
    ClipId clip = 0;
    FramePtr still;           // card picture
    MonoTime scheduled{};     // when the scheduler made it current
    bool presented = false;
    MonoTime first_presented{};
    TimePoint wall_start{};
    std::optional<double> gap_ms;
    double late_ms = 0;
  };
  Slot make_slot(const Showing& s, TimePoint card_now);
  void release(Slot& slot);
  FramePtr frame_of(const Slot& slot) const;
  bool ready(const Slot& slot) const;
  bool failed(const Slot& slot) const;
  void adopt_showing(TimePoint now, MonoTime mono);
  void switch_to_pending(TimePoint now, MonoTime mono);
  void refresh_preroll();
  // `next` is `playing` again, shown for the clip's natural length (a single looping clip): its
  // preroll is the same pipeline wrapping to the start (Player::prepare_loop).
  bool is_full_length_repeat(const Slot& playing, const Showing& next) const;
  void close_record(Slot& slot, MonoTime end);
  void after_present();

  ScreenRunnerOptions options_;
  Scheduler& scheduler_;
  Player& player_;
  CardRenderer& cards_;
  Display& display_;
  TimeZone zone_;
  Logger log_;

  Slot current_;
  Slot pending_;
  Slot preroll_;
  Slot outgoing_;
  struct LayerSignature {
    uint64_t key;
    const VideoFrame* frame;
    uint64_t sequence;
    double alpha;
    bool operator==(const LayerSignature&) const = default;
  };
  std::vector<LayerSignature> last_signature_;  // what the last present() showed
  bool captured_last_ = false;
  std::vector<Slot> retired_;  // released once the frame that replaced them is presented
  bool preroll_due_ = false;
  std::optional<uint64_t> adopted_serial_;
  uint64_t inputs_serial_ = 0;  // the scheduler's inputs_serial() the preroll was made for
  MonoTime transition_start_{};
  std::optional<MonoTime> last_present_of_previous_;
  bool snapshot_due_ = false;  // current_ started and its snapshot is not taken yet
  // How long the schedule holds its first showing for the first picture (Scheduler::hold_until_shown).
  static constexpr Duration kFirstPictureWait{15'000};
  MonoTime hold_until_ = MonoTime::max();
  std::vector<Snapshot> snapshots_;
  void push_snapshot(const RgbaImage& image);
  uint64_t next_key_ = 1;
  ScreenStats stats_;
};

// simulate's reference column for a showing, and its kind as text ("video", "standby", ...).
std::string showing_kind(const Showing& s);

}  // namespace branchcast
