#!/bin/sh
# Window smoke test: start the real Folio binary in a real X server (Xvfb),
# wait for its window, screenshot the screen and check that something was
# drawn. Prints the cold-start figures.
#
#   sh scripts/smoke.sh ./folio
#
# Environment:
#   FOLIO_SMOKE_SHOT     where to save the screenshot (default: a new /tmp/folio-smoke-*.png)
#   FOLIO_SMOKE_TIMEOUT  seconds to wait for the window and for the first frame (default 60)
#   FOLIO_SMOKE_COLOURS  fewest distinct colours a drawn screen must have (default 32)
#   FOLIO_SMOKE_DEMO=1   create the demo company first ("folio demo"), so the
#                        window opens on the main view instead of the welcome
#
# Needs (Debian packages): xvfb (Xvfb), x11-utils (xwininfo, xdpyinfo),
# imagemagick (import, convert). The database and the app's settings go to a
# temporary folder that is removed at the end.
set -eu

die() { echo "smoke: FAIL: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "uso: sh scripts/smoke.sh BINARIO" >&2; exit 2; }
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || die "$bin is not an executable file"
for tool in Xvfb xwininfo xdpyinfo import convert; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install xvfb x11-utils imagemagick)"
done

timeout=${FOLIO_SMOKE_TIMEOUT:-60}
min_colours=${FOLIO_SMOKE_COLOURS:-32}
shot=${FOLIO_SMOKE_SHOT:-}
own_shot=
[ -n "$shot" ] || { shot=$(mktemp /tmp/folio-smoke-XXXXXX.png); own_shot=1; }

work=$(mktemp -d /tmp/folio-smoke.XXXXXX)
xvfb_pid=
app_pid=
cleanup() {
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -KILL "$app_pid" 2>/dev/null || :; fi
	if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || :; fi
	rm -rf "$work"
	if [ -n "$own_shot" ] && [ ! -s "$shot" ]; then rm -f "$shot"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A free display: no lock file and no socket.
n=90
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || die "no free X display between :90 and :199"
done
export DISPLAY=":$n"
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
i=0
until xdpyinfo >/dev/null 2>&1; do
	kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb did not start: $(cat "$work/xvfb.log")"
	i=$((i + 1))
	[ $i -lt 200 ] || die "Xvfb not ready after 10 s"
	sleep 0.05
done

# Start Folio with a fresh database and settings, in Spanish unless told otherwise.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
export LANG="${LANG:-es_MX.UTF-8}"
case $LANG in C | C.* | POSIX) LANG=es_MX.UTF-8 ;; esac
if [ "${FOLIO_SMOKE_DEMO:-}" = 1 ]; then
	"$bin" --db "$work/folio.db" demo >"$work/demo.log" 2>&1 || die "folio demo failed:
$(cat "$work/demo.log")"
fi
start=$(now_ms)
"$bin" --db "$work/folio.db" >"$work/folio.log" 2>&1 &
app_pid=$!

# Wait for the window to be mapped.
deadline=$((start + timeout * 1000))
while :; do
	line=$(xwininfo -root -tree 2>/dev/null | grep '"Folio"' | head -n 1 || :)
	[ -z "$line" ] || break
	kill -0 "$app_pid" 2>/dev/null || die "Folio exited before showing its window:
$(cat "$work/folio.log")"
	[ "$(now_ms)" -lt "$deadline" ] || die "no window named Folio after $timeout s"
	sleep 0.05
done
window_ms=$(($(now_ms) - start))
echo "cold start to window: $window_ms ms"
echo "window: $(echo "$line" | sed 's/^ *//')"

# Wait for the first drawn frame: a screen with text has many colours, an
# unpainted one a handful.
deadline=$(($(now_ms) + timeout * 1000))
colours=0
while :; do
	if import -window root "$work/frame.png" 2>/dev/null; then
		colours=$(convert "$work/frame.png" -format %k info: 2>/dev/null || echo 0)
		[ "$colours" -lt "$min_colours" ] || break
	fi
	kill -0 "$app_pid" 2>/dev/null || die "Folio exited before drawing:
$(cat "$work/folio.log")"
	if [ "$(now_ms)" -ge "$deadline" ]; then
		cp "$work/frame.png" "$shot" 2>/dev/null || :
		die "screen still blank (${colours:-0} colours) after $timeout s; last frame kept in $shot"
	fi
	sleep 0.1
done
echo "cold start to first drawn frame: $(($(now_ms) - start)) ms (screen polled with import, ~0.2 s resolution)"

# Let the first screen settle (company lookup, first catalog progress), then
# take the screenshot that is kept.
sleep 2
kill -0 "$app_pid" 2>/dev/null || die "Folio exited while running:
$(cat "$work/folio.log")"
import -window root "$shot" || die "screenshot failed"
colours=$(convert "$shot" -format %k info:)
[ "$colours" -ge "$min_colours" ] || die "screenshot is blank ($colours colours): $shot"
echo "screenshot: $shot ($colours colours)"

# A polite stop: SIGTERM must close the window and end the process.
kill -TERM "$app_pid"
i=0
while kill -0 "$app_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "Folio still running 10 s after SIGTERM"
	sleep 0.1
done
if wait "$app_pid"; then status=0; else status=$?; fi
app_pid=
[ "$status" -eq 0 ] || die "Folio exited with status $status after SIGTERM:
$(cat "$work/folio.log")"
if grep -q 'Error in Fyne call thread' "$work/folio.log"; then
	die "Fyne reported UI work outside the UI goroutine:
$(cat "$work/folio.log")"
fi
if [ -s "$work/folio.log" ]; then
	echo "app output (last 20 lines):"
	tail -n 20 "$work/folio.log" | sed 's/^/  | /'
fi
echo "smoke: OK"
