#include <memory>
#include <ostream>
#include <set>
#include <string>

#include "appliance/commands.h"
#include "config/loader.h"
#include "media/gst_media_probe.h"
#include "media/sdl_font_chain.h"

namespace branchcast {
namespace {

// The real WallProbe: GStreamer's discoverer for media, the card renderer's font chain for text
// (opened on first use, so files without text never start SDL_ttf).
class SystemWallProbe final : public WallProbe {
 public:
  MediaFacts probe_media(const std::string& path) override { return gst_probe_media(path); }
  bool can_draw(char32_t c) override {
    if (!fonts_) fonts_ = std::make_unique<SdlFontChain>(CardFonts{});
    return fonts_->can_draw(c);
  }

 private:
  std::unique_ptr<SdlFontChain> fonts_;
};

}  // namespace

Command validate_command() {
  Command c;
  c.name = "validate";
  c.summary = "check appliance and playlist files, and the files they reference";
  c.usage =
      "Usage: branchcast validate FILE...\n\n"
      "Checks each appliance.yaml, playlist or patrons file, and every file it references\n"
      "(playlists, content files, file: feeds, the patrons file, the VAPID key).\n"
      "Media files are probed with GStreamer as a screen would decode them, card text is checked\n"
      "against the card fonts, and screen resolution and rotation against how TVs are mounted.\n"
      "Findings are printed one per line as FILE:LINE:COL: error: MESSAGE, or warning: for what\n"
      "still plays but not as meant. Exit 1 on any error (warnings alone exit 0).\n"
      "See docs/config.md for every key, its default and meaning.\n";
  c.run = [](const Args& args, CommandEnv& env) {
    if (args.positional().empty()) return usage_error(env, "validate", "no file given");
    size_t errors = 0, warnings = 0;
    std::set<std::string> shown;  // a playlist given with its appliance file is checked twice
    SystemWallProbe probe;
    for (const auto& file : args.positional()) {
      for (const auto& e : validate_file(file, &probe)) {
        std::string line = e.to_string();
        if (!shown.insert(line).second) continue;
        env.err << line << "\n";
        ++(e.severity == Severity::kWarning ? warnings : errors);
      }
    }
    auto count = [](size_t n, const char* what) {
      return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    if (errors > 0) {
      env.err << count(errors, "error") << (warnings ? ", " + count(warnings, "warning") : "") << "\n";
      return kExitInvalid;
    }
    env.out << "ok: " << args.positional().size()
            << (args.positional().size() == 1 ? " file" : " files") << " valid"
            << (warnings ? ", " + count(warnings, "warning") : "") << "\n";
    return kExitOk;
  };
  return c;
}

}  // namespace branchcast
