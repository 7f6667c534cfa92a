// The media ports (architecture: Player/Display). Owned by the core; implemented by the GStreamer
// adapter (gst_player), the SDL2 adapters (sdl_display, sdl_card_renderer) and fakes in
// tests/media/fakes/. Only our own value types cross them. All calls: loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "media/card.h"
#include "media/frame.h"
#include "media/layout.h"

namespace branchcast {

// What a Player should decode: a still image or a video file.
struct MediaSource {
  std::string path;       // absolute
  bool is_video = false;
  bool mute = true;       // true: no audio branch at all
  Duration offset{0};     // start position (preview seeks; run starts at 0)
  // When set (absolute), the file is opened beneath this folder at prepare() time, following no
  // symbolic link (common/safe_open.h): a file replaced by a link out of it after the playlist
  // was loaded fails ("skipped") instead of being played. Empty: the path is opened as it is.
  std::string root{};
};

enum class ClipState {
  kPreparing,  // decoding towards the first frame
  kReady,      // first frame available (prerolled), not started
  kPlaying,
  kEnded,      // end of stream: the last frame stays available
  kFailed,     // could not decode; see error()
};

using ClipId = uint64_t;

class Player {
 public:
  virtual ~Player() = default;
  // Starts decoding towards the first frame; returns at once. A file already known to be bad
  // (unchanged since it failed) fails immediately.
  virtual ClipId prepare(const MediaSource& source) = 0;
  // The next repetition of `playing` (a video started from its beginning), decoded by the same
  // pipeline: when `playing` reaches its end, decoding wraps to the start without a flush and the
  // frames from there on are the returned clip's, which turns kPlaying with its first frame;
  // `playing` turns kEnded holding its last frame. Until then the returned clip is kPreparing
  // with no frame. Releasing either leaves the pipeline to the other. When `playing` cannot loop
  // (a still, an offset, ended, failed), this is prepare() of the same source.
  virtual ClipId prepare_loop(ClipId playing) = 0;
  // Begins playback of a prepared clip (no-op for stills). Allowed while still preparing.
  virtual void start(ClipId id) = 0;
  // Releases the clip and everything it holds. Unknown ids are ignored.
  virtual void release(ClipId id) = 0;
  // Processes pending decoder messages (errors, end of stream, preroll). Called once per frame.
  virtual void poll() = 0;
  virtual ClipState state(ClipId id) const = 0;
  // The newest decoded picture, or null before the first one.
  virtual FramePtr frame(ClipId id) const = 0;
  virtual std::string error(ClipId id) const = 0;
};

// Renders a card (pure CardContent) to an RGBA picture of the canvas size.
class CardRenderer {
 public:
  virtual ~CardRenderer() = default;
  virtual FramePtr render(const CardContent& card, Size canvas) = 0;
};

// One picture on the canvas: letterboxed into the whole canvas with opacity `alpha`.
// `key` identifies the source so the display can keep its texture between frames.
struct Layer {
  uint64_t key = 0;
  FramePtr frame;
  double alpha = 1.0;
};

// The screen. Owns the output surface for its lifetime (window, KMSDRM or offscreen).
class Display {
 public:
  virtual ~Display() = default;
  virtual Size output() const = 0;
  virtual Size canvas() const = 0;
  // Composes the layers bottom to top on black, rotated onto the output, and presents them.
  // With `capture`, also reads the composed output back into it, exactly as shown (after
  // rotation), before presenting.
  virtual Status present(const std::vector<Layer>& layers, RgbaImage* capture = nullptr) = 0;
  // Drops the cached texture of a source that is gone.
  virtual void forget(uint64_t key) = 0;
};

}  // namespace branchcast
