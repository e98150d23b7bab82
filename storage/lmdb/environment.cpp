// LMDB environment set-up and the RAII transaction wrappers.
#include "storage/lmdb/environment.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace sluice::storage {

Error lmdb_error(int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += mdb_strerror(rc);
  if (rc == MDB_MAP_FULL || rc == ENOSPC || rc == EDQUOT || rc == MDB_TXN_FULL) {
    return make_error(ErrorCode::kStorageFull, std::move(msg));
  }
  return make_error(ErrorCode::kInternal, std::move(msg));
}

namespace {
Status make_dirs(const std::string& dir) {
  std::string path;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        return make_error(ErrorCode::kInternal, "cannot create data dir " + path);
      }
    }
    if (i < dir.size()) path += dir[i];
  }
  return {};
}
}  // namespace

Result<std::unique_ptr<Environment>> Environment::open(const EnvironmentOptions& options) {
  if (auto st = make_dirs(options.data_dir); !st) return st.error();
  std::unique_ptr<Environment> self(new Environment());
  self->durability_ = options.durability;
  self->data_dir_ = options.data_dir;
  int rc = mdb_env_create(&self->env_);
  if (rc) return lmdb_error(rc, "mdb_env_create");
  mdb_env_set_maxdbs(self->env_, 32);
  mdb_env_set_maxreaders(self->env_, 256);
  rc = mdb_env_set_mapsize(self->env_, options.map_size_bytes);
  if (rc) return lmdb_error(rc, "mdb_env_set_mapsize");
  // NOTLS: read txns are tied to our objects, not threads. NORDAHEAD: random body reads.
  unsigned flags = MDB_NOTLS | MDB_NORDAHEAD;
  // kSync: a commit fdatasyncs its data pages but not its meta page; the GroupCommitter answers a
  // batch only once a later sync (the next commit's, or an explicit one) has covered that meta
  // page too. LMDB keeps integrity in this mode; it only defers the last commit's durability.
  flags |= options.durability == Durability::kRelaxed ? MDB_NOSYNC : MDB_NOMETASYNC;
  rc = mdb_env_open(self->env_, options.data_dir.c_str(), flags, 0644);
  if (rc) return lmdb_error(rc, "mdb_env_open " + options.data_dir);

  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(self->env_, nullptr, 0, &txn);
  if (rc) return lmdb_error(rc, "mdb_txn_begin");
  auto open_db = [&](const char* name, MDB_dbi* dbi) {
    return rc ? rc : (rc = mdb_dbi_open(txn, name, MDB_CREATE, dbi));
  };
  open_db("meta", &self->dbs_.meta);
  open_db("queues", &self->dbs_.queues);
  open_db("messages", &self->dbs_.messages);
  open_db("states", &self->dbs_.states);
  open_db("dedup", &self->dbs_.dedup);
  open_db("move_tasks", &self->dbs_.move_tasks);
  open_db("machines", &self->dbs_.machines);
  open_db("executions", &self->dbs_.executions);
  open_db("history", &self->dbs_.history);
  open_db("tokens", &self->dbs_.tokens);
  open_db("pipes", &self->dbs_.pipes);
  if (rc) {
    mdb_txn_abort(txn);
    return lmdb_error(rc, "mdb_dbi_open");
  }
  rc = mdb_txn_commit(txn);
  if (rc) return lmdb_error(rc, "mdb_txn_commit");
  return self;
}

Environment::~Environment() {
  if (env_) {
    mdb_env_sync(env_, 1);
    mdb_env_close(env_);
  }
}

uint64_t Environment::last_txn_id() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_last_txnid;
}

Status Environment::sync() {
  int rc = mdb_env_sync(env_, 1);
  if (rc) return lmdb_error(rc, "mdb_env_sync");
  return {};
}

Status Environment::sync_data_file() {
  mdb_filehandle_t fd;
  int rc = mdb_env_get_fd(env_, &fd);
  if (rc == 0 && ::fdatasync(fd) != 0) rc = errno;
  if (rc) return lmdb_error(rc, "fdatasync");
  return {};
}

WriteTxn::WriteTxn(Environment& env) : env_(env) {}
WriteTxn::~WriteTxn() {
  abort();
}

int WriteTxn::begin() {
  abort();
  return mdb_txn_begin(env_.env(), nullptr, 0, &txn_);
}

int WriteTxn::commit() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // LMDB frees the txn whether or not the commit succeeded
  return rc;
}

void WriteTxn::abort() {
  if (txn_) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

int WriteTxn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = to_val(key), v = to_val(value);
  return mdb_put(txn_, dbi, &k, &v, flags);
}

int WriteTxn::put_usually_last(MDB_dbi dbi, std::string_view key, std::string_view value) {
  int rc = put(dbi, key, value, MDB_APPEND);
  return rc == MDB_KEYEXIST ? put(dbi, key, value) : rc;
}

int WriteTxn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = to_val(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  return rc == MDB_NOTFOUND ? 0 : rc;
}

int WriteTxn::get(MDB_dbi dbi, std::string_view key, std::string_view* value) {
  MDB_val k = to_val(key), v{};
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == 0) *value = from_val(v);
  return rc;
}

ReadTxn::ReadTxn(Environment& env) : env_(env) {}
ReadTxn::~ReadTxn() {
  if (txn_) mdb_txn_abort(txn_);
}

int ReadTxn::begin() {
  if (active_) return 0;
  int rc = txn_ ? mdb_txn_renew(txn_) : mdb_txn_begin(env_.env(), nullptr, MDB_RDONLY, &txn_);
  active_ = rc == 0;
  return rc;
}

void ReadTxn::reset() {
  if (active_) mdb_txn_reset(txn_);
  active_ = false;
}

int ReadTxn::get(MDB_dbi dbi, std::string_view key, std::string_view* value) {
  MDB_val k = to_val(key), v{};
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == 0) *value = from_val(v);
  return rc;
}

Cursor::Cursor(MDB_txn* txn, MDB_dbi dbi) {
  rc_ = mdb_cursor_open(txn, dbi, &cursor_);
}
Cursor::~Cursor() {
  if (cursor_) mdb_cursor_close(cursor_);
}

}  // namespace sluice::storage
