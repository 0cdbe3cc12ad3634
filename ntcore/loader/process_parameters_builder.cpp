#include "process_parameters_builder.h"

#include <algorithm>
#include <cstring>

#include "ireactor/win/process_parameters.h"
#include "windows_memory.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr uint64_t kMaxPathBytes = 260 * sizeof(char16_t);  // MAX_PATH: room to change directory

uint64_t align8(uint64_t v) {
  return (v + 7) & ~7ull;
}

// Lays strings out after the structure, each NUL-terminated.
class StringArea {
 public:
  explicit StringArea(uint64_t base) : base_(base), used_(sizeof(RTL_USER_PROCESS_PARAMETERS)) {}

  static uint64_t bytes_for(const std::u16string& s, uint64_t min_capacity = 0) {
    return align8(std::max<uint64_t>((s.size() + 1) * sizeof(char16_t), min_capacity));
  }

  void put(nt::UNICODE_STRING& us, const std::u16string& s, uint64_t min_capacity = 0) {
    const uint64_t cap = bytes_for(s, min_capacity);
    const uint64_t at = base_ + used_;
    memcpy(reinterpret_cast<void*>(at), s.data(), s.size() * sizeof(char16_t));
    us.Length = static_cast<uint16_t>(s.size() * sizeof(char16_t));
    us.MaximumLength = static_cast<uint16_t>(std::min<uint64_t>(cap, 0xFFFE));
    us.Buffer = at;
    used_ += cap;
  }

 private:
  uint64_t base_, used_;
};

}  // namespace

std::u16string build_environment_block(const std::vector<std::u16string>& environment) {
  std::u16string block;
  for (const std::u16string& var : environment) {
    if (var.empty()) continue;  // an empty string would end the block early
    block += var;
    block.push_back(u'\0');
  }
  if (block.empty()) block.push_back(u'\0');
  block.push_back(u'\0');
  return block;
}

LoadStatus build_process_parameters(const ProcessParametersInput& in, BuiltProcessParameters& out) {
  std::u16string cwd = in.current_directory;
  if (cwd.empty() || cwd.back() != u'\\') cwd.push_back(u'\\');
  const std::u16string empty;
  const std::u16string* const strings_in_order[] = {
      &in.dll_path, &in.image_path, &in.command_line, &in.window_title, &in.desktop_info,
      &empty,       &empty};
  if ((cwd.size() + 1) * sizeof(char16_t) > 0xFFFE)
    return LoadStatus::failure(nt::STATUS_NAME_TOO_LONG, "the current directory is too long");
  for (const std::u16string* s : strings_in_order)
    if ((s->size() + 1) * sizeof(char16_t) > 0xFFFE)
      return LoadStatus::failure(nt::STATUS_NAME_TOO_LONG,
                                 "a process parameter string is longer than 32766 characters");

  uint64_t size = sizeof(RTL_USER_PROCESS_PARAMETERS);
  size += StringArea::bytes_for(cwd, kMaxPathBytes);
  for (const std::u16string* s : strings_in_order) size += StringArea::bytes_for(*s);

  const std::u16string env = build_environment_block(in.environment);
  const uint64_t env_bytes = env.size() * sizeof(char16_t);
  const uint64_t block = allocate_windows_memory(size);
  const uint64_t env_block = block ? allocate_windows_memory(env_bytes) : 0;
  if (!block || !env_block) {
    if (block) free_windows_memory(block, size);
    return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for the process parameters");
  }
  memcpy(reinterpret_cast<void*>(env_block), env.data(), env_bytes);

  auto& p = *reinterpret_cast<RTL_USER_PROCESS_PARAMETERS*>(block);
  p.MaximumLength = static_cast<uint32_t>(size);
  p.Length = static_cast<uint32_t>(size);
  p.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
  p.ConsoleHandle = in.console;
  p.StandardInput = in.standard_input;
  p.StandardOutput = in.standard_output;
  p.StandardError = in.standard_error;
  StringArea strings(block);
  strings.put(p.CurrentDirectory.DosPath, cwd, kMaxPathBytes);
  strings.put(p.DllPath, in.dll_path);
  strings.put(p.ImagePathName, in.image_path);
  strings.put(p.CommandLine, in.command_line);
  strings.put(p.WindowTitle, in.window_title);
  strings.put(p.DesktopInfo, in.desktop_info);
  strings.put(p.ShellInfo, empty);
  strings.put(p.RuntimeData, empty);
  p.Environment = env_block;
  p.EnvironmentSize = env_bytes;
  out = BuiltProcessParameters{
      .address = block, .size = size, .environment = env_block, .environment_size = env_bytes};
  return LoadStatus::success();
}

}  // namespace ireactor::loader
