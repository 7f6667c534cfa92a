#include "media/frame.h"

namespace branchcast {

FramePtr frame_from_image(std::shared_ptr<const RgbaImage> image, uint64_t sequence) {
  auto f = std::make_shared<VideoFrame>();
  f->format = PixelFormat::kRgba;
  f->width = image->width;
  f->height = image->height;
  f->planes[0] = image->pixels.data();
  f->strides[0] = image->width * 4;
  f->sequence = sequence;
  f->keepalive = std::move(image);
  return f;
}

}  // namespace branchcast
