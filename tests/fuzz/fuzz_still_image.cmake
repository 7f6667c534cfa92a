# Feed pictures' headers (media/still_image.h sniff_still): any bytes a server sends, before a decoder.
branchcast_fuzzer(still_image SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_still_image.cpp LIBS branchcast_media)
