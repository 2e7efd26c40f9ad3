package gl001

// Close sites for hub.go, kept in a separate file on purpose: the analysis
// covers every file of the package directory.

// Stop closes h.quit only; h.msgs stays open (see Hub.run in hub.go).
func (h *Hub) Stop() { close(h.quit) }

// Close closes b.subs, which ends Broker.loop.
func (b *Broker) Close() { close(b.subs) }

// Stop closes Mirror.ch (not Relay.ch).
func (m *Mirror) Stop() { close(m.ch) }
