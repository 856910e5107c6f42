# Sourced by scripts/test.sh: a private CUPS server with a PDF printer for the printing tests.
#
# cupsd runs from its own folder in /tmp, on its own socket, and never touches the
# machine's CUPS or its queues. Exports:
#   CUPS_SERVER                 the socket (lp, lpstat and Qt's CUPS plugin follow it)
#   PH_TEST_CUPS_QUEUE          a cups-pdf queue (also the default queue)
#   PH_TEST_CUPS_STOPPED_QUEUE  a queue that is disabled and rejects jobs
#   PH_TEST_CUPS_OUT            where the PDF queue writes what it printed
#   PH_TEST_CUPS_LOG            cupsd's error log, for a test that waits in vain
# The cups-pdf back end only runs when cupsd runs as root: as root (CI) it starts
# directly, otherwise through passwordless sudo, otherwise it says why and the tests
# skip. cups-pdf reads its settings from /etc/cups only, so the output folder is set
# in /etc/cups/cups-pdf-<instance>.conf, removed again by cups_test_stop.

cups_test_start() {
  local cupsd=/usr/sbin/cupsd backend=/usr/lib/cups/backend/cups-pdf ppd
  ppd=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -n 1)
  if [ ! -x "$cupsd" ] || [ ! -e "$backend" ] || [ -z "$ppd" ] || ! command -v lpadmin >/dev/null; then
    echo "!! 未找到 CUPS 或 cups-pdf（apt-get install cups printer-driver-cups-pdf）；CUPS 打印测试将被跳过" >&2
    return 1
  fi
  CUPS_TEST_RUN=()
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then
      CUPS_TEST_RUN=(sudo -n)
    else
      echo "!! cups-pdf 需要以 root 运行 cupsd（本机没有免密码 sudo）；CUPS 打印测试将被跳过" >&2
      return 1
    fi
  fi
  CUPS_TEST_DIR=$(mktemp -d /tmp/ph-cups.XXXXXX)
  CUPS_TEST_INSTANCE="phtest$$"
  local d=$CUPS_TEST_DIR
  chmod 755 "$d"  # filters run as the lp user and read the spool below
  mkdir -p "$d/conf/ppd" "$d/spool/tmp" "$d/cache" "$d/state" "$d/log" "$d/out"
  chmod 1777 "$d/out"
  cat >"$d/conf/cupsd.conf" <<EOF
LogLevel warn
Listen $d/cups.sock
Browsing No
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
  cat >"$d/conf/cups-files.conf" <<EOF
ServerRoot $d/conf
RequestRoot $d/spool
TempDir $d/spool/tmp
CacheDir $d/cache
StateDir $d/state
AccessLog $d/log/access_log
ErrorLog $d/log/error_log
PageLog $d/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
SystemGroup root
Sandboxing Relaxed
EOF
  printf 'Out %s\nLog %s\n' "$d/out" "$d/log" | "${CUPS_TEST_RUN[@]}" tee "/etc/cups/cups-pdf-$CUPS_TEST_INSTANCE.conf" >/dev/null
  "${CUPS_TEST_RUN[@]}" "$cupsd" -f -c "$d/conf/cupsd.conf" -s "$d/conf/cups-files.conf" &
  CUPS_TEST_PID=$!
  export CUPS_SERVER="$d/cups.sock"
  local tries=0
  # lpstat -r exits 0 either way: read what it says.
  until [ "$(LC_ALL=C lpstat -r 2>/dev/null)" = "scheduler is running" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$CUPS_TEST_PID" 2>/dev/null; then
      echo "!! 测试用 CUPS 未能启动：" >&2
      cat "$d/log/error_log" >&2 2>/dev/null || true
      cups_test_stop
      return 1
    fi
    sleep 0.1  # waiting for the socket to answer, with a 10 s limit
  done
  # lpadmin warns that PPD drivers are deprecated (cups-pdf has no other kind): show only failures.
  local out
  if ! out=$(lpadmin -p PHTEST -v "cups-pdf:/$CUPS_TEST_INSTANCE" -P "$ppd" -E -D "PH test PDF" 2>&1 \
        && lpadmin -d PHTEST 2>&1 \
        && lpadmin -p PHTEST_STOPPED -v "cups-pdf:/$CUPS_TEST_INSTANCE" -P "$ppd" 2>&1); then  # no -E: stopped
    echo "!! 无法在测试用 CUPS 中添加打印队列：$out" >&2
    cups_test_stop
    return 1
  fi
  export PH_TEST_CUPS_QUEUE=PHTEST PH_TEST_CUPS_STOPPED_QUEUE=PHTEST_STOPPED
  export PH_TEST_CUPS_OUT="$d/out" PH_TEST_CUPS_LOG="$d/log/error_log"
  echo "== CUPS 测试服务器：$CUPS_SERVER（打印队列 PHTEST → $PH_TEST_CUPS_OUT）"
}

cups_test_stop() {
  if [ -n "${CUPS_TEST_PID:-}" ]; then
    "${CUPS_TEST_RUN[@]}" kill "$CUPS_TEST_PID" 2>/dev/null || true
    wait "$CUPS_TEST_PID" 2>/dev/null || true
    CUPS_TEST_PID=""
  fi
  if [ -n "${CUPS_TEST_INSTANCE:-}" ]; then
    "${CUPS_TEST_RUN[@]}" rm -f "/etc/cups/cups-pdf-$CUPS_TEST_INSTANCE.conf"
  fi
  if [ -n "${CUPS_TEST_DIR:-}" ]; then
    "${CUPS_TEST_RUN[@]}" rm -rf "$CUPS_TEST_DIR"
    CUPS_TEST_DIR=""
  fi
}
