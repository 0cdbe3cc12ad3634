/* SPDX-License-Identifier: GPL-2.0 */
/* What the struct_ops hot path (nt_hotpath.bpf.c) and its loader (ntgate_hotpath.cpp) agree on:
 * the numbering map's layout, the pins, the implementations' names. Plain C for both sides. */
#ifndef IREACTOR_NT_HOTPATH_ABI_H
#define IREACTOR_NT_HOTPATH_ABI_H

#include <linux/types.h>

/* nt_numbering: {Windows build, NT number in that build} -> build-independent service id
 * (ntcore's service_id(), nt_trace.h). Userspace fills it for every supported build; the
 * programs only read it. It is an ARRAY (a lookup the verifier inlines; a hash lookup cost a
 * tenth of a whole call): the supported builds get a slot each, in the order of the programs'
 * numbering_builds constant, and {build, number} lives at index slot * NT_NUMBERING_NUMBERS +
 * number. Numbers at or past NT_NUMBERING_NUMBERS (win32k's start at 0x1000) are not in it,
 * nor served. Empty entries hold NT_NO_SERVICE; index NT_NUMBERING_VERSION_INDEX holds the
 * version (numbering_fingerprint(), nt_numbering.h). */
struct nt_numbering_key {
  __u32 build;  /* 19045 for "10.0.19045": the build the process gave NTGATE_IOC_ATTACH */
  __u32 number; /* the NT system call number in that build */
};
#define NT_NUMBERING_MAX_BUILDS 8
#define NT_NUMBERING_NUMBERS 1024
#define NT_NUMBERING_MAX_ENTRIES (NT_NUMBERING_MAX_BUILDS * NT_NUMBERING_NUMBERS)
#define NT_NUMBERING_VERSION_INDEX NT_NUMBERING_MAX_ENTRIES
#define NT_NUMBERING_MAP_SIZE (NT_NUMBERING_MAX_ENTRIES + 1)

/* A service id the programs never serve: the rodata default of a service not served, and an empty
 * numbering entry. */
#define NT_NO_SERVICE 0xFFFFFFFFu

/* Under the bpffs directory (/sys/fs/bpf/ireactor): kmod/nt_numbering, kmod/link. */
#define NT_HOTPATH_PIN_DIR "kmod"
#define NT_HOTPATH_NUMBERING_PIN "nt_numbering"
#define NT_HOTPATH_LINK_PIN "link"

/* The two struct_ops maps (and nt_syscall_ops.name) of the one object: the same programs under
 * two names, so one can replace the other live and `ireactor kmod status` tells them apart. */
#define NT_HOTPATH_IMPL_A "hotpath"
#define NT_HOTPATH_IMPL_B "hotpath_b"

#endif /* IREACTOR_NT_HOTPATH_ABI_H */
