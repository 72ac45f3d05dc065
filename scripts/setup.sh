#!/bin/sh
# Installs what the project needs on a fresh clone: npm dependencies from the lockfile;
# with --browser, a Chromium for the browser tests (Debian's package, or $CHROMIUM_PATH) and
# the other engines of e2e/engines/: Firefox ESR ($FIREFOX_PATH), WebKitGTK's WebDriver and
# MiniBrowser ($WEBKIT_DRIVER, $WEBKIT_BROWSER), Xvfb for WebKit's display (the tests start
# their own) and xauth (for xvfb-run, to watch a WebKit scenario by hand);
# with --cluster, what the gateway cluster and its tests use: RabbitMQ (AMQP_URL, default
# 127.0.0.1:5672, with rabbitmqctl), Redis (REDIS_URL, default 127.0.0.1:6379) and HAProxy.
set -e
cd "$(dirname "$0")/.."

browser=false
cluster=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
    --cluster) cluster=true ;;
    *) echo "setup: unknown option $arg (use --browser, --cluster)" >&2; exit 2 ;;
  esac
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "$browser" = true ]; then
  if [ -n "$CHROMIUM_PATH" ]; then
    if [ ! -x "$CHROMIUM_PATH" ]; then
      echo "setup: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
      exit 1
    fi
  elif [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "setup: installing Debian's chromium"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: no Chromium found. Install one (Debian: apt-get install chromium) or point" >&2
      echo "       CHROMIUM_PATH at a Chromium/Chrome binary, then run again." >&2
      exit 1
    fi
  fi
  # The engines of e2e/engines/ besides Chromium: Debian packages, each checked by a file it brings.
  for var in FIREFOX_PATH WEBKIT_DRIVER WEBKIT_BROWSER; do
    eval "value=\${$var}"
    if [ -n "$value" ] && [ ! -x "$value" ]; then
      echo "setup: $var=$value is not an executable" >&2
      exit 1
    fi
  done
  missing=""
  [ -x "${FIREFOX_PATH:-/usr/lib/firefox-esr/firefox-esr}" ] || missing="$missing firefox-esr"
  { [ -x "${WEBKIT_DRIVER:-/usr/bin/WebKitWebDriver}" ] &&
    [ -x "${WEBKIT_BROWSER:-/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser}" ]; } ||
    missing="$missing webkit2gtk-driver"
  command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
  command -v xauth >/dev/null 2>&1 || missing="$missing xauth"
  if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "setup: installing Debian's$missing"
      apt-get update -qq
      # shellcheck disable=SC2086 # one word per package
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: missing for the Firefox and WebKit tests (e2e/engines/):$missing. Install them" >&2
      echo "       (Debian: apt-get install$missing) or point FIREFOX_PATH, WEBKIT_DRIVER and" >&2
      echo "       WEBKIT_BROWSER at a Firefox and at WebKitWebDriver and its MiniBrowser, then run again." >&2
      exit 1
    fi
  fi
fi

# Whether host:port of a URL (or its default) accepts a TCP connection within 2 s.
answers() {
  node -e '
    const url = new URL(process.argv[1]);
    const socket = require("node:net").connect(Number(url.port) || Number(process.argv[2]), url.hostname);
    socket.setTimeout(2000, () => process.exit(1));
    socket.on("connect", () => process.exit(0)).on("error", () => process.exit(1));
  ' "$1" "$2"
}

# Waits up to 60 s for a service started just now.
wait_for() {
  i=0
  while ! answers "$1" "$2"; do
    i=$((i + 1))
    if [ $i -ge 60 ]; then
      echo "setup: $3 was started but does not answer at $1" >&2
      exit 1
    fi
    sleep 1
  done
}

can_install() {
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]
}

# Runs "$@" (an apt-get install) with service starts denied: haproxy's postinst runs
# `invoke-rc.d haproxy start || exit 1`, which fails the install where no init system can start
# it (containers); the cluster starts its own HAProxy with its own config anyway. A
# policy-rc.d already in place (Docker images have one) is left as it is.
without_service_starts() {
  policy_rc=/usr/sbin/policy-rc.d
  if [ -e "$policy_rc" ]; then
    "$@"
    return
  fi
  printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
  chmod 755 "$policy_rc"
  trap 'rm -f "$policy_rc"' EXIT INT TERM
  status=0
  "$@" || status=$?
  rm -f "$policy_rc"
  trap - EXIT INT TERM
  return $status
}

# Makes sure the service NAME answers at URL (default port PORT). Where it does not, as root on
# Debian: installs Debian's PACKAGE if missing and starts it (its service, else START); otherwise
# says what to do (HINT completes "apt-get install …") and exits.
ensure_service() {
  answers "$1" "$2" && return
  if ! can_install; then
    echo "setup: $3 does not answer at $1. Start one (Debian: apt-get install" >&2
    echo "       $6, then run again." >&2
    exit 1
  fi
  if ! command -v "$4" >/dev/null 2>&1; then
    echo "setup: installing Debian's $4"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$4" >/dev/null
  fi
  echo "setup: starting $3"
  service "$4" start >/dev/null 2>&1 || $5
  wait_for "$1" "$2" "$3"
}

if [ "$cluster" = true ]; then
  amqp_url="${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
  redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
  ensure_service "$amqp_url" 5672 RabbitMQ rabbitmq-server "rabbitmq-server -detached" \
    "rabbitmq-server; guest/guest on 127.0.0.1:5672) or set AMQP_URL"
  ensure_service "$redis_url" 6379 Redis redis-server "redis-server --daemonize yes --bind 127.0.0.1" \
    "redis-server) or set REDIS_URL"
  if ! command -v "${HAPROXY_PATH:-haproxy}" >/dev/null 2>&1; then
    if can_install; then
      echo "setup: installing Debian's haproxy"
      apt-get update -qq
      without_service_starts env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    else
      echo "setup: no HAProxy found. Install it (Debian: apt-get install haproxy) or point" >&2
      echo "       HAPROXY_PATH at a haproxy binary, then run again." >&2
      exit 1
    fi
  fi
  if ! command -v rabbitmqctl >/dev/null 2>&1; then
    echo "setup: no rabbitmqctl on PATH. The cluster tests (routing, rabbitOutage, amqpBroker)" >&2
    echo "       read bindings and close connections with it. Install it (Debian: apt-get install" >&2
    echo "       rabbitmq-server, which brings it; with a RabbitMQ elsewhere, its CLI tools and" >&2
    echo "       Erlang cookie) or put it on PATH, then run again." >&2
    exit 1
  fi
fi
