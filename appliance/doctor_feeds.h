// `doctor`'s feed check: each configured feed's last fetch, from the feed cache's status rows.
// Pure. Messages name feeds by id; errors are the fetcher's own (host only, never a URL path).
#pragma once

#include <vector>

#include "config/settings.h"
#include "feeds/feed_cache.h"
#include "services/doctor.h"

namespace branchcast {

// ok when every feed's last attempt succeeded within three refresh intervals; warn (the last good
// copy keeps playing) for a feed never fetched, failing, or stale. A failing `closures_feed`
// (branch.closures_feed) says that its last good closures are kept.
CheckResult check_feed_statuses(const std::vector<FeedSettings>& feeds, const std::vector<FeedStatus>& statuses,
                                TimePoint now, const std::string& closures_feed = "");

}  // namespace branchcast
