//go:build race

package storetest

// raceEnabled is whether the race detector is on: it slows a store's
// posting path about tenfold, so the long property histories run at their
// full size only without it.
const raceEnabled = true
