#!/usr/bin/env bash
# tests/ops/deb.sh - the Debian package, run by `make test` (scripts/test-all, "== package"):
#   1. builds it twice (version 0.0.0~testN-1, then ~testN+1-1, same binary) with scripts/build-deb
#      --fast (gzip instead of xz: the same files);
#   2. its contents (dpkg-deb -c) and fields (dpkg-deb -I): files, owners, modes, conffiles;
#   3. systemd-analyze security --offline=yes scores the unit at most 2.0, and the system calls and
#      socket families of a running server (strace) are all inside the unit's filters;
#   4. in a fresh root - an overlay over this Debian 12 system, in a private mount namespace, so
#      nothing of it outlives the test - installs it (user, key 0600, conf, unit enabled), installs
#      it again (nothing changes), runs ecoact-admin init and the service's own command line
#      (/healthz, the console, the portal, the access log and its rotation), upgrades it keeping the database, the
#      key and an edited conffile, refuses an upgrade over a database newer than the binary
#      without changing a byte of it, removes it (data kept), installs it again over what remove
#      kept, and purges it (nothing left);
#   5. lintian, when installed (it is not in scripts/install-deps: 127 packages; docs/operations.md).
# Needs root for the fresh root; prints "ok"/"FAIL" per check and exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.."
repo=$PWD
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
logged() { # logged LOG CMD...: runs CMD into LOG, shown when it fails
  local log=$1; shift
  "$@" > "$log" 2>&1 || { sed 's/^/     | /' "$log"; return 1; }
}
check() { # check DESCRIPTION CMD...
  local d=$1; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}

