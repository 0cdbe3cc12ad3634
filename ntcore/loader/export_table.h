// A module's export directory, read once when the module is mapped: lookup by name (hint first,
// as Windows does) and by ordinal, each giving an address or a forwarder string
// ("OTHER.Name" / "OTHER.#12") that the import resolver follows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ireactor/win/pe_format.h"
#include "load_status.h"

namespace ireactor::loader {

struct ExportTarget {
  uint64_t address = 0;   // absolute address when not forwarded
  std::string forwarder;  // "DLL.Name" or "DLL.#ordinal"; empty when not forwarded
};

class ExportTable {
 public:
  // Reads the directory of the image mapped at `base` (`size` bytes). An image without exports
  // gives an empty table. STATUS_INVALID_IMAGE_FORMAT when any table or name lies outside.
  LoadStatus read(uint64_t base, uint64_t size, const win::IMAGE_DATA_DIRECTORY& dir,
                  const std::string& path);

  bool find_name(std::string_view name, uint16_t hint, ExportTarget& out) const;
  bool find_ordinal(uint32_t ordinal, ExportTarget& out) const;

  const std::string& dll_name() const { return dll_name_; }  // the name the DLL gives itself
  uint32_t ordinal_base() const { return ordinal_base_; }
  size_t function_count() const { return functions_.size(); }
  // Names in the image's order (ascending, for binary search), each with its function index.
  const std::vector<std::pair<std::string, uint32_t>>& names() const { return names_; }

 private:
  bool target(uint32_t index, ExportTarget& out) const;

  uint64_t base_ = 0;
  uint32_t dir_rva_ = 0, dir_size_ = 0;  // RVAs inside it are forwarder strings
  uint32_t ordinal_base_ = 0;
  std::string dll_name_;
  std::vector<uint32_t> functions_;      // RVAs; 0 = no export at this ordinal
  std::vector<std::string> forwarders_;  // parallel to functions_
  std::vector<std::pair<std::string, uint32_t>> names_;
  std::unordered_map<std::string, uint32_t> by_name_;
};

}  // namespace ireactor::loader
