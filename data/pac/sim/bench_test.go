package sim_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain/stamping"
)

var (
	drainN       = flag.Int("drain.n", 1000, "invoices queued per BenchmarkDrain iteration")
	drainLatency = flag.Duration("drain.latency", 50*time.Millisecond, "latency the local PAC adds to each stamp")
)

// sealedBatch seals n invoices once per process (sealing is not measured).
var batches = map[int][]stamping.NewDocument{}

func sealedBatch(b *testing.B, n int) []stamping.NewDocument {
	if docs, ok := batches[n]; ok {
		return docs
	}
	docs := make([]stamping.NewDocument, n)
	for i := range docs {
		folio := fmt.Sprint(i + 1)
		d, err := stamping.Describe(simtest.Sealed(b, "B", folio, time.Now()), "B-"+folio)
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = d
	}
	batches[n] = docs
	return docs
}

// BenchmarkDrain drains -drain.n queued invoices against the local PAC with
// -drain.latency per stamp, with 1 and 8 documents in flight.
func BenchmarkDrain(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			docs := sealedBatch(b, *drainN)
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := startSim(b, sim.Options{SkipQR: true, Latency: *drainLatency}, int64(len(docs)))
				_, q := openQueue(b, filepath.Join(b.TempDir(), "folio.db"))
				w := stamping.NewWorker(q, onePAC(newClient(b, s.URL(), 30*time.Second)), nil, testOptions(conc, 30*time.Second))
				for _, d := range docs {
					if _, err := q.Post(ctx, d); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if err := w.Drain(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if s.Stamped() != len(docs) {
					b.Fatalf("stamped %d of %d", s.Stamped(), len(docs))
				}
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkSimStamp measures the local PAC itself: stamps per second over
// loopback HTTP (validation, seal check, TFD signature, insertion).
func BenchmarkSimStamp(b *testing.B) {
	for _, qr := range []bool{false, true} {
		b.Run(fmt.Sprintf("qr=%v", qr), func(b *testing.B) {
			docs := sealedBatch(b, max(b.N, 1))
			s := startSim(b, sim.Options{SkipQR: !qr}, int64(b.N)+1)
			c := newClient(b, s.URL(), 30*time.Second)
			if err := c.Authenticate(context.Background()); err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					d := docs[next.Add(1)-1]
					if _, err := c.Stamp(context.Background(), d.CustomID, d.SealedXML); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stamps/s")
		})
	}
}
