// SDL adapter of the display probe: lists compiled-in video drivers and checks that the libraries
// its KMSDRM driver loads at run time can be loaded, without opening any device.
#include <SDL.h>
#include <dlfcn.h>
#include <glob.h>

#include <fstream>
#include <string>

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
  std::string connectors = (dev_root == "/" ? std::string() : dev_root) + "/sys/class/drm/card*-*/status";
  glob_t c{};
  if (::glob(connectors.c_str(), 0, nullptr, &c) == 0) {
    f.connected = false;
    for (size_t i = 0; i < c.gl_pathc; ++i) {
      std::ifstream status(c.gl_pathv[i]);
      std::string line;
      if (std::getline(status, line) && line == "connected") f.connected = true;
    }
  }
  ::globfree(&c);
  // SDL dlopens these by these names (EGL and GLES through libglvnd; Mesa's EGL vendor and the
  // GPU's DRI driver come with them). Loaded and unloaded here, nothing initialised.
  for (const char* lib : {"libEGL.so.1", "libGLESv2.so.2", "libgbm.so.1"}) {
    if (void* h = ::dlopen(lib, RTLD_LAZY | RTLD_LOCAL)) {
      ::dlclose(h);
    } else {
      f.missing_gpu_libraries.emplace_back(lib);
    }
  }
  return f;
}

}  // namespace branchcast
