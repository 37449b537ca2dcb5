//go:build unix

package print

import "syscall"

// cpuTime is the CPU time (user + system) the process has used, in
// nanoseconds. Benchmarks report it per operation because the wall time of
// a shared machine says little.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
