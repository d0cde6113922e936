# Run by `cmake --install` (install(CODE) in CMakeLists.txt): writes each man page of man/ with the
# source-tree paths it names (data/samples/models, the sample texts, scripts/cron, ...) turned into
# the paths they are installed at under the prefix given at install time, and installs it. The
# pages in man/ keep the source-tree paths, so they stay true for a checkout.
# Needs MLPIPE_SOURCE_DIR and MLPIPE_BINARY_DIR; CMAKE_INSTALL_PREFIX is the install's prefix.
set(data "${CMAKE_INSTALL_PREFIX}/share/mlpipe")
# Longest first: a path is replaced before any shorter path it starts with.
set(replacements
  "data/samples/models" "${data}/models"
  "data/samples/essays" "${data}/samples/essays"
  "data/samples/opinion" "${data}/samples/opinion"
  "scripts/train\\-argument\\-models.sh" "${data}/scripts/train\\-argument\\-models.sh"
  "scripts/train-argument-models.sh" "${data}/scripts/train-argument-models.sh"
  "scripts/cron/" "${data}/scripts/cron/"
  "scripts/slurm/" "${data}/scripts/slurm/")
file(GLOB pages "${MLPIPE_SOURCE_DIR}/man/*.[1-8]")
foreach(page IN LISTS pages)
  get_filename_component(name "${page}" NAME)
  string(REGEX REPLACE ".*\\.([1-8])$" "\\1" section "${name}")
  file(READ "${page}" text)
  set(pairs ${replacements})
  while(pairs)
    list(POP_FRONT pairs from to)
    string(REPLACE "${from}" "${to}" text "${text}")
  endwhile()
  file(WRITE "${MLPIPE_BINARY_DIR}/man-installed/${name}" "${text}")
  file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/share/man/man${section}" TYPE FILE
       FILES "${MLPIPE_BINARY_DIR}/man-installed/${name}")
endforeach()
