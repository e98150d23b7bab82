// What a full disk does to LMDB with and without MDB_WRITEMAP (issue 15, commit path): without it a
// commit fails with ENOSPC (the server answers kStorageFull); with it LMDB extends data.mdb to the
// map size as a sparse file at open, and the first write through the map into a hole that the full
// file system cannot back raises SIGBUS, which kills the process.
//
// Build and run (root: it mounts a small ext4 image on a loop device):
//   gcc -O1 -o /tmp/writemap_full writemap_full.c -llmdb
//   truncate -s 8M /tmp/wm.img && mkfs.ext4 -q /tmp/wm.img && mkdir -p /tmp/wm
//   mount -o loop /tmp/wm.img /tmp/wm && mkdir /tmp/wm/a /tmp/wm/b
//   /tmp/writemap_full /tmp/wm/a            # plain: "error after N puts: No space left on device"
//   rm -r /tmp/wm/a                         # give the second run the same free space
//   /tmp/writemap_full /tmp/wm/b writemap   # WRITEMAP: "SIGBUS after N committed 1 KiB puts"
//   umount /tmp/wm
#include <lmdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile long committed = 0;

static void on_sigbus(int sig) {
  (void)sig;
  char buf[96];
  int n = snprintf(buf, sizeof buf, "SIGBUS after %ld committed 1 KiB puts\n", committed);
  (void)!write(2, buf, (size_t)n);
  _exit(99);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [writemap]\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  const unsigned writemap = argc > 2 && strcmp(argv[2], "writemap") == 0 ? MDB_WRITEMAP : 0;
  signal(SIGBUS, on_sigbus);
  MDB_env* env;
  mdb_env_create(&env);
  mdb_env_set_mapsize(env, 64ull << 20);  // larger than the file system, as --map-size is
  int rc = mdb_env_open(env, argv[1], writemap | MDB_NOMETASYNC, 0644);
  if (rc) {
    printf("open: %s\n", mdb_strerror(rc));
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/data.mdb", argv[1]);
  struct stat st;
  stat(path, &st);
  printf("data.mdb after open: size %lld, allocated %lld bytes\n", (long long)st.st_size,
         (long long)st.st_blocks * 512);
  MDB_txn* txn;
  MDB_dbi dbi;
  mdb_txn_begin(env, NULL, 0, &txn);
  mdb_dbi_open(txn, NULL, 0, &dbi);
  mdb_txn_commit(txn);
  char value[1024];
  memset(value, 'x', sizeof value);
  for (long i = 0;; ++i) {
    char k[32];
    snprintf(k, sizeof k, "%016ld", i);
    MDB_val key = {strlen(k), k}, val = {sizeof value, value};
    rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (rc == 0) {
      rc = mdb_put(txn, dbi, &key, &val, 0);
      rc = rc ? (mdb_txn_abort(txn), rc) : mdb_txn_commit(txn);
    }
    if (rc) {
      printf("error after %ld puts: %s\n", committed, mdb_strerror(rc));
      break;
    }
    committed = i + 1;
  }
  mdb_env_close(env);
  return 0;
}
