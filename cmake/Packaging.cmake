# The branchcast Debian package (CPack DEB): the binary, its systemd units, sysusers/tmpfiles
# snippets, the first-boot provisioning script and the demo branch (the default config).
# `cpack -G DEB` in a build tree; scripts/build-image.sh cross-builds it for arm64 (docs/image.md).
set(BRANCHCAST_IMAGE_DIR ${PROJECT_SOURCE_DIR}/image-build)

install(FILES ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast.service
              ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast-provision.service
              ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast-sync.service
              ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast-sync.timer
        DESTINATION lib/systemd/system)
install(FILES ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast.sysusers
        DESTINATION lib/sysusers.d RENAME branchcast.conf)
install(FILES ${BRANCHCAST_IMAGE_DIR}/systemd/branchcast.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME branchcast.conf)
install(PROGRAMS ${BRANCHCAST_IMAGE_DIR}/provision/branchcast-provision DESTINATION libexec/branchcast)
if(TARGET demo_branch)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/demo-branch/ DESTINATION share/branchcast/demo-branch
          PATTERN .copied EXCLUDE)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/docs/image.md DESTINATION share/doc/branchcast OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME branchcast)
set(CPACK_PACKAGE_VENDOR "Branchcast")
set(CPACK_PACKAGE_CONTACT "Branchcast maintainers <branchcast@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Digital signage and nearby notifications for public libraries")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Shared libraries through dpkg-shlibdeps; what is loaded at run time (GStreamer plugins, D-Bus,
# BlueZ, fonts, CA certificates, wpa_passphrase for provisioning) is listed by hand. SDL dlopens
# EGL and GLES: its KMSDRM output (a Pi with no desktop) cannot open a window without them and
# Mesa's vc4/v3d drivers (libgl1-mesa-dri), and the GPU converts the video's YUV there.
# gstreamer1.0-alsa: autoaudiosink's ALSA sink (HDMI audio); without it sound goes to a fakesink.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "systemd, dbus, bluez, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-libav, gstreamer1.0-alsa, fonts-dejavu-core, fonts-lohit-deva, fonts-lohit-beng-bengali, fonts-lohit-guru, fonts-lohit-gujr, fonts-lohit-orya, fonts-lohit-taml, fonts-lohit-telu, fonts-lohit-knda, fonts-lohit-mlym, fonts-tlwg-loma-otf, fonts-wqy-microhei, ca-certificates, tzdata, wpasupplicant, libegl1, libegl-mesa0, libgles2, libgl1-mesa-dri")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${BRANCHCAST_IMAGE_DIR}/deb/postinst ${BRANCHCAST_IMAGE_DIR}/deb/prerm ${BRANCHCAST_IMAGE_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
