// Small file helpers: whole-file reads, and writes that replace a file atomically (aside, fsync,
// rename) so a reader sees the old content or the new, never part of one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace ireactor::agent {

// nullopt when the file cannot be opened (e.g. it was just deleted).
std::optional<std::string> read_file(const std::filesystem::path& file);

void write_file_atomically(const std::filesystem::path& file, const std::string& text,
                           unsigned mode = 0644);

}  // namespace ireactor::agent
