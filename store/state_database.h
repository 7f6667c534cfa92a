// The appliance's state database, opened so that the screens play whatever the storage does
// (issue 13). SD cards fail by returning garbage or going read-only, and disks fill up: none of
// that may keep the screen dark.
//
// open_state_database() never fails. It returns a usable Database (every component's migrations
// applied) and a status saying what it had to do:
//   - the file is fine: used as is (status not degraded);
//   - the file is damaged (not an SQLite file, a folder in its place, fails SQLite's quick_check,
//     or its schema is not ours): it is moved aside to "<file>.damaged-<UTC stamp>" (with its -wal
//     and -shm) and kept for diagnosis, and a fresh database is created in its place;
//   - the folder cannot be created or written, the disk is full, or the damaged file cannot be
//     moved: an in-memory database is used for this run (nothing on disk is touched).
// The status names the file, the cause (SQLite's or the OS's message) and the file kept aside; the
// caller puts it in the journal, /healthz and /metrics.
//
// inspect_state_database() is doctor's read-only view of the same questions: it never creates,
// moves or writes anything.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/time.h"
#include "store/database.h"

namespace branchcast {

enum class StateStorage {
  kFile,       // the database file, as found (or created where there was none)
  kFreshFile,  // a damaged file was moved aside and a fresh file created
  kMemory,     // in memory for this run: nothing will be kept after it
};

struct StateDatabaseStatus {
  StateStorage storage = StateStorage::kFile;
  std::string path;         // the database file (the one on disk, also when running in memory)
  std::string moved_aside;  // where the damaged file now is ("" when nothing was moved)
  std::string reason;       // what went wrong ("" when nothing did); names the file and the cause
  bool degraded() const { return !reason.empty(); }
  // One line for the journal and /healthz: "" when not degraded.
  std::string summary() const;
};

struct StateDatabase {
  std::unique_ptr<Database> db;  // never null
  StateDatabaseStatus status;
};

// Opens `<dir>/branchcast.db` as described above. `now` stamps the name of a file moved aside.
// Thread: any (the Database returned is then that thread's, see store/database.h).
StateDatabase open_state_database(const std::string& dir, TimePoint now);
// The same for a database file anywhere (tests, ScreenLoopOptions::database_path).
StateDatabase open_state_database_file(const std::string& path, TimePoint now);

// Every component's migrations and a probe of its tables: what makes a database "ours".
Status prepare_state_schema(Database& db);

// Less free space than this in the state folder counts as a full disk.
inline constexpr uint64_t kStateMinFreeBytes = 1u << 20;

struct StateDatabaseReport {
  std::string path;
  bool exists = false;
  bool usable = true;                   // opens read-only and passes quick_check (or is absent)
  std::string problem;                  // why not usable, or why the folder is not writable
  bool folder_writable = true;
  std::vector<std::string> moved_aside; // "<file>.damaged-*" kept from earlier runs, oldest first
};
// Read-only look at `<dir>/branchcast.db` and the damaged files kept beside it.
StateDatabaseReport inspect_state_database(const std::string& dir);

}  // namespace branchcast
