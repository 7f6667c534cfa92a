# Recommender benchmarks: the offline evaluation (Recall@10 / NDCG@10 vs baselines) and the
# refresh/query scale figure. Both print their own in-run baselines.
add_library(bench_recommend_synthetic STATIC ${CMAKE_CURRENT_LIST_DIR}/recommend/synthetic_library.cpp)
target_include_directories(bench_recommend_synthetic PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(bench_recommend_synthetic PUBLIC branchcast_catalogue branchcast_settings)

add_executable(bench_recommend_eval ${CMAKE_CURRENT_LIST_DIR}/recommend/eval.cpp)
target_link_libraries(bench_recommend_eval PRIVATE bench_recommend_synthetic branchcast_recommend)

add_executable(bench_recommend_scale ${CMAKE_CURRENT_LIST_DIR}/recommend/scale.cpp)
target_link_libraries(bench_recommend_scale PRIVATE branchcast_recommend)

# Patron relevance on the real feeds of the shared fixtures (read at run time, never copied here).
add_executable(bench_recommend_realworld ${CMAKE_CURRENT_LIST_DIR}/recommend/realworld.cpp)
target_link_libraries(bench_recommend_realworld PRIVATE branchcast_recommend branchcast_feeds)
target_compile_definitions(bench_recommend_realworld PRIVATE BRANCHCAST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
