branchcast_fuzzer(ble_advert SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_ble_advert.cpp LIBS branchcast_ble_core)