if [ "${1:-}" = --inside ]; then
  # ---- 4. inside the private mount namespace: $2 the scratch dir, $3 $4 the two packages ----
  s=$2 deb1=$3 deb2=$4
  R=$s/root
  mkdir -p "$s/upper" "$s/work" "$R"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$s/upper,workdir=$s/work" "$R" || { bad "overlay mount"; exit 1; }
  mount --bind /dev "$R/dev" && mount -t proc proc "$R/proc" && mount -t tmpfs tmpfs "$R/run" && mount -t tmpfs tmpfs "$R/tmp" || { bad "mounts in the fresh root"; exit 1; }
  rt() { chroot "$R" "$@"; }
  cp "$deb1" "$R/tmp/v1.deb"; cp "$deb2" "$R/tmp/v2.deb"
  # the fresh root starts without ecoact: no user, no files (a host that has it installed is refused)
  if rt getent passwd ecoact >/dev/null || rt dpkg -s ecoact >/dev/null 2>&1; then bad "this machine already has ecoact installed or its user: cannot test a fresh install"; exit 1; fi

  check "install: dpkg -i succeeds" logged "$s/install.log" rt dpkg -i /tmp/v1.deb
  check "install: status installed" sh -c "chroot '$R' dpkg-query -W -f='\${Status}' ecoact | grep -q 'install ok installed'"
  check "install: system user ecoact with no login shell" sh -c "chroot '$R' getent passwd ecoact | grep -q ':/var/lib/ecoact:/usr/sbin/nologin$'"
  check "install: says what to do next" grep -q "ecoact-admin init" "$s/install.log"
  key=$R/etc/ecoact/ecoact.key
  check "install: data key is 0600 ecoact:ecoact" [ "$(rt stat -c '%a %U:%G' /etc/ecoact/ecoact.key 2>/dev/null)" = "600 ecoact:ecoact" ]
  check "install: data key is 32 random bytes in hex" grep -qxE '[0-9a-f]{64}' "$key"
  check "install: /etc/ecoact is 750 root:ecoact, the conf 640 root:ecoact" [ "$(rt stat -c '%a %U:%G' /etc/ecoact /etc/ecoact/ecoact.conf | tr '\n' ' ')" = "750 root:ecoact 640 root:ecoact " ]
  check "install: state dir 700 and log dir 750, owned by ecoact" [ "$(rt stat -c '%a %U' /var/lib/ecoact /var/log/ecoact | tr '\n' ' ')" = "700 ecoact 750 ecoact " ]
  check "install: the unit is enabled" [ -L "$R/etc/systemd/system/multi-user.target.wants/ecoact.service" ]
  check "install: no database yet (init is the operator's)" [ ! -e "$R/var/lib/ecoact/ecoact.db" ]
  keysum=$(md5sum < "$key")
  # a first install over a database left without its key makes no new key (it would not read it)
  mv "$key" "$s/key.saved"; rt dpkg -P ecoact > "$s/purge0.log" 2>&1
  mkdir -p "$R/var/lib/ecoact"; echo stale > "$R/var/lib/ecoact/ecoact.db"
  rt dpkg -i /tmp/v1.deb > "$s/install0.log" 2>&1
  check "install over a database without its key: no key made, and says so" sh -c "[ ! -e '$key' ] && grep -q 'restore the key' '$s/install0.log'" || cat "$s/install0.log"
  rm -f "$R/var/lib/ecoact/ecoact.db"; install -m 0600 "$s/key.saved" "$key"; rt chown ecoact:ecoact /etc/ecoact/ecoact.key

  check "reinstall: dpkg -i again succeeds" logged "$s/reinstall.log" rt dpkg -i /tmp/v1.deb
  check "reinstall: the key is unchanged" [ "$(md5sum < "$key")" = "$keysum" ]

  check "ecoact-admin init creates the database and the administrators" sh -c "chroot '$R' ecoact-admin init > '$s/init.log' 2>&1 && grep -q 'sysadmin' '$s/init.log'" || cat "$s/init.log"
  check "init: database owned by ecoact, mode 600" [ "$(rt stat -c '%a %U' /var/lib/ecoact/ecoact.db 2>/dev/null)" = "600 ecoact" ]

  # The unit's command line with the conf's environment, as the ecoact user (no systemd here).
  port=$((30000 + RANDOM % 20000))
  (set -a; . "$R/etc/ecoact/ecoact.conf"; ECOACT_LISTEN=127.0.0.1:$port; ECOACT_THREADS=1; ECOACT_TICK_SECONDS=0
   exec chroot "$R" setpriv --reuid=ecoact --regid=ecoact --init-groups -- /usr/libexec/ecoact/serve) > "$s/serve.log" 2>&1 &
  spid=$!
  up=0; for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=1; break; }; sleep 0.1; done
  check "serve: /healthz answers" [ "$up" = 1 ] || cat "$s/serve.log"
  check "serve: the console from /usr/share/ecoact/web" sh -c "curl -sf http://127.0.0.1:$port/ | grep -qi '<html'"
  check "serve: the portal at /m/" sh -c "curl -sf http://127.0.0.1:$port/m/ | grep -qi '<html'"
  check "serve: the access log in /var/log/ecoact, 600 ecoact" sh -c "grep -q healthz '$R/var/log/ecoact/access.log' && [ \"\$(chroot '$R' stat -c '%a %U' /var/log/ecoact/access.log)\" = '600 ecoact' ]"
  kill -TERM "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  if rt sh -c 'command -v logrotate' >/dev/null; then
    check "logrotate: a forced rotation copies and truncates the access log" sh -c "chroot '$R' logrotate -f -s /tmp/logrotate.state /etc/logrotate.d/ecoact > '$s/logrotate.log' 2>&1 && [ -s '$R/var/log/ecoact/access.log.1' ] && [ ! -s '$R/var/log/ecoact/access.log' ] && [ \"\$(chroot '$R' stat -c '%a %U' /var/log/ecoact/access.log.1)\" = '600 ecoact' ]" || cat "$s/logrotate.log"
  else
    echo "skip logrotate: not installed"
  fi

  # Upgrade: an operator's edit of the conf stays; database, key and users stay.
  sed -i 's/^#ECOACT_LOGIN_LIMIT=10\/60/ECOACT_LOGIN_LIMIT=5\/60/' "$R/etc/ecoact/ecoact.conf"
  dbsum=$(rt sqlite3 /var/lib/ecoact/ecoact.db "SELECT count(*) FROM users; SELECT max(version) FROM schema_migrations")
  check "upgrade: dpkg -i of the higher version succeeds" logged "$s/upgrade.log" rt dpkg -i /tmp/v2.deb
  check "upgrade: the migrations ran" grep -q "ecoact migrate: 0 migration(s) applied" "$s/upgrade.log"
  check "upgrade: init ran, no password in the output" sh -c "grep -q 'already initialised' '$s/upgrade.log' && ! grep -qE '^    (sysadmin|secadmin|auditor) ' '$s/upgrade.log'"
  check "upgrade: version is the new one" [ "$(rt dpkg-query -W -f='${Version}' ecoact)" = "$(dpkg-deb -f "$deb2" Version)" ]
  check "upgrade: the edited conffile is kept" grep -q '^ECOACT_LOGIN_LIMIT=5/60' "$R/etc/ecoact/ecoact.conf"
  check "upgrade: key unchanged" [ "$(md5sum < "$key")" = "$keysum" ]
  check "upgrade: users and schema unchanged" [ "$(rt sqlite3 /var/lib/ecoact/ecoact.db "SELECT count(*) FROM users; SELECT max(version) FROM schema_migrations")" = "$dbsum" ]

  # A database newer than the binary: the upgrade refuses and changes nothing.
  rt sqlite3 /var/lib/ecoact/ecoact.db "INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, '9999_future.sql', 0)"
  rt sqlite3 /var/lib/ecoact/ecoact.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  newsum=$(cat "$R"/var/lib/ecoact/ecoact.db* | md5sum)
  if rt dpkg -i /tmp/v2.deb > "$s/newer.log" 2>&1; then bad "newer database: dpkg -i should fail"; else ok "newer database: dpkg -i fails"; fi
  check "newer database: the message says so" grep -q "newer than this binary" "$s/newer.log"
  check "newer database: not a byte changed" [ "$(cat "$R"/var/lib/ecoact/ecoact.db* | md5sum)" = "$newsum" ]
  check "newer database: the package is left unconfigured" sh -c "chroot '$R' dpkg-query -W -f='\${Status}' ecoact | grep -q half-configured"
  rt sqlite3 /var/lib/ecoact/ecoact.db "DELETE FROM schema_migrations WHERE version = 9999"
  check "newer database: once mended, dpkg --configure -a succeeds" logged "$s/configure.log" rt dpkg --configure -a

  # Remove keeps conf, key and data; purge leaves nothing of ecoact.
  check "remove: dpkg -r succeeds" logged "$s/remove.log" rt dpkg -r ecoact
  check "remove: binary gone, conf, key, database kept" sh -c "[ ! -e '$R/usr/bin/ecoact' ] && [ -f '$R/etc/ecoact/ecoact.conf' ] && [ -f '$key' ] && [ -f '$R/var/lib/ecoact/ecoact.db' ]"
  check "reinstall after remove: dpkg -i succeeds" logged "$s/reinstall2.log" rt dpkg -i /tmp/v2.deb
  check "reinstall after remove: unit enabled again, key and database kept" sh -c "[ -L '$R/etc/systemd/system/multi-user.target.wants/ecoact.service' ] && [ \"\$(md5sum < '$key')\" = '$keysum' ] && grep -q 'already initialised' '$s/reinstall2.log'"
  check "remove again: dpkg -r succeeds" logged "$s/remove2.log" rt dpkg -r ecoact
  check "purge: dpkg -P succeeds" logged "$s/purge.log" rt dpkg -P ecoact
  check "purge: dpkg knows no ecoact" sh -c "! chroot '$R' dpkg-query -W ecoact >/dev/null 2>&1"
  # what is left in the overlay's upper layer besides dpkg's own records and the system user
  find "$s/upper" -mindepth 1 \( -type f -o -type l \) -printf '%P\n' | grep -i ecoact \
    | grep -vE '^var/lib/dpkg/|^var/log/(dpkg|alternatives)\.log$' > "$s/left.txt" || true
  check "purge: no file of ecoact left" [ ! -s "$s/left.txt" ] || cat "$s/left.txt"
  exit $((fails > 0))
