# Sourced by scripts/install_*.sh. apt_install PKG... installs the Debian packages that are
# missing and nothing else: idempotent, `apt-get update` only when a package has no install
# candidate yet. Without root or apt-get it only says what is missing and returns 0; the
# tests that need the package then skip (or fail when SEKIMORI_CI=1, as in .ci/run).
apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "not installed and cannot be installed here (needs root and apt-get): ${missing[*]};" \
         "the tests that need them will be skipped." >&2
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  for p in "${missing[@]}"; do
    if ! apt-cache policy "$p" 2>/dev/null | grep -q "Candidate: [^(]"; then
      apt-get update -qq
      break
    fi
  done
  echo "installing Debian packages: ${missing[*]}…"
  # Other jobs on the machine may hold the dpkg lock for a while: wait for it.
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
}
