package gl008

import (
	"context"
	"strings"
)

type feedSource interface {
	subscribe(ctx context.Context, topic string, filters ...string) <-chan string
}

type memoryFeed struct{ lines []string }

// ok: the context parameter comes before the variadic filters, so it is
// always the first argument, and every call through feedSource passes
// Background(): nothing can cancel it.
func (m *memoryFeed) subscribe(ctx context.Context, topic string, filters ...string) <-chan string {
	out := make(chan string)
	go func() {
		for !ready() {
			for _, l := range m.lines {
				if strings.HasPrefix(l, topic) && len(filters) == 0 {
					out <- l
				}
			}
		}
		close(out)
	}()
	return out
}

func tailFeed(src feedSource, print func(string)) {
	for line := range src.subscribe(context.Background(), "news", "sports", "weather") {
		print(line)
	}
}

func startFeeds(print func(string)) {
	tailFeed(&memoryFeed{lines: []string{"news: hello"}}, print)
}
