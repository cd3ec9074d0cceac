# Embeds the HTML report's assets into dbvet_analyzer: report.css and report.js from this folder,
# and Chart.js, fetched at build time from the npm registry by scripts/fetch-assets (pinned version,
# integrity checked). The result is a generated .cpp, so the binary writes pages that need no
# network and no data directory.
set(DBVET_ASSET_DIR ${CMAKE_BINARY_DIR}/assets)
set(DBVET_CHARTJS_FILE ${DBVET_ASSET_DIR}/chart.umd.min.js)
set(DBVET_REPORT_ASSETS ${CMAKE_SOURCE_DIR}/analyzer/report/assets)
set(DBVET_HTML_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/analyzer/report/html_assets.cpp)

add_custom_command(
  OUTPUT ${DBVET_CHARTJS_FILE}
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/fetch-assets ${DBVET_ASSET_DIR}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/fetch-assets
  COMMENT "Fetching Chart.js from the npm registry (scripts/fetch-assets)"
  VERBATIM)

add_custom_command(
  OUTPUT ${DBVET_HTML_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${DBVET_HTML_ASSETS_CPP} -DCHARTJS=${DBVET_CHARTJS_FILE}
          -DCHARTJS_VERSION_FILE=${DBVET_ASSET_DIR}/chart.version -DREPORT_JS=${DBVET_REPORT_ASSETS}/report.js
          -DREPORT_CSS=${DBVET_REPORT_ASSETS}/report.css -P ${DBVET_REPORT_ASSETS}/embed_assets.cmake
  DEPENDS ${DBVET_CHARTJS_FILE} ${DBVET_REPORT_ASSETS}/report.js ${DBVET_REPORT_ASSETS}/report.css
          ${DBVET_REPORT_ASSETS}/embed_assets.cmake
  COMMENT "Embedding the HTML report assets"
  VERBATIM)

target_sources(dbvet_analyzer PRIVATE ${DBVET_HTML_ASSETS_CPP})
