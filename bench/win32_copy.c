/* File copy benchmark (issue 6): copies SRC to DST and prints what it measured itself.
 *
 *   win32_copy crt|copyfile SRC DST
 *
 * crt:      fopen/fread/fwrite in 64 KiB blocks (the mingw CRT, msvcrt), fclose included;
 * copyfile: kernel32's CopyFileA (Windows builds only).
 * Then (untimed) the copy is read back and compared with the source byte for byte.
 * Output, one line: "copy MODE BYTES bytes SECONDS s MIBPS MiB/s verified".
 * Exit status 0 when the copy is verified, 1 otherwise.
 *
 * The same source builds natively (gcc, glibc) for the reference column: mode crt only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

#define BLOCK (64 * 1024)

static double now(void) {
#ifdef _WIN32
  LARGE_INTEGER c, f;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&f);
  return (double)c.QuadPart / (double)f.QuadPart;
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
#endif
}

static long long copy_crt(const char* src, const char* dst) {
  static char buf[BLOCK];
  FILE* in = fopen(src, "rb");
  if (!in) {
    perror(src);
    return -1;
  }
  FILE* out = fopen(dst, "wb");
  if (!out) {
    perror(dst);
    fclose(in);
    return -1;
  }
  long long total = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    if (fwrite(buf, 1, n, out) != n) {
      perror("fwrite");
      total = -1;
      break;
    }
    total += n;
  }
  if (ferror(in)) {
    perror("fread");
    total = -1;
  }
  fclose(in);
  if (fclose(out) != 0) {
    perror("fclose");
    total = -1;
  }
  return total;
}

#ifdef _WIN32
static long long file_size(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return -1;
  static char buf[BLOCK];
  long long total = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) total += n;
  fclose(f);
  return total;
}
#endif

static int verify(const char* src, const char* dst) {
  static char a[BLOCK], b[BLOCK];
  FILE *fa = fopen(src, "rb"), *fb = fopen(dst, "rb");
  int ok = fa && fb;
  while (ok) {
    size_t na = fread(a, 1, sizeof a, fa), nb = fread(b, 1, sizeof b, fb);
    if (na != nb || memcmp(a, b, na) != 0) ok = 0;
    if (na == 0) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return ok;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s crt|copyfile SRC DST\n", argv[0]);
    return 2;
  }
  const char *mode = argv[1], *src = argv[2], *dst = argv[3];
  long long bytes;
  double t0 = now(), t1;
  if (strcmp(mode, "crt") == 0) {
    bytes = copy_crt(src, dst);
    t1 = now();
#ifdef _WIN32
  } else if (strcmp(mode, "copyfile") == 0) {
    if (!CopyFileA(src, dst, FALSE)) {
      fprintf(stderr, "CopyFileA failed: error %lu\n", GetLastError());
      return 1;
    }
    t1 = now();
    bytes = file_size(dst);
#endif
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  if (bytes < 0) return 1;
  int ok = verify(src, dst);
  double secs = t1 - t0;
  printf("copy %s %lld bytes %.6f s %.1f MiB/s %s\n", mode, bytes, secs, bytes / 1048576.0 / secs,
         ok ? "verified" : "MISMATCH");
  return ok ? 0 : 1;
}
