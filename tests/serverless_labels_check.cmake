# ctest test serverless_labels: there are tests labelled `sqlite`, and no test outside the label
# `servers` requires the testenv fixture (which starts PostgreSQL, MariaDB and Redis), so
# `ctest -L sqlite` and `ctest -L unit` run without servers.
#   cmake -DCTEST=... -DBUILD_DIR=... -DE2E_TESTS=path/of/dbvet_e2e_tests -P serverless_labels_check.cmake
# Skipped in a build directory where the e2e tests were not built (make test-unit, test-sanitize,
# test-thread, the build matrix): ctest lists no e2e test there.
if(NOT EXISTS "${E2E_TESTS}")
  message(STATUS "serverless_labels: skipped, ${E2E_TESTS} is not built")
  return()
endif()
function(listing out)
  execute_process(COMMAND ${CTEST} --test-dir ${BUILD_DIR} --show-only=json-v1 ${ARGN} OUTPUT_VARIABLE json
                  RESULT_VARIABLE status ERROR_QUIET)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "ctest --show-only ${ARGN} failed (${status})")
  endif()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

listing(sqlite -L sqlite)
string(JSON count LENGTH "${sqlite}" tests)
if(count LESS 20)
  message(FATAL_ERROR "only ${count} tests are labelled sqlite: the SQLite-only e2e tests must run without servers")
endif()
listing(serverless -LE servers)
string(FIND "${serverless}" "FIXTURES_REQUIRED" at)
if(NOT at EQUAL -1)
  string(SUBSTRING "${serverless}" ${at} 200 context)
  message(FATAL_ERROR "a test not labelled servers requires a fixture: ${context}")
endif()
message(STATUS "${count} tests labelled sqlite; none outside the label servers requires the fixture")
