// Reading host directories: every entry name of a directory, through a private fd so the
// caller's fd (often O_PATH, or shared by a handle) keeps its offset.
#pragma once

#include <functional>
#include <string_view>

namespace ireactor::io {

// Calls visit(name) for each entry ("." and ".." included) until it returns false.
// Returns 0, or the errno that stopped the listing.
int for_each_entry(int dir_fd, const std::function<bool(std::string_view)>& visit);

}  // namespace ireactor::io
