#include "registry/key_names.h"

#include "io/name_rules.h"
#include "ireactor/process.h"

namespace ireactor::registry {

namespace {

constexpr size_t kMaxKeyNameChars = 255;  // longest component Windows accepts

nt::NTSTATUS split(std::u16string_view name, std::vector<std::u16string>& out) {
  if (!name.empty() && name.back() == u'\\') name.remove_suffix(1);
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find(u'\\', start);
    if (end == std::u16string_view::npos) end = name.size();
    std::u16string_view c = name.substr(start, end - start);
    if (c.empty() || c.size() > kMaxKeyNameChars) return nt::STATUS_OBJECT_NAME_INVALID;
    out.emplace_back(c);
    start = end + 1;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace

nt::NTSTATUS capture_key_name(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr, KeyName& out) {
  nt::OBJECT_ATTRIBUTES oa;
  if (!oa_ptr.read(oa)) return nt::STATUS_ACCESS_VIOLATION;
  if (oa.Length != sizeof(nt::OBJECT_ATTRIBUTES)) return nt::STATUS_INVALID_PARAMETER;
  if (oa.Attributes & ~nt::OBJ_VALID_ATTRIBUTES) return nt::STATUS_INVALID_PARAMETER;
  std::u16string name;
  if (oa.ObjectName == 0) return nt::STATUS_INVALID_PARAMETER;
  if (nt::NTSTATUS s = read_user_unicode_string(UserPtr<nt::UNICODE_STRING>(oa.ObjectName), name);
      !nt::nt_success(s))
    return s;
  out.handle_attributes = oa.Attributes & nt::OBJ_INHERIT;
  std::u16string_view rest = name;
  if (oa.RootDirectory) {
    if (nt::NTSTATUS s = reference_key(oa.RootDirectory, 0, out.root); !nt::nt_success(s)) return s;
    if (!rest.empty() && rest.front() == u'\\') return nt::STATUS_OBJECT_PATH_SYNTAX_BAD;
    return split(rest, out.components);
  }
  if (rest.empty() || rest.front() != u'\\') return nt::STATUS_OBJECT_PATH_SYNTAX_BAD;
  rest.remove_prefix(1);
  // The object manager resolves "\Registry" and hands the rest to the registry.
  constexpr std::u16string_view kRegistry = u"Registry";
  const size_t end = rest.find(u'\\');
  std::u16string_view first = rest.substr(0, end);
  if (!io::equal_nocase(first, kRegistry))
    return end == std::u16string_view::npos ? nt::STATUS_OBJECT_NAME_NOT_FOUND
                                            : nt::STATUS_OBJECT_PATH_NOT_FOUND;
  rest.remove_prefix(first.size());
  if (!rest.empty()) rest.remove_prefix(1);
  return split(rest, out.components);
}

nt::NTSTATUS publish_key_handle(std::shared_ptr<Key> key, nt::ACCESS_MASK desired,
                                uint32_t attributes, UserPtr<nt::HANDLE> out) {
  HandleTable& handles = current_process().handles;
  nt::HANDLE h = 0;
  auto obj = std::make_shared<KeyObject>(std::move(key));
  if (nt::NTSTATUS s = handles.insert(obj, granted_key_access(desired), attributes, h);
      !nt::nt_success(s))
    return s;
  if (!out.write(h)) {
    handles.close(h);
    return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor::registry