fi

# ---- outside: build, contents, score, then the fresh root ----
start=$(date +%s)
[ -x ecoact ] || { bad "./ecoact is missing: make build"; exit 1; }
scripts/build-web > /dev/null || { bad "scripts/build-web"; exit 1; }
scratch=$(mktemp -d /tmp/ecoact-debtest.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
v1="0.0.0~test$(date +%s)-1"; v2="0.0.0~test$(date +%s)+1-1"
deb1=$(scripts/build-deb --fast --version "$v1" --out "$scratch/out") || { bad "build-deb $v1"; exit 1; }
deb2=$(scripts/build-deb --fast --version "$v2" --out "$scratch/out") || { bad "build-deb $v2"; exit 1; }
ok "build: $(basename "$deb1") and $(basename "$deb2"), $(stat -c %s "$deb1") bytes"
check "build: the versions order v1 < v2" dpkg --compare-versions "$v1" lt "$v2"

dpkg-deb -c "$deb1" > "$scratch/contents.txt"
has() { grep -qE "$1" "$scratch/contents.txt"; }
for f in ./usr/bin/ecoact ./usr/libexec/ecoact/serve ./usr/sbin/ecoact-admin ./lib/systemd/system/ecoact.service \
         ./usr/lib/sysusers.d/ecoact.conf ./etc/ecoact/ecoact.conf ./etc/logrotate.d/ecoact \
         ./usr/share/ecoact/web/index.html ./usr/share/ecoact/web/m/index.html \
         ./usr/share/doc/ecoact/copyright ./usr/share/doc/ecoact/changelog.Debian.gz ./usr/share/doc/ecoact/operations.md.gz \
         ./usr/share/man/man1/ecoact.1.gz ./usr/share/man/man8/ecoact-admin.8.gz; do
  check "contents: $f" has " ${f//./\\.}$"
done
check "contents: the console's assets" has '\./usr/share/ecoact/web/assets/.+\.js$'
check "contents: every file owned by root/root" sh -c "! awk '{print \$2}' '$scratch/contents.txt' | grep -vqx root/root"
check "contents: the conf is shipped 0644 (postinst makes it 0640 root:ecoact)" has '^-rw-r--r-- root/root .* \./etc/ecoact/ecoact\.conf$'
check "contents: the manual pages format (man -l)" sh -c "dpkg-deb --fsys-tarfile '$deb1' | tar -xO ./usr/share/man/man1/ecoact.1.gz | zcat > '$scratch/ecoact.1' && ! command -v groff >/dev/null || { LC_ALL=C.UTF-8 MANWIDTH=100 man -l '$scratch/ecoact.1' 2>&1 | grep -q 'ecoact COMMAND --help' && ! LC_ALL=C.UTF-8 man -l --warnings '$scratch/ecoact.1' 2>&1 >/dev/null | grep -q .; }"
check "contents: executables 0755" sh -c "grep -E '\./usr/(bin/ecoact|libexec/ecoact/serve|sbin/ecoact-admin)$' '$scratch/contents.txt' | awk '{print \$1}' | sort -u | grep -qx -- -rwxr-xr-x"
check "contents: nothing under /var or /tmp (made at install)" sh -c "! grep -qE ' \./(var|tmp)/' '$scratch/contents.txt'"
check "contents: the binary is stripped, and runs" sh -c "dpkg-deb --fsys-tarfile '$deb1' | tar -xO ./usr/bin/ecoact > '$scratch/bin' && chmod +x '$scratch/bin' && readelf -S '$scratch/bin' | grep -q '\.text' && ! readelf -S '$scratch/bin' | grep -q '\.symtab' && '$scratch/bin' --version | grep -q '^ecoact '"
dpkg-deb -I "$deb1" > "$scratch/info.txt"
check "info: Depends names the libraries (libevent, libsqlite3, libpq, libsodium)" sh -c "grep '^ Depends:' '$scratch/info.txt' | grep -q libevent && grep '^ Depends:' '$scratch/info.txt' | grep -q libsqlite3 && grep '^ Depends:' '$scratch/info.txt' | grep -q libpq5 && grep '^ Depends:' '$scratch/info.txt' | grep -q libsodium"
check "info: conffiles" sh -c "dpkg-deb -e '$deb1' '$scratch/ctl' && [ \"\$(cat '$scratch/ctl/conffiles')\" = \"\$(printf '/etc/ecoact/ecoact.conf\n/etc/logrotate.d/ecoact')\" ]"
check "info: maintainer scripts parse (sh -n)" sh -c "for f in postinst prerm postrm; do sh -n '$scratch/ctl/'\$f || exit 1; done"
check "info: md5sums match the files" sh -c "mkdir '$scratch/x' && dpkg-deb -x '$deb1' '$scratch/x' && cd '$scratch/x' && md5sum --quiet -c '$scratch/ctl/md5sums'"
# every option of `ecoact serve --help` is in the conf and handled by the serve wrapper
for o in $(./ecoact serve --help | grep -oE '^  --[a-z-]+' | sort -u); do
  var=ECOACT_$(echo "${o#--}" | tr 'a-z-' 'A-Z_')
  case "$o" in --db|--data-key|--listen|--webhook-url|--webhook-secret-file) where="the binary reads $var";; *) where="packaging/deb/serve";; esac
  check "conf: $o as $var (${where})" sh -c "grep -qE '^#?$var=' packaging/deb/ecoact.conf && { [ '$where' != packaging/deb/serve ] || grep -q -- '$o \"\$$var\"\\|$o ;;\\|-- \"\$@\" $o' packaging/deb/serve; }"
