//go:build unix

package wire

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used so far: a
// benchmark's figure that other processes sharing the cores do not inflate
// as much as its wall time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
