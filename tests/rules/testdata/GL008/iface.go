package gl008

// Contexts handed through an interface method: whether cancelling the
// context could stop the goroutine depends on what every call through the
// interface passes.

import (
	"context"
	"time"
)

type meter interface {
	readings(ctx context.Context) <-chan float64
	alarms(ctx context.Context) <-chan string
}

type gauge struct{ level float64 }

// ok: every call of readings — all of them through the meter interface —
// passes Background(): nothing can cancel ctx, so ignoring it changes
// nothing for the goroutine.
func (g *gauge) readings(ctx context.Context) <-chan float64 {
	out := make(chan float64)
	go func() {
		for !ready() {
			time.Sleep(time.Second)
		}
		out <- g.level
	}()
	return out
}

// bad: one call through the interface passes the caller's context, which
// someone can cancel while the goroutine is stuck on the send.
func (g *gauge) alarms(ctx context.Context) <-chan string {
	out := make(chan string)
	go func() {
		for !ready() {
			time.Sleep(time.Second) // want "GL008"
		}
		out <- "high"
	}()
	return out
}

func newMeter() meter { return &gauge{level: 1} }

func logReadings(m meter, log func(float64)) {
	for r := range m.readings(context.Background()) {
		log(r)
	}
}

func firstAlarm(ctx context.Context, m meter) string {
	return <-m.alarms(ctx)
}

func drainAlarms(m meter, log func(string)) {
	for a := range m.alarms(context.TODO()) {
		log(a)
	}
}

func startMetering(log func(float64), alert func(string)) {
	m := newMeter()
	go logReadings(m, log)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	alert(firstAlarm(ctx, m))
	go drainAlarms(m, alert)
}
