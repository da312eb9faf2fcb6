#!/bin/sh
# Install what newsgraph needs to build and test on Debian 12 (bookworm).
# Runs apt-get as root, or through sudo when not root.
set -e
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PACKAGES="build-essential autoconf automake libtool pkg-config python3 \
  librdf0-dev libraptor2-dev librasqal3-dev libpcre2-dev libxml2-dev libutf8proc-dev \
  libcurl4-gnutls-dev liblmdb-dev lmdb-utils nettle-dev check iso-codes wordnet-base \
  raptor2-utils rasqal-utils redland-utils python3-rdflib valgrind \
  libmicrohttpd-dev curl chromium"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
echo "install-deps: build dependencies installed"
