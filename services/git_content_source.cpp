// libgit2 adapter: fetch into a bare cache repository, read files out of the wanted commit's tree.
#include "services/git_content_source.h"

#include <git2.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "common/strings.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "MANIFEST.sha256";
constexpr const char* kWanted = "refs/branchcast/wanted";

// Owns one libgit2 object; frees it with the matching git_*_free.
template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { reset(); }
  void reset() {
    if (p) Free(p);
    p = nullptr;
  }
};
using Repo = Owned<git_repository, git_repository_free>;
using Remote = Owned<git_remote, git_remote_free>;
using Object = Owned<git_object, git_object_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Blob = Owned<git_blob, git_blob_free>;
using TreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using Reference = Owned<git_reference, git_reference_free>;

struct FetchDeadline {
  std::chrono::steady_clock::time_point until;
};

int on_progress(const git_indexer_progress*, void* payload) {
  auto* d = static_cast<FetchDeadline*>(payload);
  return std::chrono::steady_clock::now() > d->until ? -1 : 0;  // non-zero cancels the fetch
}

int on_sideband(const char*, int, void* payload) { return on_progress(nullptr, payload); }

class GitSource final : public ContentSource {
 public:
  GitSource(ContentSourceUrl url, std::string state_dir, GitSourceOptions options)
      : url_(std::move(url)), cache_(fs::path(state_dir) / "git-cache"), options_(options) {
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
    auto scheme_end = url_.transport.find("://");
    auto at = url_.transport.find('@');
    auto slash = url_.transport.find('/', scheme_end + 3);
    if (scheme_end != std::string::npos && at != std::string::npos && at < slash)
      userinfo_ = url_.transport.substr(scheme_end + 3, at - scheme_end - 3);
  }

  std::string describe() const override { return url_.display; }

  Result<std::optional<std::string>> fetch_manifest() override {
    auto fetched = fetch();
    if (!fetched) {  // a cache left locked or broken by an interrupted sync: start afresh once
      std::error_code ec;
      repo_.reset();
      fs::remove_all(cache_, ec);
      fetched = fetch();
      if (!fetched) return fetched.error();
    }
    if (TreeEntry e; git_tree_entry_bypath(&e.p, tree_.p, kManifest) == 0) {
      Blob b;
      if (git_tree_entry_type(e.p) != GIT_OBJECT_BLOB || git_blob_lookup(&b.p, repo_.p, git_tree_entry_id(e.p)) != 0)
        return make_error(url_.display + ": " + kManifest + " is not a file");
      return std::optional<std::string>(std::string(static_cast<const char*>(git_blob_rawcontent(b.p)),
                                                    static_cast<size_t>(git_blob_rawsize(b.p))));
    }
    std::string text = "# git commit " + commit_ + "\n";
    Status walked = walk_blobs(tree_.p, "", text);
    if (!walked) return walked.error();
    return std::optional<std::string>(std::move(text));
  }

  std::optional<uint64_t> size_hint(const ManifestEntry& entry) const override {
    Blob b;
    if (!lookup_blob(entry.path, b)) return std::nullopt;
    return static_cast<uint64_t>(git_blob_rawsize(b.p));
  }

