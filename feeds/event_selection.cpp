#include "feeds/feed_parser.h"
namespace branchcast {}
