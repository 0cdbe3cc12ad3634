// The answers of NtQueryInformationProcess for the process ntcore hosts, one per class.
#pragma once

#include <string>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"

namespace ireactor {

nt::PROCESS_BASIC_INFORMATION process_basic_information(const Process& p, const ProcessObject& o);
// The same for a child the process started (its PEB is in another address space: 0).
nt::PROCESS_BASIC_INFORMATION child_basic_information(const Process& parent,
                                                      const ProcessObject& child);
nt::KERNEL_USER_TIMES process_times();
// The per-process random value behind RtlEncodePointer (ProcessCookie).
nt::ULONG process_cookie();
// The main image's path in NT device form (win32 = false) or Win32 form.
std::u16string process_image_file_name(const Process& p, bool win32);

}  // namespace ireactor
