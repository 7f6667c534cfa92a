#include "config/loader.h"

namespace branchcast {

std::string json_schema() { return "{}"; }

}  // namespace branchcast
