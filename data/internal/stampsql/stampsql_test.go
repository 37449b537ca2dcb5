package stampsql

import (
	"testing"
	"time"
)

func TestInstantScan(t *testing.T) {
	mexico := time.FixedZone("CST", -6*3600)
	at := time.Date(2026, 3, 4, 5, 6, 7, 800000000, time.UTC)
	tests := []struct {
		name    string
		in      any
		want    time.Time
		wantErr bool
	}{
		{name: "SQLite text", in: TimeText(at), want: at},
		{name: "text as bytes", in: []byte(TimeText(at)), want: at},
		{name: "PostgreSQL timestamptz in another zone reads as UTC", in: at.In(mexico), want: at},
		{name: "empty text is the zero time", in: "", want: time.Time{}},
		{name: "NULL is the zero time", in: nil, want: time.Time{}},
		{name: "text that does not parse is the zero time", in: "ayer", want: time.Time{}},
		{name: "a number is refused", in: int64(5), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := Instant{Time: time.Now()}
			err := i.Scan(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Scan(%v) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !i.Time.Equal(tt.want) || (!tt.want.IsZero() && i.Time.Location() != time.UTC) {
				t.Errorf("Scan(%v) = %v (%v), want %v in UTC", tt.in, i.Time, i.Time.Location(), tt.want)
			}
		})
	}
}

func TestTimeTextOrdersAsTime(t *testing.T) {
	a := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := a.Add(time.Nanosecond)
	if !(TimeText(a) < TimeText(b)) {
		t.Errorf("TimeText(%v) = %q is not before TimeText(%v) = %q", a, TimeText(a), b, TimeText(b))
	}
	if TimeText(time.Time{}) != "" {
		t.Errorf("TimeText(zero) = %q, want \"\"", TimeText(time.Time{}))
	}
}
