// Turns a typed service function (NTSTATUS NtX(HANDLE, UserPtr<T>, ULONG...)) into the
// uniform ServiceThunk the dispatcher calls: registers and stack slots become the declared
// parameter types (ULONG keeps the low 32 bits, as the Windows kernel does), and stack
// arguments are read fault-safely.
#pragma once

#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ireactor/dispatcher.h"
#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

namespace detail {

template <class T>
struct ArgCast {
  static T from(uint64_t v) {
    static_assert(std::is_integral_v<T>, "service parameters are integers or UserPtr<T>");
    return static_cast<T>(v);
  }
};
template <class T>
struct ArgCast<UserPtr<T>> {
  static UserPtr<T> from(uint64_t v) { return UserPtr<T>(v); }
};

template <class F>
struct ServiceTraits;
template <class... A>
struct ServiceTraits<nt::NTSTATUS (*)(A...)> {
  static constexpr size_t arity = sizeof...(A);
  using Args = std::tuple<A...>;
};

}  // namespace detail

template <auto Fn>
nt::NTSTATUS service_thunk(const SyscallFrame& f) {
  using Traits = detail::ServiceTraits<decltype(Fn)>;
  constexpr size_t n = Traits::arity;
  std::array<uint64_t, (n > 0 ? n : 1)> raw{};
  for (size_t i = 0; i < n && i < 4; ++i) raw[i] = f.arg[i];
  if constexpr (n > 4) {
    if (!copy_from_user(&raw[4], f.user_stack_args, (n - 4) * sizeof(uint64_t)))
      return nt::STATUS_ACCESS_VIOLATION;
  }
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return Fn(detail::ArgCast<std::tuple_element_t<I, typename Traits::Args>>::from(raw[I])...);
  }
  (std::make_index_sequence<n>{});
}

}  // namespace ireactor
