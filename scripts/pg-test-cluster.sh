#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of data/postgres and the
# multi-workstation tests: `start` initialises a cluster in a temporary
# folder, starts it on a free port of 127.0.0.1 and prints its DSN on
# stdout; `stop` stops it and removes the folder. The folder is remembered
# in $PG_TEST_STATE (default /tmp/folio-pg-test.state). As root the server
# runs as the postgres user (initdb refuses root).
#
#   export FOLIO_TEST_POSTGRES=$(scripts/pg-test-cluster.sh start)
#   …
#   scripts/pg-test-cluster.sh stop
set -euo pipefail
state=${PG_TEST_STATE:-/tmp/folio-pg-test.state}

bindir() {
	if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
		pg_config --bindir
		return
	fi
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
		echo "pg-test-cluster: no se encontró PostgreSQL (initdb); instálelo con: apt-get install -y postgresql" >&2
		exit 1
	fi
	echo "$d"
}

# as runs a command as the cluster's owner.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000))
}

case "${1:-}" in
start)
	bin=$(bindir)
	dir=$(mktemp -d /tmp/folio-pg.XXXXXX)
	chmod 755 "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
	as "$bin/initdb" -D "$dir/data" -U folio --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# Every role is trusted except folio_pw, which must give its password
	# (the tests of a rejected password); the first matching line wins.
	sed -i '1i host all folio_pw 127.0.0.1/32 scram-sha-256' "$dir/data/pg_hba.conf"
	port=$(freeport)
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	printf '%s\n%s\n' "$dir" "$bin" >"$state"
	echo "postgres://folio@127.0.0.1:$port/postgres?sslmode=disable"
	;;
stop)
	[ -f "$state" ] || exit 0
	dir=$(sed -n 1p "$state")
	bin=$(sed -n 2p "$state")
	as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir" "$state"
	;;
*)
	echo "uso: $0 start|stop" >&2
	exit 2
	;;
esac
