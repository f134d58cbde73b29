#!/usr/bin/env bash
# Debian's poppler-utils (pdftotext) for the certificate tests, which read
# back the text of the PDF the API writes; installed with apt when missing.
set -euo pipefail
if [ -x /usr/bin/pdftotext ]; then exit 0; fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing Debian's poppler-utils (pdftotext) for the certificate tests"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
