# ASan + UBSan for every target when MAPFORGE_SANITIZE is on (CI builds the tests this way).
if(MAPFORGE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
