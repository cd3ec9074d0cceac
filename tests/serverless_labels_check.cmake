# ctest test serverless_labels: there are tests labelled `sqlite`, and no test outside the label
# `servers` requires the testenv fixture (which starts PostgreSQL, MariaDB and Redis), so
# `ctest -L sqlite` and `ctest -L unit` run without servers.
#   cmake -DCTEST=... -DBUILD_DIR=... -P serverless_labels_check.cmake
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
