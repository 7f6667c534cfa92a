// GStreamer adapter of the doctor's plugin probe: registry lookups only, no pipeline.
#include <gst/gst.h>

#include "services/doctor_probes.h"

namespace branchcast {

GstFacts probe_gstreamer(const std::vector<std::string>& elements) {
  GstFacts f;
  GError* err = nullptr;
  if (!gst_init_check(nullptr, nullptr, &err)) {
    f.init_error = err ? err->message : "unknown error";
    if (err) g_error_free(err);
    return f;
  }
  f.initialised = true;
  for (const auto& e : elements) {
    GstElementFactory* factory = gst_element_factory_find(e.c_str());
    if (!factory) f.missing.push_back(e);
    else gst_object_unref(factory);
  }
  return f;
}

}  // namespace branchcast
