branchcast_fuzzer(notify_parsers SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_notify_parsers.cpp LIBS branchcast_notify)
