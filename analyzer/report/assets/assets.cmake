# Embeds the HTML report's assets into dbvet_report: report.css and report.js from this folder,
# and Chart.js, which scripts/bootstrap fetched beforehand (scripts/fetch-assets: pinned version,
# integrity checked) into DBVET_CHARTJS_DIR. The build itself never touches the network: it only
# compiles the files into a generated .cpp, so the binary writes pages that need no network and no
# data directory.
set(DBVET_CHARTJS_DIR ${CMAKE_SOURCE_DIR}/third_party/chart.js
    CACHE PATH "Where scripts/fetch-assets put chart.umd.min.js and chart.version")
set(DBVET_CHARTJS_FILE ${DBVET_CHARTJS_DIR}/chart.umd.min.js)
set(DBVET_REPORT_ASSETS ${CMAKE_SOURCE_DIR}/analyzer/report/assets)
set(DBVET_HTML_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/analyzer/report/html_assets.cpp)

if(NOT EXISTS ${DBVET_CHARTJS_FILE} OR NOT EXISTS ${DBVET_CHARTJS_DIR}/chart.version)
  message(FATAL_ERROR "Chart.js is missing from ${DBVET_CHARTJS_DIR}: run scripts/bootstrap (or "
                      "scripts/fetch-assets ${DBVET_CHARTJS_DIR}) before the build")
endif()

add_custom_command(
  OUTPUT ${DBVET_HTML_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${DBVET_HTML_ASSETS_CPP} -DCHARTJS=${DBVET_CHARTJS_FILE}
          -DCHARTJS_VERSION_FILE=${DBVET_CHARTJS_DIR}/chart.version -DREPORT_JS=${DBVET_REPORT_ASSETS}/report.js
          -DREPORT_CSS=${DBVET_REPORT_ASSETS}/report.css -P ${DBVET_REPORT_ASSETS}/embed_assets.cmake
  DEPENDS ${DBVET_CHARTJS_FILE} ${DBVET_CHARTJS_DIR}/chart.version ${DBVET_REPORT_ASSETS}/report.js
          ${DBVET_REPORT_ASSETS}/report.css ${DBVET_REPORT_ASSETS}/embed_assets.cmake
  COMMENT "Embedding the HTML report assets"
  VERBATIM)

target_sources(dbvet_report PRIVATE ${DBVET_HTML_ASSETS_CPP})
