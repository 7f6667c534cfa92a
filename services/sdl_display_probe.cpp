// SDL adapter of the display probe: lists compiled-in video drivers without opening anything.
#include <SDL.h>
#include <glob.h>

#include "services/doctor_probes.h"

namespace branchcast {

DisplayFacts probe_display(const std::string& dev_root) {
  DisplayFacts f;
  for (int i = 0, n = SDL_GetNumVideoDrivers(); i < n; ++i)
    if (const char* name = SDL_GetVideoDriver(i)) f.sdl_drivers.emplace_back(name);
  std::string pattern = (dev_root == "/" ? std::string() : dev_root) + "/dev/dri/card*";
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) f.drm_cards.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  return f;
}

}  // namespace branchcast
