// The services ntcore implements, by Windows name, from the X-macro lists of the service
// headers: adding a service to a list is all it takes for the dispatcher to serve it.
#include "ireactor/dispatcher.h"
#include "ireactor/service_thunk.h"
#include "ireactor/services/exception_services.h"
#include "ireactor/services/io_services.h"
#include "ireactor/services/loader_services.h"
#include "ireactor/services/memory_services.h"
#include "ireactor/services/object_services.h"
#include "ireactor/services/process_services.h"
#include "ireactor/services/registry_services.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/services/system_services.h"

namespace ireactor {
namespace {

#define IR_SERVICE_ENTRY(name) \
  ServiceEntry{#name, &service_thunk<&name>, detail::ServiceTraits<decltype(&name)>::arity},

constexpr ServiceEntry kServices[] = {
    IR_OBJECT_SERVICES(IR_SERVICE_ENTRY)     //
    IR_IO_SERVICES(IR_SERVICE_ENTRY)         //
    IR_MEMORY_SERVICES(IR_SERVICE_ENTRY)     //
    IR_SYNC_SERVICES(IR_SERVICE_ENTRY)       //
    IR_SYSTEM_SERVICES(IR_SERVICE_ENTRY)     //
    IR_PROCESS_SERVICES(IR_SERVICE_ENTRY)    //
    IR_EXCEPTION_SERVICES(IR_SERVICE_ENTRY)  //
    IR_REGISTRY_SERVICES(IR_SERVICE_ENTRY)   //
};

#define IR_PRIVATE_SERVICE_ENTRY(name, number)                           \
  PrivateServiceEntry{number, ServiceEntry{#name, &service_thunk<&name>, \
                                           detail::ServiceTraits<decltype(&name)>::arity}},

constexpr PrivateServiceEntry kPrivateServices[] = {
    IR_LOADER_SERVICES(IR_PRIVATE_SERVICE_ENTRY)  //
};

#undef IR_PRIVATE_SERVICE_ENTRY
#undef IR_SERVICE_ENTRY

}  // namespace

std::span<const ServiceEntry> implemented_services() {
  return kServices;
}

std::span<const PrivateServiceEntry> private_services() {
  return kPrivateServices;
}

}  // namespace ireactor
