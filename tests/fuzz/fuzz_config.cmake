# The config loader: any bytes as an appliance file, playlist or patrons list.
branchcast_fuzzer(config SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_config.cpp LIBS branchcast_config)