done
check "conf: the binary reads the env names the conf gives it" sh -c "for v in ECOACT_DB ECOACT_DATA_KEY ECOACT_LISTEN ECOACT_WEBHOOK_URL ECOACT_WEBHOOK_SECRET_FILE ECOACT_TICK_SECONDS ECOACT_SQLITE_SYNC; do grep -rq \"\\\"\$v\\\"\" src || exit 1; done"

# 3. the unit's score
systemd-analyze security --offline=yes packaging/deb/ecoact.service > "$scratch/security.txt" 2>&1
score=$(sed -n 's/.*Overall exposure level for ecoact.service: \([0-9.]*\).*/\1/p' "$scratch/security.txt")
echo "     systemd-analyze security --offline=yes: ${score:-none}"
check "unit: exposure ${score:-?} <= 2.0" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
for d in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
         ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes RestrictAddressFamilies= \
         RestrictNamespaces=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service \
         'CapabilityBoundingSet=$' UMask=0077 StateDirectory=ecoact LogsDirectory=ecoact; do
  check "unit: $d" grep -qE "^$d" packaging/deb/ecoact.service
done
check "docs: the score is in docs/operations.md" grep -q "exposure level.*${score:-none}" docs/operations.md

# 3b. what the unit's filters would meet: the system calls and socket families of a running
# server (start, console, portal, API, a failed log-in with its password hash, /metrics, SIGTERM),
# traced with strace, all inside SystemCallFilter= and RestrictAddressFamilies= of the unit.
expand() { # expand @GROUP...: the system calls of the groups, nested groups expanded
  local g
  for g in "$@"; do
    systemd-analyze syscall-filter "$g" | grep -v '^ *#' | awk 'NF {print $1}' | while read -r c; do
      case "$c" in @*) [ "$c" = "$g" ] || expand "$c" ;; *) echo "$c" ;; esac
    done
  done
}
if command -v strace >/dev/null; then
  unit=packaging/deb/ecoact.service
  allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit"); deny=$(sed -n 's/^SystemCallFilter=~//p' "$unit")
  expand $allow | sort -u > "$scratch/allow.txt"; expand $deny | sort -u > "$scratch/deny.txt"
  # as an unprivileged user, as the service runs (as root SQLite would fchown its WAL files)
  t=$scratch/trace; mkdir -p "$t"; chmod 0755 "$scratch"; chown 65534:65534 "$t"
  asuser=(); [ "$(id -u)" -ne 0 ] || asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  "${asuser[@]}" ./ecoact init --db "sqlite:$t/e.db" --data-key "$t/e.key" > "$t/init.log" 2>&1
  # two free ports side by side (other test servers may be listening on this machine)
  for _ in $(seq 50); do
    tport=$((30000 + RANDOM % 20000))
    [ -z "$(ss -Hltn "( sport = :$tport or sport = :$((tport + 1)) )" 2>/dev/null)" ] && break
  done
  "${asuser[@]}" strace -f -qq -o "$t/trace.txt" ./ecoact serve --db "sqlite:$t/e.db" --data-key "$t/e.key" --listen "127.0.0.1:$tport" \
    --web web/dist --threads 2 --access-log "$t/access.log" --metrics-listen "127.0.0.1:$((tport + 1))" > "$t/serve.log" 2>&1 &
  tpid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$tport/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  codes=""
  for u in /healthz / /m/ /readyz /api/v1/meta; do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$tport$u")"; done
  codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((tport + 1))/metrics")"
  codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' -d '{"username":"sysadmin","password":"wrong-password"}' "http://127.0.0.1:$tport/api/v1/session")"
  pkill -TERM -P "$tpid" 2>/dev/null; wait "$tpid" 2>/dev/null
  check "trace: the traced server answered (200 x6, 401 for the log-in):$codes" [ "$codes" = " 200 200 200 200 200 200 401" ]
  [ "$codes" = " 200 200 200 200 200 200 401" ] || tail -5 "$t/serve.log"
  sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p; s/^[0-9]+ +<\.\.\. ([a-z0-9_]+) resumed>.*/\1/p' "$t/trace.txt" | sort -u > "$t/used.txt"
  check "trace: $(wc -l < "$t/used.txt") system calls seen" [ "$(wc -l < "$t/used.txt")" -gt 20 ]
  check "trace: every one is in SystemCallFilter=$allow" sh -c "! comm -23 '$t/used.txt' '$scratch/allow.txt' | grep . "
  check "trace: none is in SystemCallFilter=~$deny" sh -c "! comm -12 '$t/used.txt' '$scratch/deny.txt' | grep . "
  fams=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit")
  check "trace: socket families within RestrictAddressFamilies=$fams" sh -c "for f in \$(grep -o 'socket(AF_[A-Z0-9]*' '$t/trace.txt' | cut -d'(' -f2 | sort -u); do case ' $fams ' in *\" \$f \"*) ;; *) echo \$f; exit 1 ;; esac; done"
else
  bad "trace: strace is missing (scripts/install-deps installs it)"
fi

# 4. the fresh root
if [ "$(id -u)" -ne 0 ]; then
  bad "fresh root: needs root (a private mount namespace and chroot)"
else
  unshare -m --propagation private "$0" --inside "$scratch/fresh" "$deb1" "$deb2"
  rc=$?
  [ $rc -eq 0 ] || fails=$((fails + 1))
fi

# 5. lintian
if command -v lintian >/dev/null; then
  if lintian --fail-on error "$deb1" > "$scratch/lintian.txt" 2>&1; then ok "lintian: no errors"; else bad "lintian"; fi
  cat "$scratch/lintian.txt"
else
  echo "skip lintian: not installed (127 packages with its Perl modules: not in scripts/install-deps; docs/operations.md)"
fi

echo "package checks: $(( $(date +%s) - start )) s, $fails failed"
[ "$fails" -eq 0 ]
