// Content sync from a Git remote (libgit2): the adapter for ContentSourceUrl::Kind::kGit.
//
// fetch_manifest() fetches the wanted ref (the URL's #branch or #tag; without one the remote's
// default branch) into a bare cache repository at <dest_root>/git-cache, then reads the commit's
// tree. With a MANIFEST.sha256 at the tree's root, that manifest is used as is (only the files it
// lists are synced, each verified by SHA-256 like any other source). Without one, a manifest of
// every regular file in the tree is computed ("# git commit <id>" first, so a new commit is a
// new version and the same commit is "unchanged"); symbolic links and submodules are skipped.
// What Git's own hashing gives: objects are named by their SHA-1 and libgit2 checks each object's
// hash when reading it and the pack checksum when fetching, so a corrupt transfer or cache is
// caught; it does not authenticate who pushed (anyone who can push can change files and
// manifest together), and SHA-1 is collision-weak, which the SHA-256 manifest covers.
// A cache that cannot be opened or fetched into (a sync killed mid-fetch leaves lock files) is
// removed and cloned afresh once. Errors name git+scheme://host/path, never userinfo.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "services/content_source_url.h"
#include "services/content_sync.h"

namespace branchcast {

struct GitSourceOptions {
  std::chrono::milliseconds fetch_timeout{30 * 60'000};  // the whole fetch
};

// `url` must be of kind kGit; the cache lives under `state_dir` (the sync's dest_root).
std::unique_ptr<ContentSource> make_git_content_source(ContentSourceUrl url, std::string state_dir,
                                                       GitSourceOptions options = {});

}  // namespace branchcast
