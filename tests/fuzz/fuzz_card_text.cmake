# Card text (event titles, notices, text items): sanitize, wrap and bidi reordering of any bytes.
branchcast_fuzzer(card_text SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_card_text.cpp LIBS branchcast_media_fribidi)
