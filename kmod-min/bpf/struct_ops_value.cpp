#include "struct_ops_value.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "libbpf_log.h"

namespace ireactor::kmod {
namespace {

using guard::errno_text;

struct BtfDeleter {
  void operator()(btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<btf, BtfDeleter>;

struct Member {
  uint32_t offset = 0;  // bytes
  uint32_t size = 0;
  uint32_t type = 0;
};

// Member `name` of struct type `id`; throws when the struct has none.
Member member_of(const btf* b, uint32_t id, const char* name) {
  const btf_type* t = btf__type_by_id(b, id);
  if (!t || !btf_is_struct(t))
    throw std::runtime_error(std::string("kernel BTF: no struct to find member ") + name + " in");
  const btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
    if (std::strcmp(btf__name_by_offset(b, m->name_off), name) != 0) continue;
    const int32_t size = btf__resolve_size(b, m->type);
    if (size < 0) throw std::runtime_error(std::string("kernel BTF: size of member ") + name);
    return Member{btf_member_bit_offset(t, i) / 8, static_cast<uint32_t>(size),
                  static_cast<uint32_t>(btf__resolve_type(b, m->type))};
  }
  throw std::runtime_error(std::string("kernel BTF: ") + btf__name_by_offset(b, t->name_off) +
                           " has no member " + name);
}

// The BTF the map's kernel value type lives in: the module's (split on vmlinux) when the
// kernel names it, else vmlinux's.
BtfPtr value_btf(const bpf_map_info& info, btf* vmlinux) {
  if (info.btf_vmlinux_id == 0) return nullptr;
  btf* b = btf__load_from_kernel_by_id_split(info.btf_vmlinux_id, vmlinux);
  if (!b)
    throw std::runtime_error("load kernel BTF object " + std::to_string(info.btf_vmlinux_id) +
                             ": " + errno_text(errno));
  return BtfPtr(b);
}

}  // namespace

void set_struct_ops_value(const bpf_map* map, int call_prog_fd, const std::string& name) {
  const int map_fd = bpf_map__fd(map);
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (int err = bpf_map_get_info_by_fd(map_fd, &info, &len))
    throw std::runtime_error("struct_ops map info: " + errno_text(err));

  BtfPtr vmlinux(btf__load_vmlinux_btf());
  if (!vmlinux) throw std::runtime_error("load the kernel's BTF: " + errno_text(errno));
  BtfPtr module = value_btf(info, vmlinux.get());
  const btf* b = module ? module.get() : vmlinux.get();

  // struct bpf_struct_ops_<type> { struct bpf_struct_ops_common_value common; <type> data; }
  const Member data = member_of(b, info.btf_vmlinux_value_type_id, "data");
  const Member call = member_of(b, data.type, "call");
  const Member name_member = member_of(b, data.type, "name");
  if (data.offset + data.size > info.value_size || call.size != sizeof(uint64_t) ||
      name.size() >= name_member.size)
    throw std::runtime_error("kernel BTF: unexpected struct_ops value layout");

  // common (refcnt, state) stays zero, as the kernel requires of a new value.
  std::vector<uint8_t> value(info.value_size, 0);
  const uint64_t fd = static_cast<uint64_t>(call_prog_fd);
  std::memcpy(value.data() + data.offset + call.offset, &fd, sizeof(fd));
  std::memcpy(value.data() + data.offset + name_member.offset, name.data(), name.size());
  const uint32_t zero = 0;
  int err = bpf_map_update_elem(map_fd, &zero, value.data(), 0);
  // EBUSY: already set (a value, once set, never changes).
  if (err && err != -EBUSY)
    throw std::runtime_error("set the struct_ops value of " + std::string(bpf_map__name(map)) +
                             ": " + errno_text(err));
}

}  // namespace ireactor::kmod
