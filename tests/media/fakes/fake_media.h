// Fakes of the media ports for the scheduler-driven loop (ScreenRunner) tests.
//
// FakePlayer decodes nothing: each file is a 1x1 picture of a colour chosen by the test, and
// knobs inject faults per path (fails to preroll, slow preroll measured in poll() calls, a video
// that ends early or never). FakeDisplay really composes the 1x1 layers (alpha blending over
// black) and records the colour of every presented frame, so tests assert on what was shown.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "media/ports.h"

namespace branchcast::fakes {

struct Rgb {
  int r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
  bool black() const { return r + g + b == 0; }
};

// A playlist image item whose file FakePlayer knows by `path` (resolved under /content/).
inline PlaylistItem image(const std::string& path, int seconds) {
  PlaylistItem i;
  i.kind = ItemKind::kImage;
  i.path = path;
  i.resolved = "/content/" + path;
  i.duration = Duration(seconds * 1000);
  return i;
}

inline FramePtr pixel(Rgb c, uint64_t seq = 1) {
  auto img = std::make_shared<RgbaImage>();
  img->width = 1;
  img->height = 1;
  img->pixels = {static_cast<uint8_t>(c.r), static_cast<uint8_t>(c.g), static_cast<uint8_t>(c.b), 255};
  return frame_from_image(img, seq);
}

class FakePlayer final : public Player {
 public:
  struct Knobs {
    Rgb colour{255, 255, 255};
    bool fail_preroll = false;
    int preroll_polls = 1;       // poll() calls until the first frame is ready
    int ends_after_polls = -1;   // video: end of stream after this many polls while playing; -1 never
  };
  std::map<std::string, Knobs> files;  // by path; unknown paths fail like a missing file
  std::vector<std::string> prepared;   // every prepare(), in order
  int loops = 0;                       // prepare_loop() calls answered by wrapping a playing clip
  bool wraps = true;                   // false: a looping clip ends without starting its next round
  int released = 0;

  ClipId prepare(const MediaSource& source) override {
    ClipId id = next_++;
    Clip c;
    c.source = source;
    auto it = files.find(source.path);
    if (it == files.end()) {
      c.state = ClipState::kFailed;
      c.error = "file not found";
    } else {
      c.knobs = it->second;
      c.polls_left = c.knobs.preroll_polls;
    }
    clips_[id] = c;
    prepared.push_back(source.path);
    return id;
  }
  // A playing video's next round: ready when the playing clip reaches its end (ends_after_polls).
  ClipId prepare_loop(ClipId playing) override {
    auto it = clips_.find(playing);
    if (it == clips_.end()) return prepare({});
    if (!it->second.source.is_video || it->second.state != ClipState::kPlaying) return prepare(it->second.source);
    ClipId id = next_++;
    Clip c;
    c.source = it->second.source;
    c.knobs = it->second.knobs;
    c.waits_for_wrap = true;
    clips_[id] = c;
    it->second.loop_next = id;
    ++loops;
    return id;
  }
  void start(ClipId id) override {
    auto it = clips_.find(id);
    if (it != clips_.end() && it->second.state == ClipState::kReady) it->second.state = ClipState::kPlaying;
  }
  void release(ClipId id) override { released += static_cast<int>(clips_.erase(id)); }
  void poll() override {
    for (auto& [id, c] : clips_) {
      if (c.waits_for_wrap) continue;
      if (c.state == ClipState::kPreparing && --c.polls_left <= 0) {
        if (c.knobs.fail_preroll) {
          c.state = ClipState::kFailed;
          c.error = "injected preroll failure";
        } else {
          c.state = ClipState::kReady;
          c.frame = pixel(c.knobs.colour);
        }
      } else if (c.state == ClipState::kPlaying && c.source.is_video) {
        ++c.played_polls;
        c.frame = pixel(c.knobs.colour, c.played_polls + 1);
        if (c.knobs.ends_after_polls >= 0 && c.played_polls >= c.knobs.ends_after_polls) {
          c.state = ClipState::kEnded;
          if (auto next = clips_.find(c.loop_next); wraps && next != clips_.end()) {  // round two starts
            next->second.waits_for_wrap = false;
            next->second.state = ClipState::kPlaying;
            next->second.frame = pixel(next->second.knobs.colour, c.played_polls + 2);
          }
        }
      }
    }
  }
  ClipState state(ClipId id) const override {
    auto it = clips_.find(id);
    return it == clips_.end() ? ClipState::kFailed : it->second.state;
  }
  FramePtr frame(ClipId id) const override {
    auto it = clips_.find(id);
    return it == clips_.end() ? nullptr : it->second.frame;
  }
  std::string error(ClipId id) const override {
    auto it = clips_.find(id);
    return it == clips_.end() ? "unknown" : it->second.error;
  }
  size_t alive() const { return clips_.size(); }

 private:
  struct Clip {
    MediaSource source;
    Knobs knobs;
    ClipState state = ClipState::kPreparing;
    int polls_left = 1;
    int played_polls = 0;
    bool waits_for_wrap = false;  // a prepare_loop() round not begun yet
    ClipId loop_next = 0;
    FramePtr frame;
    std::string error;
  };
  std::map<ClipId, Clip> clips_;
  ClipId next_ = 1;
};

// Cards are a colour per style; the titles drawn are recorded.
class FakeCardRenderer final : public CardRenderer {
 public:
  Rgb colour{0, 0, 200};
  std::vector<CardContent> rendered;
  bool fail = false;
  FramePtr render(const CardContent& card, Size) override {
    rendered.push_back(card);
    return fail ? nullptr : pixel(colour);
  }
};

class FakeDisplay final : public Display {
 public:
  std::vector<Rgb> shown;  // one per present()
  size_t forgotten = 0;
  int captures = 0;        // presents that were read back

  Size output() const override { return {1, 1}; }
  Size canvas() const override { return {1, 1}; }
  Status present(const std::vector<Layer>& layers, RgbaImage* capture) override {
    double r = 0, g = 0, b = 0;
    for (const Layer& l : layers) {
      const uint8_t* p = l.frame->planes[0];
      r = r * (1 - l.alpha) + p[0] * l.alpha;
      g = g * (1 - l.alpha) + p[1] * l.alpha;
      b = b * (1 - l.alpha) + p[2] * l.alpha;
    }
    Rgb c{static_cast<int>(r + 0.5), static_cast<int>(g + 0.5), static_cast<int>(b + 0.5)};
    shown.push_back(c);
    if (capture) {
      ++captures;
      capture->width = capture->height = 1;
      capture->pixels = {static_cast<uint8_t>(c.r), static_cast<uint8_t>(c.g), static_cast<uint8_t>(c.b), 255};
    }
    return {};
  }
  void forget(uint64_t) override { ++forgotten; }
};

}  // namespace branchcast::fakes
