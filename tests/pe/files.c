/* Files and directories through the NT I/O services: every create disposition and what it
 * reports, directory/non-directory options, read/write with and without offsets, sharing,
 * deletion, rename, file information, attributes, volume information, case-insensitive lookup,
 * RootDirectory-relative names and directory enumeration with masks. Works in C:\<dir> (argument
 * dir=NAME, default nttest-files), which it removes at the start and at the end. */
#include "nttest.h"

static HANDLE open_path(const WCHAR* path, ACCESS_MASK access, ULONG disposition, ULONG options,
                        ULONG share, NTSTATUS* status, ULONG_PTR* information) {
  HANDLE h = 0;
  *status = nt_create(&h, path, access, disposition, options, share, information);
  return NT_SUCCESS(*status) ? h : 0;
}

static LONGLONG file_size(HANDLE h) {
  FILE_STANDARD_INFORMATION info;
  IO_STATUS_BLOCK iosb;
  memset(&info, 0xcc, sizeof info);
  if (!NT_SUCCESS(NtQueryInformationFile(h, &iosb, &info, sizeof info, FileStandardInformation)))
    return -1;
  return info.EndOfFile.QuadPart;
}

static LONGLONG file_position(HANDLE h) {
  FILE_POSITION_INFORMATION info;
  IO_STATUS_BLOCK iosb;
  if (!NT_SUCCESS(NtQueryInformationFile(h, &iosb, &info, sizeof info, FilePositionInformation)))
    return -1;
  return info.CurrentByteOffset.QuadPart;
}

static NTSTATUS write_at(HANDLE h, const char* data, ULONG len, LONGLONG offset, int use_offset,
                         ULONG_PTR* information) {
  IO_STATUS_BLOCK iosb;
  LARGE_INTEGER off;
  off.QuadPart = offset;
  iosb.Information = 0xdeadbeef;
  NTSTATUS s = NtWriteFile(h, 0, 0, 0, &iosb, data, len, use_offset ? &off : 0, 0);
  if (information) *information = iosb.Information;
  return s;
}

static NTSTATUS read_at(HANDLE h, char* buf, ULONG len, LONGLONG offset, int use_offset,
                        ULONG_PTR* information) {
  IO_STATUS_BLOCK iosb;
  LARGE_INTEGER off;
  off.QuadPart = offset;
  iosb.Information = 0xdeadbeef;
  NTSTATUS s = NtReadFile(h, 0, 0, 0, &iosb, buf, len, use_offset ? &off : 0, 0);
  if (information) *information = iosb.Information;
  return s;
}

static const WCHAR* P(const WCHAR* rel) {
  return nt_test_path(rel);
}

/* ---- create dispositions ---------------------------------------------------------------- */

