// Replacing a file atomically, for files other processes read while we write (the agent
// reads policy files, every `ireactor` reads the namespace id table).
#pragma once

#include <filesystem>
#include <string>

namespace ireactor::policy {

// Writes `text` to `file` atomically: a temporary beside it, fsync, rename, fsync of the
// directory. Readers see the old content or the new, never a part. Throws std::system_error.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace ireactor::policy
