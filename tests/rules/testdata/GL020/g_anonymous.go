package gl020

import "sync"

// Gossip and Peer follow the shape of GoKer cockroach#10214 once more, with the peers kept in an
// anonymous struct next to the fields they belong with (`g.state.peers`): the peer found there
// by index must still be typed, so that the call on it is followed.
type Gossip struct {
	pendingMu struct {
		sync.Mutex
		acks []int
	}
	state struct {
		peers map[int]*Peer
	}
}

type Peer struct {
	sendMu sync.Mutex
	gossip *Gossip
}

// flushAcks: Gossip.pendingMu, then Peer.sendMu through flushToPeers → markUnreachable.
func (g *Gossip) flushAcks() {
	g.pendingMu.Lock()
	defer g.pendingMu.Unlock()
	for i := 0; i < len(g.pendingMu.acks); i++ {
		g.flushToPeers()
	}
}

func (g *Gossip) flushToPeers() {
	for i := 0; i < len(g.state.peers); i++ {
		p := g.state.peers[i]
		p.markUnreachable()
	}
}

func (p *Peer) markUnreachable() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
}

// bad: Peer.sendMu, then Gossip.pendingMu: the opposite order to flushAcks.
func (p *Peer) ack() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	p.gossip.pendingMu.Lock() // want "GL020"
	p.gossip.pendingMu.acks = append(p.gossip.pendingMu.acks, 1)
	p.gossip.pendingMu.Unlock()
}

type Ring struct {
	pendingMu struct {
		sync.Mutex
		acks []int
	}
	state struct {
		peers map[int]*RingPeer
	}
}

type RingPeer struct {
	sendMu sync.Mutex
	ring   *Ring
}

// The fix of cockroach#10214: the acks are taken out under pendingMu, which is released before any
// peer's sendMu is taken.
func (g *Ring) flushAcks() {
	g.pendingMu.Lock()
	n := len(g.pendingMu.acks)
	g.pendingMu.acks = nil
	g.pendingMu.Unlock()
	for i := 0; i < n; i++ {
		g.flushToPeers()
	}
}

func (g *Ring) flushToPeers() {
	for i := 0; i < len(g.state.peers); i++ {
		p := g.state.peers[i]
		p.markUnreachable()
	}
}

func (p *RingPeer) markUnreachable() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
}

// ok: RingPeer.sendMu → Ring.pendingMu is now the only order.
func (p *RingPeer) ack() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	p.ring.pendingMu.Lock()
	p.ring.pendingMu.acks = append(p.ring.pendingMu.acks, 1)
	p.ring.pendingMu.Unlock()
}