static void test_dispositions(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h;
  char buf[16];
  ULONG_PTR n;

  nt_note("create dispositions");
  h = open_path(P(L"disp.txt"), FILE_GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, &s,
                &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_NOT_FOUND);
  h = open_path(P(L"disp.txt"), FILE_GENERIC_WRITE, FILE_OVERWRITE, FILE_NON_DIRECTORY_FILE, 0, &s,
                &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_NOT_FOUND);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_CREATE,
                FILE_NON_DIRECTORY_FILE, 0, &s, &info);
  CHECK_STATUS(s, STATUS_SUCCESS);
  CHECK_EQ(info, FILE_CREATED);
  CHECK(h != 0);
  CHECK_OK(write_at(h, "hello", 5, 0, 0, &n));
  CHECK_EQ(n, 5);
  CHECK_OK(NtClose(h));

  h = open_path(P(L"disp.txt"), FILE_GENERIC_WRITE, FILE_CREATE, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_COLLISION);
  CHECK(h == 0);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OPENED);
  CHECK_EQ(file_size(h), 5);
  memset(buf, 0, sizeof buf);
  CHECK_OK(read_at(h, buf, sizeof buf, 0, 0, &n));
  CHECK_EQ(n, 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  NtClose(h);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_READ, FILE_OPEN_IF, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OPENED);
  CHECK_EQ(file_size(h), 5);
  NtClose(h);

  h = open_path(P(L"disp2.txt"), FILE_GENERIC_READ, FILE_OPEN_IF, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_CREATED);
  CHECK_EQ(file_size(h), 0);
  NtClose(h);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_WRITE, FILE_OVERWRITE, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OVERWRITTEN);
  CHECK_EQ(file_size(h), 0);
  CHECK_OK(write_at(h, "again", 5, 0, 0, &n));
  NtClose(h);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_WRITE, FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OVERWRITTEN);
  CHECK_EQ(file_size(h), 0);
  CHECK_OK(write_at(h, "third", 5, 0, 0, &n));
  NtClose(h);

  h = open_path(P(L"disp3.txt"), FILE_GENERIC_WRITE, FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_CREATED);
  NtClose(h);

  h = open_path(P(L"disp.txt"), FILE_GENERIC_WRITE | DELETE, FILE_SUPERSEDE,
                FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_SUPERSEDED);
  CHECK_EQ(file_size(h), 0);
  NtClose(h);

  h = open_path(P(L"disp4.txt"), FILE_GENERIC_WRITE | DELETE, FILE_SUPERSEDE,
                FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_CREATED);
  NtClose(h);

  h = open_path(P(L"disp5.txt"), FILE_GENERIC_WRITE, 6, FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL, &s,
                &info);
  CHECK_STATUS(s, STATUS_INVALID_PARAMETER);
  CHECK(!nt_exists(P(L"disp5.txt")));

  /* Directories. */
  h = open_path(P(L"sub"), FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_CREATED);
  NtClose(h);
  h = open_path(P(L"sub"), FILE_LIST_DIRECTORY, FILE_OPEN_IF, FILE_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OPENED);
  NtClose(h);
  h = open_path(P(L"sub"), FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_COLLISION);
  h = open_path(P(L"sub"), FILE_GENERIC_WRITE, FILE_CREATE, FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_COLLISION);
  h = open_path(P(L"sub"), FILE_GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_STATUS(s, STATUS_FILE_IS_A_DIRECTORY);
  h = open_path(P(L"disp.txt"), FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL,
                &s, &info);
  CHECK_STATUS(s, STATUS_NOT_A_DIRECTORY);
  h = open_path(P(L"disp.txt"), FILE_GENERIC_READ, FILE_OPEN,
                FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_INVALID_PARAMETER);
  /* A directory can only be created or opened, not overwritten or superseded. */
  h = open_path(P(L"sub2"), FILE_LIST_DIRECTORY, FILE_OVERWRITE_IF, FILE_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_INVALID_PARAMETER);
  CHECK(!nt_exists(P(L"sub2")));
  /* Without either option, a directory opens too. */
  h = open_path(P(L"sub"), FILE_READ_ATTRIBUTES, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  NtClose(h);

  /* Not found: the last component (name) versus a directory on the way (path). */
  h = open_path(P(L"missing.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_NOT_FOUND);
  h = open_path(P(L"nodir\\missing.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_STATUS(s, STATUS_OBJECT_PATH_NOT_FOUND);
  h = open_path(P(L"nodir\\new.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_STATUS(s, STATUS_OBJECT_PATH_NOT_FOUND);
  h = open_path(P(L"nodir\\deeper\\new.txt"), FILE_GENERIC_WRITE, FILE_OPEN_IF, 0, FILE_SHARE_ALL,
                &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_PATH_NOT_FOUND);
  h = open_path(L"\\??\\Q:\\nothing.txt", FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_STATUS(s, STATUS_OBJECT_PATH_NOT_FOUND);

  /* Names Windows file systems refuse. */
  h = open_path(P(L"bad*name.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);
  h = open_path(P(L"bad?name.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);
  h = open_path(P(L"bad<name>.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);
  h = open_path(P(L"bad|name.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);
  h = open_path(P(L"bad\"name.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_INVALID);

  /* A relative name needs a RootDirectory. */
  {
    NT_NAME nn;
    IO_STATUS_BLOCK iosb;
    HANDLE hh = 0;
    CHECK_STATUS(NtCreateFile(&hh, FILE_GENERIC_READ, nt_name(&nn, L"relative.txt", 0), &iosb, 0, 0,
                              FILE_SHARE_ALL, FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0),
                 STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  /* The delete-on-close option needs DELETE access. */
  h = open_path(P(L"doc.txt"), FILE_GENERIC_WRITE, FILE_CREATE, FILE_DELETE_ON_CLOSE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_INVALID_PARAMETER);
  CHECK(!nt_exists(P(L"doc.txt")));
}

/* ---- read and write --------------------------------------------------------------------- */

static void test_read_write(void) {
  NTSTATUS s;
  ULONG_PTR info, n;
  char buf[64];
  HANDLE h;

  nt_note("read and write");
  h = open_path(P(L"rw.bin"), FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_CREATE,
                FILE_NON_DIRECTORY_FILE, 0, &s, &info);
  CHECK_OK(s);
  CHECK_OK(write_at(h, "0123456789", 10, 0, 0, &n));
  CHECK_EQ(n, 10);
  CHECK_EQ(file_position(h), 10);
  CHECK_EQ(file_size(h), 10);

  /* At the end: STATUS_END_OF_FILE. (Whether the IO_STATUS_BLOCK is written then depends on
   * the path the read takes inside Windows -- fast I/O writes it, an IRP failed without
   * pending does not -- so it is not checked.) */
  CHECK_STATUS(read_at(h, buf, 4, 0, 0, &n), STATUS_END_OF_FILE);

  /* An explicit offset reads there and moves the position of a synchronous handle. */
  memset(buf, 0, sizeof buf);
  CHECK_OK(read_at(h, buf, 4, 2, 1, &n));
  CHECK_EQ(n, 4);
  CHECK(memcmp(buf, "2345", 4) == 0);
  CHECK_EQ(file_position(h), 6);
  memset(buf, 0, sizeof buf);
  CHECK_OK(read_at(h, buf, sizeof buf, 0, 0, &n));
  CHECK_EQ(n, 4);
  CHECK(memcmp(buf, "6789", 4) == 0);
  CHECK_STATUS(read_at(h, buf, 4, 100, 1, &n), STATUS_END_OF_FILE);
  CHECK_OK(read_at(h, buf, 0, 0, 1, &n));
  CHECK_EQ(n, 0);

  /* Writing past the end extends the file with zeroes. */
  CHECK_OK(write_at(h, "XY", 2, 20, 1, &n));
  CHECK_EQ(n, 2);
  CHECK_EQ(file_size(h), 22);
  CHECK_EQ(file_position(h), 22);
  memset(buf, 0x55, sizeof buf);
  CHECK_OK(read_at(h, buf, sizeof buf, 0, 1, &n));
  CHECK_EQ(n, 22);
  {
    int zeros = 1;
    for (int i = 10; i < 20; i++) zeros &= buf[i] == 0;
    CHECK(zeros);
  }
  CHECK(memcmp(buf + 20, "XY", 2) == 0);

  /* HighPart -1: LowPart FILE_WRITE_TO_END_OF_FILE appends, FILE_USE_FILE_POINTER_POSITION
   * uses the current position. */
  {
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER off;
    off.u.HighPart = -1;
    off.u.LowPart = FILE_WRITE_TO_END_OF_FILE;
    CHECK_OK(NtWriteFile(h, 0, 0, 0, &iosb, "END", 3, &off, 0));
    CHECK_EQ(iosb.Information, 3);
    CHECK_EQ(file_size(h), 25);
    FILE_POSITION_INFORMATION pos;
    pos.CurrentByteOffset.QuadPart = 1;
    CHECK_OK(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation));
    off.u.LowPart = FILE_USE_FILE_POINTER_POSITION;
    CHECK_OK(NtWriteFile(h, 0, 0, 0, &iosb, "ab", 2, &off, 0));
    CHECK_EQ(file_position(h), 3);
    CHECK_OK(read_at(h, buf, 4, 0, 1, &n));
    CHECK(memcmp(buf, "0ab3", 4) == 0);
  }
  NtClose(h);

  /* Access checks on the handle. */
  h = open_path(P(L"rw.bin"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(write_at(h, "zz", 2, 0, 1, &n), STATUS_ACCESS_DENIED);
  NtClose(h);
  h = open_path(P(L"rw.bin"), FILE_GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(read_at(h, buf, 2, 0, 1, &n), STATUS_ACCESS_DENIED);
  NtClose(h);

  /* A handle with FILE_APPEND_DATA but not FILE_WRITE_DATA writes at the end, whatever the
   * offset. */
  h = open_path(P(L"rw.bin"), FILE_APPEND_DATA | FILE_READ_ATTRIBUTES, FILE_OPEN, 0, FILE_SHARE_ALL,
                &s, &info);
  CHECK_OK(s);
  CHECK_OK(write_at(h, "++", 2, 0, 1, &n));
  CHECK_EQ(n, 2);
  CHECK_OK(write_at(h, "--", 2, 0, 0, &n));
  NtClose(h);
  CHECK_OK(nt_read_whole_file(P(L"rw.bin"), buf, sizeof buf, (ULONG*)&n));
  CHECK_EQ((ULONG)n, 29);
  CHECK(memcmp(buf, "0ab3", 4) == 0);
  CHECK(memcmp(buf + 22, "END++--", 7) == 0);

  /* Reading a directory handle is not a file read. */
  h = open_path(P(L"sub"), FILE_LIST_DIRECTORY | FILE_READ_DATA, FILE_OPEN, FILE_DIRECTORY_FILE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(read_at(h, buf, 4, 0, 1, &n), STATUS_INVALID_DEVICE_REQUEST);
  NtClose(h);

  /* An asynchronous handle (no FILE_SYNCHRONOUS_IO_*) has no position: an offset is required. */
  {
    NT_NAME nn;
    IO_STATUS_BLOCK iosb;
    HANDLE ah = 0;
    CHECK_OK(NtCreateFile(&ah, FILE_GENERIC_READ, nt_name(&nn, P(L"rw.bin"), 0), &iosb, 0, 0,
                          FILE_SHARE_ALL, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, 0));
    CHECK_STATUS(NtReadFile(ah, 0, 0, 0, &iosb, buf, 4, 0, 0), STATUS_INVALID_PARAMETER);
    LARGE_INTEGER off;
    off.QuadPart = 1;
    memset(buf, 0, 8);
    s = NtReadFile(ah, 0, 0, 0, &iosb, buf, 3, &off, 0);
    if (s == STATUS_PENDING) s = NtWaitForSingleObject(ah, FALSE, 0);
    CHECK_OK(s);
    CHECK_OK(iosb.u.Status);
    CHECK_EQ(iosb.Information, 3);
    CHECK(memcmp(buf, "ab3", 3) == 0);
    NtClose(ah);
  }

  /* A handle that is not a handle. */
  CHECK_STATUS(read_at((HANDLE)0x7ff0, buf, 4, 0, 1, &n), STATUS_INVALID_HANDLE);
  CHECK_STATUS(write_at((HANDLE)0x7ff0, buf, 4, 0, 1, &n), STATUS_INVALID_HANDLE);
}

/* ---- sharing ---------------------------------------------------------------------------- */

static void test_sharing(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h1, h2;

  nt_note("sharing");
  CHECK_OK(nt_write_whole_file(P(L"share.txt"), "share", 5));
  h1 = open_path(P(L"share.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_READ, &s, &info);
  CHECK_OK(s);
  h2 = open_path(P(L"share.txt"), FILE_GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_SHARING_VIOLATION);
  CHECK(h2 == 0);
  h2 = open_path(P(L"share.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_READ, &s, &info);
  CHECK_OK(s);
  NtClose(h2);
  /* The second opener must share what the first one holds (read). */
  h2 = open_path(P(L"share.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_WRITE, &s, &info);
  CHECK_STATUS(s, STATUS_SHARING_VIOLATION);
  h2 = open_path(P(L"share.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_SHARING_VIOLATION);
  /* Attribute-only access takes part in no sharing check. */
  h2 = open_path(P(L"share.txt"), FILE_READ_ATTRIBUTES, FILE_OPEN, 0, 0, &s, &info);
  CHECK_OK(s);
  NtClose(h2);
  /* Overwriting needs write access, which the first opener does not share. */
  h2 = open_path(P(L"share.txt"), FILE_GENERIC_WRITE, FILE_OVERWRITE_IF, 0, FILE_SHARE_ALL, &s,
                 &info);
  CHECK_STATUS(s, STATUS_SHARING_VIOLATION);
  CHECK_OK(NtClose(h1));
  /* Once closed, the write open works. */
  h2 = open_path(P(L"share.txt"), FILE_GENERIC_WRITE, FILE_OPEN, 0, 0, &s, &info);
  CHECK_OK(s);
  h1 = open_path(P(L"share.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_SHARING_VIOLATION);
  NtClose(h2);
}

/* ---- deletion --------------------------------------------------------------------------- */

static void test_delete(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h, h2;
  IO_STATUS_BLOCK iosb;
  NT_NAME nn;

  nt_note("delete on close, disposition, NtDeleteFile");
  h = open_path(P(L"doc.txt"), FILE_GENERIC_WRITE | DELETE, FILE_CREATE, FILE_DELETE_ON_CLOSE,
                FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK(nt_exists(P(L"doc.txt")));
  NtClose(h);
  CHECK(!nt_exists(P(L"doc.txt")));

  CHECK_OK(nt_write_whole_file(P(L"disp-del.txt"), "x", 1));
  h = open_path(P(L"disp-del.txt"), DELETE | FILE_READ_ATTRIBUTES, FILE_OPEN, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_OK(s);
  FILE_DISPOSITION_INFORMATION d = {TRUE};
  CHECK_OK(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation));
  {
    FILE_STANDARD_INFORMATION st;
    CHECK_OK(NtQueryInformationFile(h, &iosb, &st, sizeof st, FileStandardInformation));
    CHECK_EQ(st.DeletePending, 1);
  }
  /* While the delete is pending, the name cannot be opened. */
  h2 = open_path(P(L"disp-del.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_DELETE_PENDING);
  if (h2) NtClose(h2);
  NtClose(h);
  CHECK(!nt_exists(P(L"disp-del.txt")));

  /* Clearing the disposition again keeps the file. */
  CHECK_OK(nt_write_whole_file(P(L"undelete.txt"), "x", 1));
  h = open_path(P(L"undelete.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  d.DeleteFile = TRUE;
  CHECK_OK(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation));
  d.DeleteFile = FALSE;
  CHECK_OK(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation));
  NtClose(h);
  CHECK(nt_exists(P(L"undelete.txt")));

  /* Disposition needs DELETE access on the handle. */
  h = open_path(P(L"undelete.txt"), FILE_GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  d.DeleteFile = TRUE;
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation),
               STATUS_ACCESS_DENIED);
  NtClose(h);
  CHECK(nt_exists(P(L"undelete.txt")));

  /* NtDeleteFile: files, empty and non-empty directories, missing names. */
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"undelete.txt"), 0)));
  CHECK(!nt_exists(P(L"undelete.txt")));
  CHECK_STATUS(NtDeleteFile(nt_name(&nn, P(L"undelete.txt"), 0)), STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtDeleteFile(nt_name(&nn, P(L"nodir\\x.txt"), 0)), STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK_OK(nt_mkdir(P(L"emptydir")));
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"emptydir"), 0)));
  CHECK(!nt_exists(P(L"emptydir")));
  CHECK_OK(nt_mkdir(P(L"fulldir")));
  CHECK_OK(nt_write_whole_file(P(L"fulldir\\f.txt"), "x", 1));
  h = open_path(P(L"fulldir"), DELETE, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  d.DeleteFile = TRUE;
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation),
               STATUS_DIRECTORY_NOT_EMPTY);
  NtClose(h);
  NtDeleteFile(nt_name(&nn, P(L"fulldir"), 0)); /* whatever it says, the directory stays */
  CHECK(nt_exists(P(L"fulldir\\f.txt")));
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"fulldir\\f.txt"), 0)));
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"fulldir"), 0)));
  CHECK(!nt_exists(P(L"fulldir")));

  /* A file deleted while another handle is open stays readable through that handle. */
  CHECK_OK(nt_write_whole_file(P(L"open-del.txt"), "still", 5));
  h = open_path(P(L"open-del.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"open-del.txt"), 0)));
  {
    char buf[8] = {0};
    ULONG_PTR n;
    CHECK_OK(read_at(h, buf, 5, 0, 1, &n));
    CHECK(memcmp(buf, "still", 5) == 0);
  }
  NtClose(h);
  CHECK(!nt_exists(P(L"open-del.txt")));
}

/* ---- rename ----------------------------------------------------------------------------- */

static union {
  FILE_RENAME_INFORMATION info;
  char raw[1024];
} rename_buf;

static NTSTATUS rename_to(HANDLE h, const WCHAR* target, HANDLE root, BOOLEAN replace) {
  IO_STATUS_BLOCK iosb;
  ULONG len = (ULONG)nt_wcslen(target) * 2;
  memset(&rename_buf, 0, sizeof rename_buf);
  rename_buf.info.ReplaceIfExists = replace;
  rename_buf.info.RootDirectory = root;
  rename_buf.info.FileNameLength = len;
  memcpy(rename_buf.info.FileName, target, len);
  return NtSetInformationFile(h, &iosb, &rename_buf,
                              (ULONG)offsetof(FILE_RENAME_INFORMATION, FileName) + len,
                              FileRenameInformation);
}

static union {
  FILE_NAME_INFORMATION info;
  char raw[1024];
} name_buf;

static int name_is(HANDLE h, const WCHAR* want) {
  IO_STATUS_BLOCK iosb;
  memset(&name_buf, 0, sizeof name_buf);
  if (!NT_SUCCESS(
          NtQueryInformationFile(h, &iosb, &name_buf, sizeof name_buf, FileNameInformation)))
    return 0;
  return nt_ustr_eq(name_buf.info.FileName, name_buf.info.FileNameLength, want);
}

static void test_rename(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h, dir;
  char buf[16];
  ULONG len;

  nt_note("rename");
  CHECK_OK(nt_write_whole_file(P(L"ren-a.txt"), "AAA", 3));
  CHECK_OK(nt_write_whole_file(P(L"ren-b.txt"), "BBB", 3));
  h = open_path(P(L"ren-a.txt"), DELETE | FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_OK(s);
  CHECK_OK(rename_to(h, P(L"ren-c.txt"), 0, FALSE));
  CHECK(!nt_exists(P(L"ren-a.txt")));
  CHECK(nt_exists(P(L"ren-c.txt")));
  CHECK(name_is(h, L"\\nttest-files\\ren-c.txt") || nt_arg_value("dir"));
  CHECK_STATUS(rename_to(h, P(L"ren-b.txt"), 0, FALSE), STATUS_OBJECT_NAME_COLLISION);
  CHECK_OK(rename_to(h, P(L"ren-b.txt"), 0, TRUE));
  CHECK(!nt_exists(P(L"ren-c.txt")));
  NtClose(h);
  CHECK_OK(nt_read_whole_file(P(L"ren-b.txt"), buf, sizeof buf, &len));
  CHECK_EQ(len, 3);
  CHECK(memcmp(buf, "AAA", 3) == 0);

  /* Relative to a RootDirectory handle. */
  dir = open_path(P(L"sub"), FILE_LIST_DIRECTORY | FILE_TRAVERSE, FILE_OPEN, FILE_DIRECTORY_FILE,
                  FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  h = open_path(P(L"ren-b.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(rename_to(h, L"moved.txt", dir, FALSE));
  NtClose(h);
  CHECK(nt_exists(P(L"sub\\moved.txt")));
  CHECK(!nt_exists(P(L"ren-b.txt")));

  /* Into a directory that does not exist; without DELETE access. */
  h = open_path(P(L"sub\\moved.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(rename_to(h, P(L"nodir\\x.txt"), 0, FALSE), STATUS_OBJECT_PATH_NOT_FOUND);
  NtClose(h);
  CHECK_OK(nt_write_whole_file(P(L"ren-d.txt"), "D", 1));
  h = open_path(P(L"ren-d.txt"), FILE_GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(rename_to(h, P(L"ren-e.txt"), 0, FALSE), STATUS_ACCESS_DENIED);
  NtClose(h);
  CHECK(nt_exists(P(L"ren-d.txt")));

  /* A rename that changes only the case is a rename, not a collision. */
  h = open_path(P(L"sub\\moved.txt"), DELETE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(rename_to(h, P(L"sub\\MOVED.txt"), 0, FALSE));
  NtClose(h);
  CHECK(nt_exists(P(L"sub\\moved.txt")));

  /* Directories rename too. */
  CHECK_OK(nt_mkdir(P(L"rdir")));
  CHECK_OK(nt_write_whole_file(P(L"rdir\\in.txt"), "in", 2));
  h = open_path(P(L"rdir"), DELETE, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(rename_to(h, P(L"rdir2"), 0, FALSE));
  NtClose(h);
  CHECK(nt_exists(P(L"rdir2\\in.txt")));
  CHECK(!nt_exists(P(L"rdir")));
  NtClose(dir);
}

/* ---- information classes ---------------------------------------------------------------- */

static void test_information(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h;
  IO_STATUS_BLOCK iosb;
  LARGE_INTEGER now;
  char buf[128];
  ULONG len;

  nt_note("file information");
  NtQuerySystemTime(&now);
  h = open_path(P(L"info.txt"), FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_WRITE_ATTRIBUTES,
                FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(write_at(h, "abcdefghij", 10, 0, 0, 0));

  /* Standard */
  FILE_STANDARD_INFORMATION st;
  memset(&st, 0xcc, sizeof st);
  iosb.Information = 0;
  CHECK_OK(NtQueryInformationFile(h, &iosb, &st, sizeof st, FileStandardInformation));
  CHECK_EQ(iosb.Information, sizeof st);
  CHECK_EQ(st.EndOfFile.QuadPart, 10);
  CHECK(st.AllocationSize.QuadPart >= 10);
  CHECK_EQ(st.NumberOfLinks, 1);
  CHECK_EQ(st.DeletePending, 0);
  CHECK_EQ(st.Directory, 0);
  CHECK_STATUS(NtQueryInformationFile(h, &iosb, &st, 8, FileStandardInformation),
               STATUS_INFO_LENGTH_MISMATCH);

  /* Basic */
  FILE_BASIC_INFORMATION bi;
  memset(&bi, 0xcc, sizeof bi);
  CHECK_OK(NtQueryInformationFile(h, &iosb, &bi, sizeof bi, FileBasicInformation));
  CHECK_EQ(iosb.Information, sizeof bi);
  CHECK_EQ(bi.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
  CHECK(bi.LastWriteTime.QuadPart > now.QuadPart - 600000000LL &&
        bi.LastWriteTime.QuadPart < now.QuadPart + 600000000LL);
  CHECK(bi.CreationTime.QuadPart > 0 && bi.LastAccessTime.QuadPart > 0 &&
        bi.ChangeTime.QuadPart > 0);
  CHECK_STATUS(NtQueryInformationFile(h, &iosb, &bi, 16, FileBasicInformation),
               STATUS_INFO_LENGTH_MISMATCH);

  /* Set a write time (2020-01-01 00:00:00 UTC); zero fields stay as they are. */
  FILE_BASIC_INFORMATION set;
  memset(&set, 0, sizeof set);
  set.LastWriteTime.QuadPart = 132223104000000000LL;
  CHECK_OK(NtSetInformationFile(h, &iosb, &set, sizeof set, FileBasicInformation));
  memset(&bi, 0, sizeof bi);
  CHECK_OK(NtQueryInformationFile(h, &iosb, &bi, sizeof bi, FileBasicInformation));
  CHECK_EQ(bi.LastWriteTime.QuadPart, 132223104000000000LL);
  CHECK_EQ(bi.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);

  /* The read-only attribute: reported, and write opens are refused while it is set. */
  memset(&set, 0, sizeof set);
  set.FileAttributes = FILE_ATTRIBUTE_READONLY;
  CHECK_OK(NtSetInformationFile(h, &iosb, &set, sizeof set, FileBasicInformation));
  CHECK_OK(NtQueryInformationFile(h, &iosb, &bi, sizeof bi, FileBasicInformation));
  CHECK_EQ(bi.FileAttributes & FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_READONLY);
  {
    HANDLE w =
        open_path(P(L"info.txt"), FILE_GENERIC_WRITE, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
    CHECK_STATUS(s, STATUS_ACCESS_DENIED);
    if (w) NtClose(w);
  }
  set.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  CHECK_OK(NtSetInformationFile(h, &iosb, &set, sizeof set, FileBasicInformation));
  CHECK_OK(NtQueryInformationFile(h, &iosb, &bi, sizeof bi, FileBasicInformation));
  CHECK_EQ(bi.FileAttributes & FILE_ATTRIBUTE_READONLY, 0);

  /* Position */
  FILE_POSITION_INFORMATION pos;
  pos.CurrentByteOffset.QuadPart = 4;
  CHECK_OK(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation));
  CHECK_OK(read_at(h, buf, 2, 0, 0, 0));
  CHECK(memcmp(buf, "ef", 2) == 0);
  CHECK_EQ(file_position(h), 6);
  pos.CurrentByteOffset.QuadPart = -1;
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation),
               STATUS_INVALID_PARAMETER);
  CHECK_EQ(file_position(h), 6);

  /* End of file: truncate, then extend with zeroes. */
  FILE_END_OF_FILE_INFORMATION eof;
  eof.EndOfFile.QuadPart = 3;
  CHECK_OK(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation));
  CHECK_EQ(file_size(h), 3);
  eof.EndOfFile.QuadPart = 100;
  CHECK_OK(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation));
  CHECK_EQ(file_size(h), 100);
  {
    ULONG_PTR n;
    memset(buf, 0x55, sizeof buf);
    CHECK_OK(read_at(h, buf, sizeof buf, 0, 1, &n));
    CHECK_EQ(n, 100);
    int zeros = 1;
    for (int i = 3; i < 100; i++) zeros &= buf[i] == 0;
    CHECK(memcmp(buf, "abc", 3) == 0);
    CHECK(zeros);
  }
  eof.EndOfFile.QuadPart = -5;
  CHECK_FAILS(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation));
  CHECK_EQ(file_size(h), 100);

  /* Name: the path from the volume root, without the drive. */
  memset(&name_buf, 0, sizeof name_buf);
  CHECK_OK(NtQueryInformationFile(h, &iosb, &name_buf, sizeof name_buf, FileNameInformation));
  {
    const WCHAR* want = P(L"info.txt") + 6; /* skip \??\C: */
    CHECK(nt_ustr_eq(name_buf.info.FileName, name_buf.info.FileNameLength, want));
    nt_note("name: %.*ls", (int)(name_buf.info.FileNameLength / 2), name_buf.info.FileName);
    CHECK_EQ(iosb.Information,
             offsetof(FILE_NAME_INFORMATION, FileName) + name_buf.info.FileNameLength);
    /* Too small for the name: STATUS_BUFFER_OVERFLOW, the full length, a partial name. */
    memset(&name_buf, 0, sizeof name_buf);
    CHECK_STATUS(NtQueryInformationFile(h, &iosb, &name_buf, 8, FileNameInformation),
                 STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(name_buf.info.FileNameLength, nt_wcslen(want) * 2);
    CHECK_EQ(iosb.Information, 8);
    CHECK(name_buf.info.FileName[0] == want[0] && name_buf.info.FileName[1] == want[1]);
    CHECK_STATUS(NtQueryInformationFile(h, &iosb, &name_buf, 2, FileNameInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
  }

  /* Classes that do not exist. */
  CHECK_STATUS(NtQueryInformationFile(h, &iosb, buf, sizeof buf, (FILE_INFORMATION_CLASS)0),
               STATUS_INVALID_INFO_CLASS);
  CHECK_STATUS(NtQueryInformationFile(h, &iosb, buf, sizeof buf, (FILE_INFORMATION_CLASS)200),
               STATUS_INVALID_INFO_CLASS);
  CHECK_STATUS(NtSetInformationFile(h, &iosb, buf, sizeof buf, (FILE_INFORMATION_CLASS)200),
               STATUS_INVALID_INFO_CLASS);

  /* Flush: needs write access. */
  iosb.u.Status = -1;
  CHECK_OK(NtFlushBuffersFile(h, &iosb));
  CHECK_OK(iosb.u.Status);
  NtClose(h);
  h = open_path(P(L"info.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(NtFlushBuffersFile(h, &iosb), STATUS_ACCESS_DENIED);
  /* End of file needs write access. */
  eof.EndOfFile.QuadPart = 1;
  CHECK_STATUS(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation),
               STATUS_ACCESS_DENIED);
  NtClose(h);
  CHECK_STATUS(NtFlushBuffersFile((HANDLE)0x7ff0, &iosb), STATUS_INVALID_HANDLE);
  CHECK_STATUS(
      NtQueryInformationFile((HANDLE)0x7ff0, &iosb, &st, sizeof st, FileStandardInformation),
      STATUS_INVALID_HANDLE);

  /* A directory's information. */
  h = open_path(P(L"sub"), FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES, FILE_OPEN,
                FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(NtQueryInformationFile(h, &iosb, &st, sizeof st, FileStandardInformation));
  CHECK_EQ(st.Directory, 1);
  CHECK_OK(NtQueryInformationFile(h, &iosb, &bi, sizeof bi, FileBasicInformation));
  CHECK_EQ(bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
  NtClose(h);

  /* Attributes by name. */
  NT_NAME nn;
  memset(&bi, 0, sizeof bi);
  CHECK_OK(NtQueryAttributesFile(nt_name(&nn, P(L"info.txt"), 0), &bi));
  CHECK_EQ(bi.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
  CHECK(bi.LastWriteTime.QuadPart > now.QuadPart - 600000000LL);
  CHECK_OK(NtQueryAttributesFile(nt_name(&nn, P(L"sub"), 0), &bi));
  CHECK_EQ(bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
  CHECK_STATUS(NtQueryAttributesFile(nt_name(&nn, P(L"none.txt"), 0), &bi),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtQueryAttributesFile(nt_name(&nn, P(L"nodir\\none.txt"), 0), &bi),
               STATUS_OBJECT_PATH_NOT_FOUND);
  FILE_NETWORK_OPEN_INFORMATION no;
  memset(&no, 0xcc, sizeof no);
  CHECK_OK(NtQueryFullAttributesFile(nt_name(&nn, P(L"info.txt"), 0), &no));
  CHECK_EQ(no.EndOfFile.QuadPart, 100);
  CHECK(no.AllocationSize.QuadPart >= 100);
  CHECK_EQ(no.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
  CHECK(no.LastWriteTime.QuadPart > now.QuadPart - 600000000LL);
  CHECK_OK(NtQueryFullAttributesFile(nt_name(&nn, P(L"sub"), 0), &no));
  CHECK_EQ(no.FileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
  CHECK_STATUS(NtQueryFullAttributesFile(nt_name(&nn, P(L"none.txt"), 0), &no),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_STATUS(NtQueryFullAttributesFile(nt_name(&nn, P(L"nodir\\none.txt"), 0), &no),
               STATUS_OBJECT_PATH_NOT_FOUND);
  (void)len;
}

/* ---- volume information ----------------------------------------------------------------- */

static void test_volume(void) {
  NTSTATUS s;
  ULONG_PTR info;
  IO_STATUS_BLOCK iosb;
  union {
    FILE_FS_SIZE_INFORMATION size;
    FILE_FS_FULL_SIZE_INFORMATION full;
    FILE_FS_DEVICE_INFORMATION device;
    FILE_FS_ATTRIBUTE_INFORMATION attr;
    FILE_FS_VOLUME_INFORMATION volume;
    char raw[512];
  } u;

  nt_note("volume information");
  HANDLE h = open_path(P(L"disp.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);

  memset(&u, 0, sizeof u);
  CHECK_OK(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u.size, FileFsSizeInformation));
  CHECK_EQ(iosb.Information, sizeof u.size);
  CHECK(u.size.TotalAllocationUnits.QuadPart > 0);
  CHECK(u.size.AvailableAllocationUnits.QuadPart <= u.size.TotalAllocationUnits.QuadPart);
  CHECK(u.size.SectorsPerAllocationUnit > 0);
  CHECK(u.size.BytesPerSector >= 512);
  CHECK_STATUS(NtQueryVolumeInformationFile(h, &iosb, &u, 8, FileFsSizeInformation),
               STATUS_INFO_LENGTH_MISMATCH);

  memset(&u, 0, sizeof u);
  CHECK_OK(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u.full, FileFsFullSizeInformation));
  CHECK(u.full.TotalAllocationUnits.QuadPart > 0);
  CHECK(u.full.CallerAvailableAllocationUnits.QuadPart <= u.full.TotalAllocationUnits.QuadPart);

  memset(&u, 0, sizeof u);
  CHECK_OK(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u.device, FileFsDeviceInformation));
  CHECK_EQ(u.device.DeviceType, FILE_DEVICE_DISK);

  memset(&u, 0, sizeof u);
  CHECK_OK(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u, FileFsAttributeInformation));
  CHECK(u.attr.FileSystemNameLength > 0);
  CHECK_EQ(u.attr.MaximumComponentNameLength, 255);
  nt_note("file system: %.*ls", (int)(u.attr.FileSystemNameLength / 2), u.attr.FileSystemName);

  memset(&u, 0, sizeof u);
  CHECK_OK(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u, FileFsVolumeInformation));
  CHECK(iosb.Information >= offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel));

  CHECK_STATUS(NtQueryVolumeInformationFile(h, &iosb, &u, sizeof u, (FS_INFORMATION_CLASS)0),
               STATUS_INVALID_INFO_CLASS);
  NtClose(h);
  CHECK_STATUS(
      NtQueryVolumeInformationFile((HANDLE)0x7ff0, &iosb, &u, sizeof u, FileFsSizeInformation),
      STATUS_INVALID_HANDLE);
}

/* ---- case-insensitive names ------------------------------------------------------------- */

static void test_case(void) {
  NTSTATUS s;
  ULONG_PTR info;
  HANDLE h;
  char buf[16];
  ULONG len;
  NT_NAME nn;
  FILE_BASIC_INFORMATION bi;

  nt_note("case-insensitive lookup");
  h = open_path(P(L"MixedCase.TXT"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(write_at(h, "mixed", 5, 0, 0, 0));
  NtClose(h);
  h = open_path(P(L"mixedcase.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OPENED);
  memset(buf, 0, sizeof buf);
  CHECK_OK(read_at(h, buf, sizeof buf, 0, 1, 0));
  CHECK(memcmp(buf, "mixed", 5) == 0);
  NtClose(h);
  h = open_path(P(L"MIXEDCASE.txt"), FILE_GENERIC_WRITE, FILE_CREATE, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_STATUS(s, STATUS_OBJECT_NAME_COLLISION);
  h = open_path(P(L"mixedCASE.Txt"), FILE_GENERIC_WRITE, FILE_OPEN_IF, 0, FILE_SHARE_ALL, &s,
                &info);
  CHECK_OK(s);
  CHECK_EQ(info, FILE_OPENED);
  NtClose(h);
  CHECK_OK(nt_read_whole_file(P(L"MIXEDCASE.TXT"), buf, sizeof buf, &len));
  CHECK_EQ(len, 5);
  /* Directory components match without regard to case too. */
  {
    WCHAR path[256] = L"\\??\\c:\\";
    const WCHAR* dir = nt_test_dir() + 7;
    size_t at = nt_wcslen(path);
    for (size_t i = 0; dir[i] && at < 200; i++)
      path[at++] = (dir[i] >= 'a' && dir[i] <= 'z') ? (WCHAR)(dir[i] - 32) : dir[i];
    path[at] = 0;
    nt_wcscat(path, 256, L"\\Mixedcase.txt");
    CHECK_OK(NtQueryAttributesFile(nt_name(&nn, path, 0), &bi));
  }
  /* The listing keeps the case the file was created with. */
  {
    HANDLE dir = open_path(nt_test_dir(), FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE,
                           FILE_SHARE_ALL, &s, &info);
    CHECK_OK(s);
    union {
      FILE_DIRECTORY_INFORMATION d;
      char raw[512];
    } u;
    IO_STATUS_BLOCK iosb;
    UNICODE_STRING mask;
    nt_init_ustr(&mask, L"mixedcase.txt");
    CHECK_OK(NtQueryDirectoryFile(dir, 0, 0, 0, &iosb, &u, sizeof u, FileDirectoryInformation, TRUE,
                                  &mask, TRUE));
    CHECK(nt_ustr_eq(u.d.FileName, u.d.FileNameLength, L"MixedCase.TXT"));
    NtClose(dir);
  }
  /* NtDeleteFile under another case removes the file. */
  CHECK_OK(NtDeleteFile(nt_name(&nn, P(L"MIXEDCASE.TXT"), 0)));
  CHECK(!nt_exists(P(L"MixedCase.TXT")));
}

/* ---- RootDirectory-relative names -------------------------------------------------------- */

static void test_relative(void) {
  NTSTATUS s;
  ULONG_PTR info;
  IO_STATUS_BLOCK iosb;
  NT_NAME nn;
  HANDLE h = 0, dir;
  FILE_BASIC_INFORMATION bi;

  nt_note("RootDirectory-relative names");
  dir = open_path(nt_test_dir(), FILE_LIST_DIRECTORY | FILE_TRAVERSE, FILE_OPEN,
                  FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_OK(NtCreateFile(&h, FILE_GENERIC_WRITE, nt_name(&nn, L"rel.txt", dir), &iosb, 0, 0,
                        FILE_SHARE_ALL, FILE_CREATE,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, 0, 0));
  CHECK_EQ(iosb.Information, FILE_CREATED);
  NtClose(h);
  CHECK(nt_exists(P(L"rel.txt")));
  CHECK_OK(NtCreateFile(&h, FILE_GENERIC_WRITE, nt_name(&nn, L"sub\\rel2.txt", dir), &iosb, 0, 0,
                        FILE_SHARE_ALL, FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0));
  NtClose(h);
  CHECK(nt_exists(P(L"sub\\rel2.txt")));
  CHECK_OK(NtOpenFile(&h, FILE_GENERIC_READ, nt_name(&nn, L"REL.TXT", dir), &iosb, FILE_SHARE_ALL,
                      FILE_SYNCHRONOUS_IO_NONALERT));
  CHECK_EQ(iosb.Information, FILE_OPENED);
  NtClose(h);
  CHECK_STATUS(NtOpenFile(&h, FILE_GENERIC_READ, nt_name(&nn, L"none.txt", dir), &iosb,
                          FILE_SHARE_ALL, FILE_SYNCHRONOUS_IO_NONALERT),
               STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_OK(NtQueryAttributesFile(nt_name(&nn, L"rel.txt", dir), &bi));
  CHECK_OK(NtDeleteFile(nt_name(&nn, L"rel.txt", dir)));
  CHECK(!nt_exists(P(L"rel.txt")));
  /* An empty name relative to a directory opens that directory again. */
  CHECK_OK(NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, nt_name(&nn, L"", dir), &iosb,
                      FILE_SHARE_ALL, FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE));
  NtClose(h);
  /* A RootDirectory that is not a handle. */
  CHECK_STATUS(NtOpenFile(&h, FILE_GENERIC_READ, nt_name(&nn, L"rel.txt", (HANDLE)0x7ff0), &iosb,
                          FILE_SHARE_ALL, FILE_SYNCHRONOUS_IO_NONALERT),
               STATUS_INVALID_HANDLE);
  /* NtOpenFile is FILE_OPEN. */
  CHECK_STATUS(NtOpenFile(&h, FILE_GENERIC_READ, nt_name(&nn, P(L"nothere.txt"), 0), &iosb,
                          FILE_SHARE_ALL, FILE_SYNCHRONOUS_IO_NONALERT),
               STATUS_OBJECT_NAME_NOT_FOUND);
  NtClose(dir);
}

/* ---- directory enumeration ---------------------------------------------------------------- */

static union {
  FILE_DIRECTORY_INFORMATION d;
  char raw[4096];
} dirbuf;

/* Lists dir with mask (NULL: none) in one pass of multi-entry calls; returns the number of
 * entries, or -1 if a call failed with something other than STATUS_NO_MORE_FILES.
 * *first gets the status of the first call. Names land in names (ASCII), '|'-separated. */
static int list_dir(const WCHAR* path, const WCHAR* mask, NTSTATUS* first, char* names,
                    size_t cap) {
  NTSTATUS s;
  ULONG_PTR info;
  IO_STATUS_BLOCK iosb;
  UNICODE_STRING us;
  HANDLE h = open_path(path, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL,
                       &s, &info);
  if (!h) return -1;
  if (mask) nt_init_ustr(&us, mask);
  int count = 0, call = 0;
  size_t at = 0;
  names[0] = 0;
  for (;;) {
    s = NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf, FileDirectoryInformation,
                             FALSE, mask ? &us : 0, call == 0);
    if (call++ == 0) *first = s;
    if (s == STATUS_NO_MORE_FILES || s == STATUS_NO_SUCH_FILE) break;
    if (!NT_SUCCESS(s)) {
      count = -1;
      break;
    }
    const char* p = dirbuf.raw;
    for (;;) {
      const FILE_DIRECTORY_INFORMATION* e = (const FILE_DIRECTORY_INFORMATION*)p;
      count++;
      if (at + 2 < cap && at) names[at++] = '|';
      for (ULONG i = 0; i < e->FileNameLength / 2 && at + 1 < cap; i++)
        names[at++] = (char)e->FileName[i];
      names[at] = 0;
      if (!e->NextEntryOffset) break;
      p += e->NextEntryOffset;
    }
  }
  NtClose(h);
  return count;
}

static int has_name(const char* names, const char* name) {
  size_t n = nt_strlen(name);
  for (const char* p = names; *p;) {
    const char* end = p;
    while (*end && *end != '|') end++;
    if ((size_t)(end - p) == n && nt_strncmp(p, name, n) == 0) return 1;
    p = *end ? end + 1 : end;
  }
  return 0;
}

static void test_directory(void) {
  static char names[2048];
  NTSTATUS first, s;
  ULONG_PTR info;
  IO_STATUS_BLOCK iosb;
  UNICODE_STRING mask;
  const WCHAR* dir = P(L"list");

  nt_note("directory enumeration");
  CHECK_OK(nt_mkdir(dir));
  CHECK_OK(nt_write_whole_file(P(L"list\\abc.txt"), "1", 1));
  CHECK_OK(nt_write_whole_file(P(L"list\\axc.doc"), "22", 2));
  CHECK_OK(nt_write_whole_file(P(L"list\\a1c.txt"), "333", 3));
  CHECK_OK(nt_write_whole_file(P(L"list\\abcd.txt"), "4444", 4));
  CHECK_OK(nt_write_whole_file(P(L"list\\ReadMe.md"), "55555", 5));
  CHECK_OK(nt_mkdir(P(L"list\\subdir")));

  CHECK_EQ(list_dir(dir, L"*", &first, names, sizeof names), 8);
  CHECK_OK(first);
  nt_note("*: %s", names);
  CHECK(has_name(names, ".") && has_name(names, ".."));
  CHECK(has_name(names, "abc.txt") && has_name(names, "axc.doc") && has_name(names, "a1c.txt"));
  CHECK(has_name(names, "abcd.txt") && has_name(names, "ReadMe.md") && has_name(names, "subdir"));
  CHECK_EQ(list_dir(dir, 0, &first, names, sizeof names), 8);

  CHECK_EQ(list_dir(dir, L"*.txt", &first, names, sizeof names), 3);
  nt_note("*.txt: %s", names);
  CHECK(has_name(names, "abc.txt") && has_name(names, "a1c.txt") && has_name(names, "abcd.txt"));

  CHECK_EQ(list_dir(dir, L"a?c.*", &first, names, sizeof names), 3);
  nt_note("a?c.*: %s", names);
  CHECK(has_name(names, "abc.txt") && has_name(names, "axc.doc") && has_name(names, "a1c.txt"));
  CHECK(!has_name(names, "abcd.txt"));

  CHECK_EQ(list_dir(dir, L"README.MD", &first, names, sizeof names), 1);
  CHECK(has_name(names, "ReadMe.md"));
  CHECK_EQ(list_dir(dir, L"*.TXT", &first, names, sizeof names), 3);

  CHECK_EQ(list_dir(dir, L"*.xyz", &first, names, sizeof names), 0);
  CHECK_STATUS(first, STATUS_NO_SUCH_FILE);

  /* Single entries, the end of the listing, restarting. */
  HANDLE h = open_path(dir, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s,
                       &info);
  CHECK_OK(s);
  nt_init_ustr(&mask, L"*.txt");
  int singles = 0;
  WCHAR first_name[64] = {0};
  for (int i = 0; i < 10; i++) {
    memset(&dirbuf, 0xcc, sizeof dirbuf);
    s = NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf, FileDirectoryInformation,
                             TRUE, &mask, FALSE);
    if (s != STATUS_SUCCESS) break;
    singles++;
    if (i == 0) memcpy(first_name, dirbuf.d.FileName, dirbuf.d.FileNameLength);
    CHECK_EQ(dirbuf.d.NextEntryOffset, 0);
    CHECK_EQ(iosb.Information,
             offsetof(FILE_DIRECTORY_INFORMATION, FileName) + dirbuf.d.FileNameLength);
    if (nt_ustr_eq(dirbuf.d.FileName, dirbuf.d.FileNameLength, L"abcd.txt")) {
      CHECK_EQ(dirbuf.d.EndOfFile.QuadPart, 4);
      CHECK_EQ(dirbuf.d.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    }
  }
  CHECK_EQ(singles, 3);
  CHECK_STATUS(s, STATUS_NO_MORE_FILES);
  CHECK_STATUS(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf,
                                    FileDirectoryInformation, TRUE, &mask, FALSE),
               STATUS_NO_MORE_FILES);
  memset(&dirbuf, 0, sizeof dirbuf);
  CHECK_OK(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf, FileDirectoryInformation,
                                TRUE, &mask, TRUE));
  CHECK(nt_ustr_eq(dirbuf.d.FileName, dirbuf.d.FileNameLength, first_name));
  /* A buffer too small for any entry. */
  CHECK_STATUS(
      NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, 16, FileDirectoryInformation, TRUE, 0, TRUE),
      STATUS_INFO_LENGTH_MISMATCH);
  NtClose(h);

  /* Other classes: names only, and the "both" layout with short names. */
  h = open_path(dir, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s,
                &info);
  CHECK_OK(s);
  nt_init_ustr(&mask, L"subdir");
  memset(&dirbuf, 0, sizeof dirbuf);
  CHECK_OK(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf, FileNamesInformation,
                                TRUE, &mask, TRUE));
  {
    const FILE_NAMES_INFORMATION* e = (const FILE_NAMES_INFORMATION*)dirbuf.raw;
    CHECK(nt_ustr_eq(e->FileName, e->FileNameLength, L"subdir"));
  }
  NtClose(h);
  h = open_path(dir, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, FILE_SHARE_ALL, &s,
                &info);
  CHECK_OK(s);
  nt_init_ustr(&mask, L"subdir");
  memset(&dirbuf, 0, sizeof dirbuf);
  CHECK_OK(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf,
                                FileBothDirectoryInformation, TRUE, &mask, TRUE));
  {
    const FILE_BOTH_DIR_INFORMATION* e = (const FILE_BOTH_DIR_INFORMATION*)dirbuf.raw;
    CHECK(nt_ustr_eq(e->FileName, e->FileNameLength, L"subdir"));
    CHECK_EQ(e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
  }
  NtClose(h);

  /* A file handle is not a directory to list. */
  h = open_path(P(L"list\\abc.txt"), FILE_GENERIC_READ, FILE_OPEN, 0, FILE_SHARE_ALL, &s, &info);
  CHECK_OK(s);
  CHECK_STATUS(NtQueryDirectoryFile(h, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf,
                                    FileDirectoryInformation, FALSE, 0, TRUE),
               STATUS_INVALID_PARAMETER);
  NtClose(h);
  CHECK_STATUS(NtQueryDirectoryFile((HANDLE)0x7ff0, 0, 0, 0, &iosb, &dirbuf, sizeof dirbuf,
                                    FileDirectoryInformation, FALSE, 0, TRUE),
               STATUS_INVALID_HANDLE);
}

void test_main(void) {
  nt_set_test_dir("nttest-files");
  CHECK_OK(nt_delete_tree(nt_test_dir()));
  CHECK_OK(nt_mkdir(nt_test_dir()));

  test_dispositions();
  test_read_write();
  test_sharing();
  test_delete();
  test_rename();
  test_information();
  test_volume();
  test_case();
  test_relative();
  test_directory();

  CHECK_OK(nt_delete_tree(nt_test_dir()));
  CHECK(!nt_exists(nt_test_dir()));
}
