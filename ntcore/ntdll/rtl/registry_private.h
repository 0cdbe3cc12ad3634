/* registry family: the key services and the Rtl registry helpers' shared parts. */
#ifndef REGISTRY_PRIVATE_H
#define REGISTRY_PRIVATE_H

#include "ntdll_base.h"

#define REGISTRY_KEY_QUERY_VALUE 0x0001
#define REGISTRY_KEY_SET_VALUE 0x0002

#define REGISTRY_RTL_ABSOLUTE 0
#define REGISTRY_RTL_SERVICES 1
#define REGISTRY_RTL_CONTROL 2
#define REGISTRY_RTL_WINDOWS_NT 3
#define REGISTRY_RTL_DEVICEMAP 4
#define REGISTRY_RTL_USER 5
#define REGISTRY_RTL_MAXIMUM 6
#define REGISTRY_RTL_HANDLE 0x40000000
#define REGISTRY_RTL_OPTIONAL 0x80000000

NTSTATUS NTAPI NtCreateKey(PHANDLE key, ACCESS_MASK access, POBJECT_ATTRIBUTES attr,
                           ULONG title_index, PUNICODE_STRING class_name, ULONG options,
                           PULONG disposition);
NTSTATUS NTAPI NtOpenKey(PHANDLE key, ACCESS_MASK access, POBJECT_ATTRIBUTES attr);
NTSTATUS NTAPI NtSetValueKey(HANDLE key, PUNICODE_STRING name, ULONG title_index, ULONG type,
                             PVOID data, ULONG size);
NTSTATUS NTAPI NtDeleteValueKey(HANDLE key, PUNICODE_STRING name);

/* The current user's hive, "\Registry\User\<SID>" (the namespace's one user; ntcore's
 * registry_defaults.h names the same SID). */
extern const WCHAR registry_current_user_path[];

/* Opens the key RtlWriteRegistryValue & co. name by RelativeTo and Path. *opened is TRUE when the
 * caller must close *key (FALSE for RTL_REGISTRY_HANDLE). */
NTSTATUS registry_open_relative(ULONG relative_to, PCWSTR path, ACCESS_MASK access, HANDLE* key,
                                BOOLEAN* opened);

#endif
