/* Raw Linux system calls from Windows code: what a hostile Windows program does to get around
 * ntcore.
 *
 * Under ireactor, Windows code runs natively in a Linux process. A `syscall` instruction in
 * Windows code is diverted to ntcore (Syscall User Dispatch sends it there as an NT call), but a
 * `syscall` instruction inside libc's text always reaches the Linux kernel: the runtime itself
 * needs that. So a program that finds libc can make any Linux system call, and nothing ntcore
 * checks stands in its way. This file does it the way an attacker would:
 *
 *   1. the gate pointer at 0x7ffe1000 (every ntdll stub reads it) points into the ireactor
 *      executable's text;
 *   2. walking back page by page from there finds the executable's ELF header;
 *   3. its program headers give the dynamic section, which gives the symbol table, the string
 *      table and the relocations; the GOT slots relocated against `syscall` and
 *      `__errno_location` hold glibc's functions (or the executable's lazy PLT entries that
 *      lead to them);
 *   4. calling glibc's `syscall(nr, ...)` with the System V calling convention is a Linux
 *      system call issued from libc's text.
 *
 * It proves that ntcore is not the security boundary: only the kernel (the guard's cgroup and
 * LSM programs, the seccomp filter and Landlock ruleset `ireactor run --ns` installs) can refuse
 * what this does. Never run it under Wine (there is no gate page). */
#ifndef HOSTILE_LINUX_SYSCALL_H
#define HOSTILE_LINUX_SYSCALL_H

#include <stddef.h>

/* Finds glibc's syscall() and __errno_location(). 0 on success; otherwise a negative value and
 * a reason in why (cap bytes). */
int linux_syscall_init(char* why, size_t cap);

/* A Linux system call (x86-64 numbers) through glibc: the result, or -errno on failure, like the
 * kernel's own return value. (`long long`: `long` is 32 bits on Windows.) */
long long linux_syscall(long long nr, long long a1, long long a2, long long a3, long long a4,
                        long long a5, long long a6);

/* Where glibc's syscall() was found, for the program's report. */
unsigned long long linux_syscall_address(void);

/* "EPERM" for 1, ...; "E?" for numbers it does not know. */
const char* linux_errno_name(long long err);

#endif
