/* Finding glibc's syscall() from Windows code (see linux_syscall.h for why this exists). Only
 * memory reads and one indirect call: no ntdll service is involved. */
#include "linux_syscall.h"

#include <stdint.h>

#include "nttest.h"

#define GATE_POINTER_ADDRESS 0x7ffe1000ull
#define PAGE_SIZE 0x1000ull
/* How far back from the gate thunk the ELF header may be: the whole text of a large executable. */
#define MAX_WALK_PAGES 0x4000u

/* The ELF64 structures and constants this needs (no <elf.h> in a freestanding mingw build). */
typedef struct {
  unsigned char e_ident[16];
  uint16_t e_type, e_machine;
  uint32_t e_version;
  uint64_t e_entry, e_phoff, e_shoff;
  uint32_t e_flags;
  uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64Ehdr;
typedef struct {
  uint32_t p_type, p_flags;
  uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64Phdr;
typedef struct {
  int64_t d_tag;
  uint64_t d_val;
} Elf64Dyn;
typedef struct {
  uint64_t r_offset, r_info;
  int64_t r_addend;
} Elf64Rela;
typedef struct {
  uint32_t st_name;
  unsigned char st_info, st_other;
  uint16_t st_shndx;
  uint64_t st_value, st_size;
} Elf64Sym;

_Static_assert(sizeof(Elf64Ehdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(Elf64Phdr) == 56, "Elf64_Phdr");
_Static_assert(sizeof(Elf64Rela) == 24, "Elf64_Rela");
_Static_assert(sizeof(Elf64Sym) == 24, "Elf64_Sym");

enum { PT_LOAD = 1, PT_DYNAMIC = 2 };
enum {
  DT_NULL = 0,
  DT_PLTRELSZ = 2,
  DT_STRTAB = 5,
  DT_SYMTAB = 6,
  DT_RELA = 7,
  DT_RELASZ = 8,
  DT_JMPREL = 23
};
enum { EM_X86_64 = 62, ET_EXEC = 2, ET_DYN = 3 };
enum { R_X86_64_GLOB_DAT = 6, R_X86_64_JUMP_SLOT = 7 };

/* glibc's functions, called with the System V ABI (`long` is 64 bits there). syscall() is
 * variadic, but glibc's x86-64 version only moves registers and the one stack argument around,
 * so a fixed seven-argument prototype calls it the same way. */
typedef long long(__attribute__((sysv_abi)) * SyscallFn)(long long, long long, long long, long long,
                                                         long long, long long, long long);
typedef int*(__attribute__((sysv_abi)) * ErrnoLocationFn)(void);

static SyscallFn glibc_syscall;
static ErrnoLocationFn glibc_errno_location;

static int is_elf_header(const Elf64Ehdr* h) {
  const unsigned char* id = h->e_ident;
  return id[0] == 0x7f && id[1] == 'E' && id[2] == 'L' && id[3] == 'F' && id[4] == 2 /* 64 */ &&
         id[5] == 1 /* little endian */ && h->e_machine == EM_X86_64 &&
         (h->e_type == ET_DYN || h->e_type == ET_EXEC) && h->e_phentsize == sizeof(Elf64Phdr) &&
         h->e_phnum > 0 && h->e_phnum < 64 &&
         h->e_phoff + h->e_phnum * sizeof(Elf64Phdr) < PAGE_SIZE;
}

/* The executable's segments are mapped back to back from its header to its text, so every page
 * read on the way down is mapped. */
static const Elf64Ehdr* find_elf_header(uint64_t inside) {
  uint64_t page = inside & ~(PAGE_SIZE - 1);
  for (unsigned i = 0; i < MAX_WALK_PAGES && page >= PAGE_SIZE; i++, page -= PAGE_SIZE) {
    const Elf64Ehdr* h = (const Elf64Ehdr*)page;
    if (is_elf_header(h)) return h;
  }
  return 0;
}

/* ld.so relocates the d_ptr entries of a writable dynamic section in place (glibc on x86-64);
 * an entry still below the load address is an unrelocated offset. */
static uint64_t dyn_address(uint64_t bias, uint64_t value) {
  return value < bias ? value + bias : value;
}

typedef struct {
  uint64_t bias;
  const Elf64Sym* symtab;
  const char* strtab;
} Image;

/* The GOT slot of `name` among `count` relocations at `relas`: 0 when absent. */
static uint64_t got_slot(const Image* im, const Elf64Rela* relas, uint64_t count,
                         const char* name) {
  for (uint64_t i = 0; i < count; i++) {
    const uint32_t type = (uint32_t)relas[i].r_info;
    const uint32_t sym = (uint32_t)(relas[i].r_info >> 32);
    if ((type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) || sym == 0) continue;
    if (nt_strcmp(im->strtab + im->symtab[sym].st_name, name) == 0)
      return im->bias + relas[i].r_offset;
  }
  return 0;
}

int linux_syscall_init(char* why, size_t cap) {
  const uint64_t gate = *(volatile const uint64_t*)GATE_POINTER_ADDRESS;
  if (gate == 0) return nt_snprintf(why, cap, "no gate pointer at 0x7ffe1000"), -1;
  const Elf64Ehdr* eh = find_elf_header(gate);
  if (!eh) return nt_snprintf(why, cap, "no ELF header below the gate %p", (void*)gate), -1;

  const Elf64Phdr* ph = (const Elf64Phdr*)((const char*)eh + eh->e_phoff);
  uint64_t bias = 0, dynamic = 0;
  int have_bias = 0;
  for (unsigned i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && !have_bias) {
      bias = (uint64_t)eh - ph[i].p_vaddr;
      have_bias = 1;
    }
    if (ph[i].p_type == PT_DYNAMIC) dynamic = ph[i].p_vaddr;
  }
  if (!have_bias || !dynamic)
    return nt_snprintf(why, cap, "ELF at %p: no first segment or no dynamic section", (void*)eh),
           -2;

  Image im = {bias, 0, 0};
  const Elf64Rela *rela = 0, *jmprel = 0;
  uint64_t rela_size = 0, jmprel_size = 0;
  for (const Elf64Dyn* d = (const Elf64Dyn*)(bias + dynamic); d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_STRTAB:
        im.strtab = (const char*)dyn_address(bias, d->d_val);
        break;
      case DT_SYMTAB:
        im.symtab = (const Elf64Sym*)dyn_address(bias, d->d_val);
        break;
      case DT_RELA:
        rela = (const Elf64Rela*)dyn_address(bias, d->d_val);
        break;
      case DT_RELASZ:
        rela_size = d->d_val;
        break;
      case DT_JMPREL:
        jmprel = (const Elf64Rela*)dyn_address(bias, d->d_val);
        break;
      case DT_PLTRELSZ:
        jmprel_size = d->d_val;
        break;
    }
  }
  if (!im.strtab || !im.symtab)
    return nt_snprintf(why, cap, "ELF at %p: no symbol or string table", (void*)eh), -3;

  uint64_t slots[2] = {0, 0};
  const char* names[2] = {"syscall", "__errno_location"};
  for (int n = 0; n < 2; n++) {
    if (jmprel) slots[n] = got_slot(&im, jmprel, jmprel_size / sizeof(Elf64Rela), names[n]);
    if (!slots[n] && rela) slots[n] = got_slot(&im, rela, rela_size / sizeof(Elf64Rela), names[n]);
    if (!slots[n]) return nt_snprintf(why, cap, "ELF at %p imports no %s", (void*)eh, names[n]), -4;
  }
  glibc_syscall = (SyscallFn)(uintptr_t) * (volatile const uint64_t*)slots[0];
  glibc_errno_location = (ErrnoLocationFn)(uintptr_t) * (volatile const uint64_t*)slots[1];
  return 0;
}

long long linux_syscall(long long nr, long long a1, long long a2, long long a3, long long a4,
                        long long a5, long long a6) {
  long long r = glibc_syscall(nr, a1, a2, a3, a4, a5, a6);
  if (r == -1) return -(long long)*glibc_errno_location();
  return r;
}

unsigned long long linux_syscall_address(void) {
  return (unsigned long long)(uintptr_t)glibc_syscall;
}

const char* linux_errno_name(long long err) {
  static const struct {
    int n;
    const char* name;
  } names[] = {{1, "EPERM"},
               {2, "ENOENT"},
               {3, "ESRCH"},
               {4, "EINTR"},
               {5, "EIO"},
               {6, "ENXIO"},
               {8, "ENOEXEC"},
               {9, "EBADF"},
               {11, "EAGAIN"},
               {12, "ENOMEM"},
               {13, "EACCES"},
               {14, "EFAULT"},
               {16, "EBUSY"},
               {17, "EEXIST"},
               {19, "ENODEV"},
               {20, "ENOTDIR"},
               {22, "EINVAL"},
               {25, "ENOTTY"},
               {30, "EROFS"},
               {38, "ENOSYS"},
               {61, "ENODATA"},
               {93, "EPROTONOSUPPORT"},
               {94, "ESOCKTNOSUPPORT"},
               {95, "EOPNOTSUPP"},
               {97, "EAFNOSUPPORT"},
               {524, "ENOTSUPP"}};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].n == err) return names[i].name;
  return "E?";
}