  Status fetch_file(const ManifestEntry& entry, const std::string& to, uint64_t max_bytes) override {
    Blob b;
    if (!lookup_blob(entry.path, b))
      return make_error(url_.display + "/" + entry.path + ": listed in the manifest but not a file in commit " + commit_);
    auto size = static_cast<uint64_t>(git_blob_rawsize(b.p));
    if (size > max_bytes)
      return make_error(url_.display + "/" + entry.path + ": " + std::to_string(size) +
                        " bytes, more than the free space above the reserve");
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(git_blob_rawcontent(b.p)), static_cast<std::streamsize>(size));
    if (!out.flush()) return make_error(to + ": write failed (disk full?)");
    return {};
  }

 private:
  // The last libgit2 error, without the URL's userinfo.
  Error git_failure(const std::string& what) const {
    const git_error* e = git_error_last();
    std::string why = e && e->message ? e->message : "unknown libgit2 error";
    if (!userinfo_.empty())
      for (size_t at; (at = why.find(userinfo_)) != std::string::npos;) why.replace(at, userinfo_.size(), "***");
    return make_error(url_.display + ": " + what + ": " + why);
  }

  Status fetch() {
    std::error_code ec;
    if (fs::exists(cache_ / "HEAD", ec)) {
      if (git_repository_open_bare(&repo_.p, cache_.c_str()) != 0) return git_failure("cannot open the cache");
    } else if (git_repository_init(&repo_.p, cache_.c_str(), 1) != 0) {
      return git_failure("cannot create the cache");
    }
    Remote remote;
    if (git_remote_create_anonymous(&remote.p, repo_.p, url_.transport.c_str()) != 0)
      return git_failure("bad remote");
    FetchDeadline deadline{std::chrono::steady_clock::now() + options_.fetch_timeout};
    git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
    callbacks.transfer_progress = on_progress;
    callbacks.sideband_progress = on_sideband;
    callbacks.payload = &deadline;
    if (git_remote_connect(remote.p, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0)
      return git_failure("cannot reach the remote");
    auto source_ref = wanted_ref(remote.p);
    git_remote_disconnect(remote.p);
    if (!source_ref) return source_ref.error();
    std::string spec = "+" + *source_ref + ":" + kWanted;
    char* specs[] = {spec.data()};
    git_strarray refspecs{specs, 1};
    git_fetch_options fetch_opts = GIT_FETCH_OPTIONS_INIT;
    fetch_opts.callbacks = callbacks;
    fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fetch_opts.prune = GIT_FETCH_NO_PRUNE;
    fetch_opts.update_fetchhead = 0;  // FETCH_HEAD would record the URL, userinfo included
    if (git_remote_fetch(remote.p, &refspecs, &fetch_opts, "branchcast sync") != 0)
      return git_failure("fetch of " + *source_ref + " failed");
    Reference ref;
    Object commit;
    if (git_reference_lookup(&ref.p, repo_.p, kWanted) != 0 || git_reference_peel(&commit.p, ref.p, GIT_OBJECT_COMMIT) != 0)
      return git_failure(*source_ref + " is not a commit");
    char oid[GIT_OID_HEXSZ + 1];
    git_oid_tostr(oid, sizeof oid, git_object_id(commit.p));
    commit_ = oid;
    tree_.reset();
    if (git_commit_tree(&tree_.p, reinterpret_cast<git_commit*>(commit.p)) != 0) return git_failure("cannot read the tree");
    return {};
  }

  // The full name of the ref to fetch: the #ref as a branch, then as a tag; or the default branch.
  Result<std::string> wanted_ref(git_remote* remote) const {
    if (url_.ref.empty()) {
      git_buf name = GIT_BUF_INIT;
      if (git_remote_default_branch(&name, remote) != 0) return git_failure("the remote has no default branch");
      std::string out(name.ptr, name.size);
      git_buf_dispose(&name);
      return out;
    }
    const git_remote_head** heads = nullptr;
    size_t n = 0;
    if (git_remote_ls(&heads, &n, remote) != 0) return git_failure("cannot list the remote's refs");
    for (const char* prefix : {"refs/heads/", "refs/tags/"})
      for (size_t i = 0; i < n; ++i)
        if (heads[i]->name == std::string(prefix) + url_.ref) return std::string(heads[i]->name);
    return make_error(url_.display + ": no branch or tag named '" + url_.ref + "'");
  }

  Status walk_blobs(git_tree* tree, const std::string& prefix, std::string& manifest) const {
    for (size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree, i);
      std::string path = prefix + git_tree_entry_name(e);
      git_filemode_t mode = git_tree_entry_filemode(e);
      if (mode == GIT_FILEMODE_TREE) {
        Tree sub;
        if (git_tree_lookup(&sub.p, repo_.p, git_tree_entry_id(e)) != 0) return git_failure("cannot read " + path);
        if (auto s = walk_blobs(sub.p, path + "/", manifest); !s) return s;
      } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
        Blob b;
        if (git_blob_lookup(&b.p, repo_.p, git_tree_entry_id(e)) != 0) return git_failure("cannot read " + path);
        manifest += sha256_hex(git_blob_rawcontent(b.p), static_cast<size_t>(git_blob_rawsize(b.p))) + "  " + path + "\n";
      }
    }
    return {};
  }

  bool lookup_blob(const std::string& path, Blob& out) const {
    TreeEntry e;
    if (!tree_.p || git_tree_entry_bypath(&e.p, tree_.p, path.c_str()) != 0) return false;
    git_filemode_t mode = git_tree_entry_filemode(e.p);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return false;
    return git_blob_lookup(&out.p, repo_.p, git_tree_entry_id(e.p)) == 0;
  }

  ContentSourceUrl url_;
  fs::path cache_;
  GitSourceOptions options_;
  std::string userinfo_;
  Repo repo_;
  Tree tree_;
  std::string commit_;
};

}  // namespace

std::unique_ptr<ContentSource> make_git_content_source(ContentSourceUrl url, std::string state_dir,
                                                       GitSourceOptions options) {
  return std::make_unique<GitSource>(std::move(url), std::move(state_dir), options);
}

}  // namespace branchcast
